/** Every field converts to exactly what Azure receives (and echoes back). */
import { describe, expect, it } from "vitest";
import { buildDesiredState } from "../src/loader/desiredState";
import type { DesiredResource, FunctionResource, HuntingQueryResource, ScheduledRuleResource, NrtRuleResource } from "../src/model/types";
import { watchlistItemId } from "../src/sentinel/watchlistItem";
import { errorsOf, PROJECT_DIR, writeContent, SEED_PROJECT_DIR } from "./helpers/content";

const FULL_RULE = `id: 0B8F3C1A-1111-4222-8333-944455556666
name: Every field
description: |
  'Quoted description with a trailing newline'
kind: Scheduled
severity: High
version: 1.2.3
status: Available
requiredDataConnectors:
  - connectorId: AzureActiveDirectory
    dataTypes:
      - SigninLogs
queryFrequency: 1h10m
queryPeriod: 2d
triggerOperator: ne
triggerThreshold: 7
tactics:
  - InitialAccess
  - Persistence
  - InitialAccess
relevantTechniques:
  - T1078.004
  - T1078.001
  - T1133
query: |
  SigninLogs
  | project TimeGenerated, UserPrincipalName, IPAddress, Sev = "High", Tac = "InitialAccess", Link = "https://x"
entityMappings:
  - entityType: Account
    fieldMappings:
      - identifier: FullName
        columnName: UserPrincipalName
  - entityType: IP
    fieldMappings:
      - identifier: Address
        columnName: IPAddress
customDetails:
  User: UserPrincipalName
alertDetailsOverride:
  alertDisplayNameFormat: "Sign-in by {{UserPrincipalName}}"
  alertDescriptionFormat: "From {{IPAddress}}"
  alertTacticsColumnName: Tac
  alertSeverityColumnName: Sev
  alertDynamicProperties:
    - alertProperty: AlertLink
      value: Link
eventGroupingSettings:
  aggregationKind: AlertPerResult
incidentConfiguration:
  createIncident: false
  groupingConfiguration:
    enabled: true
    reopenClosedIncident: true
    lookbackDuration: 1d
    matchingMethod: Selected
    groupByEntities:
      - Account
    groupByAlertDetails:
      - DisplayName
    groupByCustomDetails:
      - User
suppressionDuration: 90m
suppressionEnabled: true
enabled: false
tags:
  - Example
metadata:
  source:
    kind: Community
`;

function build(files: Record<string, string>) {
  const state = buildDesiredState(writeContent(files));
  expect(errorsOf(state.diagnostics)).toEqual([]);
  return state;
}
const find = <T extends DesiredResource>(resources: DesiredResource[], content: T["content"]) =>
  resources.find((r) => r.content === content) as T;

