/**
 * Pull-request review aids, on real git repositories: `summarize --base` (what a change does to
 * the detections), the safe-delete guard (retired.yaml, `plan --base`, `retired --urns`),
 * `stacks --base` and `coverage`.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCoverage } from "../src/cli/commands/coverage";
import { runPlan } from "../src/cli/commands/plan";
import { runRetired } from "../src/cli/commands/retired";
import { summarizeChange as summarize } from "../src/app/baseContent";
import type { StackInfo } from "../src/app/stacksAffected";
import { runStacks } from "../src/cli/commands/stacks";
import { runSummarize } from "../src/cli/commands/summarize";
import type { NavigatorLayer } from "../src/coverage/render";
import { PROJECT_DIR, writeContent, SEED_PROJECT_DIR } from "./helpers/content";

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

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.email=test@example.com", "-c", "user.name=test", ...args], { cwd: dir, encoding: "utf8" });
}

/** A repository holding the project's content and stack files, committed on main, with a branch checked out. */
function repository(): string {
  const dir = writeContent({});
  for (const path of ["rules", "functions", "watchlists", "Pulumi.yaml", "Pulumi.dev.yaml"])
    cpSync(join(SEED_PROJECT_DIR, path), join(dir, path), { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "base");
  git(dir, "checkout", "-qb", "change");
  return dir;
}

const edit = (dir: string, file: string, from: RegExp, to: string) => {
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  expect(text).toMatch(from);
  writeFileSync(path, text.replace(from, to));
};

async function run(dir: string, format: "markdown" | "json" = "markdown") {
  const out = new Collected();
  const err = new Collected();
  const code = await runSummarize({ base: "main", projectDir: dir, format }, out, err);
  return { code, out: out.text, err: err.text };
}

describe("summarize --base", () => {
  it("reports a broken CSV row as that row's error only: the watchlist is not removed, nor unknown to the function", async () => {
    const dir = repository();
    appendFileSync(join(dir, "watchlists/NetworkAllowlist/NetworkAllowlist.csv"), "198.51.100.0/28,Example partner,Identity Team,extra\n");
    git(dir, "commit", "-qam", "broken row");
    const { code, out } = await run(dir);
    expect(code).toBe(1);
    const attention = out.slice(out.indexOf("### Needs attention"), out.indexOf("\n###", out.indexOf("### Needs attention") + 1));
    expect(attention).toContain("watchlists/NetworkAllowlist/NetworkAllowlist.csv:7: CSV could not be read");
    expect(attention).not.toContain("no watchlist with alias");
    expect(out).not.toMatch(/Watchlists: 0 added, 1 removed/);
  });

  it("calls out what weakens detection first: lowered severity, raised threshold, a disabled rule, a widened allowlist, lost coverage", async () => {
    const dir = repository();
    edit(dir, TI_RULE, /^severity: High$/m, "severity: Low");
    edit(dir, TI_RULE, /^triggerThreshold: 0$/m, "triggerThreshold: 5");
    edit(dir, TI_RULE, /^queryPeriod: 1h$/m, "queryPeriod: 30m");
    edit(dir, ROPC_RULE, /^kind: Scheduled$/m, "kind: Scheduled\nenabled: false");
    appendFileSync(join(dir, "watchlists/NetworkAllowlist/NetworkAllowlist.csv"), "198.51.100.0/24,Example partner range,Identity Team\n");
    const { code, out } = await run(dir);
    expect(code).toBe(0);
    const attention = out.slice(out.indexOf("### Needs attention"), out.indexOf("### Analytics rules"));
    expect(attention).toContain('⚠️ "ROPC Authentication Detected - Credential Pass-Through Bypass" is disabled: it stops raising alerts');
    expect(attention).toContain('⚠️ "Non-Interactive Sign-In from Threat Intelligence IP": severity lowered from High to Low');
    expect(attention).toContain("alert threshold moved from 0 to 5; fewer results raise an alert");
    expect(attention).toContain("each run now sees 30m of data instead of 1h");
    // 198.51.100.25 was already allowlisted: the new /24 adds 255 addresses.
    expect(attention).toContain("watchlist NetworkAllowlist gains 1 row(s) (255 more addresses): 198.51.100.0/24");
    expect(attention).toMatch(/ATT&CK coverage lost: no enabled rule covers .*T1110/);
    expect(out).toContain(
      "| ~ | Non-Interactive Sign-In from Threat Intelligence IP | `rules/analytics/NonInteractiveSignIn-ThreatIntelIP.yaml` | severity: `High` → `Low`",
    );
    expect(out).toContain("| NetworkAllowlist (exclusion list) | `198.51.100.0/24` (255 addresses) | — | — |");
    expect(out).toContain("| enabled rules | 3 | 2 | | |");
    expect(out.startsWith("<!-- sentinel-iac:summary -->\n")).toBe(true);
  });

  it("shows query changes as diffs and added rules, and says so when nothing weakens detection", async () => {
    const dir = repository();
    edit(dir, TI_RULE, /\| where IsActive == true\n/, "| where IsActive == true and Confidence >= 50\n");
    const added = readFileSync(join(dir, TI_RULE), "utf8")
      .replace(/^id: .*$/m, "id: 0e1d2c3b-4a59-4867-8756-a4b3c2d1e0f9")
      .replace(/^name: .*$/m, "name: Added rule");
    writeFileSync(join(dir, "rules/analytics/added.yaml"), added);
    const { code, out } = await run(dir);
    expect(code).toBe(0);
    expect(out).toContain("No change weakens detection.");
    expect(out).toContain("### Analytics rules: 1 added, 0 removed, 1 changed");
    expect(out).toContain("```diff\n--- base\n+++ head\n");
    expect(out).toContain("-    | where IsActive == true\n+    | where IsActive == true and Confidence >= 50");
  });

  it("runs the KQL checks: a broken function body fails the summary (exit 1) and the .kql file is named", async () => {
    const dir = repository();
    const kql = "functions/ExcludeAllowlistedIPs_AADNI/ExcludeAllowlistedIPs_AADNI.kql";
    edit(dir, kql, /tostring\(SearchKey\)/, "tostring(SearchKeyy)");
    const { code, out } = await run(dir);
    expect(code).toBe(1);
    expect(out).not.toContain("No change weakens detection.");
    // Markdown-escaped (util/markdown.ts): the underscores of the path are literal.
    expect(out).toContain(`❌ ${kql.replace(/_/g, "\\_")}:8: The name 'SearchKeyy' does not refer to any known column`);
    // Only the body changed, so the functions table points at it rather than at the YAML.
    expect(out).toContain(`| ~ | Exclude allowlisted IPs (AAD non-interactive sign-ins) | \`${kql}\` | query (diff below) |`);
  });

  it("counts read right: one address is '1 address'", async () => {
    const dir = repository();
    appendFileSync(join(dir, "watchlists/NetworkAllowlist/NetworkAllowlist.csv"), "198.51.100.200,Partner gateway,Identity Team\n");
    const { out } = await run(dir);
    expect(out).toContain("watchlist NetworkAllowlist gains 1 row(s) (1 more address): 198.51.100.200");
    expect(out).toContain("| NetworkAllowlist (exclusion list) | `198.51.100.200` (1 address) | — | — |");
  });

  it("a removed function is the first thing needing attention, before the errors it causes in the queries that call it", async () => {
    const dir = repository();
    rmSync(join(dir, "functions"), { recursive: true });
    const { code, out } = await run(dir);
    expect(code).toBe(1);
    const items = out
      .slice(out.indexOf("### Needs attention"))
      .split("\n")
      .filter((line) => line.startsWith("- "));
    expect(items.length).toBeGreaterThan(2);
    expect(items[0]).toMatch(/^- ❌ function "ExcludeAllowlistedIPs\\_AADNI" .* was removed/);
    expect(items.slice(1).some((line) => line.includes("ROPC-AuthenticationDetected.yaml"))).toBe(true);
  });

  it("a removed rule file is an error unless retired.yaml acknowledges it; then it is listed as retired", async () => {
    const dir = repository();
    rmSync(join(dir, ROPC_RULE));
    const unacknowledged = await run(dir);
    expect(unacknowledged.code).toBe(1);
    expect(unacknowledged.out).toContain(
      `❌ analytics rule "ROPC Authentication Detected - Credential Pass-Through Bypass" (${ROPC_ID}) was removed: ${ROPC_RULE} was deleted; deploying deletes it from every workspace. If that is intended, add it to retired.yaml with a reason; otherwise restore it`,
    );
    writeFileSync(
      join(dir, "retired.yaml"),
      `retired:\n  - id: ${ROPC_ID}\n    reason: Replaced by the Entra ID ROPC analytics rule from Content Hub.\n    date: 2026-11-20\n`,
    );
    const acknowledged = await run(dir);
    expect(acknowledged.code).toBe(0);
    expect(acknowledged.out).toContain("### Retired (acknowledged in retired.yaml)");
    expect(acknowledged.out).toContain(
      `| ROPC Authentication Detected - Credential Pass-Through Bypass (\`${ROPC_ID}\`) | Replaced by the Entra ID ROPC analytics rule from Content Hub. |`,
    );
  });

  it("compares with the merge base: rules added on main since the branch left it are not reported as removed", async () => {
    const dir = repository();
    git(dir, "checkout", "-q", "main");
    const text = readFileSync(join(dir, TI_RULE), "utf8")
      .replace(/^id: .*$/m, "id: 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
      .replace(/^name: .*$/m, "name: Newer on main");
    writeFileSync(join(dir, "rules/analytics/newer.yaml"), text);
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "main moves on");
    git(dir, "checkout", "-q", "change");
    const summary = await summarize({ base: "main", projectDir: dir });
    expect(summary.rules).toEqual([]);
    expect(summary.findings).toEqual([]);
  });

  it("takes each side's stack settings from its own Pulumi.<stack>.yaml: a staged rollout shows as disabled rules", async () => {
    const dir = repository();
    edit(dir, "Pulumi.dev.yaml", /rulesEnabled: asDeclared/, "rulesEnabled: allDisabled");
    const out = new Collected();
    await runSummarize({ base: "main", projectDir: dir, stack: "dev", format: "json" }, out, new Collected());
    const summary = JSON.parse(out.text) as { findings: { code: string }[]; coverage: { after: { enabledRules: number } } };
    expect(summary.findings.filter((f) => f.code === "rule-disabled")).toHaveLength(3);
    expect(summary.coverage.after.enabledRules).toBe(0);
  });

  it("a rule file that no longer loads is a content error, not a removal to retire", async () => {
    const dir = repository();
    edit(dir, ROPC_RULE, /^severity: High$/m, "severity: [High");
    const summary = await summarize({ base: "main", projectDir: dir });
    expect(summary.findings.filter((f) => f.severity === "error").map((f) => f.code)).toEqual(["content-error"]);
  });

  it("a narrower entry or a longer blocklist is not an allowlist widened", async () => {
    const dir = repository();
    writeFileSync(
      join(dir, "watchlists/MaliciousIPs.yaml"),
      "alias: MaliciousIPs\ndisplayName: Malicious IPs\nprovider: CTI\nitemsSearchKey: IP\n",
    );
    writeFileSync(join(dir, "watchlists/MaliciousIPs.csv"), "IP\n198.51.100.66\n");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "blocklist");
    git(dir, "branch", "-f", "main", "HEAD");
    appendFileSync(join(dir, "watchlists/MaliciousIPs.csv"), "203.0.113.0/24\n");
    edit(dir, "watchlists/NetworkAllowlist/NetworkAllowlist.csv", /^192\.0\.2\.0\/28,/m, "192.0.2.0/29,");
    const summary = await summarize({ base: "main", projectDir: dir });
    expect(summary.findings.filter((f) => f.code === "allowlist-widened")).toEqual([]);
    expect(summary.watchlistRows.map((w) => [w.alias, w.exclusionList, String(w.addressesAdded)])).toEqual([
      ["MaliciousIPs", false, "256"],
      ["NetworkAllowlist", true, "0"],
    ]);
  });

  it("a rule's kind change is an error: the new type's create is refused while the old rule exists", async () => {
    const dir = repository();
    edit(dir, ROPC_RULE, /^kind: Scheduled$/m, "kind: NRT");
    for (const key of ["queryFrequency", "queryPeriod", "triggerOperator", "triggerThreshold"])
      edit(dir, ROPC_RULE, new RegExp(`^${key}: .*\n`, "m"), "");
    const findings = (await summarize({ base: "main", projectDir: dir })).findings.filter((f) => f.subject?.name === ROPC_ID);
    expect(findings.map((f) => [f.severity, f.code])).toEqual([["error", "kind-changed"]]);
    expect(findings[0]?.message).toContain(
      "kind changes from Scheduled to NRT, which is another Pulumi resource type at the same ARM id: the deploy creates the new one first, and Azure refuses that create while the old rule exists",
    );
    const out = new Collected();
    expect(await runPlan({ projectDir: dir, content: dir, base: "main", format: "text", queries: false }, out)).toBe(1);
    expect(out.text).toContain("[plan/kind-changed]");
  });

  it("reads the base through a symlinked path to the repository as well", async () => {
    const dir = repository();
    edit(dir, TI_RULE, /^severity: High$/m, "severity: Low");
    const link = join(writeContent({}), "link");
    symlinkSync(dir, link);
    const summary = await summarize({ base: "main", projectDir: link });
    expect(summary.findings.map((f) => f.code)).toContain("severity-lowered");
  });

  it("explains a base ref the clone does not have", async () => {
    const dir = repository();
    const out = new Collected();
    const err = new Collected();
    expect(await runSummarize({ base: "origin/main", projectDir: dir, format: "markdown" }, out, err)).toBe(1);
    expect(err.text).toContain("base ref 'origin/main' is not in this clone");
    expect(err.text).toContain("fetch-depth: 0");
  });
});

