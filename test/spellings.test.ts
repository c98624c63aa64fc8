/**
 * Microsoft's spellings: Azure and Microsoft's packager read enum values in any casing, and real
 * files rely on it (`aggregationKind: singleAlert`, the tactic `CommandandControl`). Such files
 * load, the model holds the canonical spelling, and a warning says where and how to write it.
 */
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../src/diagnostics/diagnostic";
import { buildDesiredState } from "../src/loader/desiredState";
import type { AlertRuleResource, HuntingQueryResource } from "../src/model/types";
import { errorsOf, ruleYaml, writeContent } from "./helpers/content";

const RULE = "rules/analytics/rule.yaml";

function spellings(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics
    .filter((d) => d.code === "schema/value-spelling")
    .map((d) => `${d.severity} ${d.file}:${d.position?.line}:${d.position?.column} ${d.field} ${d.message} | ${d.hint}`);
}

function rule(overrides: Record<string, string>) {
  const state = buildDesiredState(writeContent({ [RULE]: ruleYaml(overrides) }));
  const resource = state.resources.find((r): r is AlertRuleResource => r.content === "analyticsRule");
  return { state, resource };
}

describe("enum values in another casing", () => {
  it("reads aggregationKind singleAlert as SingleAlert, with a warning at its line that says how to write it", () => {
    const { state, resource } = rule({ eventGroupingSettings: "\n  aggregationKind: singleAlert" });
    expect(errorsOf(state.diagnostics)).toEqual([]);
    expect(resource?.properties.eventGroupingSettings).toEqual({ aggregationKind: "SingleAlert" });
    expect(spellings(state.diagnostics)).toEqual([
      `warning ${RULE}:19:20 eventGroupingSettings.aggregationKind 'singleAlert' is read as 'SingleAlert' | Write it as 'SingleAlert': Azure and Microsoft's tools accept other casings, but other tools compare the value exactly.`,
    ]);
  });

  it("reads the tactic CommandandControl as CommandAndControl, so its techniques match it", () => {
    const { state, resource } = rule({ tactics: "\n  - CommandandControl", relevantTechniques: "\n  - T1071" });
    expect(errorsOf(state.diagnostics)).toEqual([]);
    expect(resource?.properties.tactics).toEqual(["CommandAndControl"]);
    expect(spellings(state.diagnostics)).toHaveLength(1);
    expect(spellings(state.diagnostics)[0]).toContain("tactics[0] 'CommandandControl' is read as 'CommandAndControl'");
  });

  it("covers every closed list: kind, severity, trigger operator, matching method, alert details, alert properties", () => {
    const { state, resource } = rule({
      kind: "scheduled",
      severity: "high",
      triggerOperator: "GT",
      incidentConfiguration:
        "\n  createIncident: true\n  groupingConfiguration:\n    enabled: true\n    matchingMethod: selected\n    groupByAlertDetails: [displayName]\n    groupByEntities: [account]",
      alertDetailsOverride: "\n  alertDynamicProperties:\n    - alertProperty: productName\n      value: UserPrincipalName",
      entityMappings: "\n  - entityType: account\n    fieldMappings:\n      - identifier: fullname\n        columnName: UserPrincipalName",
    });
    expect(errorsOf(state.diagnostics)).toEqual([]);
    const p = resource!.properties;
    expect(resource?.kind).toBe("Scheduled");
    expect(p.severity).toBe("High");
    expect("triggerOperator" in p && p.triggerOperator).toBe("GreaterThan");
    expect(p.incidentConfiguration?.groupingConfiguration).toMatchObject({
      matchingMethod: "Selected",
      groupByAlertDetails: ["DisplayName"],
      groupByEntities: ["Account"],
    });
    expect(p.alertDetailsOverride?.alertDynamicProperties).toEqual([{ alertProperty: "ProductName", value: "UserPrincipalName" }]);
    expect(p.entityMappings).toEqual([
      { entityType: "Account", fieldMappings: [{ identifier: "FullName", columnName: "UserPrincipalName" }] },
    ]);
    expect(spellings(state.diagnostics).map((s) => s.split(" ")[2])).toEqual([
      "kind",
      "severity",
      "triggerOperator",
      "incidentConfiguration.groupingConfiguration.matchingMethod",
      "incidentConfiguration.groupingConfiguration.groupByAlertDetails[0]",
      "incidentConfiguration.groupingConfiguration.groupByEntities[0]",
      "alertDetailsOverride.alertDynamicProperties[0].alertProperty",
      "entityMappings[0].entityType",
      "entityMappings[0].fieldMappings[0].identifier",
    ]);
  });

  it("still refuses a value that is not another spelling of an allowed one", () => {
    const { state } = rule({ severity: "Critical", tactics: "\n  - Initial Access" });
    const errors = errorsOf(state.diagnostics).map((d) => `${d.field} ${d.code}`);
    // A space is more than casing: Azure refuses it in an analytics rule, so it stays an error (with the right name as hint).
    expect(errors).toEqual(["severity schema/invalid-value", "tactics[0] schema/invalid-value"]);
    expect(errorsOf(state.diagnostics).find((d) => d.field === "tactics[0]")?.hint).toContain("Did you mean 'InitialAccess'?");
  });
});

