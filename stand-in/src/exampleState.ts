/**
 * The stand-in's example workspace (stand-in/example-state.json): the
 * project's own content as `pulumi up` leaves it, then changed the way people
 * change a live workspace, so `diff` and `export` have something to show:
 * - a rule edited in the portal (threshold, severity, query), plus edits that
 *   are not drift (tactics reordered, a duration spelled PT60M);
 * - rules nobody put in Git: a portal-made Scheduled rule, an NRT rule
 *   installed from a Content Hub template, and the built-in Fusion rule;
 * - a hunting query and a function made in the portal;
 * - a row added to the allowlist in the portal, and a watchlist made there;
 * - table schemas, including a custom `_CL` table, for `schemas pull`.
 * `npm run stand-in:example` regenerates the file; a test keeps it current.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildDesiredState } from "../../src/loader/desiredState";
import { standInStateFromDesired } from "./fromDesired";
import type { StandInResource, StandInState } from "./state";

export const EXAMPLE_NAMES = {
  subscriptionId: "00000000-0000-4000-8000-0000000000a1",
  resourceGroupName: "rg-sentinel-example",
  workspaceName: "law-sentinel-example",
  tenantId: "00000000-0000-4000-8000-0000000000e1",
} as const;

/** KQL types -> the Tables API's spelling. */
const API_TYPES: Record<string, string> = { bool: "boolean", boolean: "boolean", datetime: "dateTime" };

/** The repository's own data/ folder: the example's tables come from it, whatever content the example is made from. */
const DATA_DIR = join(__dirname, "..", "..", "data");

function bundledTable(name: string): StandInResource {
  const file = JSON.parse(readFileSync(join(DATA_DIR, "tables", "hand-checked", `${name}.json`), "utf8")) as {
    columns: Record<string, string>;
  };
  const standardColumns = Object.entries(file.columns).map(([column, type]) => ({ name: column, type: API_TYPES[type] ?? type }));
  return { name, properties: { schema: { name, tableType: "Microsoft", columns: [], standardColumns } } };
}

const CUSTOM_TABLE: StandInResource = {
  name: "FirewallEvents_CL",
  properties: {
    schema: {
      name: "FirewallEvents_CL",
      tableType: "CustomLog",
      columns: [
        { name: "TimeGenerated", type: "dateTime" },
        { name: "SourceIP", type: "string" },
        { name: "DestinationIP", type: "string" },
        { name: "DestinationPort", type: "int" },
        { name: "Action", type: "string" },
        { name: "BytesSent", type: "long" },
        { name: "Blocked", type: "boolean" },
      ],
      standardColumns: [
        { name: "TenantId", type: "guid" },
        { name: "Type", type: "string" },
        { name: "_ResourceId", type: "string" },
      ],
    },
  },
};

const PORTAL_RULE = {
  name: "5d1c3a4b-8e7f-4a2b-9c6d-0e1f2a3b4c5d",
  kind: "Scheduled",
  properties: {
    displayName: "Mass download by a single user",
    description:
      "A user downloaded more than 500 files from SharePoint or OneDrive within an hour.\nMade in the portal during an incident.",
    severity: "Medium",
    enabled: true,
    query:
      'OfficeActivity\n| where Operation in ("FileDownloaded", "FileSyncDownloadedFull")\n| summarize Files = dcount(OfficeObjectId) by UserId, ClientIP\n| where Files > 500',
    queryFrequency: "PT1H",
    queryPeriod: "PT1H",
    triggerOperator: "GreaterThan",
    triggerThreshold: 0,
    suppressionDuration: "PT1H",
    suppressionEnabled: false,
    tactics: ["Exfiltration", "Collection"],
    techniques: ["T1567", "T1530"],
    entityMappings: [
      { entityType: "Account", fieldMappings: [{ identifier: "FullName", columnName: "UserId" }] },
      { entityType: "IP", fieldMappings: [{ identifier: "Address", columnName: "ClientIP" }] },
    ],
    customDetails: { FilesDownloaded: "Files" },
    incidentConfiguration: {
      createIncident: true,
      groupingConfiguration: {
        enabled: true,
        reopenClosedIncident: false,
        lookbackDuration: "P1D",
        matchingMethod: "Selected",
        groupByEntities: ["Account"],
        groupByAlertDetails: [],
        groupByCustomDetails: [],
      },
    },
    eventGroupingSettings: { aggregationKind: "AlertPerResult" },
    alertDetailsOverride: {
      alertDisplayNameFormat: "Mass download by {{UserId}}",
      alertTacticsColumnName: null,
      alertSeverityColumnName: null,
    },
  },
};

const CONTENT_HUB_NRT_RULE = {
  name: "a3c0b2d1-7e6f-4c5d-8b9a-1f2e3d4c5b6a",
  kind: "NRT",
  properties: {
    displayName: "NRT Privileged role assigned outside PIM",
    description: "Detects a privileged Entra ID role assigned directly rather than through Privileged Identity Management.",
    severity: "High",
    enabled: true,
    query:
      'AuditLogs\n| where OperationName == "Add member to role"\n| where Identity != "MS-PIM"\n| extend Target = tostring(TargetResources[0].userPrincipalName)\n| project TimeGenerated, Target, InitiatedBy = tostring(InitiatedBy.user.userPrincipalName)',
    suppressionDuration: "PT5H",
    suppressionEnabled: false,
    tactics: ["PrivilegeEscalation", "Persistence"],
    techniques: ["T1098", "T1078"],
    subTechniques: ["T1098.003"],
    entityMappings: [{ entityType: "Account", fieldMappings: [{ identifier: "FullName", columnName: "Target" }] }],
    alertRuleTemplateName: "a3c0b2d1-7e6f-4c5d-8b9a-1f2e3d4c5b6a",
    templateVersion: "1.0.3",
    // No incidentConfiguration or eventGroupingSettings: Azure's defaults apply.
  },
};