describe("analytics rule conversion", () => {
  it("converts every field of a Scheduled rule", () => {
    const rule = find<ScheduledRuleResource>(build({ "rules/analytics/full.yaml": FULL_RULE }).resources, "analyticsRule");
    expect(rule).toMatchObject({
      type: "Microsoft.SecurityInsights/alertRules",
      kind: "Scheduled",
      // The ARM name is the id, lower-cased so a change of letter case never renames the rule.
      name: "0b8f3c1a-1111-4222-8333-944455556666",
      apiVersion: "2024-09-01",
      origin: { file: "rules/analytics/full.yaml", line: 1 },
    });
    expect(rule.properties).toEqual({
      displayName: "Every field",
      description: "Quoted description with a trailing newline",
      enabled: false,
      severity: "High",
      query: 'SigninLogs\n| project TimeGenerated, UserPrincipalName, IPAddress, Sev = "High", Tac = "InitialAccess", Link = "https://x"\n',
      queryFrequency: "PT1H10M",
      queryPeriod: "P2D",
      triggerOperator: "NotEqual",
      triggerThreshold: 7,
      tactics: ["InitialAccess", "Persistence"],
      techniques: ["T1078", "T1133"],
      suppressionDuration: "PT1H30M",
      suppressionEnabled: true,
      entityMappings: [
        { entityType: "Account", fieldMappings: [{ identifier: "FullName", columnName: "UserPrincipalName" }] },
        { entityType: "IP", fieldMappings: [{ identifier: "Address", columnName: "IPAddress" }] },
      ],
      customDetails: { User: "UserPrincipalName" },
      alertDetailsOverride: {
        alertDisplayNameFormat: "Sign-in by {{UserPrincipalName}}",
        alertDescriptionFormat: "From {{IPAddress}}",
        alertTacticsColumnName: "Tac",
        alertSeverityColumnName: "Sev",
        alertDynamicProperties: [{ alertProperty: "AlertLink", value: "Link" }],
      },
      eventGroupingSettings: { aggregationKind: "AlertPerResult" },
      incidentConfiguration: {
        createIncident: false,
        groupingConfiguration: {
          enabled: true,
          reopenClosedIncident: true,
          lookbackDuration: "P1D",
          matchingMethod: "Selected",
          groupByEntities: ["Account"],
          groupByAlertDetails: ["DisplayName"],
          groupByCustomDetails: ["User"],
        },
      },
    });
  });

  it("writes Azure's defaults explicitly when the YAML leaves them out", () => {
    const minimal = `id: 5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d
name: Minimal
description: d
kind: Scheduled
severity: Low
queryFrequency: 24h
queryPeriod: 24h
triggerOperator: GreaterThan
triggerThreshold: 0
query: SigninLogs
`;
    const rule = find<ScheduledRuleResource>(build({ "rules/analytics/m.yaml": minimal }).resources, "analyticsRule");
    expect(rule.properties).toEqual({
      displayName: "Minimal",
      description: "d",
      enabled: true,
      severity: "Low",
      query: "SigninLogs",
      queryFrequency: "P1D",
      queryPeriod: "P1D",
      triggerOperator: "GreaterThan",
      triggerThreshold: 0,
      tactics: [],
      techniques: [],
      suppressionDuration: "PT1H",
      suppressionEnabled: false,
      eventGroupingSettings: { aggregationKind: "SingleAlert" },
      incidentConfiguration: {
        createIncident: true,
        groupingConfiguration: {
          enabled: false,
          reopenClosedIncident: false,
          lookbackDuration: "PT5H",
          matchingMethod: "AllEntities",
          groupByEntities: [],
          groupByAlertDetails: [],
          groupByCustomDetails: [],
        },
      },
    });
  });

  it("maps each trigger operator spelling to the API name", () => {
    const rule = (op: string) =>
      `id: 5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d\nname: n\ndescription: d\nkind: Scheduled\nseverity: Low\nqueryFrequency: 1h\nqueryPeriod: 1h\ntriggerOperator: ${op}\ntriggerThreshold: 1\nquery: T\n`;
    const operators = ["gt", "lt", "eq", "ne", "GreaterThan", "LessThan", "Equal", "NotEqual"].map(
      (op) =>
        find<ScheduledRuleResource>(build({ "rules/analytics/r.yaml": rule(op) }).resources, "analyticsRule").properties.triggerOperator,
    );
    expect(operators).toEqual(["GreaterThan", "LessThan", "Equal", "NotEqual", "GreaterThan", "LessThan", "Equal", "NotEqual"]);
  });

  it("converts an NRT rule for the preview API, keeping sub-techniques", () => {
    const nrt = FULL_RULE.replace("kind: Scheduled", "kind: NRT")
      .replace(/queryFrequency: .*\n|queryPeriod: .*\n|triggerOperator: .*\n|triggerThreshold: .*\n/g, "")
      .concat("sentinelEntitiesMappings:\n  - columnName: Entities\n");
    const rule = find<NrtRuleResource>(build({ "rules/analytics/nrt.yaml": nrt }).resources, "analyticsRule");
    expect(rule).toMatchObject({ kind: "NRT", apiVersion: "2025-04-01-preview" });
    expect(rule.properties).not.toHaveProperty("queryFrequency");
    expect(rule.properties.subTechniques).toEqual(["T1078.004", "T1078.001"]);
    expect(rule.properties.techniques).toEqual(["T1078", "T1133"]);
    expect(rule.properties.sentinelEntitiesMappings).toEqual([{ columnName: "Entities" }]);
  });
});

