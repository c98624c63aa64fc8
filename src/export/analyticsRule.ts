/**
 * A live Scheduled or NRT alert rule -> analytics rule YAML in the
 * Azure-Sentinel format, written so that loading it converts back to the
 * same properties: short durations (`1h`, `14d`), `gt`-style operators,
 * upstream key order, and only the settings that differ from Azure's defaults.
 */
import type { LiveResource } from "../azure/liveWorkspace";
import { ALERT_RULE_DEFAULTS as DEFAULTS } from "../sentinel/alertRuleDefaults";
import { formatDurationShort, parseDuration } from "../sentinel/duration";
import { parentTechnique } from "../sentinel/mitre";
import { asString, asStringArray, descriptionForYaml, isObject, type ExportOutcome } from "./types";
import { toYamlText } from "./yamlText";

const OPERATOR_SHORT: Record<string, string> = { GreaterThan: "gt", LessThan: "lt", Equal: "eq", NotEqual: "ne" };
const EXPORTABLE_KINDS = new Set(["Scheduled", "NRT"]);

function shortDuration(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const parsed = parseDuration(value);
  return parsed.ok ? formatDurationShort(parsed.ms) : value;
}

function durationMs(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const parsed = parseDuration(value);
  return parsed.ok ? parsed.ms : undefined;
}

/**
 * The YAML's relevantTechniques from the API's techniques and (NRT) subTechniques:
 * a technique whose sub-techniques are listed is written as those sub-techniques.
 */
function relevantTechniques(techniques: string[], subTechniques: string[]): string[] {
  const out: string[] = [];
  for (const t of techniques) {
    const subs = subTechniques.filter((s) => parentTechnique(s) === t);
    out.push(...(subs.length > 0 ? subs : [t]));
  }
  for (const s of subTechniques) if (!out.includes(s)) out.push(s);
  return [...new Set(out)];
}

function incidentConfiguration(value: unknown): Record<string, unknown> | undefined {
  if (!isObject(value)) return undefined;
  const d = DEFAULTS.incidentConfiguration;
  const g = isObject(value["groupingConfiguration"]) ? value["groupingConfiguration"] : {};
  const grouping: Record<string, unknown> = { enabled: g["enabled"] ?? d.groupingConfiguration.enabled };
  if (g["reopenClosedIncident"] !== undefined) grouping["reopenClosedIncident"] = g["reopenClosedIncident"];
  const lookback = shortDuration(g["lookbackDuration"]);
  if (lookback !== undefined) grouping["lookbackDuration"] = lookback;
  if (g["matchingMethod"] !== undefined) grouping["matchingMethod"] = g["matchingMethod"];
  for (const key of ["groupByEntities", "groupByAlertDetails", "groupByCustomDetails"] as const) {
    const list = asStringArray(g[key]);
    if (list.length > 0) grouping[key] = list;
  }
  const isDefault =
    (value["createIncident"] ?? true) === d.createIncident &&
    grouping["enabled"] === d.groupingConfiguration.enabled &&
    (grouping["reopenClosedIncident"] ?? false) === d.groupingConfiguration.reopenClosedIncident &&
    (durationMs(g["lookbackDuration"]) ?? d.groupingConfiguration.lookbackDuration) === d.groupingConfiguration.lookbackDuration &&
    (grouping["matchingMethod"] ?? d.groupingConfiguration.matchingMethod) === d.groupingConfiguration.matchingMethod &&
    !("groupByEntities" in grouping || "groupByAlertDetails" in grouping || "groupByCustomDetails" in grouping);
  if (isDefault) return undefined;
  return { createIncident: value["createIncident"] ?? d.createIncident, groupingConfiguration: grouping };
}

