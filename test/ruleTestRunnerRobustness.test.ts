/**
 * The rule-test runner's verdicts do not depend on the machine, and one test cannot take the
 * run down: the default run time is read the engine's way (zone-less text is UTC in every time
 * zone), rows the rule's window hides are counted in the failure, and an internal error of the
 * executor breaks that test only, in every report format.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { runTests } from "../src/cli/commands/test";
import { runQueryCommand } from "../src/cli/commands/query";
import { renderTestJson, renderTestJunit, renderTestText } from "../src/cli/render/testReport";
import { loadTableSchemas } from "../src/kql/environment";
import { buildDesiredState } from "../src/loader/desiredState";
import { buildValidatedState } from "../src/loader/validatedState";
import { engineSchema } from "../src/testing/contentData";
import { LocalEngineExecutor, type ExecutionRequest, type ExecutionResult, type TestExecutor } from "../src/testing/executor";
import { runRuleTests } from "../src/testing/runner";
import type { Diagnostic } from "../src/diagnostics/diagnostic";
import { PROJECT_DIR, ruleYaml, writeContent } from "./helpers/content";

class Collected {
  text = "";
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

async function test(dir: string, format: "text" | "json" = "text") {
  const out = new Collected();
  const err = new Collected();
  const code = await runTests({ content: dir, format }, out, err);
  return { code, out: out.text, err: err.text };
}

/** A scheduled rule over SigninLogs with a 1-hour queryPeriod (ruleYaml's default). */
const rule = () =>
  ruleYaml({ query: '|\n  SigninLogs\n  | where ResultType == "0"\n  | project TimeGenerated, UserPrincipalName, IPAddress' });

const BIN = join(PROJECT_DIR, "bin", "sentinel-iac.js");

/** `sentinel-iac test --format json` in a child process whose time zone is `zone`. */
function testInTimeZone(dir: string, zone: string) {
  const r = spawnSync(process.execPath, [BIN, "test", "--content", dir, "--format", "json"], {
    encoding: "utf8",
    env: { ...process.env, TZ: zone },
  });
  return { code: r.status, out: r.stdout };
}

describe("the default run time", () => {
  it("reads a zone-less TimeGenerated as UTC, as the engine does, whatever the machine's time zone", () => {
    const dir = writeContent({
      "rules/analytics/R.yaml": rule(),
      "rules/analytics/R.tests.yaml": `tests:
  - name: no now
    tables:
      SigninLogs:
        - { TimeGenerated: "2026-11-20 11:30:00", UserPrincipalName: a@contoso.com, IPAddress: 203.0.113.7, ResultType: "0" }
    expect: { alert: true }
`,
    });
    // (a zone ahead of UTC: Date.parse would put the row, and the run, 9 hours earlier)
    const { code, out } = testInTimeZone(dir, "Asia/Tokyo");
    const report = JSON.parse(out) as { tests: { passed: boolean; run: { now: string } }[] };
    expect(report.tests[0]).toMatchObject({ passed: true, run: { now: "2026-11-20T11:31:00.000Z" } });
    expect(code).toBe(0);
  });
});

describe("rows the window hides", () => {
  it("are counted in a failure: outside the window, and without TimeGenerated", async () => {
    const dir = writeContent({
      "rules/analytics/R.yaml": rule(),
      "rules/analytics/R.tests.yaml": `tests:
  - name: hidden rows
    now: 2026-11-20T12:00:00Z
    tables:
      SigninLogs:
        - { TimeGenerated: 2026-11-20T10:00:00Z, UserPrincipalName: old@contoso.com, ResultType: "0" }
        - { UserPrincipalName: timeless@contoso.com, ResultType: "0" }
        - { TimeGenerated: 2026-11-20T11:30:00Z, UserPrincipalName: seen@contoso.com, ResultType: "0" }
    expect: { rows: 3 }
`,
    });
    const { code, out } = await test(dir);
    expect(code).toBe(1);
    expect(out).toContain("2 of 3 SigninLogs rows were not seen: 1 outside the window, 1 without TimeGenerated");
    const json = JSON.parse((await test(dir, "json")).out) as { tests: { run: { hidden: unknown } }[] };
    expect(json.tests[0]!.run.hidden).toEqual([{ table: "SigninLogs", outside: 1, withoutTime: 1, of: 3 }]);
  });

  it("validate warns about an analytics rule's test row without TimeGenerated, at its line", async () => {
    const dir = writeContent({
      "rules/analytics/R.yaml": rule(),
      "rules/analytics/R.tests.yaml": `tests:
  - name: timeless
    now: 2026-11-20T12:00:00Z
    tables:
      SigninLogs:
        - { TimeGenerated: 2026-11-20T11:30:00Z, UserPrincipalName: seen@contoso.com, ResultType: "0" }
        - { UserPrincipalName: timeless@contoso.com, ResultType: "0" }
    expect: { rows: 1 }
`,
    });
    const state = await buildValidatedState(dir, { useCache: false });
    const warnings = state.diagnostics.filter((d) => d.code === "tests/row-without-time");
    expect(warnings.map((d) => [d.severity, d.file, d.position?.line])).toEqual([["warning", "rules/analytics/R.tests.yaml", 7]]);
    expect(warnings[0]!.message).toBe(
      "test 'timeless', SigninLogs row 2 has no TimeGenerated, so the rule's query window hides it from the query",
    );
  });
});

