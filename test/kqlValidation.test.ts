/**
 * KQL semantic validation: each broken query produces its diagnostic at the
 * right file:line:column, quoting the offending text; the rule checks that
 * need the query's output columns; levels and --strict.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { Diagnostic } from "../src/diagnostics/diagnostic";
import { buildValidatedState, failsValidation } from "../src/loader/validatedState";
import { copySeedContent, PROJECT_DIR, writeContent, SEED_PROJECT_DIR } from "./helpers/content";

const RULE_FILE = "rules/analytics/case.yaml";

/** A rule whose query starts on line 12 (the `query: |` header is line 11), at column 3. */
function rule(query: string, extra = ""): string {
  return [
    "id: 7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    "name: Case",
    "description: A test case.",
    "kind: Scheduled",
    "severity: Medium",
    "queryFrequency: 1h",
    "queryPeriod: 1h",
    "triggerOperator: gt",
    "triggerThreshold: 0",
    "tactics: [InitialAccess]",
    "query: |",
    ...query.split("\n").map((l) => `  ${l}`),
    extra,
  ].join("\n");
}

async function diagnose(query: string, extra = "", strict = false): Promise<Diagnostic[]> {
  const dir = copySeedContent();
  writeFileSync(join(dir, RULE_FILE), rule(query, extra));
  const state = await buildValidatedState(dir, { strict, useCache: false });
  return state.diagnostics.filter((d) => d.file === RULE_FILE);
}

function one(diagnostics: Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  expect(found, `${code} in ${JSON.stringify(diagnostics, null, 1)}`).toHaveLength(1);
  return found[0]!;
}

