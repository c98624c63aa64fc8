/**
 * `sentinel-iac test` and `sentinel-iac query` on content written by the
 * tests themselves: rules run the way Sentinel runs them (query window,
 * trigger), failures show what differs, broken tests say why, and the JSON
 * and JUnit reports carry the same outcomes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { runQueryCommand } from "../src/cli/commands/query";
import { runTests } from "../src/cli/commands/test";
import { buildValidatedState } from "../src/loader/validatedState";
import { ruleYaml, writeContent } from "./helpers/content";

class Collected {
  text = "";
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

async function test(dir: string, extra: { format?: "text" | "json" | "junit"; filter?: string; output?: string; junit?: string } = {}) {
  const out = new Collected();
  const err = new Collected();
  const code = await runTests({ content: dir, format: extra.format ?? "text", ...extra }, out, err);
  return { code, out: out.text, err: err.text };
}

const signin = (time: string, upn: string, more = "") =>
  `        - { TimeGenerated: ${time}, UserPrincipalName: ${upn}, IPAddress: 203.0.113.7, ResultType: "0"${more} }`;

/** A rule over SigninLogs that asks for two days of data, whatever its queryPeriod. */
function rule(overrides: Record<string, string> = {}) {
  return ruleYaml({
    query:
      '|\n  SigninLogs\n  | where TimeGenerated > ago(2d)\n  | where ResultType == "0"\n  | project TimeGenerated, UserPrincipalName, IPAddress',
    ...overrides,
  });
}