/** The local engine, except that a query holding `crash-here` fails the way an engine defect does. */
class DefectiveExecutor implements TestExecutor {
  readonly name: string;
  constructor(private readonly engine: LocalEngineExecutor) {
    this.name = engine.name;
  }
  run(request: ExecutionRequest): Promise<ExecutionResult> {
    if (request.query.includes("crash-here")) throw new RangeError("Maximum call stack size exceeded");
    return this.engine.run(request);
  }
}

describe("an internal error of the executor", () => {
  it("breaks its own test only; the others run, and text, JSON and JUnit reports are complete", async () => {
    const dir = writeContent({
      "rules/analytics/R.yaml": rule(),
      "rules/analytics/R.tests.yaml": `tests:
  - name: first passes
    now: 2026-11-20T12:00:00Z
    expect: { rows: 0 }
  - name: second crashes
    query: print x = "crash-here"
    expect: { rows: 1 }
  - name: third passes
    query: print x = 1
    expect: { rows: 1 }
`,
    });
    const state = buildDesiredState(dir);
    const diagnostics: Diagnostic[] = [];
    const tables = loadTableSchemas(dir, diagnostics);
    const executor = new DefectiveExecutor(new LocalEngineExecutor(engineSchema(state, tables)));
    const report = await runRuleTests(state, tables, { executor });
    expect(report.outcomes.map((o) => [o.name, o.status])).toEqual([
      ["first passes", "passed"],
      ["second crashes", "broken"],
      ["third passes", "passed"],
    ]);
    expect(report.outcomes[1]!.message).toBe("internal error in the local KQL engine: Maximum call stack size exceeded");
    expect(report).toMatchObject({ passed: 2, failed: 1 });

    expect(renderTestText(report)).toContain("! BROKEN  second crashes");
    expect(renderTestText(report)).toContain("2 passed, 0 failed, 1 broken.");
    const json = JSON.parse(renderTestJson(report)) as { tests: { status: string; message: string }[] };
    expect(json.tests[1]).toMatchObject({ status: "broken", message: report.outcomes[1]!.message });
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" }).parse(renderTestJunit(report)) as {
      testsuites: { "@tests": string; "@errors": string; testsuite: { testcase: Record<string, unknown>[] } };
    };
    expect(doc.testsuites).toMatchObject({ "@tests": "3", "@errors": "1" });
    expect(doc.testsuites.testsuite.testcase[1]).toHaveProperty("error");
  });
});

describe("control characters in names and sample values", () => {
  it("are shown as \\u{..} in text, and the JUnit XML stays well-formed", async () => {
    const dir = writeContent({
      "rules/analytics/R.yaml": rule(),
      "rules/analytics/R.tests.yaml": `tests:
  - name: "control \\e[31mred\\e[0m chars"
    now: 2026-11-20T12:00:00Z
    tables:
      SigninLogs:
        - { TimeGenerated: 2026-11-20T11:30:00Z, UserPrincipalName: "a\\x01\\e[2J@contoso.com\\uFFFF", ResultType: "0" }
    expect:
      includes: [{ UserPrincipalName: "someone else" }]
`,
    });
    const text = await test(dir);
    expect(text.code).toBe(1);
    expect(text.out).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
    expect(text.out).toContain("control \\u{1B}[31mred\\u{1B}[0m chars");
    expect(text.out).toContain("a\\u{1}\\u{1B}[2J@contoso.com");

    const out = new Collected();
    await runTests({ content: dir, format: "junit" }, out, new Collected());
    const xml = out.text;
    // XML 1.0's Char production: tab, newline, carriage return, U+0020–U+D7FF, U+E000–U+FFFD, and pairs
    expect(xml).not.toMatch(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\uD800-\uDFFF]/);
    expect(xml).not.toMatch(/[\u007F-\u009F]/);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" }).parse(xml) as {
      testsuites: { testsuite: { testcase: { "@name": string; failure: { "#text": string } } } };
    };
    expect(doc.testsuites.testsuite.testcase["@name"]).toBe("control \\u{1B}[31mred\\u{1B}[0m chars");
    expect(doc.testsuites.testsuite.testcase.failure["#text"]).toContain("a\\u{1}\\u{1B}[2J@contoso.com\\u{FFFF}");
  });
});

describe("content errors", () => {
  it("stop `test` with the reason that applies to tests, not the diff's", async () => {
    const dir = writeContent({
      "rules/analytics/R.yaml": rule(),
      "rules/analytics/R.tests.yaml":
        "tests:\n  - name: outside\n    tables:\n      SigninLogs: { file: ../../../outside.json }\n    expect: { rows: 0 }\n",
    });
    const out = new Collected();
    const err = new Collected();
    expect(await runTests({ content: dir, format: "text" }, out, err)).toBe(1);
    expect(err.text).toContain("fix them first, since the tests run the content's own queries, functions and watchlists.");
    expect(err.text).not.toContain("unmanaged");
  });
});

describe("sentinel-iac query on an engine defect", () => {
  it("says it is an internal error of the local engine and exits 1, without a stack trace", () => {
    const dir = writeContent({ "rules/analytics/R.yaml": rule() });
    // JSON nested 100,000 levels deep exhausts the call stack while the engine copies it
    const deep = `${"[".repeat(100_000)}1${"]".repeat(100_000)}`;
    const out = new Collected();
    const err = new Collected();
    const code = runQueryCommand(`print x = parse_json('${deep}')`, { content: dir, format: "json" }, out, err);
    expect(code).toBe(1);
    expect(err.text).toBe("error: internal error in the local KQL engine: Maximum call stack size exceeded\n");
    expect(out.text).toBe("");
  });
});
