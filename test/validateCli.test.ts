/** `sentinel-iac validate`: formats for people, tools, code scanning and pull requests; exit codes; --strict. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copySeedContent, PROJECT_DIR, ruleYaml, SEED_PROJECT_DIR, writeContent } from "./helpers/content";
import { writeFileSync } from "node:fs";

const BIN = join(PROJECT_DIR, "bin", "sentinel-iac.js");
function cli(args: string[], cwd = SEED_PROJECT_DIR) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, SENTINEL_IAC_CACHE: "off" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Content with one KQL error (unknown column) and one unknown-table warning. */
function brokenContent(): string {
  const dir = copySeedContent();
  writeFileSync(join(dir, "rules/analytics/broken.yaml"), ruleYaml({ query: "|\n  SigninLogs\n  | project UserPrincipalNam" }));
  writeFileSync(
    join(dir, "rules/hunting/custom.yaml"),
    "id: 2b3c4d5e-6f70-4819-8a9b-c0d1e2f3a4b5\nname: custom\ndescription: d\nquery: MyApp_CL | take 10\n",
  );
  return dir;
}

describe("sentinel-iac validate", () => {
  it("passes on the project's content (exit 0) and prints findings grouped by file", () => {
    const { code, stdout } = cli(["validate"]);
    expect(code).toBe(0);
    expect(stdout).toContain("rules/analytics/NonInteractiveSignIn-ThreatIntelIP.yaml\n  36:31    warning [rule/lookback-exceeds-period]");
    expect(stdout).toMatch(/Checked 10 files in [\d.]+ s; 6 queries: 0 from cache, 6 analyzed: 0 errors, 4 warnings, 4 info\./);
  });

  it("exits 1 on errors, 0 on warnings alone, and 1 on warnings with --strict", () => {
    const dir = brokenContent();
    expect(cli(["validate", "--content", dir]).code).toBe(1);
    const warningsOnly = copySeedContent();
    writeFileSync(
      join(warningsOnly, "rules/hunting/custom.yaml"),
      "id: 2b3c4d5e-6f70-4819-8a9b-c0d1e2f3a4b5\nname: custom\ndescription: d\nquery: MyApp_CL | take 10\n",
    );
    expect(cli(["validate", "--content", warningsOnly]).code).toBe(0);
    const strict = cli(["validate", "--content", warningsOnly, "--strict"]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain("error   [kql/unknown-table]");
    expect(strict.stdout).toContain("Failed (--strict: warnings fail too).");
  });

  it("--format json lists every diagnostic with its position", () => {
    const { stdout } = cli(["validate", "--content", brokenContent(), "--format", "json"]);
    const doc = JSON.parse(stdout) as {
      summary: { error: number };
      diagnostics: { code: string; file: string; position: { line: number; column: number } }[];
    };
    expect(doc.summary.error).toBe(1);
    expect(doc.diagnostics.find((d) => d.code === "kql/unknown-column")).toMatchObject({
      file: "rules/analytics/broken.yaml",
      position: { line: 16, column: 13 },
    });
  });

  it("--format sarif writes SARIF 2.1.0 with rule ids, levels and regions", () => {
    const dir = brokenContent();
    const { stdout } = cli(["validate", "--content", dir, "--format", "sarif"], dir);
    const sarif = JSON.parse(stdout) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string }[] } };
        results: {
          ruleId: string;
          level: string;
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: object } }[];
        }[];
      }[];
    };
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0]!;
    expect(run.tool.driver.name).toBe("sentinel-iac");
    expect(run.tool.driver.rules.map((r) => r.id)).toContain("kql/unknown-column");
    const result = run.results.find((r) => r.ruleId === "kql/unknown-column")!;
    expect(result.level).toBe("error");
    expect(result.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: "rules/analytics/broken.yaml", uriBaseId: "%SRCROOT%" },
      region: { startLine: 16, startColumn: 13, endLine: 16, endColumn: 29 },
    });
    expect(run.results.find((r) => r.ruleId === "kql/unknown-table")?.level).toBe("warning");
    expect(run.results.some((r) => r.level === "note")).toBe(true);
  });

  it("--format github writes workflow annotations, escaping what GitHub requires", () => {
    const dir = brokenContent();
    const { stdout } = cli(["validate", "--content", dir, "--format", "github"], dir);
    const line = stdout.split("\n").find((l) => l.includes("kql/unknown-column"))!;
    expect(line).toMatch(
      /^::error file=rules\/analytics\/broken\.yaml,line=16,col=13,endLine=16,endColumn=29,title=sentinel-iac kql\/unknown-column::query: The name 'UserPrincipalNam'/,
    );
    expect(line).toContain("%0AFix the column name.");
    expect(stdout).toMatch(/^::warning file=rules\/hunting\/custom\.yaml,line=4,col=8/m);
  });
});