describe("bad queries", () => {
  it("broken syntax: an unclosed parenthesis", async () => {
    const d = one(await diagnose('SigninLogs\n| where (ResultType == "0"\n| project UserPrincipalName'), "kql/syntax");
    // Kusto expects the `)` at the end of the statement.
    expect(d).toMatchObject({ severity: "error", field: "query", position: { line: 14, column: 30 } });
    expect(d.message).toContain("Expected: )");
  });

  it("unknown column, quoted, at its exact position", async () => {
    const d = one(await diagnose('SigninLogs\n| where ResultType == "0"\n| project UserPrincipalNam, IPAddress'), "kql/unknown-column");
    expect(d).toMatchObject({ severity: "error", position: { line: 14, column: 13 }, end: { line: 14, column: 29 } });
    expect(d.message).toContain("'UserPrincipalNam'");
    expect(d.hint).toContain("schemas/");
  });

  it("wrong column type in a comparison", async () => {
    const d = one(await diagnose("SigninLogs\n| where ResultType > 50000"), "kql/type");
    expect(d).toMatchObject({ severity: "error", position: { line: 13, column: 22 } });
    expect(d.message).toBe("The operator '>' is not defined for the operand types string and long. [KS106]");
  });

  it("misspelled function: a warning with the likely name, an error with --strict", async () => {
    const query = "AADNonInteractiveUserSignInLogs\n| invoke ExcludeAllowlistedIPs_AADNl()";
    const d = one(await diagnose(query), "kql/unknown-function");
    expect(d).toMatchObject({ severity: "warning", position: { line: 13, column: 12 } });
    expect(d.hint).toContain("Did you mean 'ExcludeAllowlistedIPs_AADNI'?");
    expect(one(await diagnose(query, "", true), "kql/unknown-function").severity).toBe("error");
  });

  it("wrong watchlist alias", async () => {
    const d = one(await diagnose("_GetWatchlist('NetworkAlowlist')\n| project SearchKey"), "kql/unknown-watchlist");
    expect(d).toMatchObject({
      severity: "error",
      position: { line: 12, column: 17 },
      message: "no watchlist with alias 'NetworkAlowlist'",
    });
    expect(d.hint).toMatch(/^Did you mean 'NetworkAllowlist'\? Use the alias of a watchlist under watchlists\//);
  });

  it("_GetWatchlist returns the watchlist's CSV columns, so a misspelled one is an unknown column", async () => {
    const ok = await diagnose("_GetWatchlist('networkallowlist')\n| project SearchKey, IPOrRange, Owner, _DTItemId, LastUpdatedTimeUTC");
    expect(ok.filter((d) => d.severity === "error")).toEqual([]);
    expect(one(await diagnose("_GetWatchlist('NetworkAllowlist')\n| project Ownr"), "kql/unknown-column").message).toContain("'Ownr'");
  });

  it("a function's table parameter is type-checked: a table without IPAddress cannot be passed", async () => {
    const d = one(await diagnose("AuditLogs\n| invoke ExcludeAllowlistedIPs_AADNI()"), "kql/type");
    expect(d.message).toContain("The tabular value does not have the required columns");
    expect(d.hint).toContain("lacks columns its parameter declares");
  });

  it("the function's output keeps the caller's columns", async () => {
    const diagnostics = await diagnose(
      "AADNonInteractiveUserSignInLogs\n| invoke ExcludeAllowlistedIPs_AADNI()\n| project UserPrincipalName, IPAddress",
    );
    expect(diagnostics.filter((d) => d.code.startsWith("kql/") && d.severity !== "info")).toEqual([]);
  });

  it("unknown tables are warnings (the workspace may have them) and errors with --strict; ASIM parsers are known by name", async () => {
    expect(one(await diagnose("MyApp_CL\n| project Foo"), "kql/unknown-table")).toMatchObject({
      severity: "warning",
      position: { line: 12, column: 3 },
    });
    expect(one(await diagnose("MyApp_CL\n| project Foo", "", true), "kql/unknown-table").severity).toBe("error");
    expect(one(await diagnose("_Im_Dns(starttime=ago(1h))\n| project SrcIpAddr"), "kql/sentinel-builtin").severity).toBe("info");
  });

  it("comparing a string column with a number is reported as an implicit conversion (info)", async () => {
    expect(one(await diagnose("SigninLogs\n| where ResultType == 0"), "kql/implicit-conversion")).toMatchObject({
      severity: "info",
      position: { line: 13, column: 11 },
    });
  });
});

describe("rule fields against the query's output", () => {
  const query = "SigninLogs\n| project UserPrincipalName, IPAddress, Location";

  it("an entity mapping to a column the query projects away", async () => {
    const diagnostics = await diagnose(
      "SigninLogs\n| project UserPrincipalName, IPAddress\n| project-away IPAddress",
      "entityMappings:\n  - entityType: IP\n    fieldMappings:\n      - identifier: Address\n        columnName: IPAddress",
    );
    const d = one(diagnostics, "rule/missing-column");
    expect(d).toMatchObject({
      severity: "error",
      field: "entityMappings[0].fieldMappings[0].columnName",
      position: { line: 19, column: 21 },
    });
    expect(d.message).toBe("IP Address uses column 'IPAddress', which the query's output does not have");
    expect(d.hint).toContain("The output has: UserPrincipalName.");
  });

  it("custom details, placeholders, dynamic properties and severity/tactics columns must be output columns", async () => {
    const diagnostics = await diagnose(
      query,
      [
        "customDetails:",
        "  Where: Locaton",
        "alertDetailsOverride:",
        '  alertDisplayNameFormat: "Sign-in by {{UserPrincipalName}} from {{Country}}"',
        "  alertSeverityColumnName: Sev",
        "  alertTacticsColumnName: Location",
        "  alertDynamicProperties:",
        "    - alertProperty: AlertLink",
        "      value: Link",
      ].join("\n"),
    );
    expect(diagnostics.filter((d) => d.code === "rule/missing-column").map((d) => [d.field, d.message])).toEqual([
      ["customDetails.Where", "custom detail Where uses column 'Locaton', which the query's output does not have"],
      [
        "alertDetailsOverride.alertDisplayNameFormat",
        "placeholder {{Country}} uses column 'Country', which the query's output does not have",
      ],
      [
        "alertDetailsOverride.alertDynamicProperties[0].value",
        "alert property AlertLink uses column 'Link', which the query's output does not have",
      ],
      ["alertDetailsOverride.alertSeverityColumnName", "alertSeverityColumnName uses column 'Sev', which the query's output does not have"],
    ]);
    expect(diagnostics.find((d) => d.field === "customDetails.Where")?.hint).toContain("Did you mean 'Location'?");
  });

  it("grouping only by entity types the rule maps and custom details it defines", async () => {
    const diagnostics = await diagnose(
      query,
      [
        "entityMappings:",
        "  - entityType: Account",
        "    fieldMappings:",
        "      - identifier: FullName",
        "        columnName: UserPrincipalName",
        "customDetails:",
        "  Country: Location",
        "incidentConfiguration:",
        "  createIncident: true",
        "  groupingConfiguration:",
        "    enabled: true",
        "    matchingMethod: Selected",
        "    groupByEntities: [Account, IP]",
        "    groupByCustomDetails: [Contry]",
      ].join("\n"),
    );
    expect(one(diagnostics, "incidents/group-by-unmapped-entity")).toMatchObject({
      severity: "warning",
      field: "incidentConfiguration.groupingConfiguration.groupByEntities[1]",
    });
    expect(one(diagnostics, "incidents/group-by-unknown-detail").hint).toContain("Did you mean 'Country'?");
  });

  it("when the output is not fully known (unknown table), a column it lacks is an info, not an error", async () => {
    const diagnostics = await diagnose("MyApp_CL\n| project User", "customDetails:\n  User: UserName");
    expect(diagnostics.some((d) => d.code === "rule/missing-column")).toBe(false);
    const info = one(diagnostics, "rule/columns-unchecked");
    expect(info.severity).toBe("info");
    expect(info.message).toContain("'UserName'");
    expect(info.message).toContain("'MyApp_CL' has no bundled schema");
  });

  it("when the output is not fully known, columns found in it are still verified", async () => {
    // The output has User (projected), so the custom detail is checked even though MyApp_CL is unknown.
    const diagnostics = await diagnose("MyApp_CL\n| project User", "customDetails:\n  User: User");
    expect(diagnostics.filter((d) => d.code === "rule/columns-unchecked" || d.code === "rule/missing-column")).toEqual([]);
  });

  it("AzureDiagnostics' columns are not fixed: unlisted columns are allowed, and columns the output lacks are not errors", async () => {
    const diagnostics = await diagnose(
      'AzureDiagnostics\n| where Category == "ApplicationGatewayFirewallLog"\n| project TimeGenerated, clientIp_s, requestUri_s',
      "customDetails:\n  Client: clientIp_s\n  Host: hostname_s",
    );
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(one(diagnostics, "rule/columns-unchecked").message).toContain("'hostname_s'");
  });
});

describe("time windows", () => {
  it("flags seed 003: its threat-intel lookback (30d) is longer than its queryPeriod (1h)", async () => {
    const state = await buildValidatedState(SEED_PROJECT_DIR, { useCache: false });
    const d = one(state.diagnostics, "rule/lookback-exceeds-period");
    expect(d).toMatchObject({
      severity: "warning",
      file: "rules/analytics/NonInteractiveSignIn-ThreatIntelIP.yaml",
      position: { line: 36, column: 31 },
    });
    expect(d.message).toContain("looks back 30d on ThreatIntelIndicators ('ago(30d)')");
    expect(d.message).toContain("this filter silently covers 1h, not 30d");
    // 30d is beyond Azure's 14d maximum, so the hint never suggests a queryPeriod of 30d.
    expect(d.hint).not.toContain("Raise queryPeriod to 30d");
    expect(d.hint).toContain("A scheduled rule cannot look back 30d: Azure accepts a queryPeriod of at most 14d.");
    expect(d.hint).toContain("Raising queryPeriod to 14d covers 14d of it.");
    expect(d.hint).toContain("watchlist");
  });

  it("suggests raising queryPeriod only to a value Azure accepts", async () => {
    const within = one(await diagnose("SigninLogs\n| where TimeGenerated > ago(7d)"), "rule/lookback-exceeds-period");
    expect(within.hint).toContain("Raise queryPeriod to 7d (at most 14d");
    const beyond = one(await diagnose("SigninLogs\n| where TimeGenerated > ago(90d)"), "rule/lookback-exceeds-period");
    expect(beyond.hint).not.toMatch(/Raise queryPeriod to 90d/);
    expect(beyond.hint).toContain("at most 14d");
  });

  it("follows let-bound lookbacks, and accepts one within the period", async () => {
    expect(
      one(await diagnose("let lookback = 2d;\nSigninLogs\n| where TimeGenerated > ago(lookback)"), "rule/lookback-exceeds-period").position,
    ).toEqual({ line: 14, column: 27 });
    expect((await diagnose("SigninLogs\n| where TimeGenerated > ago(1h)")).some((d) => d.code === "rule/lookback-exceeds-period")).toBe(
      false,
    );
  });

  it("the project's own content passes: no KQL errors, and the function body validates against its declared parameter", async () => {
    const state = await buildValidatedState(SEED_PROJECT_DIR, { useCache: false });
    expect(state.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(failsValidation(state, false)).toBe(false);
    expect(state.queryStats).toMatchObject({ requested: 6, analyzed: 6 });
  });
});

describe("functions and positions outside rules", () => {
  it("reports errors in a function body at its .kql file's line and column", async () => {
    const dir = writeContent({
      "functions/F.yaml":
        "alias: F\ncategory: c\nparameters:\n  - name: T\n    type: table\n    columns: [{ name: IPAddress, type: string }]\n",
      "functions/F.kql": "// comment\nT\n| where IPAdress != ''\n",
    });
    const state = await buildValidatedState(dir, { useCache: false });
    expect(one(state.diagnostics, "kql/unknown-column")).toMatchObject({ file: "functions/F.kql", position: { line: 3, column: 9 } });
  });

  it("a function that did not load is reported once, on its own file, not again as unknown columns in every query that calls it", async () => {
    const dir = writeContent({
      "functions/F.yaml":
        "alias: F\ncategory: c\nparameters:\n  - name: T\n    type: table\n    columns: [{ name: IPAddress, type: string }]\n",
      [RULE_FILE]: rule("SigninLogs\n| invoke F()\n| where ResultType == '0'\n| project UserPrincipalName, IPAddress"),
    });
    writeFileSync(join(dir, "functions/F.kql"), Buffer.from("// Requête\nT\n", "latin1"));
    const state = await buildValidatedState(dir, { strict: true, useCache: false });
    expect(state.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.file])).toEqual([
      ["content/encoding", "functions/F.kql"],
    ]);
    const notChecked = one(state.diagnostics, "kql/function-not-loaded");
    expect(notChecked).toMatchObject({ severity: "info", file: RULE_FILE, position: { line: 13 } });
    expect(notChecked.message).toContain("functions/F.yaml");
  });

  it("maps positions in a folded plain query by searching the file", async () => {
    const dir = writeContent({
      "rules/hunting/h.yaml": "id: 1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9\nname: h\ndescription: d\nquery:\n  SigninLogs\n  | project Nope\n",
    });
    const state = await buildValidatedState(dir, { useCache: false });
    expect(one(state.diagnostics, "kql/unknown-column").position).toEqual({ line: 6, column: 13 });
  });
});