describe("hunting query tactics", () => {
  it("normalises 'Initial access' and 'Command and control' to the canonical tactic in the tactics tag", () => {
    const dir = writeContent({
      "rules/hunting/h.yaml": [
        "id: 6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "name: H",
        "description: d",
        "tactics:",
        "  - Initial access",
        "  - Command and control",
        "relevantTechniques:",
        "  - T1078",
        "query: SigninLogs",
        "",
      ].join("\n"),
    });
    const state = buildDesiredState(dir);
    const hunting = state.resources.find((r): r is HuntingQueryResource => r.content === "huntingQuery");
    expect(hunting?.properties.tags?.find((t) => t.name === "tactics")?.value).toBe("InitialAccess,CommandAndControl");
    expect(spellings(state.diagnostics)).toEqual([
      "warning rules/hunting/h.yaml:5:5 tactics[0] 'Initial access' is read as 'InitialAccess' | Write it as 'InitialAccess', the name Sentinel's filters and Microsoft's tools match.",
      "warning rules/hunting/h.yaml:6:5 tactics[1] 'Command and control' is read as 'CommandAndControl' | Write it as 'CommandAndControl', the name Sentinel's filters and Microsoft's tools match.",
    ]);
    // Normalised, the technique's tactic is listed: no technique-without-tactic warning.
    expect(state.diagnostics.filter((d) => d.code.startsWith("mitre/"))).toEqual([]);
  });
});

describe("our own formats' closed lists", () => {
  it("reads a function parameter type and a watchlist column type in another casing", () => {
    const dir = writeContent({
      "functions/F/F.yaml": "alias: F\ncategory: Security\nparameters:\n  - name: ip\n    type: String\n",
      "functions/F/F.kql": "print ip\n",
      "watchlists/Assets/Assets.yaml":
        "alias: Assets\ndisplayName: Assets\nprovider: p\nitemsSearchKey: Ip\ncolumns:\n  Ip: { type: IP-Address }\n",
      "watchlists/Assets/Assets.csv": "Ip\n192.0.2.1\n",
    });
    const state = buildDesiredState(dir);
    expect(errorsOf(state.diagnostics)).toEqual([]);
    expect(spellings(state.diagnostics).map((s) => s.split(" ").slice(1, 3).join(" "))).toEqual([
      "functions/F/F.yaml:5:11 parameters[0].type",
      "watchlists/Assets/Assets.yaml:6:15 columns.Ip.type",
    ]);
    const fn = state.resources.find((r) => r.content === "function");
    expect(JSON.stringify(fn)).toContain("ip:string");
  });
});
