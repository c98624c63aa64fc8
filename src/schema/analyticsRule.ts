/**
 * Analytics rule YAML, in the format of the Azure-Sentinel repository
 * (Detections/ and Solutions/<name>/Analytic Rules/).
 */
import Type from "typebox";
import {
  AGGREGATION_KINDS,
  ALERT_DETAILS,
  ALERT_PROPERTIES,
  ATTACK_TACTICS,
  ENTITY_TYPE_NAMES,
  MATCHING_METHODS,
  SEVERITIES,
  TRIGGER_OPERATOR_SPELLINGS,
} from "../sentinel/reference";
import {
  Canonical,
  Duration,
  Enum,
  OneOf,
  EntityMappings,
  Guid,
  RequiredDataConnectors,
  StringList,
  UpstreamMetadata,
  UpstreamTags,
} from "./common";

export const AlertDetailsOverrideSchema = Type.Object(
  {
    alertDisplayNameFormat: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: "Alert name; may use up to 3 {{Column}} placeholders." }),
    ),
    alertDescriptionFormat: Type.Optional(
      Type.String({ minLength: 1, maxLength: 5000, description: "Alert description; may use up to 3 {{Column}} placeholders." }),
    ),
    alertTacticsColumnName: Type.Optional(Type.String({ description: "Result column holding the alert's tactics." })),
    alertSeverityColumnName: Type.Optional(Type.String({ description: "Result column holding the alert's severity." })),
    alertDynamicProperties: Type.Optional(
      Type.Array(
        Type.Object(
          {
            alertProperty: Enum(ALERT_PROPERTIES, "Alert property to set from a column."),
            value: Type.String({ description: "Result column holding the value." }),
          },
          { additionalProperties: false },
        ),
        { description: "Alert properties taken from result columns." },
      ),
    ),
  },
  { additionalProperties: false, description: "Per-alert name, description, tactics, severity and properties from the query result." },
);

export const IncidentConfigurationSchema = Type.Object(
  {
    createIncident: Type.Boolean({ description: "Create incidents from the alerts this rule raises." }),
    groupingConfiguration: Type.Optional(
      Type.Object(
        {
          enabled: Type.Boolean({ description: "Group related alerts into one incident." }),
          reopenClosedIncident: Type.Optional(
            Type.Boolean({ description: "Re-open a closed incident when a new alert matches it. Default false." }),
          ),
          lookbackDuration: Type.Optional(Duration("How far back to look for an incident to group into (5m to 7d). Default 5h.")),
          matchingMethod: Type.Optional(Enum(MATCHING_METHODS, "How alerts are matched. Default AllEntities.")),
          groupByEntities: Type.Optional(
            Type.Array(Canonical(ENTITY_TYPE_NAMES, "Entity type to group by."), {
              description: "Entity types to group by (with matchingMethod Selected).",
            }),
          ),
          groupByAlertDetails: Type.Optional(
            Type.Array(Enum(ALERT_DETAILS, "Alert detail to group by."), { description: "Alert details to group by." }),
          ),
          groupByCustomDetails: Type.Optional(StringList("Custom detail keys to group by.")),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: "Incident creation and alert grouping." },
);

export const AnalyticsRuleSchema = Type.Object(
  {
    id: Guid("Rule id (a GUID). It becomes the alert rule's name in Azure; never change it once deployed."),
    name: Type.String({ minLength: 1, maxLength: 256, description: "Display name." }),
    description: Type.String({ maxLength: 5000, description: "What the rule detects and why." }),
    kind: Enum(["Scheduled", "NRT"], "Rule kind: Scheduled (runs every queryFrequency) or NRT (near-real-time)."),
    severity: Enum(SEVERITIES, "Alert severity."),
    version: Type.Optional(Type.String({ pattern: "^\\d+\\.\\d+\\.\\d+$", maxLength: 20, description: "Content version a.b.c." })),
    status: Type.Optional(Type.String({ description: "Template status (Available). Not sent to Azure." })),
    enabled: Type.Optional(Type.Boolean({ description: "Deploy the rule enabled (default true). A stack can override this." })),
    requiredDataConnectors: Type.Optional(RequiredDataConnectors),
    queryFrequency: Type.Optional(Duration("How often the query runs (Scheduled: 5m to 14d).")),
    queryPeriod: Type.Optional(Duration("How much data each run sees (Scheduled: 5m to 14d, at least queryFrequency).")),
    triggerOperator: Type.Optional(
      Enum(TRIGGER_OPERATOR_SPELLINGS, "Compare the result count with triggerThreshold: gt, lt, eq, ne (or GreaterThan, ...)."),
    ),
    triggerThreshold: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, description: "Result count threshold (0 to 10000)." })),
    tactics: Type.Optional(Type.Array(OneOf(ATTACK_TACTICS, "MITRE ATT&CK tactic."), { description: "MITRE ATT&CK tactics." })),
    relevantTechniques: Type.Optional(
      Type.Array(Type.String({ pattern: "^T\\d{4}(\\.\\d{3})?$" }), {
        description: "MITRE ATT&CK technique ids, e.g. T1078 or T1078.004.",
      }),
    ),
    techniques: Type.Optional(
      Type.Array(Type.String({ pattern: "^T\\d{4}(\\.\\d{3})?$" }), { description: "Deprecated spelling of relevantTechniques." }),
    ),
    query: Type.String({ minLength: 1, maxLength: 10000, description: "The KQL query (at most 10,000 characters)." }),
    entityMappings: Type.Optional(EntityMappings(10)),
    sentinelEntitiesMappings: Type.Optional(
      Type.Array(Type.Object({ columnName: Type.String() }, { additionalProperties: false }), {
        description: "Columns holding Sentinel entities (preview API only).",
      }),
    ),
    customDetails: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: "Custom detail name -> result column (up to 20)." }),
    ),
    alertDetailsOverride: Type.Optional(AlertDetailsOverrideSchema),
    eventGroupingSettings: Type.Optional(
      Type.Object(
        { aggregationKind: Enum(AGGREGATION_KINDS, "SingleAlert (one alert per run) or AlertPerResult.") },
        { additionalProperties: false, description: "How query results become alerts." },
      ),
    ),
    incidentConfiguration: Type.Optional(IncidentConfigurationSchema),
    suppressionDuration: Type.Optional(Duration("Stop running the rule this long after it fires (at most 24h).")),
    suppressionEnabled: Type.Optional(Type.Boolean({ description: "Enable suppression after an alert." })),
    alertRuleTemplateName: Type.Optional(
      Type.Union([Type.String(), Type.Null()], { description: "Name of the template the rule was created from, if any." }),
    ),
    tags: Type.Optional(UpstreamTags),
    metadata: Type.Optional(UpstreamMetadata),
  },
  {
    additionalProperties: false,
    // Scheduled rules need their schedule and trigger; NRT rules have neither.
    if: { properties: { kind: { const: "Scheduled" } }, required: ["kind"] },
    then: { required: ["queryFrequency", "queryPeriod", "triggerOperator", "triggerThreshold"] },
    title: "Microsoft Sentinel analytics rule",
    description: "An analytics rule in the Azure-Sentinel YAML format.",
  },
);

export type AnalyticsRuleDoc = Type.Static<typeof AnalyticsRuleSchema>;
export type AlertDetailsOverrideDoc = Type.Static<typeof AlertDetailsOverrideSchema>;
export type IncidentConfigurationDoc = Type.Static<typeof IncidentConfigurationSchema>;
