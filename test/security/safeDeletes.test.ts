/**
 * Issue 11, item 11: a detection leaves a stack's deployment only with an acknowledgement in
 * retired.yaml, whatever the route, and every stack is checked whichever one a command names.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
