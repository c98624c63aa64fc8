/**
 * Issue 11, item 11: a detection leaves a stack's deployment only with an acknowledgement in
 * retired.yaml, whatever the route, and every stack is checked whichever one a command names.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { summarizeChange } from "../../src/app/baseContent";
import { runPlan } from "../../src/cli/commands/plan";
import { runRetired } from "../../src/cli/commands/retired";
import { PROJECT_DIR, writeContent, SEED_PROJECT_DIR } from "../helpers/content";

class Collected {
  text = "";
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

const TI_RULE = "rules/analytics/NonInteractiveSignIn-ThreatIntelIP.yaml";
const ROPC_RULE = "rules/analytics/ROPC-AuthenticationDetected.yaml";
const ROPC_ID = "f1a7b9c0-d5e6-8f2a-3b4c-5d6e7f8a9b0c";
const HUNTING = "rules/hunting/AddedCredentialFromCountryXAndSigninFromCountryY.yaml";
const FUNCTION = "functions/ExcludeAllowlistedIPs_AADNI";
const PROD = "config:\n  sentinel-iac:resourceGroupName: rg\n  sentinel-iac:workspaceName: ws\n";

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: dir, encoding: "utf8" });
}

/** The project's content and a prod stack that deploys everything, committed on main; a branch checked out. */
function repository(): string {
  const dir = writeContent({ "Pulumi.prod.yaml": PROD });
  for (const path of ["rules", "functions", "watchlists", "Pulumi.yaml", "Pulumi.dev.yaml"])
    cpSync(join(SEED_PROJECT_DIR, path), join(dir, path), { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "base");
  git(dir, "checkout", "-qb", "change");
  return dir;
}

const errors = async (dir: string) =>
  (await summarizeChange({ base: "main", projectDir: dir })).findings
    .filter((f) => f.severity === "error")
    .map((f) => [f.code, f.subject?.name]);

function retire(dir: string, entries: string): void {
  writeFileSync(join(dir, "retired.yaml"), `retired:\n${entries}`);
}

async function plan(dir: string, stack?: string) {
  const out = new Collected();
  const code = await runPlan(
    { projectDir: dir, content: dir, base: "main", format: "text", queries: false, ...(stack ? { stack } : {}) },
    out,
  );
  return { code, out: out.text };
}

describe("every route out of a deployment needs retired.yaml", () => {
  it("an id changed inside the file (today it vanished without a word)", async () => {
    const dir = repository();
    const text = readFileSync(join(dir, ROPC_RULE), "utf8");
    writeFileSync(join(dir, ROPC_RULE), text.replace(`id: ${ROPC_ID}`, "id: 0e0e0e0e-0000-4000-8000-000000000001"));
    expect(await errors(dir)).toEqual([["unacknowledged-removal", ROPC_ID]]);
    const summary = await summarizeChange({ base: "main", projectDir: dir });
    expect(summary.findings[0]?.message).toContain(`${ROPC_RULE} now defines 0e0e0e0e-0000-4000-8000-000000000001 instead`);
    expect((await plan(dir)).code).toBe(1);
    retire(dir, `  - id: ${ROPC_ID}\n    reason: Rewritten as a new rule.\n`);
    expect(await errors(dir)).toEqual([]);
    expect((await plan(dir)).code).toBe(0);
  });

  it("a stack's exclude widened (a narrowed include: summarize.test.ts), whichever stack the command names", async () => {
    const dir = repository();
    appendFileSync(join(dir, "Pulumi.prod.yaml"), `  sentinel-iac:exclude: ["${TI_RULE}"]\n`);
    const id = "c8d4e6f7-a2b3-5c9d-0e1f-2a3b4c5d6e7f";
    expect(readFileSync(join(dir, TI_RULE), "utf8")).toContain(`id: ${id}`);
    expect(await errors(dir)).toEqual([["leaves-stack", id]]);
    // plan --base for another stack (dev) still checks prod.
    const dev = await plan(dir, "dev");
    expect(dev.code).toBe(1);
    expect(dev.out).toContain("[plan/leaves-stack]");
    expect(dev.out).toContain("leaves stack prod");
    // A retirement from prod only: the rule stays in dev.
    retire(dir, `  - id: ${id}\n    stacks: [prod]\n    reason: Threat-intel feed not licensed in prod.\n`);
    expect(await errors(dir)).toEqual([]);
    const summary = await summarizeChange({ base: "main", projectDir: dir });
    expect(summary.retired.map((r) => [r.id, r.leaves])).toEqual([[id, "prod"]]);
  });

  it("a hunting query or a function removed", async () => {
    const dir = repository();
    rmSync(join(dir, HUNTING));
    // The function is no longer called once the rules that use it are gone too.
    for (const file of ["rules/analytics/ROPC-AuthenticationDetected.yaml", "rules/analytics/ROPC-SignInFromNewCountryOrASN.yaml"])
      rmSync(join(dir, file));
    rmSync(join(dir, FUNCTION), { recursive: true });
    const found = await errors(dir);
    expect(found).toContainEqual(["unacknowledged-removal", "ExcludeAllowlistedIPs_AADNI"]);
    expect(found.filter(([code]) => code === "unacknowledged-removal")).toHaveLength(4);
  });
});

describe("a stack's content folder moved (contentDir)", () => {
  const inProd = (found: unknown[][]) => found.filter(([code]) => code === "leaves-stack").map(([, name]) => name);

  it("in the stack file: every detection the new folder lacks leaves that stack: an error in summarize and plan --base", async () => {
    const dir = repository();
    cpSync(join(dir, "watchlists"), join(dir, "elsewhere", "watchlists"), { recursive: true });
    appendFileSync(join(dir, "Pulumi.prod.yaml"), "  sentinel-iac:contentDir: elsewhere\n");
    const found = await errors(dir);
    const base = (await summarizeChange({ base: "main", projectDir: join(dir) })).findings;
    expect(inProd(found)).toHaveLength(found.length);
    expect(found.length).toBeGreaterThanOrEqual(4);
    expect(inProd(found)).toContain(ROPC_ID);
    expect(inProd(found)).toContain("ExcludeAllowlistedIPs_AADNI");
    expect(base.find((f) => f.subject?.name === ROPC_ID)?.message).toContain(
      "leaves stack prod: its contentDir moves away from ., and the new folder has no rules/analytics/ROPC-AuthenticationDetected.yaml",
    );
    const { code, out } = await plan(dir, "dev");
    expect(code).toBe(1);
    expect(out).toContain("[plan/leaves-stack]");
  });

  it("in Pulumi.yaml's default: every stack that does not set it moves", async () => {
    const dir = repository();
    cpSync(join(dir, "watchlists"), join(dir, "elsewhere", "watchlists"), { recursive: true });
    const project = join(dir, "Pulumi.yaml");
    writeFileSync(project, readFileSync(project, "utf8").replace(/(contentDir:\n\s+type: string\n\s+default: )"\."/, '$1"elsewhere"'));
    expect(readFileSync(project, "utf8")).toContain('default: "elsewhere"');
    const stacks = new Set(
      (await summarizeChange({ base: "main", projectDir: dir })).findings
        .filter((f) => f.code === "leaves-stack")
        .map((f) => /leaves stack (\w+)/.exec(f.message)?.[1]),
    );
    expect(stacks).toEqual(new Set(["dev", "prod"]));
  });
});

describe("the base's stack files, read as they were", () => {
  it("a content folder the change moves, with its contentDir: the same detections, nothing leaves", async () => {
    const dir = repository();
    mkdirSync(join(dir, "content"));
    git(dir, "mv", "rules", "content/rules");
    git(dir, "mv", "functions", "content/functions");
    git(dir, "mv", "watchlists", "content/watchlists");
    appendFileSync(join(dir, "Pulumi.prod.yaml"), "  sentinel-iac:contentDir: content\n");
    appendFileSync(join(dir, "Pulumi.dev.yaml"), "  sentinel-iac:contentDir: content\n");
    git(dir, "commit", "-qam", "content in a folder");
    git(dir, "branch", "-qf", "main");
    git(dir, "mv", "content", "detections");
    for (const stack of ["prod", "dev"]) {
      const file = join(dir, `Pulumi.${stack}.yaml`);
      writeFileSync(file, readFileSync(file, "utf8").replace("contentDir: content", "contentDir: detections"));
    }
    for (const options of [{ stack: "prod" }, { content: join(dir, "detections") }]) {
      const { findings } = await summarizeChange({ base: "main", projectDir: dir, ...options });
      expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    }
  });

  it("a setting the base's stack file has and this version no longer knows does not stop the check", async () => {
    const dir = repository();
    appendFileSync(join(dir, "Pulumi.prod.yaml"), "  sentinel-iac:legacySetting: x\n");
    git(dir, "commit", "-qam", "old setting");
    git(dir, "branch", "-qf", "main");
    writeFileSync(join(dir, "Pulumi.prod.yaml"), PROD);
    rmSync(join(dir, ROPC_RULE));
    expect(await errors(dir)).toEqual([["unacknowledged-removal", ROPC_ID]]);
  });
});

/** Replaces `from` with `to` in every content file (definitions and callers alike). */
function renameEverywhere(dir: string, from: string, to: string): void {
  const files = execFileSync("git", ["ls-files", "rules", "functions", "watchlists"], { cwd: dir, encoding: "utf8" })
    .split("\n")
    .filter(Boolean);
  for (const file of files) {
    const text = readFileSync(join(dir, file), "utf8");
    if (text.includes(from)) writeFileSync(join(dir, file), text.split(from).join(to));
  }
}

describe("names that change only in case (Azure ignores case, Pulumi does not)", () => {
  it("a function's alias, with its callers: an error in summarize and plan --base, which names the ways out", async () => {
    const dir = repository();
    renameEverywhere(dir, "ExcludeAllowlistedIPs_AADNI", "excludeAllowlistedIPs_AADNI");
    expect(await errors(dir)).toEqual([["case-only-rename", "excludeAllowlistedIPs_AADNI"]]);
    const summary = await summarizeChange({ base: "main", projectDir: dir });
    expect(summary.findings.find((f) => f.code === "case-only-rename")?.message).toContain(
      "changes only in case, from ExcludeAllowlistedIPs_AADNI to excludeAllowlistedIPs_AADNI. Azure ignores case but Pulumi does not",
    );
    const { code, out } = await plan(dir);
    expect(code).toBe(1);
    expect(out).toContain("[plan/case-only-rename]");
    // Keeping the saved-search id's spelling changes only the alias: updated in place, callers told.
    const yaml = join(dir, FUNCTION, "ExcludeAllowlistedIPs_AADNI.yaml");
    writeFileSync(yaml, readFileSync(yaml, "utf8").replace(/^alias: .*$/m, "$&\nsavedSearchId: ExcludeAllowlistedIPs_AADNI"));
    expect(await errors(dir)).toEqual([]);
    expect((await summarizeChange({ base: "main", projectDir: dir })).findings.map((f) => f.code)).toContain("function-alias-changed");
  });

  it("a watchlist's alias", async () => {
    const dir = repository();
    renameEverywhere(dir, "NetworkAllowlist", "networkAllowlist");
    expect(await errors(dir)).toEqual([["case-only-rename", "networkAllowlist"]]);
  });
});

describe("a function is the saved search it deploys to (its savedSearchId), not its alias", () => {
  it("a new savedSearchId under the same alias is a removal of the old saved search", async () => {
    const dir = repository();
    const yaml = join(dir, FUNCTION, "ExcludeAllowlistedIPs_AADNI.yaml");
    writeFileSync(yaml, readFileSync(yaml, "utf8").replace(/^alias: .*$/m, "$&\nsavedSearchId: exclude-allowlisted-ips"));
    expect(await errors(dir)).toEqual([["unacknowledged-removal", "ExcludeAllowlistedIPs_AADNI"]]);
    // The entry names the old saved-search id, though the new function keeps that spelling as its alias.
    retire(dir, "  - id: ExcludeAllowlistedIPs_AADNI\n    reason: Moved to a new saved search.\n");
    expect(await errors(dir)).toEqual([]);
    expect((await plan(dir)).code).toBe(0);
  });

  it("a new alias under the same savedSearchId is an in-place update: a warning that callers must change, no removal", async () => {
    const dir = repository();
    const yaml = join(dir, FUNCTION, "ExcludeAllowlistedIPs_AADNI.yaml");
    writeFileSync(
      yaml,
      readFileSync(yaml, "utf8").replace(/^alias: .*$/m, "alias: DropAllowlistedIPs\nsavedSearchId: ExcludeAllowlistedIPs_AADNI"),
    );
    renameEverywhere(dir, "ExcludeAllowlistedIPs_AADNI()", "DropAllowlistedIPs()");
    const summary = await summarizeChange({ base: "main", projectDir: dir });
    expect(summary.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(summary.findings.find((f) => f.code === "function-alias-changed")).toMatchObject({
      severity: "warning",
      message: expect.stringContaining(
        "function ExcludeAllowlistedIPs_AADNI is now called DropAllowlistedIPs (saved search ExcludeAllowlistedIPs_AADNI is updated in place)",
      ),
    });
  });
});

describe("retired.yaml cannot unprotect a deployed detection", () => {
  it("an id retired everywhere that a file defines again is an error, and retired --urns refuses", async () => {
    const dir = repository();
    retire(dir, `  - id: ${ROPC_ID}\n    reason: Replaced.\n`);
    const { code, out } = await plan(dir);
    expect(code).toBe(1);
    expect(out).toContain(`[retired/still-defined] retired[0].id: '${ROPC_ID}' is listed as retired, but ${ROPC_RULE} defines it`);
    expect(() => runRetired({ projectDir: dir, stack: "prod", urns: true, format: "text" }, new Collected())).toThrow(
      /retired\.yaml has errors/,
    );
  });

  it("an id retired from a stack that the stack still deploys is an error, and retired --urns refuses", async () => {
    const dir = repository();
    retire(dir, `  - id: ${ROPC_ID}\n    stacks: [prod]\n    reason: Not in prod.\n`);
    expect(await errors(dir)).toContainEqual(["retired-still-selected", ROPC_ID]);
    expect(() => runRetired({ projectDir: dir, stack: "prod", urns: true, format: "text" }, new Collected())).toThrow(
      /still deploys it; nothing was unprotected/,
    );
    // dev is not named by the entry: nothing of it is unprotected.
    const out = new Collected();
    runRetired({ projectDir: dir, stack: "dev", urns: true, format: "text" }, out);
    expect(out.text).toBe("");
  });
});

describe("the pull-request workflow relies on the every-stack check", () => {
  it("runs summarize without --stack, so no stack's removals escape", async () => {
    const workflow = readFileSync(join(PROJECT_DIR, ".github", "workflows", "pull-request.yml"), "utf8");
    const summarize = workflow.split("\n").find((l) => l.includes("sentinel-iac summarize"));
    expect(summarize).toContain("--base");
    expect(summarize).not.toContain("--stack");
  });
});
