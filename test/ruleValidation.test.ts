/** What Azure would reject is rejected before anything is registered, with file, line, field, limit and fix. */
import { describe, expect, it } from "vitest";
import { buildDesiredState } from "../src/loader/desiredState";
import type { Diagnostic } from "../src/diagnostics/diagnostic";
import { errorsOf, PROJECT_DIR, ruleYaml, writeContent, SEED_PROJECT_DIR } from "./helpers/content";
import { join } from "node:path";

const RULE = "rules/analytics/rule.yaml";

function diagnose(yaml: string): Diagnostic[] {
  return buildDesiredState(writeContent({ [RULE]: yaml })).diagnostics;
}
function only(diagnostics: Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  expect(found, `expected one ${code} in ${JSON.stringify(diagnostics, null, 1)}`).toHaveLength(1);
  return found[0]!;
}

describe("the seed rule that asks for 30 days", () => {
  it("is rejected naming the file, the field and the 14-day limit", () => {
    const state = buildDesiredState(join(PROJECT_DIR, "test/fixtures/seed-000-original"));
    const d = only(state.diagnostics, "limits/query-period");
    expect(d).toMatchObject({
      severity: "error",
      file: "rules/analytics/ROPC-SignInFromNewCountryOrASN.yaml",
      field: "queryPeriod",
      position: { line: 28, column: 14 },
    });
    expect(d.message).toBe("is 30d; Azure accepts between 5m and 14d");
    expect(d.hint).toMatch(/14d \(P14D\) or less/);
    // The seed also lists T1550 without one of its tactics.
    expect(only(state.diagnostics, "mitre/technique-without-tactic").message).toContain("T1550");
  });

  it("its deployable version (14-day baseline) has no errors", () => {
    const state = buildDesiredState(SEED_PROJECT_DIR);
    expect(errorsOf(state.diagnostics)).toEqual([]);
  });
});

describe("schedule limits", () => {
  it.each([
    ["queryFrequency", { queryFrequency: "4m" }, "limits/query-frequency", "is 4m; Azure accepts between 5m and 14d"],
    ["queryFrequency", { queryFrequency: "15d", queryPeriod: "14d" }, "limits/query-frequency", "is 15d; Azure accepts between 5m and 14d"],
    ["queryPeriod", { queryPeriod: "P15D" }, "limits/query-period", "is P15D (15d); Azure accepts between 5m and 14d"],
    ["queryPeriod", { queryPeriod: "2m", queryFrequency: "2m" }, "limits/query-period", "is 2m; Azure accepts between 5m and 14d"],
  ])("%s outside 5m-14d is an error", (field, overrides, code, message) => {
    const d = diagnose(ruleYaml(overrides)).find((x) => x.code === code);
    expect(d).toMatchObject({ severity: "error", field, message });
  });

  it("queryFrequency longer than queryPeriod is an error", () => {
    const d = only(diagnose(ruleYaml({ queryFrequency: "2h", queryPeriod: "1h" })), "limits/frequency-exceeds-period");
    expect(d).toMatchObject({ field: "queryFrequency", position: { line: 6 } });
    expect(d.hint).toBe("Make queryPeriod at least as long as queryFrequency.");
  });

  it("a period of 2 days or more needs a frequency of at least 1 hour", () => {
    const d = only(diagnose(ruleYaml({ queryFrequency: "30m", queryPeriod: "2d" })), "limits/long-period-frequency");
    expect(d.message).toContain("at least 1h when queryPeriod is 2d or more");
    expect(errorsOf(diagnose(ruleYaml({ queryFrequency: "1h", queryPeriod: "2d" })))).toEqual([]);
    expect(errorsOf(diagnose(ruleYaml({ queryFrequency: "30m", queryPeriod: "47h" })))).toEqual([]);
  });

  it("accepts the boundaries exactly", () => {
    expect(errorsOf(diagnose(ruleYaml({ queryFrequency: "5m", queryPeriod: "5m" })))).toEqual([]);
    expect(errorsOf(diagnose(ruleYaml({ queryFrequency: "1h", queryPeriod: "14d" })))).toEqual([]);
    expect(errorsOf(diagnose(ruleYaml({ queryFrequency: "14d", queryPeriod: "14d" })))).toEqual([]);
  });
});