describe("summarize --base with a stack", () => {
  const prodStack = "config:\n  sentinel-iac:resourceGroupName: rg\n  sentinel-iac:workspaceName: ws\n";

  it("a stack created by the change is compared with its own selection, so nothing looks removed", async () => {
    const dir = repository();
    writeFileSync(
      join(dir, "Pulumi.prod.yaml"),
      `${prodStack}  sentinel-iac:include: ["rules/analytics/ROPC-*", "functions/**", "watchlists/**"]\n`,
    );
    const out = new Collected();
    expect(await runSummarize({ base: "main", projectDir: dir, stack: "prod", format: "json" }, out, new Collected())).toBe(0);
    expect((JSON.parse(out.text) as { findings: unknown[] }).findings).toEqual([]);
  });

  it("narrowing a stack's selection is an error until retired.yaml retires the rules from that stack", async () => {
    const dir = repository();
    writeFileSync(join(dir, "Pulumi.prod.yaml"), prodStack);
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "prod");
    git(dir, "branch", "-f", "main", "HEAD");
    appendFileSync(join(dir, "Pulumi.prod.yaml"), '  sentinel-iac:include: ["rules/analytics/ROPC-*", "functions/**", "watchlists/**"]\n');
    // Checked whichever stack the summary is about (the pull-request workflow names none).
    for (const stack of ["prod", undefined]) {
      const summary = await summarize({ base: "main", projectDir: dir, ...(stack ? { stack } : {}) });
      const leaving = summary.findings.filter((f) => f.code === "leaves-stack");
      // The threat-intel rule and the two hunting queries leave prod.
      expect(leaving.map((f) => f.severity)).toEqual(["error", "error", "error"]);
      expect(leaving[0]?.message).toMatch(
        /leaves stack prod: Pulumi\.prod\.yaml's include\/exclude no longer select rules\/.*, so its next deploy deletes it from that workspace/,
      );
    }
    const ids = (await summarize({ base: "main", projectDir: dir })).findings
      .filter((f) => f.code === "leaves-stack")
      .map((f) => f.subject?.name);
    writeFileSync(
      join(dir, "retired.yaml"),
      `retired:\n${ids.map((id) => `  - id: ${id}\n    stacks: [prod]\n    reason: Not licensed in prod.\n`).join("")}`,
    );
    const summary = await summarize({ base: "main", projectDir: dir });
    expect(summary.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(summary.retired.map((r) => r.leaves)).toEqual(["prod", "prod", "prod"]);
  });
});