describe("plan runs the same validation", () => {
  it("shows KQL findings and fails on KQL errors", () => {
    const { code, stdout } = cli(["plan", "--content", brokenContent()]);
    expect(code).toBe(1);
    expect(stdout).toContain("[kql/unknown-column] query: The name 'UserPrincipalNam'");
  });

  it("--no-kql skips it", () => {
    expect(
      cli([
        "plan",
        "--content",
        writeContent({ "rules/analytics/b.yaml": ruleYaml({ query: "|\n  SigninLogs | project Nope" }) }),
        "--no-kql",
      ]).code,
    ).toBe(0);
  });
});

describe("validate and plan agree on stacks and say why they fail", () => {
  /** Content with an NRT rule, a stack that refuses NRT rules, and a stack that selects a rule without its function. */
  function stackContent(): string {
    const dir = copySeedContent();
    writeFileSync(
      join(dir, "rules/analytics/nrt.yaml"),
      ruleYaml(
        { kind: "NRT", queryFrequency: "<omit>", queryPeriod: "<omit>", triggerOperator: "<omit>", triggerThreshold: "<omit>" },
        "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
      ),
    );
    writeFileSync(join(dir, "Pulumi.prod.yaml"), "config:\n  sentinel-iac:nrtRules: error\n");
    writeFileSync(
      join(dir, "Pulumi.narrow.yaml"),
      'config:\n  sentinel-iac:nrtRules: skip\n  sentinel-iac:include: ["rules/analytics/ROPC-*"]\n',
    );
    return dir;
  }

  it("validate --stack runs the stack's checks as plan --stack does; without it, it says what it skipped", () => {
    const dir = stackContent();
    const plain = cli(["validate"], dir);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(
      "Not checked without --stack: the stack's selection (include/exclude), NRT handling (nrtRules), disabledRules and the workspace's rule limits: pass --stack <name> (stacks: narrow, prod) to run them as plan --stack does.",
    );
    const json = JSON.parse(cli(["validate", "--format", "json"], dir).stdout) as { skipped: string[] };
    expect(json.skipped).toHaveLength(1);

    const prod = cli(["validate", "--stack", "prod"], dir);
    const planProd = cli(["plan", "--stack", "prod", "--offline"], dir);
    expect(prod.code).toBe(1);
    expect(planProd.code).toBe(1);
    for (const out of [prod.stdout, planProd.stdout]) expect(out).toContain("[stack/nrt-refused]");
    expect(prod.stdout).toContain("for stack prod");
    expect(prod.stdout).not.toContain("Not checked without --stack");

    const narrow = cli(["validate", "--stack", "narrow"], dir);
    expect(narrow.code).toBe(1);
    expect(narrow.stdout).toContain("[stack/excluded-dependency]");
    expect(cli(["plan", "--stack", "narrow", "--offline"], dir).stdout).toContain("[stack/excluded-dependency]");
  });

  it("plan --strict says why it failed when only warnings fail it", () => {
    const { code, stdout } = cli(["plan", "--strict", "--content", copySeedContent()]);
    expect(code).toBe(1);
    expect(stdout).toContain("Failed: 4 warning(s), which --strict counts as failures: fix them, or run without --strict.");
    const json = JSON.parse(cli(["plan", "--strict", "--format", "json", "--content", copySeedContent()]).stdout) as {
      failed: boolean;
      failures: string[];
    };
    expect(json).toMatchObject({
      failed: true,
      failures: ["4 warning(s), which --strict counts as failures: fix them, or run without --strict"],
    });
  });
});
