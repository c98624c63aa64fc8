/** Analytics rule YAML -> alert rule properties, as the REST API receives them. */
import type { Loaded } from "../content/load";
import type { AnalyticsRuleDoc, IncidentConfigurationDoc } from "../schema/analyticsRule";
import {
  API_VERSIONS,
  ARM_TYPES,
  resourceKey,
  type AlertRuleCommonProperties,
  type AlertRuleResource,
  type IncidentConfiguration,
} from "../model/types";
import { TRIGGER_OPERATORS } from "../reference/sentinel";
import { hours, parseDuration, toIsoDuration } from "./duration";
import { cleanDescription } from "./text";
import { parentTechnique } from "../validate/mitre";

/** Azure's own defaults, written out so what we send is what a GET returns. */
export const DEFAULTS = {
  suppressionDuration: hours(1),
  suppressionEnabled: false,
  aggregationKind: "SingleAlert",
  incidentConfiguration: {
    createIncident: true,
    groupingConfiguration: {
      enabled: false,
      reopenClosedIncident: false,
      lookbackDuration: hours(5),
      matchingMethod: "AllEntities",
    },
  },
} as const;

function iso(text: string | undefined, fallbackMs: number): string {
  if (text === undefined) return toIsoDuration(fallbackMs);
  const parsed = parseDuration(text);
  // Validation has already reported unparseable durations; the fallback keeps conversion total.
  return toIsoDuration(parsed.ok ? parsed.ms : fallbackMs);
}

function incidentConfiguration(doc: IncidentConfigurationDoc | undefined): IncidentConfiguration {
  const d = DEFAULTS.incidentConfiguration;
  const g = doc?.groupingConfiguration;
  return {
    createIncident: doc?.createIncident ?? d.createIncident,
    groupingConfiguration: {
      enabled: g?.enabled ?? d.groupingConfiguration.enabled,
      reopenClosedIncident: g?.reopenClosedIncident ?? d.groupingConfiguration.reopenClosedIncident,
      lookbackDuration: iso(g?.lookbackDuration, d.groupingConfiguration.lookbackDuration),
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

function commonProperties(doc: AnalyticsRuleDoc): AlertRuleCommonProperties {
  const props: AlertRuleCommonProperties = {
    displayName: doc.name,
    description: cleanDescription(doc.description),
    enabled: doc.enabled ?? true,
    severity: doc.severity,
    query: doc.query,
    tactics: unique(doc.tactics ?? []),
    // The API takes parent technique ids only (`T####`); sub-techniques go to subTechniques where it exists.
    techniques: unique(ruleTechniques(doc).map(parentTechnique)),
    suppressionDuration: iso(doc.suppressionDuration, DEFAULTS.suppressionDuration),
    suppressionEnabled: doc.suppressionEnabled ?? DEFAULTS.suppressionEnabled,
    incidentConfiguration: incidentConfiguration(doc.incidentConfiguration),
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

export function convertAnalyticsRule(rule: Loaded<AnalyticsRuleDoc>): AlertRuleResource {
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
  const common = commonProperties(doc);
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
  return {
    ...base,
    kind: "Scheduled",
    apiVersion: API_VERSIONS.securityInsights,
    properties: {
      ...common,
      queryFrequency: iso(doc.queryFrequency, hours(1)),
      queryPeriod: iso(doc.queryPeriod, hours(1)),
      triggerOperator: TRIGGER_OPERATORS[doc.triggerOperator ?? "gt"],
      triggerThreshold: doc.triggerThreshold ?? 0,
    },
  };
}