describe("safe deletes", () => {
  it("plan --base fails on an unacknowledged removal, naming the fix", async () => {
    const dir = repository();
    rmSync(join(dir, ROPC_RULE));
    const out = new Collected();
    expect(await runPlan({ projectDir: dir, content: dir, base: "main", format: "text", queries: false }, out)).toBe(1);
    expect(out.text).toContain("[plan/unacknowledged-removal]");
    expect(out.text).toContain(`Add { id: ${ROPC_ID}, reason: ... } to retired.yaml to retire it, or restore it.`);
    writeFileSync(join(dir, "retired.yaml"), `retired:\n  - id: ${ROPC_ID}\n    reason: Replaced.\n`);
    expect(await runPlan({ projectDir: dir, content: dir, base: "main", format: "text", queries: false }, new Collected())).toBe(0);
  });

  it("retired --urns prints the URNs the deploy pipeline unprotects before pulumi up", async () => {
    const dir = repository();
    rmSync(join(dir, ROPC_RULE));
    writeFileSync(join(dir, "retired.yaml"), `retired:\n  - id: ${ROPC_ID.toUpperCase()}\n    reason: Replaced.\n`);
    const out = new Collected();
    runRetired({ projectDir: dir, stack: "dev", urns: true, format: "text" }, out);
    expect(out.text).toBe(
      [
        `urn:pulumi:dev::sentinel-iac::azure-native:securityinsights:ScheduledAlertRule::${ROPC_ID}`,
        `urn:pulumi:dev::sentinel-iac::azure-native_securityinsights_v20250401preview:securityinsights:NrtAlertRule::${ROPC_ID}`,
        `urn:pulumi:dev::sentinel-iac::azure-native:resources:Resource::${ROPC_ID}`,
        "",
      ].join("\n"),
    );
    expect(() => runRetired({ projectDir: dir, urns: true, format: "text" }, new Collected())).toThrow(/--urns needs --stack/);
  });

  it("retired prints each entry's name, date and ticket with its reason", async () => {
    const dir = repository();
    rmSync(join(dir, ROPC_RULE));
    writeFileSync(
      join(dir, "retired.yaml"),
      `retired:\n  - id: ${ROPC_ID}\n    name: ROPC detected\n    reason: Replaced by the Content Hub rule.\n    date: 2026-11-20\n    ticket: SOC-1234\n`,
    );
    const out = new Collected();
    runRetired({ projectDir: dir, format: "text" }, out);
    expect(out.text).toBe(`${ROPC_ID}  ROPC detected  retired 2026-11-20  ticket SOC-1234\n    Replaced by the Content Hub rule.\n`);
  });

  it("retired.yaml is checked: a reason is required, and a retired id still defined is an error", async () => {
    const dir = repository();
    writeFileSync(join(dir, "retired.yaml"), `retired:\n  - id: ${ROPC_ID}\n  - id: ${ROPC_ID}\n    reason: twice\n`);
    const out = new Collected();
    expect(() => runRetired({ projectDir: dir, format: "text" }, out)).toThrow(/retired\.yaml has errors: 2: .*reason/);
    writeFileSync(join(dir, "retired.yaml"), `retired:\n  - id: ${ROPC_ID}\n    reason: Going away.\n`);
    const plan = new Collected();
    return runPlan({ projectDir: dir, content: dir, format: "text", queries: false }, plan).then((code) => {
      expect(code).toBe(1);
      expect(plan.text).toContain(`[retired/still-defined] retired[0].id: '${ROPC_ID}' is listed as retired, but ${ROPC_RULE} defines it`);
    });
  });
});