describe("sentinel-iac test", () => {
  it("passes a rule that fires on its attack and stays quiet on its exclusion, and exits 0", async () => {
    const dir = writeContent({
      "rules/analytics/R.yaml": rule(),
      "rules/analytics/R.tests.yaml": `tests:
  - name: a sign-in alerts
    now: 2026-11-20T12:00:00Z
    tables:
      SigninLogs:
${signin("2026-11-20T11:30:00Z", "a@contoso.com")}
    expect:
      alert: true
      rows: 1
      includes:
        - { UserPrincipalName: a@contoso.com, TimeGenerated: 2026-11-20T11:30:00.0000000Z }
  - name: a failed sign-in stays quiet
    now: 2026-11-20T12:00:00Z
    tables:
      SigninLogs:
${signin("2026-11-20T11:30:00Z", "a@contoso.com", ', ResultType: "50126"').replace(', ResultType: "0"', "")}
    expect:
      alert: false
`,
    });
    const { code, out, err } = await test(dir);
    expect(err).toBe("");
    expect(out).toContain("✓ ok  a sign-in alerts  (1 row, alert)");
    expect(out).toContain("✓ ok  a failed sign-in stays quiet  (0 rows, no alert)");
    expect(out).toContain("2 passed, 0 failed, 0 broken.");
    expect(code).toBe(0);
  });

  it("runs a scheduled rule over its queryPeriod only, whatever ago() its query asks for; NRT rules over the last minute", async () => {
    const tests = `tests:
  - name: window
    now: 2026-11-20T12:00:00Z
    tables:
      SigninLogs:
${signin("2026-11-20T11:59:30Z", "in-the-last-minute@x")}
${signin("2026-11-20T11:10:00Z", "in-the-last-hour@x")}
${signin("2026-11-19T12:30:00Z", "a-day-ago@x")}
    expect:
      rows: 0
`;
    const dir = writeContent({
      "rules/analytics/Hourly.yaml": rule(),
      "rules/analytics/Hourly.tests.yaml": tests,
      "rules/analytics/Nrt.yaml": rule({
        kind: "NRT",
        queryFrequency: "<omit>",
        queryPeriod: "<omit>",
        triggerOperator: "<omit>",
        triggerThreshold: "<omit>",
      }).replace(/^id: .*$/m, "id: 8d6e1c2a-0b3f-4e5d-9a7c-1f2e3d4c5b6a"),
      "rules/analytics/Nrt.tests.yaml": tests,
    });
    const { out } = await test(dir, { format: "json" });
    const report = JSON.parse(out) as { tests: { file: string; run: { rows: number; window: { start: string; end: string } } }[] };
    const hourly = report.tests.find((t) => t.file.endsWith("Hourly.tests.yaml"))!;
    const nrt = report.tests.find((t) => t.file.endsWith("Nrt.tests.yaml"))!;
    expect(hourly.run).toMatchObject({ rows: 2, window: { start: "2026-11-20T11:00:00.000Z", end: "2026-11-20T12:00:00.000Z" } });
    expect(nrt.run).toMatchObject({ rows: 1, window: { start: "2026-11-20T11:59:00.000Z" } });
  });

  it("decides alerts with the rule's trigger operator and threshold", async () => {
    const rows = [1, 2, 3].map((i) => signin(`2026-11-20T11:3${i}:00Z`, `u${i}@x`)).join("\n");
    const files: Record<string, string> = {};
    const cases: [string, string, boolean][] = [
      ["gt", "2", true],
      ["gt", "3", false],
      ["lt", "4", true],
      ["eq", "3", true],
      ["ne", "3", false],
    ];
    cases.forEach(([operator, threshold, alert], i) => {
      const id = `3f2b8c1e-6d4a-4e9b-9c1f-2a7d5e8b0c4${i}`;
      files[`rules/analytics/R${i}.yaml`] = rule({ triggerOperator: operator, triggerThreshold: threshold }).replace(
        /^id: .*$/m,
        `id: ${id}`,
      );
      files[`rules/analytics/R${i}.tests.yaml`] =
        `tests:\n  - name: ${operator} ${threshold}\n    now: 2026-11-20T12:00:00Z\n    tables:\n      SigninLogs:\n${rows}\n    expect:\n      alert: ${alert}\n`;
    });
    const { code, out } = await test(writeContent(files));
    expect(out).toContain("5 passed, 0 failed");
    expect(code).toBe(0);
  });

  it("shows a failure with what was expected, the closest rows and the values that differ, and exits 1", async () => {
    const dir = writeContent({
      "rules/analytics/R.yaml": rule(),
      "rules/analytics/R.tests.yaml": `tests:
  - name: wrong user
    now: 2026-11-20T12:00:00Z
    tables:
      SigninLogs:
${signin("2026-11-20T11:30:00Z", "a@contoso.com")}
${signin("2026-11-20T11:31:00Z", "b@contoso.com")}
    expect:
      alert: false
      includes:
        - { UserPrincipalName: c@contoso.com, IPAddress: 203.0.113.7 }
      excludes:
        - { UserPrincipalName: b@contoso.com }
`,
    });
    const { code, out } = await test(dir);
    expect(code).toBe(1);
    expect(out).toContain("✗ FAILED  wrong user");
    expect(out).toContain("expected: no alert (the rule alerts on more than 0 rows)");
    expect(out).toContain("actual:   the query returned 2 rows, so it alerts");
    expect(out).toContain('expected: a row with { UserPrincipalName: "c@contoso.com", IPAddress: "203.0.113.7" }');
    // The closest rows, with the differing value marked.
    expect(out).toMatch(/\*a@contoso\.com\s+\| 203\.0\.113\.7/);
    expect(out).toContain('expected: no row with { UserPrincipalName: "b@contoso.com" }');
    expect(out).toContain("at rules/analytics/R.tests.yaml:2");
    expect(out).toContain("0 passed, 1 failed, 0 broken.");
  });

  it("reports a test whose rows do not fit their table, or whose query the engine cannot run, as broken, naming row, column and line", async () => {
    const dir = writeContent({
      "rules/analytics/R.yaml": rule(),
      "rules/analytics/R.tests.yaml": `tests:
  - name: bad value
    tables:
      SigninLogs:
        - { TimeGenerated: yesterday, UserPrincipalName: a@x }
    expect: { rows: 0 }
  - name: unknown column and table
    tables:
      SigninLogs:
        - { UserPrincipalNam: a@x }
      SignInLogz: []
    expect: { rows: 0 }
  - name: unsupported
    query: |
      SigninLogs
      | evaluate autocluster()
    expect: { rows: 0 }
`,
    });
    const { code, out } = await test(dir);
    expect(code).toBe(1);
    expect(out).toContain("! BROKEN  bad value");
    expect(out).toMatch(
      /rules\/analytics\/R\.tests\.yaml:5: test 'bad value', SigninLogs row 1, column TimeGenerated \(datetime\): "yesterday" is not a datetime/,
    );
    expect(out).toContain("SigninLogs has no column 'UserPrincipalNam'");
    expect(out).toContain("table 'SignInLogz' is not known");
    expect(out).toMatch(/the local engine does not support .*autocluster/);
    // the problem points into the tests file, at the query's line (as validate places it)
    expect(out).toMatch(/rules\/analytics\/R\.tests\.yaml:16: the local engine does not support `evaluate autocluster\(\)`\n/);
    expect(out).toContain("0 passed, 0 failed, 3 broken.");
    // validate reports the same data problems, at their lines, before anything runs.
    const state = await buildValidatedState(dir, { useCache: false });
    const problems = state.diagnostics.filter((d) => d.code.startsWith("tests/"));
    expect(problems.map((d) => [d.code, d.position?.line])).toEqual(
      expect.arrayContaining([
        ["tests/invalid-row", 5],
        ["tests/invalid-row", 10],
        ["tests/unknown-table", 7],
      ]),
    );
  });

  it("runs without `now` one minute after the latest TimeGenerated, and gives watchlist rows to the query (aliases case-insensitive)", async () => {
    const dir = writeContent({
      "rules/analytics/R.yaml": rule({
        query:
          "|\n  SigninLogs\n  | where TimeGenerated > ago(2m)\n  | where IPAddress !in ((_GetWatchlist('Allow') | project SearchKey))\n  | project UserPrincipalName",
      }),
      "rules/analytics/R.tests.yaml": `tests:
  - name: allowlisted by the test's own rows
    tables:
      SigninLogs:
        - { TimeGenerated: 2026-11-20T11:58:00Z, UserPrincipalName: old@x, IPAddress: 203.0.113.1 }
        - { TimeGenerated: 2026-11-20T11:59:30Z, UserPrincipalName: listed@x, IPAddress: 203.0.113.2 }
        - { TimeGenerated: 2026-11-20T12:00:00Z, UserPrincipalName: new@x, IPAddress: 203.0.113.3 }
    watchlists:
      allow:
        - { Address: 203.0.113.2 }
    expect:
      rows: 1
      includes: [{ UserPrincipalName: new@x }]
`,
      "watchlists/Allow/Allow.yaml": "alias: Allow\ndisplayName: A\nprovider: p\nitemsSearchKey: Address\n",
      "watchlists/Allow/Allow.csv": "Address\n203.0.113.3\n",
    });
    const { code, out } = await test(dir, { format: "json" });
    const report = JSON.parse(out) as { tests: { passed: boolean; run: { now: string } }[] };
    expect(report.tests[0]).toMatchObject({ passed: true, run: { now: "2026-11-20T12:01:00.000Z" } });
    expect(code).toBe(0);
  });

  it("prints JSON and JUnit XML reports with the same outcomes, and writes --output", async () => {
    const dir = writeContent({
      "rules/analytics/R.yaml": rule(),
      "rules/analytics/R.tests.yaml": `tests:
  - name: passes
    now: 2026-11-20T12:00:00Z
    tables: { SigninLogs: [{ TimeGenerated: 2026-11-20T11:30:00Z, ResultType: "0" }] }
    expect: { rows: 1 }
  - name: fails <&>
    expect: { rows: 5 }
  - name: breaks
    tables: { SigninLogs: [{ TimeGenerated: [1] }] }
    expect: { rows: 0 }
`,
    });
    const json = JSON.parse((await test(dir, { format: "json" })).out) as {
      passed: number;
      failed: number;
      tests: { file: string; name: string; passed: boolean; message: string }[];
    };
    expect(json).toMatchObject({ passed: 1, failed: 2 });
    expect(json.tests.map((t) => [t.name, t.passed])).toEqual([
      ["passes", true],
      ["fails <&>", false],
      ["breaks", false],
    ]);
    expect(json.tests[1]).toMatchObject({ file: "rules/analytics/R.tests.yaml", message: "5 rows; 0 rows" });

    const output = join(dir, "report.xml");
    const { out: xml, code } = await test(dir, { format: "junit", output });
    expect(code).toBe(1);
    // A real XML parser reads it back: escaping, attributes and nesting must all be right.
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" }).parse(xml) as {
      testsuites: {
        "@tests": string;
        "@failures": string;
        "@errors": string;
        testsuite: { "@name": string; testcase: Record<string, unknown>[] };
      };
    };
    expect(doc.testsuites).toMatchObject({ "@tests": "3", "@failures": "1", "@errors": "1" });
    const cases = doc.testsuites.testsuite.testcase;
    expect(doc.testsuites.testsuite["@name"]).toBe("rules/analytics/R.tests.yaml");
    expect(cases.map((c) => c["@name"])).toEqual(["passes", "fails <&>", "breaks"]);
    expect(cases[1]).toHaveProperty("failure");
    expect(cases[2]).toHaveProperty("error");
    expect(readFileSync(output, "utf8")).toBe(xml);
    // --junit writes the same XML beside a text report on stdout.
    const junit = join(dir, "junit.xml");
    const text = await test(dir, { junit });
    expect(text.out).toContain("1 passed, 1 failed, 1 broken.");
    // (Times differ between the runs: durations, and the run time of the test without `now`.)
    const timeless = (x: string) => x.replace(/time="[^"]*"/g, "").replace(/run at [^\n]*/g, "");
    expect(timeless(readFileSync(junit, "utf8"))).toBe(timeless(xml));
  });

  it("fails when there is nothing to run: no tests, or a filter that matches none", async () => {
    const dir = writeContent({ "rules/analytics/R.yaml": rule() });
    const none = await test(dir);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/^error: no rule tests found under .*: write <name>\.tests\.yaml/);
    const withTests = writeContent({
      "rules/analytics/R.yaml": rule(),
      "rules/analytics/R.tests.yaml": "tests:\n  - name: one\n    expect: { rows: 0 }\n",
    });
    const filtered = await test(withTests, { filter: "nothing like it" });
    expect(filtered.code).toBe(1);
    expect(filtered.err).toContain("none of the 1 tests");
    expect((await test(withTests, { filter: "ONE" })).code).toBe(0);
  });
});

