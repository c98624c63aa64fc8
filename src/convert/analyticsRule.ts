/** Analytics rule YAML -> alert rule properties, as the REST API receives them. */
import type { RuleTiming } from "../content/durations";
import type { LoadedAnalyticsRule } from "../content/load";
import type { AnalyticsRuleDoc, IncidentConfigurationDoc } from "../schema/analyticsRule";
import { resourceKey, type AlertRuleCommonProperties, type AlertRuleResource, type IncidentConfiguration } from "../model/types";
import { ALERT_RULE_DEFAULTS as DEFAULTS } from "../sentinel/alertRuleDefaults";
import { API_VERSIONS, ARM_TYPES } from "../sentinel/arm";
import { toIsoDuration, type DurationMs } from "../sentinel/duration";
import { parentTechnique } from "../sentinel/mitre";
import { TRIGGER_OPERATORS } from "../sentinel/reference";
import { cleanDescription } from "./text";

/** A duration the loader parsed, or Azure's default, in the form Azure echoes back. */
function iso(ms: DurationMs | undefined, fallbackMs: DurationMs): string {
  return toIsoDuration(ms ?? fallbackMs);
}

function incidentConfiguration(doc: IncidentConfigurationDoc | undefined, timing: RuleTiming): IncidentConfiguration {
  const d = DEFAULTS.incidentConfiguration;
  const g = doc?.groupingConfiguration;
  return {
    createIncident: doc?.createIncident ?? d.createIncident,
    groupingConfiguration: {
      enabled: g?.enabled ?? d.groupingConfiguration.enabled,
      reopenClosedIncident: g?.reopenClosedIncident ?? d.groupingConfiguration.reopenClosedIncident,
      lookbackDuration: iso(timing.groupingLookback, d.groupingConfiguration.lookbackDuration),
      matchingMethod: g?.matchingMethod ?? d.groupingConfiguration.matchingMethod,
      groupByEntities: [...(g?.groupByEntities ?? [])],
      groupByAlertDetails: [...(g?.groupByAlertDetails ?? [])],
      groupByCustomDetails: [...(g?.groupByCustomDetails ?? [])],
    },
  };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** The technique ids a rule lists, whichever key it used. */
export function ruleTechniques(doc: AnalyticsRuleDoc): string[] {
  return doc.relevantTechniques !== undefined && doc.relevantTechniques.length > 0 ? doc.relevantTechniques : (doc.techniques ?? []);
}

function commonProperties(doc: AnalyticsRuleDoc, timing: RuleTiming): AlertRuleCommonProperties {
  const props: AlertRuleCommonProperties = {
    displayName: doc.name,
    description: cleanDescription(doc.description),
    enabled: doc.enabled ?? true,
    severity: doc.severity,
    query: doc.query,
    tactics: unique(doc.tactics ?? []),
    // The API takes parent technique ids only (`T####`); sub-techniques go to subTechniques where it exists.
    techniques: unique(ruleTechniques(doc).map(parentTechnique)),
    suppressionDuration: iso(timing.suppressionDuration, DEFAULTS.suppressionDuration),
    suppressionEnabled: doc.suppressionEnabled ?? DEFAULTS.suppressionEnabled,
    incidentConfiguration: incidentConfiguration(doc.incidentConfiguration, timing),
    eventGroupingSettings: { aggregationKind: doc.eventGroupingSettings?.aggregationKind ?? DEFAULTS.aggregationKind },
  };
  if (doc.entityMappings !== undefined) {
    props.entityMappings = doc.entityMappings.map((m) => ({
      entityType: m.entityType,
      fieldMappings: m.fieldMappings.map((f) => ({ identifier: f.identifier, columnName: f.columnName })),
    }));
  }
  if (doc.customDetails !== undefined) props.customDetails = { ...doc.customDetails };
  if (doc.alertDetailsOverride !== undefined) {
    const o = doc.alertDetailsOverride;
    props.alertDetailsOverride = {
      ...(o.alertDisplayNameFormat !== undefined ? { alertDisplayNameFormat: o.alertDisplayNameFormat } : {}),
      ...(o.alertDescriptionFormat !== undefined ? { alertDescriptionFormat: o.alertDescriptionFormat } : {}),
      ...(o.alertTacticsColumnName !== undefined ? { alertTacticsColumnName: o.alertTacticsColumnName } : {}),
      ...(o.alertSeverityColumnName !== undefined ? { alertSeverityColumnName: o.alertSeverityColumnName } : {}),
      ...(o.alertDynamicProperties !== undefined
        ? { alertDynamicProperties: o.alertDynamicProperties.map((p) => ({ alertProperty: p.alertProperty, value: p.value })) }
        : {}),
    };
  }
  if (typeof doc.alertRuleTemplateName === "string" && doc.alertRuleTemplateName !== "") {
    props.alertRuleTemplateName = doc.alertRuleTemplateName;
    if (doc.version !== undefined) props.templateVersion = doc.version;
  }
  return props;
}

export function convertAnalyticsRule(rule: LoadedAnalyticsRule): AlertRuleResource {
  const doc = rule.doc;
  const name = doc.id.toLowerCase();
  const base = {
    key: resourceKey(ARM_TYPES.alertRule, name),
    type: ARM_TYPES.alertRule,
    name,
    dependsOn: [] as string[],
    origin: { file: rule.file, line: 1 },
    content: "analyticsRule" as const,
  };
  const common = commonProperties(doc, rule.timing);
  if (doc.kind === "NRT") {
    const sub = unique(ruleTechniques(doc).filter((t) => t.includes(".")));
    return {
      ...base,
      kind: "NRT",
      apiVersion: API_VERSIONS.securityInsightsNrt,
      properties: {
        ...common,
        ...(sub.length > 0 ? { subTechniques: sub } : {}),
        ...(doc.sentinelEntitiesMappings !== undefined
          ? { sentinelEntitiesMappings: doc.sentinelEntitiesMappings.map((m) => ({ columnName: m.columnName })) }
          : {}),
      },
    };
  }
  const queryFrequency = rule.timing.queryFrequency ?? DEFAULTS.queryFrequency;
  const queryPeriod = rule.timing.queryPeriod ?? DEFAULTS.queryPeriod;
  return {
    ...base,
    kind: "Scheduled",
    apiVersion: API_VERSIONS.securityInsights,
    schedule: { queryFrequency, queryPeriod },
    properties: {
      ...common,
      queryFrequency: toIsoDuration(queryFrequency),
      queryPeriod: toIsoDuration(queryPeriod),
      triggerOperator: TRIGGER_OPERATORS[doc.triggerOperator ?? "gt"],
      triggerThreshold: doc.triggerThreshold ?? DEFAULTS.triggerThreshold,
    },
  };
}