describe("seed content", () => {
  const state = buildDesiredState(SEED_PROJECT_DIR);
  const byName = new Map(state.resources.map((r) => [r.name, r]));

  it("converts the three seed rules with their ids and canonical durations", () => {
    const ropc = byName.get("c3d4e5f6-a7b8-9c0d-1e2f-3a4b5c6d7e8f") as ScheduledRuleResource;
    expect(ropc.properties).toMatchObject({
      displayName: "ROPC Sign-In from New Country or ASN for User",
      severity: "Medium",
      queryFrequency: "PT1H",
      queryPeriod: "P14D",
      triggerOperator: "GreaterThan",
      triggerThreshold: 0,
      tactics: ["InitialAccess", "CredentialAccess", "DefenseEvasion"],
      techniques: ["T1078", "T1550"],
      customDetails: { SignInCount: "Count", Countries: "Countries", ASNs: "ASNs", Apps: "Apps" },
      incidentConfiguration: {
        createIncident: true,
        groupingConfiguration: {
          enabled: true,
          reopenClosedIncident: false,
          lookbackDuration: "PT5H",
          matchingMethod: "AnyAlert",
          groupByEntities: ["Account"],
        },
      },
    });
    const ti = byName.get("c8d4e6f7-a2b3-5c9d-0e1f-2a3b4c5d6e7f") as ScheduledRuleResource;
    expect(ti.properties).toMatchObject({
      queryFrequency: "PT15M",
      queryPeriod: "PT1H",
      severity: "High",
      techniques: ["T1528", "T1078", "T1539"],
    });
    const ropcDetected = byName.get("f1a7b9c0-d5e6-8f2a-3b4c-5d6e7f8a9b0c") as ScheduledRuleResource;
    expect(ropcDetected.properties.query).toContain("| invoke ExcludeAllowlistedIPs_AADNI()");
  });

  it("converts the hunting queries to saved searches with the packager's tags", () => {
    const unfamiliar = byName.get("6962473c-bcb8-421d-a0db-826078cad280") as HuntingQueryResource;
    expect(unfamiliar.type).toBe("Microsoft.OperationalInsights/workspaces/savedSearches");
    expect(unfamiliar.properties).toMatchObject({
      category: "Hunting Queries",
      displayName: "Unfamiliar Signin Correlation with AzurePortal Signin Attempts and AuditLogs",
      version: 2,
    });
    expect(unfamiliar.properties.tags).toEqual([
      {
        name: "description",
        value:
          "This query looks for unfamiliar Sign-in's thats not seen recently for the given user\n with azure portal login attempts and audit logs to help detect and reduce the analysis timeline for defenders",
      },
      { name: "tactics", value: "InitialAccess,Impact" },
      { name: "techniques", value: "T1190,T1078" },
    ]);
    // The whole query from the seed's "KQL Query" section, not the cut-off definition block.
    expect(unfamiliar.properties.query).toMatch(
      /\| project AccountCustomEntity,AppDisplayName,IPAddress,Location,StatusCode,StatusDetails\n$/,
    );
    const added = byName.get("9644e2ae-07a2-4086-a85a-6ee2bca45f4e") as HuntingQueryResource;
    expect(added.properties.tags?.map((t) => t.name)).toEqual(["description", "tactics"]);
  });

  it("converts the function to a saved search with alias and parameters", () => {
    const fn = byName.get("ExcludeAllowlistedIPs_AADNI") as FunctionResource;
    expect(fn.properties).toMatchObject({
      category: "Security",
      functionAlias: "ExcludeAllowlistedIPs_AADNI",
      functionParameters: "T:(IPAddress:string)",
      version: 2,
    });
    expect(fn.properties.query).toContain("_GetWatchlist('NetworkAllowlist')");
    expect(fn.dependsOn).toEqual(["Microsoft.SecurityInsights/watchlists/networkallowlist"]);
  });

  it("makes the watchlist CSV authoritative: one item per row, with stable ids from the search key", () => {
    const items = state.resources.filter((r) => r.content === "watchlistItem");
    expect(items).toHaveLength(5);
    expect(items[0]).toMatchObject({
      type: "Microsoft.SecurityInsights/watchlists/watchlistItems",
      watchlistAlias: "NetworkAllowlist",
      name: watchlistItemId("NetworkAllowlist", "192.0.2.0/28"),
      origin: { file: "watchlists/NetworkAllowlist/NetworkAllowlist.csv", line: 2 },
      properties: {
        itemsKeyValue: {
          IPOrRange: "192.0.2.0/28",
          Description: "Example head-office egress NAT (RFC 5737 documentation range)",
          Owner: "Network Engineering",
        },
      },
    });
    const watchlist = state.resources.find((r) => r.content === "watchlist");
    expect(watchlist?.properties).toEqual({
      displayName: "Network allowlist",
      provider: "Security Operations",
      itemsSearchKey: "IPOrRange",
      source: "NetworkAllowlist.csv",
      sourceType: "Local",
      description:
        "Corporate egress networks, VPN concentrators and partner ranges whose sign-ins are excluded from the ROPC detections. IPOrRange holds a single IPv4/IPv6 address, a CIDR, or an a-b range.",
    });
  });
});