describe("placing findings from the cache", () => {
  it("keeps where findings sit by the file's content: a later process places them the same way without re-reading the file, and an edited file is placed anew", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "sentinel-iac-placement-"));
    process.env["SENTINEL_IAC_CACHE_DIR"] = cacheDir;
    try {
      const dir = copySeedContent();
      // A query finding, a field finding that needs the query's output, and a spelling warning.
      const text = rule(
        "SigninLogs\n| project UserPrincipalNam, IPAddress",
        "entityMappings:\n  - entityType: IP\n    fieldMappings:\n      - identifier: Address\n        columnName: IPAddres",
      ).replace("severity: Medium", "severity: medium");
      writeFileSync(join(dir, RULE_FILE), text);
      // Each run as a fresh process would see it: modules (and the cache file) loaded anew.
      const run = async () => {
        vi.resetModules();
        const loader = await vi.importActual<typeof import("../src/loader/validatedState")>("../src/loader/validatedState");
        const placements = await vi.importActual<typeof import("../src/content/placementCache")>("../src/content/placementCache");
        const state = await loader.buildValidatedState(dir, { useCache: true });
        const placed = state.diagnostics
          .filter((d) => d.file === RULE_FILE)
          .map((d) => ({ code: d.code, position: d.position, end: d.end }))
          .sort((a, b) => a.code.localeCompare(b.code));
        placements.savePlacements();
        return { placed, reread: placements.yamlTreesBuilt() };
      };
      const first = await run();
      expect(first.placed.map((p) => [p.code, p.position])).toEqual([
        ["kql/unknown-column", { line: 13, column: 13 }],
        ["rule/missing-column", { line: 18, column: 21 }],
        ["schema/value-spelling", { line: 5, column: 11 }],
      ]);
      expect(first.reread).toBeGreaterThan(0); // this file and the seed content's files with findings
      const stored = JSON.parse(readFileSync(join(cacheDir, "yaml-placement.json"), "utf8")) as { entries: Record<string, unknown> };
      expect(Object.keys(stored.entries).length).toBeGreaterThan(0);
      const second = await run();
      expect(second.placed).toEqual(first.placed);
      expect(second.reread).toBe(0);
      // One more line above everything: the kept places belong to the old text and are not used.
      writeFileSync(join(dir, RULE_FILE), `# a comment\n${text}`);
      const third = await run();
      expect(third.placed.map((p) => p.position?.line)).toEqual([14, 19, 6]);
      expect(third.reread).toBe(1); // only the edited file
    } finally {
      delete process.env["SENTINEL_IAC_CACHE_DIR"];
    }
  });

  it("useCache: false neither reads nor keeps places", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "sentinel-iac-placement-"));
    process.env["SENTINEL_IAC_CACHE_DIR"] = cacheDir;
    try {
      const dir = copySeedContent();
      writeFileSync(join(dir, RULE_FILE), rule("SigninLogs\n| project UserPrincipalNam"));
      vi.resetModules();
      const loader = await vi.importActual<typeof import("../src/loader/validatedState")>("../src/loader/validatedState");
      const placements = await vi.importActual<typeof import("../src/content/placementCache")>("../src/content/placementCache");
      const state = await loader.buildValidatedState(dir, { useCache: false });
      expect(state.diagnostics.find((d) => d.code === "kql/unknown-column")?.position).toEqual({ line: 13, column: 13 });
      placements.savePlacements();
      expect(existsSync(join(cacheDir, "yaml-placement.json"))).toBe(false);
    } finally {
      delete process.env["SENTINEL_IAC_CACHE_DIR"];
    }
  });
});