describe("stacks --base", () => {
  function stacks(dir: string): StackInfo[] {
    const out = new Collected();
    expect(runStacks({ base: "main", format: "json", projectDir: dir }, out, new Collected())).toBe(0);
    return JSON.parse(out.text) as StackInfo[];
  }

  it("marks the stacks whose selection a change touches, and every stack when the program changes", async () => {
    const dir = repository();
    writeFileSync(
      join(dir, "Pulumi.identity.yaml"),
      'config:\n  sentinel-iac:resourceGroupName: rg\n  sentinel-iac:workspaceName: ws\n  sentinel-iac:include: ["functions/**"]\n',
    );
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "second stack");
    git(dir, "branch", "-f", "main", "HEAD");
    expect(stacks(dir).map((s) => [s.stack, s.affected])).toEqual([
      ["dev", false],
      ["identity", false],
    ]);
    edit(dir, TI_RULE, /^severity: High$/m, "severity: Medium");
    expect(stacks(dir).map((s) => [s.stack, s.affected])).toEqual([
      ["dev", true],
      ["identity", false],
    ]);
    // A function's .kql follows its YAML's selection.
    appendFileSync(join(dir, "functions/ExcludeAllowlistedIPs_AADNI/ExcludeAllowlistedIPs_AADNI.kql"), "\n");
    const [, identity] = stacks(dir);
    expect(identity).toMatchObject({ affected: true, reasons: ["functions/ExcludeAllowlistedIPs_AADNI/ExcludeAllowlistedIPs_AADNI.kql"] });
    // A watchlist's CSV follows its YAML's selection, whatever the CSV is called (itemsFile).
    writeFileSync(
      join(dir, "Pulumi.lists.yaml"),
      'config:\n  sentinel-iac:resourceGroupName: rg\n  sentinel-iac:workspaceName: ws\n  sentinel-iac:include: ["watchlists/NetworkAllowlist/NetworkAllowlist.yaml"]\n',
    );
    edit(
      dir,
      "watchlists/NetworkAllowlist/NetworkAllowlist.yaml",
      /^itemsSearchKey: IPOrRange$/m,
      "itemsSearchKey: IPOrRange\nitemsFile: rows.csv",
    );
    git(dir, "mv", "watchlists/NetworkAllowlist/NetworkAllowlist.csv", "watchlists/NetworkAllowlist/rows.csv");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "lists stack");
    git(dir, "branch", "-f", "main", "HEAD");
    appendFileSync(join(dir, "watchlists/NetworkAllowlist/rows.csv"), "198.51.100.99,x,y\n");
    expect(stacks(dir).find((s) => s.stack === "lists")).toMatchObject({
      affected: true,
      reasons: ["watchlists/NetworkAllowlist/rows.csv"],
    });
    writeFileSync(join(dir, "index.ts"), "// changed\n");
    expect(stacks(dir).every((s) => s.affected && s.reasons?.includes("index.ts (the program)"))).toBe(true);
  });

  it("in text, says how many reasons it did not show", async () => {
    const dir = repository();
    for (const file of [TI_RULE, ROPC_RULE, "rules/analytics/ROPC-SignInFromNewCountryOrASN.yaml"])
      edit(dir, file, /^severity: \w+$/m, "severity: Low");
    writeFileSync(join(dir, "index.ts"), "// changed\n");
    writeFileSync(join(dir, "package.json"), "{}\n");
    const out = new Collected();
    expect(runStacks({ base: "main", format: "text", projectDir: dir }, out, new Collected())).toBe(0);
    expect(out.text).toMatch(
      /^dev {2}workspace law-sentinel-dev \(resource group rg-sentinel-dev\) {2}affected: [^,]+, [^,]+, [^,]+ and 2 more \(see --format json\)\n$/,
    );
  });
});