describe("trigger, query and text limits", () => {
  it("triggerThreshold must be 0 to 10000", () => {
    const d = only(diagnose(ruleYaml({ triggerThreshold: "10001" })), "limits/range");
    expect(d).toMatchObject({ field: "triggerThreshold", message: "is 10001; it must be at most 10000" });
    expect(diagnose(ruleYaml({ triggerThreshold: "-1" })).some((x) => x.code === "limits/range")).toBe(true);
  });

  it("a query over 10,000 characters is rejected with its length", () => {
    const long = `|\n  SigninLogs\n  | where UserPrincipalName != "${"x".repeat(10_000)}"`;
    const d = only(diagnose(ruleYaml({ query: long })), "limits/length");
    expect(d.field).toBe("query");
    expect(d.message).toMatch(/^is 10,0\d\d characters long; Azure accepts at most 10,000$/);
  });

  it("a display name over 256 characters is rejected", () => {
    expect(only(diagnose(ruleYaml({ name: "n".repeat(257) })), "limits/length").field).toBe("name");
  });
});

describe("entity mappings", () => {
  const mapping = (n: number) =>
    "\n" +
    Array.from(
      { length: n },
      () => "  - entityType: IP\n    fieldMappings:\n      - identifier: Address\n        columnName: IPAddress",
    ).join("\n");

  it("at most 10 entity mappings", () => {
    const d = only(diagnose(ruleYaml({ entityMappings: mapping(11) })), "limits/count");
    expect(d).toMatchObject({ field: "entityMappings", message: "has 11 entries; Azure accepts at most 10" });
    expect(errorsOf(diagnose(ruleYaml({ entityMappings: mapping(10) })))).toEqual([]);
  });

  it("at most 3 identifiers per entity", () => {
    const yaml = ruleYaml({
      entityMappings:
        "\n  - entityType: Account\n    fieldMappings:\n" +
        ["FullName", "Name", "UPNSuffix", "AadUserId"]
          .map((id) => `      - identifier: ${id}\n        columnName: UserPrincipalName`)
          .join("\n"),
    });
    expect(only(diagnose(yaml), "limits/field-mappings").message).toBe("maps 4 identifiers; Azure accepts at most 3 per entity");
  });

  it("identifiers must belong to the entity type", () => {
    const yaml = ruleYaml({
      entityMappings: "\n  - entityType: IP\n    fieldMappings:\n      - identifier: Adress\n        columnName: IPAddress",
    });
    const d = only(diagnose(yaml), "entities/invalid-identifier");
    expect(d).toMatchObject({ field: "entityMappings[0].fieldMappings[0].identifier", position: { line: 21, column: 21 } });
    expect(d.hint).toContain("Did you mean 'Address'?");
  });

  it("entity types must exist", () => {
    const yaml = ruleYaml({
      entityMappings: "\n  - entityType: Acount\n    fieldMappings:\n      - identifier: Address\n        columnName: IPAddress",
    });
    expect(only(diagnose(yaml), "entities/unknown-type").hint).toContain("Did you mean 'Account'?");
  });

  it("a mapping needs one of the identifiers Sentinel identifies the entity by", () => {
    const yaml = ruleYaml({
      entityMappings: "\n  - entityType: Account\n    fieldMappings:\n      - identifier: UPNSuffix\n        columnName: Domain",
    });
    const d = only(diagnose(yaml), "entities/missing-required-identifier");
    expect(d.hint).toBe("Map at least one of: FullName; Sid; Name; AadUserId; PUID; ObjectGuid.");
  });
});

describe("custom details and alert overrides", () => {
  it("at most 20 custom details", () => {
    const details = "\n" + Array.from({ length: 21 }, (_, i) => `  Detail${i}: Column${i}`).join("\n");
    expect(only(diagnose(ruleYaml({ customDetails: details })), "limits/custom-details").message).toBe(
      "has 21 entries; Azure accepts at most 20",
    );
  });

  it("custom detail names must be letters/digits/underscores, at most 20 characters", () => {
    const diagnostics = diagnose(ruleYaml({ customDetails: "\n  Sign-in count: Count\n  ThisNameIsMuchTooLongForAzure: Count" }));
    expect(diagnostics.filter((d) => d.code === "custom-details/invalid-key").map((d) => d.field)).toEqual([
      "customDetails.Sign-in count",
      "customDetails.ThisNameIsMuchTooLongForAzure",
    ]);
  });

  it("at most 3 placeholders per alert format string", () => {
    const yaml = ruleYaml({ alertDetailsOverride: '\n  alertDisplayNameFormat: "{{A}} {{B}} {{C}} {{D}}"' });
    expect(only(diagnose(yaml), "limits/placeholders").message).toBe("uses 4 {{column}} placeholders; Azure accepts at most 3");
  });

  it("alertDynamicProperties takes the API's alert properties", () => {
    const yaml = ruleYaml({ alertDetailsOverride: "\n  alertDynamicProperties:\n    - alertProperty: ProductNam\n      value: Product" });
    expect(only(diagnose(yaml), "schema/invalid-value").hint).toContain("Did you mean 'ProductName'?");
  });
});