function alertDetailsOverride(value: unknown): Record<string, unknown> | undefined {
  if (!isObject(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of ["alertDisplayNameFormat", "alertDescriptionFormat", "alertTacticsColumnName", "alertSeverityColumnName"] as const) {
    const v = asString(value[key]);
    if (v !== undefined && v !== "") out[key] = v;
  }
  const dynamic = Array.isArray(value["alertDynamicProperties"]) ? value["alertDynamicProperties"].filter(isObject) : [];
  if (dynamic.length > 0) out["alertDynamicProperties"] = dynamic.map((p) => ({ alertProperty: p["alertProperty"], value: p["value"] }));
  return Object.keys(out).length > 0 ? out : undefined;
}

function entityMappings(value: unknown): unknown[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.filter(isObject).map((m) => ({
    entityType: m["entityType"],
    fieldMappings: (Array.isArray(m["fieldMappings"]) ? m["fieldMappings"].filter(isObject) : []).map((f) => ({
      identifier: f["identifier"],
      columnName: f["columnName"],
    })),
  }));
}

/** The analytics rule YAML document for a live rule (keys in upstream order). */
export function analyticsRuleDocument(rule: LiveResource): Record<string, unknown> {
  const p = rule.properties;
  const kind = rule.kind ?? "Scheduled";
  const doc: Record<string, unknown> = {
    id: rule.name,
    name: asString(p["displayName"]) ?? rule.name,
    description: descriptionForYaml(asString(p["description"]) ?? ""),
    severity: p["severity"],
    requiredDataConnectors: [],
  };
  if (kind === "Scheduled") {
    doc["queryFrequency"] = shortDuration(p["queryFrequency"]);
    doc["queryPeriod"] = shortDuration(p["queryPeriod"]);
    doc["triggerOperator"] = OPERATOR_SHORT[String(p["triggerOperator"])] ?? p["triggerOperator"];
    doc["triggerThreshold"] = p["triggerThreshold"] ?? 0;
  }
  const tactics = asStringArray(p["tactics"]);
  if (tactics.length > 0) doc["tactics"] = tactics;
  const techniques = relevantTechniques(asStringArray(p["techniques"]), asStringArray(p["subTechniques"]));
  if (techniques.length > 0) doc["relevantTechniques"] = techniques;
  doc["query"] = p["query"];
  const mappings = entityMappings(p["entityMappings"]);
  if (mappings) doc["entityMappings"] = mappings;
  const sentinelMappings = Array.isArray(p["sentinelEntitiesMappings"]) ? p["sentinelEntitiesMappings"].filter(isObject) : [];
  if (sentinelMappings.length > 0) doc["sentinelEntitiesMappings"] = sentinelMappings.map((m) => ({ columnName: m["columnName"] }));
  if (isObject(p["customDetails"]) && Object.keys(p["customDetails"]).length > 0) doc["customDetails"] = { ...p["customDetails"] };
  const overrides = alertDetailsOverride(p["alertDetailsOverride"]);
  if (overrides) doc["alertDetailsOverride"] = overrides;
  const aggregation = isObject(p["eventGroupingSettings"]) ? p["eventGroupingSettings"]["aggregationKind"] : undefined;
  if (aggregation !== undefined && aggregation !== DEFAULTS.aggregationKind)
    doc["eventGroupingSettings"] = { aggregationKind: aggregation };
  const incidents = incidentConfiguration(p["incidentConfiguration"]);
  if (incidents) doc["incidentConfiguration"] = incidents;
  const suppression = durationMs(p["suppressionDuration"]);
  if (p["suppressionEnabled"] === true || (suppression !== undefined && suppression !== DEFAULTS.suppressionDuration)) {
    doc["suppressionDuration"] = shortDuration(p["suppressionDuration"]);
    doc["suppressionEnabled"] = p["suppressionEnabled"] === true;
  }
  const template = asString(p["alertRuleTemplateName"]);
  if (template) {
    doc["alertRuleTemplateName"] = template;
    const version = asString(p["templateVersion"]);
    if (version) doc["version"] = version;
  }
  doc["kind"] = kind;
  if (p["enabled"] === false) doc["enabled"] = false;
  return doc;
}

export function exportAnalyticsRule(rule: LiveResource, path: string, header: string[]): ExportOutcome {
  const displayName = asString(rule.properties["displayName"]) ?? rule.name;
  const base = { kind: "alertRule" as const, name: rule.name, displayName };
  if (!EXPORTABLE_KINDS.has(rule.kind ?? "")) {
    return {
      ...base,
      ok: false,
      reason: `its kind is ${rule.kind ?? "unknown"}; only Scheduled and NRT rules are content as code (${rule.kind ?? "this kind"} rules are configured in the Sentinel portal)`,
    };
  }
  if (typeof rule.properties["query"] !== "string" || rule.properties["query"] === "") {
    return { ...base, ok: false, reason: "it has no query" };
  }
  const notes: string[] = [];
  if (rule.kind === "NRT")
    notes.push(
      "NRT rule: it deploys with the preview Sentinel API through azure-native's parameterized package (see docs/azure-behaviours.md §3)",
    );
  const text = toYamlText(analyticsRuleDocument(rule), { header, blockKeys: ["description", "query"] });
  return { ...base, ok: true, files: [{ path, text }], notes };
}
