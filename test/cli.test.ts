/** `sentinel-iac plan` as users run it: the package bin, real processes, exit codes. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR, SEED_PROJECT_DIR, ruleYaml, writeContent } from "./helpers/content";

const BIN = join(PROJECT_DIR, "bin", "sentinel-iac.js");

function cli(args: string[], cwd = SEED_PROJECT_DIR) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("sentinel-iac plan", () => {
  it("plans the seed project with exit code 0", () => {
    const { code, stdout } = cli(["plan"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Watchlists (1) - Microsoft.SecurityInsights/watchlists");
    expect(stdout).toContain("ExcludeAllowlistedIPs_AADNI(T:(IPAddress:string))  category Security  uses watchlist NetworkAllowlist");
    expect(stdout).toMatch(/c3d4e5f6-a7b8-9c0d-1e2f-3a4b5c6d7e8f {2}Scheduled {2}Medium {2}enabled {2}every 1h over 14d/);
    expect(stdout).toContain(
      "Summary: 1 watchlist(s) with 5 item(s), 1 function(s), 3 analytics rule(s) (3 enabled), 2 hunting queries: 12 resources.",
    );
    // Resources appear in dependency order: the watchlist, then the function, then the rules.
    expect(stdout.indexOf("Watchlists")).toBeLessThan(stdout.indexOf("Functions"));
    expect(stdout.indexOf("Functions")).toBeLessThan(stdout.indexOf("Analytics rules"));
  });

  it("--format json prints the whole desired state and diagnostics even when some files are invalid, and exits 1", () => {
    const dir = writeContent({
      "rules/analytics/good.yaml": ruleYaml(),
      "rules/analytics/bad.yaml": ruleYaml({ queryPeriod: "30d" }, "11111111-2222-4333-8444-555555555555"),
      "rules/analytics/broken.yaml": "id: [\n",
    });
    const { code, stdout } = cli(["plan", "--content", dir, "--format", "json"]);
    expect(code).toBe(1);
    const plan = JSON.parse(stdout) as {
      summary: { errors: number; analyticsRules: number };
      resources: { type: string; name: string; kind: string; properties: { queryPeriod: string }; dependsOn: string[] }[];
      diagnostics: { code: string; file: string; field?: string; position?: { line: number } }[];
    };
    expect(plan.resources.map((r) => [r.type, r.name, r.kind])).toEqual([
      ["Microsoft.SecurityInsights/alertRules", "11111111-2222-4333-8444-555555555555", "Scheduled"],
      ["Microsoft.SecurityInsights/alertRules", "3f2b8c1e-6d4a-4e9b-9c1f-2a7d5e8b0c46", "Scheduled"],
    ]);
    expect(plan.resources[0]?.properties.queryPeriod).toBe("P30D");
    expect(plan.diagnostics.filter((d) => d.code !== "yaml/syntax")).toEqual([
      expect.objectContaining({
        code: "limits/query-period",
        file: "rules/analytics/bad.yaml",
        field: "queryPeriod",
        position: expect.objectContaining({ line: 7 }),
      }),
    ]);
    expect(plan.diagnostics.some((d) => d.code === "yaml/syntax" && d.file === "rules/analytics/broken.yaml")).toBe(true);
    expect(plan.summary.errors).toBe(2);
  });

  it("prints errors with file:line:column, field, problem and fix", () => {
    const dir = writeContent({ "rules/analytics/typo.yaml": ruleYaml({ queryFrequncy: "1h" }) });
    const { code, stdout } = cli(["plan", "--content", dir]);
    expect(code).toBe(1);
    expect(stdout).toContain("rules/analytics/typo.yaml:18:1 error [schema/unknown-key] queryFrequncy: unknown key 'queryFrequncy'");
    expect(stdout).toContain("-> Did you mean 'queryFrequency'?");
    expect(stdout).toContain("Not deployable: fix the errors above.");
  });

  it("--stack applies the stack's settings from Pulumi.<stack>.yaml", () => {
    const dir = writeContent({
      "Pulumi.staged.yaml":
        "config:\n  sentinel-iac:resourceGroupName: rg\n  sentinel-iac:workspaceName: ws\n  sentinel-iac:rulesEnabled: allDisabled\n",
      "rules/analytics/r.yaml": ruleYaml(),
    });
    const { code, stdout } = cli(["plan", "--stack", "staged"], dir);
    expect(code).toBe(0);
    expect(stdout).toContain("(stack staged)");
    expect(stdout).toMatch(/Scheduled {2}Medium {2}disabled/);
  });

  it("turns bad paths and endpoints into one-line errors, never stack traces", () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [
        ["coverage", "--layer", "/nonexistent/dir/layer.json"],
        {},
        /^error: --layer \/nonexistent\/dir\/layer\.json: the folder \/nonexistent\/dir does not exist; create it first or choose another path\n$/,
      ],
      [["summarize", "--base", "no-such-ref"], {}, /^error: base ref 'no-such-ref' is not in this clone/],
      [
        ["diff", "--subscription", "s", "--resource-group", "r", "--workspace", "w", "--arm-endpoint", "https://user:secret@127.0.0.1:9"],
        {},
        /^error: armEndpoint must not contain a user name or password/,
      ],
      [
        ["diff", "--subscription", "s", "--resource-group", "r", "--workspace", "w", "--content", writeContent({})],
        { AZURE_AUTHORITY_HOST: "not a url" },
        /^error: AZURE_AUTHORITY_HOST 'not a url' is not a URL/,
      ],
    ];
    for (const [args, env, expected] of cases) {
      const result = spawnSync(process.execPath, [BIN, ...args], {
        cwd: SEED_PROJECT_DIR,
        encoding: "utf8",
        env: { ...process.env, ...env },
      });
      expect(result.status, args.join(" ")).toBe(1);
      expect(result.stderr, args.join(" ")).toMatch(expected);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr).not.toContain("secret");
    }
  });

  it("explains configuration mistakes and exits 1", () => {
    const { code, stderr } = cli(["plan", "--stack", "missing"]);
    expect(code).toBe(1);
    expect(stderr).toContain("error: stack file");
    expect(stderr).toContain("pulumi stack init missing");
  });

  it("rejects unknown options and formats", () => {
    expect(cli(["plan", "--format", "xml"]).code).toBe(1);
    expect(cli(["nonsense"]).code).toBe(1);
  });
});
