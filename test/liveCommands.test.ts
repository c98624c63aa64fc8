/**
 * `diff`, `export`, `schemas pull` and `plan`'s live section, end to end against the local
 * stand-in over HTTPS, with the real SDK clients and the real credential classes: the
 * report, exit codes, faults, read-only behaviour and secrets.
 */
import { ClientSecretCredential } from "@azure/identity";
import { spawn } from "node:child_process";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { LiveReadOptions } from "../src/azure/liveWorkspace";
import { runDiff } from "../src/cli/commands/diff";
import { runExport } from "../src/cli/commands/export";
import { runPlan } from "../src/cli/commands/plan";
import { runSchemasPull } from "../src/cli/commands/schemasPull";
import { runValidate } from "../src/cli/commands/validate";
import type { TargetFlags } from "../src/app/target";
import { buildDesiredState } from "../src/loader/desiredState";
import { buildExampleState, EXAMPLE_NAMES } from "../stand-in/src/exampleState";
import { standInStateFromDesired } from "../stand-in/src/fromDesired";
import { startStandIn, type StandIn } from "../stand-in/src/standIn";
import { standInEnvironment } from "./helpers/azureEnvironment";
import { copySeedContent, PROJECT_DIR, writeContent, SEED_PROJECT_DIR } from "./helpers/content";