describe("functions", () => {
  it("renders parameters in KQL declaration syntax", () => {
    const state = build({
      "functions/F.yaml": [
        "alias: F",
        "category: Parsers",
        "parameters:",
        "  - { name: T, type: table }",
        "  - { name: U, type: table, columns: [{ name: A, type: string }, { name: B, type: long }] }",
        "  - { name: n, type: int }",
        '  - { name: s, type: string, default: "a\'b" }',
        "  - { name: since, type: timespan, default: 1d }",
        "  - { name: flag, type: bool, default: false }",
      ].join("\n"),
      "functions/F.kql": "T | take 1\r\n",
    });
    const fn = find<FunctionResource>(state.resources, "function");
    expect(fn.properties.functionParameters).toBe(
      'T:(*), U:(A:string, B:long), n:int, s:string = "a\'b", since:timespan = timespan(1d), flag:bool = false',
    );
    // The file's final newline is not part of the query (the exporter writes it back).
    expect(fn.properties.query).toBe("T | take 1");
    expect(fn.properties.displayName).toBe("F");
  });

  it("rejects parameter orders KQL does not allow", () => {
    const state = buildDesiredState(
      writeContent({
        "functions/F.yaml":
          "alias: F\ncategory: c\nparameters:\n  - { name: a, type: int, default: 1 }\n  - { name: b, type: int }\n  - { name: T, type: table }\n",
        "functions/F.kql": "print 1",
      }),
    );
    expect(errorsOf(state.diagnostics).map((d) => [d.code, d.field])).toEqual([
      ["function/parameter-order", "parameters[1].name"],
      ["function/parameter-order", "parameters[2].type"],
    ]);
  });

  it("needs its .kql body beside it", () => {
    const state = buildDesiredState(writeContent({ "functions/G.yaml": "alias: G\ncategory: c\n" }));
    expect(state.diagnostics[0]).toMatchObject({
      code: "content/missing-file",
      file: "functions/G.yaml",
      message: "function body 'functions/G.kql' does not exist",
    });
  });
});