describe("sentinel-iac query", () => {
  function query(text: string, options: Parameters<typeof runQueryCommand>[1]) {
    const out = new Collected();
    const err = new Collected();
    const code = runQueryCommand(text, options, out, err);
    return { code, out: out.text, err: err.text };
  }

  const content = () =>
    writeContent({
      "functions/Tag/Tag.yaml":
        "alias: Tag\ncategory: Security\nparameters:\n  - { name: T, type: table, columns: [{ name: IPAddress, type: string }] }\n",
      "functions/Tag/Tag.kql": "T | extend Listed = IPAddress in ((_GetWatchlist('Allow') | project SearchKey))\n",
      "watchlists/Allow/Allow.yaml": "alias: Allow\ndisplayName: A\nprovider: p\nitemsSearchKey: Address\n",
      "watchlists/Allow/Allow.csv": "Address\n203.0.113.3\n",
      "samples/signins.csv":
        "TimeGenerated,UserPrincipalName,IPAddress\n2026-11-20T11:00:00Z,a@x,203.0.113.3\n2026-11-20T11:30:00Z,b@x,203.0.113.4\n",
      "samples/allow.csv": "Address\n203.0.113.4\n",
      "samples/q.kql": "SigninLogs | invoke Tag() | where Listed | project UserPrincipalName, TimeGenerated",
    });

  it("runs a query over rows from files with the content's functions and watchlists, as JSON", () => {
    const dir = content();
    const { code, out } = query(`@${join(dir, "samples/q.kql")}`, {
      content: dir,
      table: [`SigninLogs=${join(dir, "samples/signins.csv")}`],
      format: "json",
    });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      columns: [
        { name: "UserPrincipalName", type: "string" },
        { name: "TimeGenerated", type: "datetime" },
      ],
      rows: [{ UserPrincipalName: "a@x", TimeGenerated: "2026-11-20T11:00:00Z" }],
    });
    // --watchlist replaces the CSV's rows.
    const replaced = query(`@${join(dir, "samples/q.kql")}`, {
      content: dir,
      table: [`SigninLogs=${join(dir, "samples/signins.csv")}`],
      watchlist: [`allow=${join(dir, "samples/allow.csv")}`],
      format: "table",
    });
    expect(replaced.out).toMatch(/b@x\s+\| 2026-11-20T11:30:00Z\n\(1 row\)/);
  });

  it("pins now() and ago() to --now", () => {
    const { out } = query("print now = now(), yesterday = ago(1d)", { content: content(), now: "2026-11-20T12:00:00Z", format: "json" });
    expect(JSON.parse(out).rows).toEqual([{ now: "2026-11-20T12:00:00Z", yesterday: "2026-11-19T12:00:00Z" }]);
  });

  it("names what is wrong: a query that does not bind (with its line), an unknown table for --table, a missing file", () => {
    const dir = content();
    const bad = query("SigninLogs\n| where UserPrincipalNam == 'x'", { content: dir, format: "table" });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error: line 2:9: .*UserPrincipalNam/);
    expect(() => query("print 1", { content: dir, table: ["SignInLogz=x.json"], format: "table" })).toThrow(
      /'SignInLogz' is not a known table\. Did you mean 'SigninLogs'/,
    );
    expect(() => query("print 1", { content: dir, table: ["SigninLogs=/nonexistent.json"], format: "table" })).toThrow(
      /cannot read \/nonexistent\.json: ENOENT/,
    );
  });
});
