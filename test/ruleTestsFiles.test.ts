/**
 * `.tests.yaml` files: found beside what they test, loaded with their sample
 * rows (inline or from .json/.jsonl/.csv files), linked to the rule, hunting
 * query or function, and checked, with errors at file and line.
 */
import { symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDesiredState } from "../src/loader/desiredState";
import { buildValidatedState } from "../src/loader/validatedState";
import { errorsOf, ruleYaml, writeContent } from "./helpers/content";

const RULE_ID = "3f2b8c1e-6d4a-4e9b-9c1f-2a7d5e8b0c46";
const HUNT = `id: 5a0c1b2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d
name: Hunt
description: A hunting query.
query: |
  SigninLogs | take 10
`;
const FUNCTION = `alias: F\ncategory: Security\nparameters:\n  - name: T\n    type: table\n    columns:\n      - { name: IPAddress, type: string }\n`;

const passing = `tests:
  - name: a sign-in alerts
    now: 2026-11-20T12:00:00Z
    tables:
      SigninLogs:
        - { TimeGenerated: 2026-11-20T11:30:00Z, UserPrincipalName: a@contoso.com, ResultType: "0" }
    expect:
      alert: true
`;

describe("rule tests files", () => {
  it("are found beside their rule, not loaded as rules, and linked to it with their rows and lines", () => {
    const dir = writeContent({ "rules/analytics/R.yaml": ruleYaml(), "rules/analytics/R.tests.yaml": passing });
    const state = buildDesiredState(dir);
    expect(errorsOf(state.diagnostics)).toEqual([]);
    expect(state.resources.filter((r) => r.content === "analyticsRule")).toHaveLength(1);
    expect(state.files).toContain("rules/analytics/R.tests.yaml");
    expect(state.tests).toHaveLength(1);
    const [suite] = state.tests;
    expect(suite!.targetKey).toBe(`Microsoft.SecurityInsights/alertRules/${RULE_ID}`);
    expect(suite!.cases[0]).toMatchObject({
      name: "a sign-in alerts",
      origin: { file: "rules/analytics/R.tests.yaml", line: 2 },
      now: "2026-11-20T12:00:00Z",
      expect: { alert: true },
      tables: { SigninLogs: { file: "rules/analytics/R.tests.yaml", rows: [{ line: 6, values: { UserPrincipalName: "a@contoso.com" } }] } },
    });
  });

  it("read sample rows from .json, .jsonl and .csv files beside them, with lines, and list those files as content", () => {
    const dir = writeContent({
      "rules/analytics/R.yaml": ruleYaml(),
      "rules/analytics/samples/a.json": JSON.stringify([{ UserPrincipalName: "j@x" }]),
      "rules/analytics/samples/b.jsonl": '{"UserPrincipalName":"l1@x"}\n\n{"UserPrincipalName":"l3@x"}\n',
      "rules/analytics/samples/c.csv": "UserPrincipalName,ResultType\nc@x,0\n",
      "rules/analytics/R.tests.yaml": `tests:
  - name: files
    tables:
      SigninLogs: { file: samples/a.json }
      AADNonInteractiveUserSignInLogs: { file: samples/b.jsonl }
      AuditLogs: { file: samples/c.csv }
    expect: { rows: 0 }
`,
    });
    const state = buildDesiredState(dir);
    expect(errorsOf(state.diagnostics)).toEqual([]);
    const tables = state.tests[0]!.cases[0]!.tables;
    expect(tables["SigninLogs"]).toEqual({ file: "rules/analytics/samples/a.json", rows: [{ values: { UserPrincipalName: "j@x" } }] });
    expect(tables["AADNonInteractiveUserSignInLogs"]!.rows).toEqual([
      { line: 1, values: { UserPrincipalName: "l1@x" } },
      { line: 3, values: { UserPrincipalName: "l3@x" } },
    ]);
    expect(tables["AuditLogs"]!.rows).toEqual([{ line: 2, values: { UserPrincipalName: "c@x", ResultType: "0" } }]);
    expect(state.files).toEqual(expect.arrayContaining(["rules/analytics/samples/a.json", "rules/analytics/samples/c.csv"]));
  });

  it("refuse sample files outside the content folder, through .. or a symlink, and name the file and line", () => {
    const outside = writeContent({ "secret.json": '[{"token": "hunter2"}]' });
    const dir = writeContent({ "rules/analytics/R.yaml": ruleYaml() });
    // The first path climbs out of the content folder; the second is a symlink pointing out of it.
    const climb = relative(join(dir, "rules/analytics"), join(outside, "secret.json"));
    writeFileSync(
      join(dir, "rules/analytics/R.tests.yaml"),
      `tests:\n  - name: escape\n    tables:\n      SigninLogs: { file: ${climb} }\n      AuditLogs: { file: link.json }\n    expect: { rows: 0 }\n`,
    );
    symlinkSync(join(outside, "secret.json"), join(dir, "rules/analytics/link.json"));
    const state = buildDesiredState(dir);
    const errors = errorsOf(state.diagnostics);
    expect(errors.map((e) => [e.code, e.file, e.position?.line])).toEqual([
      ["tests/sample-outside-content", "rules/analytics/R.tests.yaml", 4],
      ["tests/sample-outside-content", "rules/analytics/R.tests.yaml", 5],
    ]);
    expect(JSON.stringify(state)).not.toContain("hunter2");
  });

  it("refuse a sample file over 50 MB, or one that is not a file, before reading it", () => {
    const dir = writeContent({
      "rules/analytics/R.yaml": ruleYaml(),
      "rules/analytics/R.tests.yaml": `tests:
  - name: huge
    tables:
      SigninLogs: { file: huge.json }
  - name: folder
    tables:
      SigninLogs: { file: samples }
    expect: { rows: 0 }
`.replace("SigninLogs: { file: huge.json }", "SigninLogs: { file: huge.json }\n    expect: { rows: 0 }"),
      "rules/analytics/samples/keep.txt": "",
    });
    // a sparse file: 51 MB long, nothing written
    writeFileSync(join(dir, "rules/analytics/huge.json"), "[");
    truncateSync(join(dir, "rules/analytics/huge.json"), 51 * 1024 * 1024);
    const errors = errorsOf(buildDesiredState(dir).diagnostics);
    expect(errors.map((e) => [e.code, e.position?.line, e.message])).toEqual([
      ["tests/sample-file", 4, "sample file 'huge.json' is 51.0 MB, more than the 50 MB a sample file may hold"],
      ["tests/sample-file", 8, "sample file 'samples' is not a regular file"],
    ]);
  });

  it("say a value nested thousands of levels deep is nested too deeply, in YAML and in a sample file", async () => {
    const deep = (n: number) => `${"[".repeat(n)}1${"]".repeat(n)}`;
    const dir = writeContent({
      "rules/analytics/R.yaml": ruleYaml(),
      "rules/analytics/R.tests.yaml": `tests:\n  - name: deep\n    tables:\n      SigninLogs: { file: deep.json }\n    expect: { rows: 0 }\n`,
      "rules/analytics/deep.json": `[{"LocationDetails": ${deep(200_000)}}]`,
      "rules/analytics/Deep.tests.yaml": `tests:\n  - name: deep yaml\n    tables:\n      SigninLogs:\n        - { LocationDetails: ${deep(200_000)} }\n    expect: { rows: 0 }\n`,
    });
    const messages = errorsOf((await buildValidatedState(dir, { useCache: false })).diagnostics).map((e) => `${e.file}: ${e.message}`);
    expect(messages).toEqual([
      "rules/analytics/Deep.tests.yaml: YAML syntax error: values are nested too deeply (more than 100 levels)",
      "rules/analytics/deep.json: test 'deep', SigninLogs row 1, column LocationDetails (dynamic): the value is nested too deeply to read",
    ]);
  });

  it("report what cannot be checked or run: no target, nothing expected, a trigger without one, a function test without a query, a bad now, an unknown watchlist", () => {
    const dir = writeContent({
      "rules/analytics/Orphan.tests.yaml": passing,
      "rules/hunting/H.yaml": HUNT,
      "rules/hunting/H.tests.yaml": `tests:
  - name: expects nothing
    expect: {}
  - name: alert on a hunting query
    now: yesterday
    watchlists:
      Allowlist: [{ IPOrRange: 10.0.0.1 }]
    expect: { alert: false }
`,
      "functions/F/F.yaml": FUNCTION,
      "functions/F/F.kql": "T | where isnotempty(IPAddress)\n",
      "functions/F/F.tests.yaml": "tests:\n  - name: no query\n    expect: { rows: 0 }\n",
      "watchlists/AllowList/AllowList.yaml":
        "alias: AllowList\ndisplayName: A\nprovider: p\nitemsSearchKey: IPOrRange\ncolumns:\n  IPOrRange: { type: ip-range }\n",
      "watchlists/AllowList/AllowList.csv": "IPOrRange\n203.0.113.1\n",
    });
    const state = buildDesiredState(dir);
    const errors = errorsOf(state.diagnostics).map((e) => [e.code, e.file, e.position?.line]);
    expect(errors).toEqual(
      expect.arrayContaining([
        ["tests/no-target", "rules/analytics/Orphan.tests.yaml", 1],
        ["tests/expects-nothing", "rules/hunting/H.tests.yaml", 3],
        ["tests/alert-without-trigger", "rules/hunting/H.tests.yaml", 8],
        ["tests/invalid-now", "rules/hunting/H.tests.yaml", 5],
        ["tests/function-without-query", "functions/F/F.tests.yaml", 2],
      ]),
    );
    // Watchlist aliases are case-insensitive in Azure, so `Allowlist` is the content's `AllowList`; a real typo is an error.
    expect(errors.some(([code]) => code === "tests/unknown-watchlist")).toBe(false);
    const typo = writeContent({
      "rules/hunting/H.yaml": HUNT,
      "rules/hunting/H.tests.yaml": "tests:\n  - name: t\n    watchlists:\n      Alowlist: []\n    expect: { rows: 0 }\n",
      "watchlists/AllowList/AllowList.yaml":
        "alias: AllowList\ndisplayName: A\nprovider: p\nitemsSearchKey: IPOrRange\ncolumns:\n  IPOrRange: { type: ip-range }\n",
      "watchlists/AllowList/AllowList.csv": "IPOrRange\n203.0.113.1\n",
    });
    const unknown = errorsOf(buildDesiredState(typo).diagnostics).find((e) => e.code === "tests/unknown-watchlist");
    expect(unknown).toMatchObject({ file: "rules/hunting/H.tests.yaml", position: { line: 4 } });
    expect(unknown?.hint).toContain("AllowList");
  });

  it("are checked against their schema like every content file (unknown keys, wrong types)", () => {
    const dir = writeContent({
      "rules/analytics/R.yaml": ruleYaml(),
      "rules/analytics/R.tests.yaml": "tests:\n  - name: t\n    expcet: { rows: 1 }\n",
    });
    const errors = errorsOf(buildDesiredState(dir).diagnostics);
    expect(errors.map((e) => e.code)).toEqual(expect.arrayContaining(["schema/unknown-key", "schema/missing-key"]));
    expect(errors.find((e) => e.code === "schema/unknown-key")?.hint).toContain("expect");
  });
});
