/** Loading: the YAML Azure-Sentinel writes is accepted; typos and bad shapes are errors with file, line and field. */
import { describe, expect, it } from "vitest";
import { loadContent } from "../src/content/load";
import { buildDesiredState } from "../src/loader/desiredState";
import { codes, errorsOf, ruleYaml, writeContent } from "./helpers/content";

const RULE = "rules/analytics/rule.yaml";

function loadRule(yaml: string) {
  const dir = writeContent({ [RULE]: yaml });
  return loadContent(dir);
}

describe("schema: unknown keys", () => {
  it("rejects a misspelled key, pointing at its line and suggesting the right one", () => {
    const content = loadRule(ruleYaml({ queryFrequncy: "1h" }));
    const d = content.diagnostics.find((x) => x.code === "schema/unknown-key");
    expect(d).toMatchObject({ severity: "error", file: RULE, field: "queryFrequncy", position: { line: 18, column: 1 } });
    expect(d?.message).toContain("unknown key 'queryFrequncy'");
    expect(d?.hint).toContain("Did you mean 'queryFrequency'?");
  });

  it("rejects unknown keys nested in blocks", () => {
    const content = loadRule(ruleYaml({ incidentConfiguration: "\n  createIncident: true\n  groupingConfig:\n    enabled: true" }));
    const d = content.diagnostics.find((x) => x.code === "schema/unknown-key");
    expect(d).toMatchObject({ field: "incidentConfiguration.groupingConfig", position: { line: 20 } });
    expect(d?.hint).toContain("groupingConfiguration");
  });

  it("reads upstream's lower-case `datatypes` as dataTypes with a warning", () => {
    const content = loadRule(
      ruleYaml({ requiredDataConnectors: "\n  - connectorId: AzureActiveDirectory\n    datatypes:\n      - SigninLogs" }),
    );
    expect(errorsOf(content.diagnostics)).toEqual([]);
    const d = content.diagnostics.find((x) => x.code === "schema/key-case");
    expect(d).toMatchObject({ severity: "warning", field: "requiredDataConnectors[0].datatypes", position: { line: 20 } });
    expect(content.analyticsRules[0]?.doc.requiredDataConnectors?.[0]?.dataTypes).toEqual(["SigninLogs"]);
  });
});

describe("schema: upstream forms", () => {
  it("accepts keys written with no value as absent, as Microsoft's validator does", () => {
    const content = loadRule(ruleYaml({ tactics: "", relevantTechniques: "", customDetails: "", alertRuleTemplateName: "null" }));
    expect(errorsOf(content.diagnostics)).toEqual([]);
    expect(content.analyticsRules[0]?.doc.tactics).toBeUndefined();
  });

  it("accepts CRLF line endings and a byte-order mark", () => {
    const text = "\uFEFF" + ruleYaml().replace(/\n/g, "\r\n");
    const content = loadRule(text);
    expect(errorsOf(content.diagnostics)).toEqual([]);
    expect(content.analyticsRules[0]?.doc.query).toBe(
      'SigninLogs\n| where ResultType == "0"\n| project TimeGenerated, UserPrincipalName, IPAddress\n',
    );
  });

  it("accepts GreaterThan as well as gt, and PT5H as well as 5h", () => {
    const content = loadRule(ruleYaml({ triggerOperator: "GreaterThan", queryFrequency: "PT5H", queryPeriod: "1d" }));
    expect(errorsOf(content.diagnostics)).toEqual([]);
  });

  it("accepts tags as strings or small mappings, and free-form metadata", () => {
    const content = loadRule(
      ruleYaml({
        tags: "\n  - NOBELIUM\n  - Schema: ASIMDns\n    SchemaVersion: 0.1.1",
        metadata: "\n  source:\n    kind: Community\n  author:\n    name: Someone",
        status: "Available",
        version: "1.0.2",
      }),
    );
    expect(errorsOf(content.diagnostics)).toEqual([]);
  });
});

describe("schema: shape errors", () => {
  it("names a missing required key", () => {
    const content = loadRule(ruleYaml({ query: "<omit>" }));
    const d = content.diagnostics.find((x) => x.code === "schema/missing-key");
    expect(d).toMatchObject({ severity: "error", field: "query", position: { line: 1, column: 1 } });
    expect(d?.hint).toMatch(/KQL query/);
  });

  it("requires the schedule of a Scheduled rule", () => {
    const content = loadRule(ruleYaml({ queryPeriod: "<omit>" }));
    expect(content.diagnostics.find((x) => x.code === "schema/missing-key")).toMatchObject({ field: "queryPeriod" });
  });

  it("rejects an invalid enum value and suggests the closest", () => {
    const content = loadRule(ruleYaml({ tactics: "\n  - Credential Access" }));
    const d = content.diagnostics.find((x) => x.code === "schema/invalid-value");
    expect(d).toMatchObject({ field: "tactics[0]", position: { line: 11, column: 5 } });
    expect(d?.hint).toContain("Did you mean 'CredentialAccess'?");
  });

  it("rejects a non-GUID id with an example", () => {
    const content = loadRule(ruleYaml({ id: "my-rule" }));
    const d = content.diagnostics.find((x) => x.code === "schema/invalid-guid");
    expect(d).toMatchObject({ field: "id", position: { line: 1, column: 5 } });
    expect(d?.hint).toMatch(/uuidgen/);
  });

  it("rejects a wrong type, saying what was found", () => {
    const content = loadRule(ruleYaml({ triggerThreshold: "lots" }));
    const d = content.diagnostics.find((x) => x.code === "schema/wrong-type");
    expect(d?.message).toBe("must be a whole number, but is the text 'lots'");
  });

  it("reports YAML syntax errors with a position", () => {
    const content = loadRule("id: x\nname: [unclosed\n");
    expect(content.diagnostics[0]).toMatchObject({ code: "yaml/syntax", severity: "error" });
    expect(content.diagnostics[0]?.position?.line).toBeGreaterThan(0);
  });

  it("rejects duplicate keys, which YAML forbids", () => {
    const content = loadRule(ruleYaml() + "severity: High\n");
    expect(codes(content.diagnostics)).toContain("yaml/syntax");
  });

  it("rejects a file that is not a mapping", () => {
    const content = loadRule("- a\n- b\n");
    expect(content.diagnostics[0]).toMatchObject({ code: "schema/not-a-mapping", file: RULE });
  });
});

describe("schema: every content type", () => {
  it("rejects unknown keys in functions and watchlists too", () => {
    const dir = writeContent({
      "functions/F.yaml": "alias: F\ncategory: Security\nparamters: []\n",
      "functions/F.kql": "print 1\n",
      "watchlists/W.yaml": "alias: Wlist\ndisplayName: W\nprovider: me\nitemsSearchKey: Key\nsearchkey: Key\n",
      "watchlists/W.csv": "Key\nk1\n",
    });
    const state = buildDesiredState(dir);
    const unknown = state.diagnostics.filter((d) => d.code === "schema/unknown-key");
    expect(unknown.map((d) => [d.file, d.field])).toEqual([
      ["functions/F.yaml", "paramters"],
      ["watchlists/W.yaml", "searchkey"],
    ]);
    expect(unknown[0]?.hint).toContain("Did you mean 'parameters'?");
  });
});