describe("coverage", () => {
  it("writes an ATT&CK Navigator layer and a Markdown table of the enabled rules' tactics and techniques", async () => {
    const dir = repository();
    const layerFile = join(dir, "layer.json");
    const out = new Collected();
    const err = new Collected();
    runCoverage({ projectDir: dir, format: "markdown", layer: layerFile }, out, err);
    // Where the layer went is said on stderr, so the Markdown on stdout stays a clean report.
    expect(err.text).toBe(`Wrote the ATT&CK Navigator layer to ${layerFile}.\n`);
    expect(out.text).toContain("3 enabled analytics rule(s) cover 4 tactic(s) and 5 technique(s).");
    expect(out.text).toContain("| CredentialAccess | 3 | T1110, T1528, T1539 |");
    expect(out.text).toContain("| Execution | **0** | — |");
    const layer = JSON.parse(readFileSync(layerFile, "utf8")) as NavigatorLayer;
    expect(layer).toMatchObject({ domain: "enterprise-attack", versions: { layer: "4.5" } });
    // T1078 (Valid Accounts) is listed by rules under Initial Access and Defense Evasion: one cell per tactic.
    const validAccounts = layer.techniques.filter((t) => t.techniqueID === "T1078");
    expect(validAccounts.map((t) => t.tactic).sort()).toEqual(["defense-evasion", "initial-access"]);
    expect(validAccounts.find((t) => t.tactic === "initial-access")?.score).toBe(3);
    expect(layer.gradient.maxValue).toBe(3);
  });
});