class Collected {
  text = "";
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

const BIN = join(PROJECT_DIR, "bin", "sentinel-iac.js");

describe("live commands against the stand-in", () => {
  let standIn: StandIn;
  let connection: LiveReadOptions;
  let target: TargetFlags;
  const outputs: string[] = [];
  const example = buildExampleState(SEED_PROJECT_DIR);

  beforeAll(async () => {
    standIn = await startStandIn({ state: example });
    const credential = new ClientSecretCredential(
      standIn.credentials.tenantId,
      standIn.credentials.clientId,
      standIn.credentials.clientSecret,
      {
        authorityHost: standIn.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: [...rootCertificates, standIn.caPem] },
      },
    );
    connection = { credential, caPem: standIn.caPem, timeoutMs: 800, maxRetries: 3, retryDelayMs: 10, maxRetryDelayMs: 100 };
    target = {
      subscription: EXAMPLE_NAMES.subscriptionId,
      resourceGroup: EXAMPLE_NAMES.resourceGroupName,
      workspace: EXAMPLE_NAMES.workspaceName,
      armEndpoint: standIn.armEndpoint,
      authorityHost: standIn.authorityHost,
    };
  });
  afterEach(() => {
    standIn.setFaults([]);
    standIn.setState(example);
  });
  afterAll(async () => {
    // Read-only, proven: whatever ran, the stand-in never saw a PUT, PATCH, POST or DELETE.
    expect(standIn.writes()).toEqual([]);
    expect(standIn.requests.filter((r) => r.surface === "arm").every((r) => r.method === "GET")).toBe(true);
    // And no output ever held the secret or a token the stand-in issued.
    const secrets = [standIn.credentials.clientSecret, ...standIn.issuedTokens()];
    for (const text of outputs) for (const secret of secrets) expect(text).not.toContain(secret);
    await standIn.close();
  });

  async function diff(extra: Partial<Parameters<typeof runDiff>[0]> = {}) {
    const out = new Collected();
    const err = new Collected();
    const code = await runDiff({ ...target, content: SEED_PROJECT_DIR, format: "text", connection, ...extra }, out, err);
    outputs.push(out.text, err.text);
    return { code, out: out.text, err: err.text };
  }

  describe("diff", () => {
    it("reports the example workspace's drift field by field and exits 2", async () => {
      const { code, out, err } = await diff();
      expect(err).toBe("");
      expect(code).toBe(2);
      expect(out).toContain("  Analytics rules  0 to create, 2 to update, 2 unmanaged, 1 unchanged");
      expect(out).toContain('      severity: live "Medium" -> git "High"');
      expect(out).toContain("      triggerThreshold: live 2 -> git 0");
      expect(out).toContain('        -| where AppDisplayName != "Azure Portal"');
      expect(out).toContain('? unmanaged analytics rule "NRT Privileged role assigned outside PIM"');
      expect(out).toContain('? unmanaged watchlist item "198.51.100.77"');
      expect(out).toContain("Not compared: 1 alert rule(s) of kinds configured in the portal (1 Fusion).");
      // The portal's reordered tactics and PT60M spelling are not drift.
      expect(out).not.toMatch(/tactics:|queryPeriod:/);
    });

    it("exits 0 when the workspace is exactly what Git deploys", async () => {
      standIn.setState(standInStateFromDesired(buildDesiredState(SEED_PROJECT_DIR), EXAMPLE_NAMES));
      const { code, out } = await diff();
      expect(code).toBe(0);
      expect(out).toContain("No drift: the workspace matches Git.");
    });

    it("gives the same report through throttling, transient failures and slow responses", async () => {
      const clean = await diff({ format: "json" });
      standIn.setFaults([
        { kind: "throttle", route: "alertRules", times: 2, retryAfterSeconds: 1 },
        { kind: "serverError", route: "watchlistItems", times: 2 },
        { kind: "unavailable", route: "savedSearches", times: 1 },
        { kind: "slow", route: "watchlists", times: 1, delayMs: 2000 },
        { kind: "truncated", route: "alertRules", times: 1 },
      ]);
      const faulty = await diff({ format: "json" });
      expect(standIn.faultsRemaining()).toBe(0);
      expect(faulty.code).toBe(2);
      expect(JSON.parse(faulty.out)).toEqual(JSON.parse(clean.out));
    });

    it("a malformed response is an error (exit 1), never a wrong diff", async () => {
      standIn.setFaults([{ kind: "malformed", route: "watchlistItems", times: 10 }]);
      const { code, out, err } = await diff();
      expect(code).toBe(1);
      expect(out).toBe("");
      expect(err).toMatch(
        /Listing the items of watchlist '\w+' in workspace 'law-sentinel-example' .* failed: the response \(HTTP 200\) from https:\/\/127\.0\.0\.1:\d+ is not valid JSON/,
      );
      expect(err).toContain("Nothing from this read was used");
    });

    it("an ARM endpoint whose certificate is not trusted is a TLS error, not 'could not reach'", async () => {
      const { caPem: _trusted, ...untrusting } = connection;
      const { code, err } = await diff({ connection: untrusting });
      expect(code).toBe(1);
      expect(err).toContain(
        `could not reach ${standIn.armEndpoint}: the TLS certificate of ${new URL(standIn.armEndpoint).host} is not signed`,
      );
      expect(err).toContain("NODE_EXTRA_CA_CERTS");
    });

    it("a workspace that does not exist is an error that says so", async () => {
      const { code, err } = await diff({ workspace: "law-typo" });
      expect(code).toBe(1);
      expect(err).toMatch(/HTTP 404 ResourceNotFound/);
      expect(err).toContain("law-typo");
    });

    it("content with errors stops before reading Azure", async () => {
      const before = standIn.requests.length;
      const content = writeContent({ "rules/analytics/broken.yaml": "id: [\n" });
      const { code, err } = await diff({ content });
      expect(code).toBe(1);
      expect(err).toContain("rules/analytics/broken.yaml\n  2:1      error   [yaml/syntax]");
      expect(err).toContain("fix them first");
      expect(standIn.requests.length).toBe(before);
    });

    it("markdown and json formats carry the same report", async () => {
      const markdown = await diff({ format: "markdown" });
      expect(markdown.out).toContain("### Sentinel drift: `law-sentinel-example`");
      expect(markdown.out).toContain("| Analytics rules | 0 | 2 | 2 | 1 |");
      expect(markdown.out).toContain("```diff\n--- live\n+++ git\n");
      const json = JSON.parse((await diff({ format: "json" })).out) as {
        drift: boolean;
        summary: { alertRule: Record<string, number> };
        otherAlertRules: Record<string, number>;
      };
      expect(json.drift).toBe(true);
      expect(json.summary.alertRule).toEqual({ create: 0, update: 2, retired: 0, unmanaged: 2, elsewhere: 0, unchanged: 1 });
      expect(json.otherAlertRules).toEqual({ Fusion: 1 });
    });
  });

  describe("export", () => {
    it("adopts the unmanaged resources: after it, diff finds none left that export can take", async () => {
      const content = copySeedContent();
      const out = new Collected();
      const code = await runExport(
        { ...target, content, format: "text", importFile: join(content, "pulumi-import.json"), connection },
        out,
        new Collected(),
      );
      outputs.push(out.text);
      expect(code).toBe(0);
      expect(out.text).toContain("Exported 5 resource(s)");
      for (const file of [
        "rules/analytics/mass-download-by-a-single-user.yaml",
        "rules/analytics/nrt-privileged-role-assigned-outside-pim.yaml",
        "rules/hunting/sign-ins-from-firewallevents-cl-blocked-sources.yaml",
        "functions/GetRecentVipUsers/GetRecentVipUsers.yaml",
        "functions/GetRecentVipUsers/GetRecentVipUsers.kql",
        "watchlists/VIPUsers/VIPUsers.yaml",
        "watchlists/VIPUsers/vip-users.csv",
      ])
        expect(existsSync(join(content, file)), file).toBe(true);
      const imports = JSON.parse(readFileSync(join(content, "pulumi-import.json"), "utf8")) as { resources: { type: string }[] };
      // The function is not listed: the program's function resource adopts it in place on the first pulumi up.
      expect(imports.resources.map((r) => r.type).sort()).toEqual([
        "azure-native:operationalinsights:SavedSearch",
        "azure-native:securityinsights:ScheduledAlertRule",
        "azure-native:securityinsights:Watchlist",
        "azure-native:securityinsights:WatchlistItem",
        "azure-native:securityinsights:WatchlistItem",
        "azure-native:securityinsights:WatchlistItem",
        "azure-native_securityinsights_v20250401preview:securityinsights:NrtAlertRule",
      ]);

      const after = await diff({ content, format: "json" });
      const report = JSON.parse(after.out) as { resources: { classification: string; kind: string }[] };
      // What is left is what Git says differently (two rules) and the row added in the portal.
      expect(report.resources.filter((r) => r.classification !== "unchanged").map((r) => `${r.classification} ${r.kind}`)).toEqual([
        "unmanaged watchlistItem",
        "update alertRule",
        "update alertRule",
      ]);
    });

    it("a stack's selection never turns Git content into unmanaged, and export never writes Git's content or a retired rule back", async () => {
      // A project whose `hunting` stack deploys only the hunting queries; the workspace holds everything, and one retired rule.
      const project = copySeedContent();
      cpSync(join(SEED_PROJECT_DIR, "Pulumi.yaml"), join(project, "Pulumi.yaml"));
      writeFileSync(join(project, "Pulumi.hunting.yaml"), "config:\n  sentinel-iac:include:\n    - rules/hunting/**\n");
      const retiredId = "0d4e3f2a-1b5c-4d6e-8f7a-9b0c1d2e3f4a";
      writeFileSync(join(project, "retired.yaml"), `retired:\n  - { id: ${retiredId}, reason: replaced by the ROPC rules }\n`);
      const state = standInStateFromDesired(buildDesiredState(SEED_PROJECT_DIR), EXAMPLE_NAMES);
      const [template] = state.alertRules;
      state.alertRules.push({ ...template!, name: retiredId, properties: { ...template!.properties, displayName: "Old ROPC rule" } });
      standIn.setState(state);
      const flags = { projectDir: project, content: project, stack: "hunting" };

      const text = await diff({ ...flags });
      expect(text.err).toBe("");
      expect(text.out).toContain(
        "  Analytics rules  0 to create, 0 to update, 1 retired but live, 0 unmanaged, 3 in Git, not in this stack, 0 unchanged",
      );
      expect(text.out).toContain("  Functions        0 to create, 0 to update, 0 unmanaged, 1 in Git, not in this stack, 0 unchanged");
      expect(text.out).toContain(
        "5 resource(s) Git defines outside this stack's selection (another stack deploys them; --format json lists them)",
      );
      expect(text.out).toContain('- retired   analytics rule "Old ROPC rule"');
      expect(text.out).toContain("note: retired.yaml: replaced by the ROPC rules");
      expect(text.out).not.toContain("unmanaged watchlist");
      // The retired rule still live is drift; what other stacks own is not.
      expect(text.code).toBe(2);
      const json = JSON.parse((await diff({ ...flags, format: "json" })).out) as {
        resources: { classification: string; kind: string; name: string; origin?: { file: string } }[];
      };
      expect(json.resources.filter((r) => r.classification === "unmanaged")).toEqual([]);
      expect(json.resources.find((r) => r.kind === "function")).toMatchObject({
        classification: "elsewhere",
        origin: { file: "functions/ExcludeAllowlistedIPs_AADNI/ExcludeAllowlistedIPs_AADNI.yaml" },
      });

      const out = new Collected();
      const code = await runExport(
        { ...target, ...flags, format: "text", importFile: join(project, "i.json"), connection },
        out,
        new Collected(),
      );
      outputs.push(out.text);
      expect(code).toBe(0);
      expect(out.text).toContain("Exported 0 resource(s)");
      expect(existsSync(join(project, "i.json"))).toBe(false);
    });

    it("with a stack, adopts only what that stack's selection would deploy: anything else would be deleted by its next pulumi up", async () => {
      const project = copySeedContent();
      cpSync(join(SEED_PROJECT_DIR, "Pulumi.yaml"), join(project, "Pulumi.yaml"));
      writeFileSync(join(project, "Pulumi.hunting.yaml"), "config:\n  sentinel-iac:include:\n    - rules/hunting/**\n");
      const out = new Collected();
      const code = await runExport(
        {
          ...target,
          projectDir: project,
          content: project,
          stack: "hunting",
          format: "text",
          importFile: join(project, "i.json"),
          connection,
        },
        out,
        new Collected(),
      );
      outputs.push(out.text);
      expect(code).toBe(0);
      // The example workspace's portal-made hunting query lands where the stack deploys from; its rules, function and watchlist do not.
      expect(out.text).toContain("Exported 1 resource(s)");
      expect(out.text).toContain(
        'analytics rule "Mass download by a single user" (5d1c3a4b-8e7f-4a2b-9c6d-0e1f2a3b4c5d): stack hunting\'s include/exclude would not select rules/analytics/mass-download-by-a-single-user.yaml',
      );
      expect(existsSync(join(project, "rules/analytics/mass-download-by-a-single-user.yaml"))).toBe(false);
      expect(existsSync(join(project, "watchlists/VIPUsers"))).toBe(false);
      const imports = JSON.parse(readFileSync(join(project, "i.json"), "utf8")) as { resources: { type: string }[] };
      expect(imports.resources.map((r) => r.type)).toEqual(["azure-native:operationalinsights:SavedSearch"]);
    });

    it("--dry-run writes nothing", async () => {
      const content = copySeedContent();
      const out = new Collected();
      await runExport(
        { ...target, content, format: "text", dryRun: true, importFile: join(content, "i.json"), connection },
        out,
        new Collected(),
      );
      expect(out.text).toContain("Would export 5 resource(s)");
      expect(existsSync(join(content, "i.json"))).toBe(false);
      expect(existsSync(join(content, "watchlists/VIPUsers"))).toBe(false);
    });
  });

  describe("schemas pull", () => {
    it("writes the workspace's table schemas, custom tables included, and validation then knows them", async () => {
      const content = writeContent({
        "rules/hunting/h.yaml": [
          "id: 7b6a5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
          "name: Blocked sources",
          "description: d",
          "query: |",
          "  FirewallEvents_CL",
          "  | where Blocked and DestinationPort == 443",
          "  | summarize Bytes = sum(BytesSent) by SourceIP",
          "",
        ].join("\n"),
      });
      const before = new Collected();
      await runValidate({ content, format: "text", cache: false }, before);
      expect(before.text).toContain("FirewallEvents_CL");

      const out = new Collected();
      expect(await runSchemasPull({ ...target, content, connection }, out, new Collected())).toBe(0);
      expect(out.text).toContain("Pulled 5 table schema(s) of workspace law-sentinel-example");
      const custom = JSON.parse(readFileSync(join(content, "schemas", "pulled", "FirewallEvents_CL.json"), "utf8")) as {
        columns: Record<string, string>;
      };
      expect(custom.columns).toMatchObject({
        TimeGenerated: "datetime",
        Blocked: "bool",
        DestinationPort: "int",
        BytesSent: "long",
        TenantId: "guid",
      });

      const after = new Collected();
      expect(await runValidate({ content, format: "text", cache: false }, after)).toBe(0);
      expect(after.text).not.toContain("FirewallEvents_CL");

      // Pulling again changes nothing (no dates in the files), so Git stays clean.
      const again = new Collected();
      await runSchemasPull({ ...target, content, connection }, again, new Collected());
      expect(again.text).toContain("0 written, 5 unchanged");
    });

    it("never overwrites a hand-written schema: it keeps its hand-added column and its precedence, and the pull says what it hides", async () => {
      const handWritten = JSON.stringify(
        {
          table: "SigninLogs",
          sources: ["hand-written"],
          columns: { TimeGenerated: "datetime", UserPrincipalName: "string", HandAdded_s: "string" },
        },
        null,
        2,
      );
      const content = writeContent({
        "schemas/SigninLogs.json": handWritten,
        "rules/hunting/h.yaml": [
          "id: 7b6a5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
          "name: Hand-added column",
          "description: d",
          "query: |",
          "  SigninLogs",
          "  | where isnotempty(HandAdded_s)",
          "  | project UserPrincipalName",
          "",
        ].join("\n"),
      });
      const out = new Collected();
      expect(await runSchemasPull({ ...target, content, connection }, out, new Collected())).toBe(0);
      // The hand-written file is byte for byte what the user wrote; the pull went to schemas/pulled/.
      expect(readFileSync(join(content, "schemas", "SigninLogs.json"), "utf8")).toBe(handWritten);
      const pulled = JSON.parse(readFileSync(join(content, "schemas", "pulled", "SigninLogs.json"), "utf8")) as {
        columns: Record<string, string>;
      };
      expect(pulled.columns).not.toHaveProperty("HandAdded_s");
      expect(out.text).toMatch(
        /note: schemas\/SigninLogs\.json is hand-written and replaces schemas\/pulled\/SigninLogs\.json; it lacks \d+ pulled column\(s\): /,
      );

      // Validation still uses the hand-written file: its hand-added column is known.
      const after = new Collected();
      expect(await runValidate({ content, format: "text", cache: false }, after)).toBe(0);
      expect(after.text).not.toContain("HandAdded_s");
    });

    it("tells a file left by an earlier pull (in schemas/ itself) from a hand-written one", async () => {
      const content = writeContent({
        "schemas/SigninLogs.json": JSON.stringify({
          table: "SigninLogs",
          sources: ["Tables API (2023-09-01) of workspace law-sentinel-example, via sentinel-iac schemas pull"],
          columns: { TimeGenerated: "datetime" },
        }),
      });
      const out = new Collected();
      await runSchemasPull({ ...target, content, connection, tables: ["SigninLogs"] }, out, new Collected());
      expect(out.text).toContain(
        "note: schemas/SigninLogs.json was written by an earlier `schemas pull` and replaces schemas/pulled/SigninLogs.json;",
      );
      expect(out.text).toContain("delete it to use schemas/pulled/SigninLogs.json.");
    });
  });

  describe("schemas pull --table", () => {
    it("a glob that matches no table is an error naming it, and nothing is written", async () => {
      const content = writeContent({
        "rules/hunting/h.yaml": "id: 7b6a5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d\nname: h\ndescription: d\nquery: SigninLogs\n",
      });
      const out = new Collected();
      const err = new Collected();
      expect(await runSchemasPull({ ...target, content, connection, tables: ["FirewallEvent_CL", "Signin*"] }, out, err)).toBe(1);
      expect(err.text).toBe(
        "error: --table 'FirewallEvent_CL' matches none of the workspace's 5 tables. Did you mean 'FirewallEvents_CL'?\n" +
          "Nothing was written. Check the table names (they are matched case-insensitively as globs, e.g. '*_CL').\n",
      );
      expect(out.text).toBe("");
      expect(existsSync(join(content, "schemas"))).toBe(false);
    });
  });

  describe("plan", () => {
    it("adds the live section when a workspace is given, and not with --offline", async () => {
      const withLive = new Collected();
      expect(await runPlan({ ...target, content: SEED_PROJECT_DIR, format: "text", queries: false, connection }, withLive)).toBe(0);
      expect(withLive.text).toContain("Summary: 1 watchlist(s)");
      expect(withLive.text).toContain("Live workspace law-sentinel-example");
      expect(withLive.text).toContain("Drift: 8 resource(s) differ.");
      const offline = new Collected();
      await runPlan({ ...target, content: SEED_PROJECT_DIR, format: "text", queries: false, offline: true, connection }, offline);
      expect(offline.text).not.toContain("Live workspace");
      const json = new Collected();
      await runPlan({ ...target, content: SEED_PROJECT_DIR, format: "json", queries: false, connection }, json);
      expect((JSON.parse(json.text) as { live: { drift: boolean } }).live.drift).toBe(true);
    });
  });

  describe("the sentinel-iac command, as a pipeline runs it", () => {
    function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
      const caFile = join(writeContent({}), "ca.pem");
      writeFileSync(caFile, standIn.caPem);
      // A variable given as "" is left out: Node reads NODE_EXTRA_CA_CERTS="" as a file name.
      const childEnv = Object.fromEntries(
        Object.entries({
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          NODE_EXTRA_CA_CERTS: caFile,
          AZURE_TOKEN_CREDENTIALS: "EnvironmentCredential",
          ...env,
        }).filter(([, v]) => v !== ""),
      );
      return new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd: SEED_PROJECT_DIR, env: childEnv });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
        child.on("close", (code) => {
          outputs.push(stdout, stderr);
          resolve({ code, stdout, stderr });
        });
      });
    }
    const flags = () => [
      "--subscription",
      EXAMPLE_NAMES.subscriptionId,
      "--resource-group",
      EXAMPLE_NAMES.resourceGroupName,
      "--workspace",
      EXAMPLE_NAMES.workspaceName,
      "--arm-endpoint",
      standIn.armEndpoint,
      "--authority-host",
      standIn.authorityHost,
    ];

    it("signs in with DefaultAzureCredential from the environment; verbose Azure logs hold no secret or token", async () => {
      const result = await cli(["diff", ...flags(), "--format", "markdown"], {
        ...standInEnvironment(standIn),
        AZURE_LOG_LEVEL: "verbose",
      });
      expect(result.code).toBe(2);
      expect(result.stdout).toContain("### Sentinel drift");
      // The SDK did log (so the check below is not vacuous), with the Authorization header redacted.
      expect(result.stderr).toContain("azure:");
    });

    it("a certificate the client does not trust is named as the cause, with NODE_EXTRA_CA_CERTS as the fix", async () => {
      const result = await cli(["diff", ...flags()], { ...standInEnvironment(standIn), NODE_EXTRA_CA_CERTS: "" });
      expect(result.code).toBe(1);
      const host = new URL(standIn.authorityHost).host;
      expect(result.stderr).toContain(
        `signing in to Entra ID at ${standIn.authorityHost} is not possible: the TLS certificate of ${host} is not signed by a certificate authority this machine trusts`,
      );
      expect(result.stderr).toContain("set NODE_EXTRA_CA_CERTS to the proxy's root CA certificate");
      expect(result.stderr).not.toContain("client id and secret");
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
    });

    it("a certificate issued for another host name is named as the cause", async () => {
      const misnamed = await startStandIn({ state: example, certificateNames: ["sentinel-stand-in.example"] });
      try {
        const caFile = join(writeContent({}), "other-ca.pem");
        writeFileSync(caFile, misnamed.caPem);
        const result = await cli(
          [
            "diff",
            "--subscription",
            EXAMPLE_NAMES.subscriptionId,
            "--resource-group",
            EXAMPLE_NAMES.resourceGroupName,
            "--workspace",
            EXAMPLE_NAMES.workspaceName,
            "--arm-endpoint",
            misnamed.armEndpoint,
            "--authority-host",
            misnamed.authorityHost,
          ],
          { ...standInEnvironment(misnamed), NODE_EXTRA_CA_CERTS: caFile },
        );
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(
          `the TLS certificate of ${new URL(misnamed.authorityHost).host} was issued for another host name (ERR_TLS_CERT_ALTNAME_INVALID)`,
        );
        expect(result.stderr).not.toContain("client id and secret");
      } finally {
        await misnamed.close();
      }
    });

    it("--progress reports the phases, the count read and Azure's throttling waits; without it a pipeline log stays quiet", async () => {
      standIn.setFaults([{ kind: "throttle", route: "alertRules", times: 1, retryAfterSeconds: 1 }]);
      const withProgress = await cli(["diff", ...flags(), "--progress"], standInEnvironment(standIn));
      expect(withProgress.code).toBe(2);
      const lines = withProgress.stderr.split("\n");
      expect(lines).toContain(`progress: Signing in to Entra ID (${new URL(standIn.authorityHost).host})`);
      expect(lines).toContain(`progress: Reading workspace ${EXAMPLE_NAMES.workspaceName}: resources`);
      expect(withProgress.stderr).toMatch(
        new RegExp(
          `^progress: Reading workspace ${EXAMPLE_NAMES.workspaceName}: resources( \\d+)?: throttled by Azure \\(429\\), retrying in 1 s \\(2/5\\)$`,
          "m",
        ),
      );
      expect(withProgress.stdout).toContain("Drift: 8 resource(s) differ.");

      standIn.setFaults([{ kind: "throttle", route: "alertRules", times: 1, retryAfterSeconds: 1 }]);
      const quiet = await cli(["diff", ...flags()], standInEnvironment(standIn));
      expect(quiet.code).toBe(2);
      expect(quiet.stderr).toBe("");
    });

    it("a wrong secret exits 1 with a sign-in error that does not repeat the secret", async () => {
      const wrong = "not-the-secret~0123456789abcdef";
      const result = await cli(["diff", ...flags()], { ...standInEnvironment(standIn), AZURE_CLIENT_SECRET: wrong });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("signing in to Entra ID failed");
      expect(result.stdout + result.stderr).not.toContain(wrong);
    });
  });
});