describe("suppression and grouping", () => {
  it("suppression longer than 24h is an error", () => {
    const d = only(diagnose(ruleYaml({ suppressionDuration: "25h", suppressionEnabled: "true" })), "limits/suppression");
    expect(d.message).toBe("is 25h (1d1h); Azure accepts at most 1d");
  });

  it("grouping lookback must be 5m to 7d", () => {
    const yaml = (lookback: string) =>
      ruleYaml({
        incidentConfiguration: `\n  createIncident: true\n  groupingConfiguration:\n    enabled: true\n    lookbackDuration: ${lookback}\n    matchingMethod: AllEntities`,
      });
    expect(only(diagnose(yaml("8d")), "limits/grouping-lookback").field).toBe(
      "incidentConfiguration.groupingConfiguration.lookbackDuration",
    );
    expect(only(diagnose(yaml("1m")), "limits/grouping-lookback").message).toBe("is 1m; Azure accepts between 5m and 7d");
    expect(errorsOf(diagnose(yaml("7d")))).toEqual([]);
  });
});

describe("MITRE ATT&CK", () => {
  it("tactics must be valid", () => {
    // CommandandControl is another casing and is read as CommandAndControl (test/spellings.test.ts); a misspelling is refused.
    expect(only(diagnose(ruleYaml({ tactics: "\n  - CommandControl" })), "schema/invalid-value").hint).toContain("'CommandAndControl'");
  });

  it("each technique needs at least one of its tactics", () => {
    const d = only(
      diagnose(ruleYaml({ tactics: "\n  - Impact", relevantTechniques: "\n  - T1078.004" })),
      "mitre/technique-without-tactic",
    );
    expect(d.message).toBe(
      "technique 'T1078.004' belongs to DefenseEvasion, InitialAccess, Persistence, PrivilegeEscalation, but none of these is in tactics",
    );
    expect(errorsOf(diagnose(ruleYaml({ tactics: "\n  - Persistence", relevantTechniques: "\n  - T1078.004" })))).toEqual([]);
  });

  it("unknown techniques are rejected", () => {
    expect(only(diagnose(ruleYaml({ relevantTechniques: "\n  - T9999" })), "mitre/unknown-technique").field).toBe("relevantTechniques[0]");
  });

  it("malformed technique ids are rejected", () => {
    expect(only(diagnose(ruleYaml({ relevantTechniques: "\n  - T-1078" })), "schema/invalid-technique").hint).toContain("T1078");
  });
});

describe("ids across files", () => {
  it("two files with the same id are an error naming the other file", () => {
    const dir = writeContent({ "rules/analytics/a.yaml": ruleYaml(), "rules/hunting/b.yaml": ruleYaml().replace("kind: Scheduled\n", "") });
    const state = buildDesiredState(dir);
    const d = only(state.diagnostics, "content/duplicate-id");
    expect(d).toMatchObject({ file: "rules/hunting/b.yaml", field: "id", position: { line: 1 } });
    expect(d.message).toBe("id '3f2b8c1e-6d4a-4e9b-9c1f-2a7d5e8b0c46' is already used by rules/analytics/a.yaml");
  });
});

describe("NRT rules", () => {
  it("load and validate without a schedule, and warn about schedule keys they ignore", () => {
    const nrt = ruleYaml({
      kind: "NRT",
      queryFrequency: "<omit>",
      queryPeriod: "<omit>",
      triggerOperator: "<omit>",
      triggerThreshold: "0",
    });
    const diagnostics = diagnose(nrt);
    expect(errorsOf(diagnostics)).toEqual([]);
    expect(only(diagnostics, "nrt/ignored-field").field).toBe("triggerThreshold");
  });
});