const FUSION_RULE = {
  name: "BuiltInFusion",
  kind: "Fusion",
  properties: {
    alertRuleTemplateName: "f71aba3d-28fb-450b-b192-4e76a83015c8",
    displayName: "Advanced Multistage Attack Detection",
    description: "Microsoft Sentinel uses Fusion to correlate alerts into incidents.",
    enabled: true,
    severity: "High",
    tactics: ["Collection", "CommandAndControl", "DefenseEvasion"],
  },
};

const PORTAL_HUNTING_QUERY: StandInResource = {
  name: "7b6a5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
  properties: {
    category: "Hunting Queries",
    displayName: "Sign-ins from FirewallEvents_CL blocked sources",
    query:
      "let blocked = FirewallEvents_CL\n    | where TimeGenerated > ago(1d) and Blocked\n    | distinct SourceIP;\nSigninLogs\n| where TimeGenerated > ago(1d)\n| where IPAddress in (blocked)\n| project TimeGenerated, UserPrincipalName, IPAddress, AppDisplayName",
    version: 2,
    tags: [
      { name: "description", value: "Successful or failed sign-ins from addresses the firewall blocked in the last day." },
      { name: "tactics", value: "InitialAccess, CredentialAccess" },
      { name: "techniques", value: "T1078,T1110" },
    ],
  },
};

const PORTAL_FUNCTION: StandInResource = {
  name: "vipusers-lookup",
  properties: {
    category: "Security",
    displayName: "VIP users seen recently",
    query:
      "_GetWatchlist('VIPUsers')\n| where todatetime(LastSeen) > ago(lookback)\n| project UserPrincipalName = tostring(SearchKey), Department",
    functionAlias: "GetRecentVipUsers",
    functionParameters: "lookback:timespan = 30d",
    version: 2,
    tags: [{ name: "description", value: "VIP users from the VIPUsers watchlist seen within the lookback." }],
  },
};

const VIP_WATCHLIST = {
  name: "VIPUsers",
  properties: {
    displayName: "VIP users",
    description: "Executives and administrators whose sign-ins get extra scrutiny.",
    provider: "Security Operations",
    source: "vip-users.csv",
    sourceType: "Local",
    itemsSearchKey: "UserPrincipalName",
    labels: ["vip", "identity"],
  },
  items: [
    {
      name: "2f0e9d8c-7b6a-4c5d-9e8f-7a6b5c4d3e2f",
      properties: { itemsKeyValue: { UserPrincipalName: "ceo@contoso.example", Department: "Board", LastSeen: "2026-11-01" } },
    },
    {
      name: "3a1f0e9d-8c7b-4d6e-8f9a-8b7c6d5e4f3a",
      properties: { itemsKeyValue: { UserPrincipalName: "cfo@contoso.example", Department: "Finance", LastSeen: "2026-10-28" } },
    },
    {
      name: "4b2a1f0e-9d8c-4e7f-9a0b-9c8d7e6f5a4b",
      properties: { itemsKeyValue: { UserPrincipalName: "globaladmin@contoso.example", Department: "IT", LastSeen: "2026-11-20" } },
    },
  ],
};

/** An allowlist row someone added in the portal instead of in the CSV. */
const PORTAL_ALLOWLIST_ITEM: StandInResource = {
  name: "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
  properties: {
    itemsKeyValue: { IPOrRange: "198.51.100.77", Description: "Temporary vendor access (added in the portal)", Owner: "Identity Team" },
  },
};

/** The example workspace: the content in `contentDir` as deployed, then edited in the portal (see README). */
export function buildExampleState(contentDir: string): StandInState {
  const desired = buildDesiredState(contentDir);
  const state = standInStateFromDesired(desired, EXAMPLE_NAMES);

  // Portal edits to the threat-intelligence rule: two real changes, two that are not drift.
  const ti = state.alertRules.find((r) => r.name === "c8d4e6f7-a2b3-5c9d-0e1f-2a3b4c5d6e7f");
  if (ti) {
    ti.properties["triggerThreshold"] = 2;
    ti.properties["severity"] = "Medium";
    ti.properties["tactics"] = [...(ti.properties["tactics"] as string[])].reverse();
    ti.properties["queryPeriod"] = "PT60M";
  }
  // A query tuned in the portal.
  const ropc = state.alertRules.find((r) => r.name === "f1a7b9c0-d5e6-8f2a-3b4c-5d6e7f8a9b0c");
  if (ropc) ropc.properties["query"] = `${String(ropc.properties["query"]).trimEnd()}\n| where AppDisplayName != "Azure Portal"\n`;

  state.alertRules.push(PORTAL_RULE, CONTENT_HUB_NRT_RULE, FUSION_RULE);
  state.savedSearches.push(PORTAL_HUNTING_QUERY, PORTAL_FUNCTION);
  state.watchlists.find((w) => w.name === "NetworkAllowlist")?.items.push(PORTAL_ALLOWLIST_ITEM);
  state.watchlists.push(VIP_WATCHLIST);
  state.tables = [
    ...["AADNonInteractiveUserSignInLogs", "OfficeActivity", "SigninLogs", "ThreatIntelIndicators"].map((t) => bundledTable(t)),
    CUSTOM_TABLE,
  ];
  return state;
}

export function exampleStateText(contentDir: string): string {
  return `${JSON.stringify(buildExampleState(contentDir), null, 2)}\n`;
}
