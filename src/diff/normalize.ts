/**
 * Canonical forms of alert rules, saved searches, watchlists and items, so a
 * desired resource and its live counterpart compare equal whenever Azure
 * would consider them the same:
 * - durations compare as durations (`P1D` = `PT24H` = `1d`);
 * - enum values compare without regard to case;
 * - lists whose order carries no meaning (tactics, techniques, group-bys,
 *   entity mappings, labels, tags) compare as sets;
 * - values Azure fills in by default equal their absence (suppression PT1H,
 *   SingleAlert, the default incident configuration, saved-search version 2);
 * - read-only and server-side fields (etag, lastModifiedUtc, created,
 *   tenantId, templateVersion when we do not set it, ...) are never compared.
 * Queries compare exactly, but for trailing whitespace.
 */
import { parseDuration } from "../sentinel/duration";
import { renderParameters } from "../sentinel/savedSearch";
import { parseFunctionParameters } from "../kql/functionParameters";

/** A field of the canonical form, with how to show its value. */
export interface CanonicalField {
  /** Canonical value; two fields are equal when their `key`s are. */
  key: string;
  /** What to show people (the original spelling of the value). */
  shown: unknown;
  /** For a field holding a query: the text, to show a line diff. */
  text?: string;
  /**
   * A costlier canonical key, computed only when the cheap `key`s differ: two fields
   * are also equal when both have one and they match.
   */
  semanticKey?: () => string;
}

export type Canonical = Map<string, CanonicalField>;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** JSON with object keys sorted. */
export function stable(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v: unknown) =>
      isObj(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, v[k]]),
          )
        : v,
    ) ?? "undefined"
  );
}

function durationKey(value: unknown, fallback?: string): string {
  const text = typeof value === "string" && value !== "" ? value : fallback;
  if (text === undefined) return "none";
  const parsed = parseDuration(text);
  return parsed.ok ? `ms:${parsed.ms}` : `text:${text}`;
}

const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const setKey = (v: unknown, fold = false) =>
  stable(
    [
      ...new Set(
        asArray(v)
          .map((x) => (fold ? lower(x) : x))
          .map((x) => stable(x)),
      ),
    ].sort(),
  );

function field(out: Canonical, name: string, key: string, shown: unknown, text?: string): void {
  out.set(name, { key, shown, ...(text !== undefined ? { text } : {}) });
}

/** Queries compare exactly, except for trailing whitespace: a YAML block's or a file's final newline is not part of the query. */
function queryField(out: Canonical, value: unknown): void {
  const query = typeof value === "string" ? value : "";
  field(out, "query", query.trimEnd(), query.length > 60 ? `${query.slice(0, 57)}...` : query, query);
}

/** Drops null, undefined, empty strings, empty arrays and empty objects, recursively. */
function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(pruneEmpty).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (isObj(value)) {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, pruneEmpty(v)] as const)
      .filter(([, v]) => v !== undefined);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return value === null || value === "" ? undefined : value;
}

function entityMappingsKey(value: unknown): string {
  const mappings = asArray(value).map((m) => {
    const mapping = isObj(m) ? m : {};
    const fields = asArray(mapping["fieldMappings"])
      .map((f) => (isObj(f) ? stable({ identifier: f["identifier"], columnName: f["columnName"] }) : stable(f)))
      .sort();
    return stable({ entityType: mapping["entityType"], fieldMappings: fields });
  });
  return stable(mappings.sort());
}

function alertDetailsKey(value: unknown): { key: string; shown: unknown } {
  const pruned = pruneEmpty(value);
  if (!isObj(pruned)) return { key: "none", shown: undefined };
  const dynamic = asArray(pruned["alertDynamicProperties"])
    .map((p) => stable(p))
    .sort();
  return { key: stable({ ...pruned, alertDynamicProperties: dynamic.length > 0 ? dynamic : undefined }), shown: pruned };
}

/** Azure's defaults for an absent incident configuration, as the converter writes them. */
function incidentKey(value: unknown): { key: string; shown: unknown } {
  const ic = isObj(value) ? value : {};
  const g = isObj(ic["groupingConfiguration"]) ? ic["groupingConfiguration"] : {};
  const canonical = {
    createIncident: ic["createIncident"] ?? true,
    grouping: {
      enabled: g["enabled"] ?? false,
      reopenClosedIncident: g["reopenClosedIncident"] ?? false,
      lookbackDuration: durationKey(g["lookbackDuration"], "PT5H"),
      matchingMethod: lower(g["matchingMethod"] ?? "AllEntities"),
      groupByEntities: setKey(g["groupByEntities"], true),
      groupByAlertDetails: setKey(g["groupByAlertDetails"], true),
      groupByCustomDetails: setKey(g["groupByCustomDetails"]),
    },
  };
  return { key: stable(canonical), shown: value ?? "(Azure's default)" };
}

/** Canonical alert rule: `kind` plus the properties both sides mean the same by. */
export function canonicalAlertRule(kind: string | undefined, p: Obj, options: { templateFields: boolean }): Canonical {
  const out: Canonical = new Map();
  field(out, "kind", String(lower(kind ?? "")), kind);
  for (const name of ["displayName", "description"] as const) {
    const v = typeof p[name] === "string" ? (p[name] as string).trimEnd() : "";
    field(out, name, v, p[name]);
  }
  field(out, "enabled", String(p["enabled"] ?? true), p["enabled"]);
  field(out, "severity", String(lower(p["severity"])), p["severity"]);
  queryField(out, p["query"]);
  if (String(lower(kind)) !== "nrt") {
    field(out, "queryFrequency", durationKey(p["queryFrequency"]), p["queryFrequency"]);
    field(out, "queryPeriod", durationKey(p["queryPeriod"]), p["queryPeriod"]);
    field(out, "triggerOperator", String(lower(p["triggerOperator"])), p["triggerOperator"]);
    field(out, "triggerThreshold", String(p["triggerThreshold"] ?? 0), p["triggerThreshold"]);
  } else {
    field(out, "subTechniques", setKey(p["subTechniques"]), p["subTechniques"] ?? []);
    field(
      out,
      "sentinelEntitiesMappings",
      setKey(asArray(p["sentinelEntitiesMappings"]).map((m) => (isObj(m) ? m["columnName"] : m))),
      p["sentinelEntitiesMappings"],
    );
  }
  field(out, "suppressionDuration", durationKey(p["suppressionDuration"], "PT1H"), p["suppressionDuration"] ?? "PT1H");
  field(out, "suppressionEnabled", String(p["suppressionEnabled"] ?? false), p["suppressionEnabled"] ?? false);
  field(out, "tactics", setKey(p["tactics"], true), p["tactics"] ?? []);
  field(out, "techniques", setKey(p["techniques"]), p["techniques"] ?? []);
  field(out, "entityMappings", entityMappingsKey(p["entityMappings"]), p["entityMappings"] ?? []);
  const details = pruneEmpty(p["customDetails"]);
  field(out, "customDetails", stable(details ?? {}), details ?? {});
  const overrides = alertDetailsKey(p["alertDetailsOverride"]);
  field(out, "alertDetailsOverride", overrides.key, overrides.shown);
  const grouping = isObj(p["eventGroupingSettings"]) ? p["eventGroupingSettings"]["aggregationKind"] : undefined;
  field(out, "eventGroupingSettings.aggregationKind", String(lower(grouping ?? "SingleAlert")), grouping ?? "SingleAlert");
  const incidents = incidentKey(p["incidentConfiguration"]);
  field(out, "incidentConfiguration", incidents.key, incidents.shown);
  if (options.templateFields) {
    field(out, "alertRuleTemplateName", String(p["alertRuleTemplateName"] ?? ""), p["alertRuleTemplateName"]);
    field(out, "templateVersion", String(p["templateVersion"] ?? ""), p["templateVersion"]);
  }
  return out;
}

/**
 * KQL function parameters by meaning: spacing, type-name case and `timespan(1d)` vs `1d`
 * do not matter. Parsing needs Kusto.Language (~1 s to load), so it runs only when the
 * texts differ by more than whitespace.
 */
function parametersSemanticKey(value: unknown): () => string {
  return () => {
    if (typeof value !== "string") return "";
    const parsed = parseFunctionParameters(value);
    return parsed.ok ? renderParameters(parsed.parameters) : value.replace(/\s+/g, "");
  };
}

/** Tags holding comma-separated lists whose order carries no meaning. */
const LIST_TAGS = new Set(["tactics", "techniques"]);

function tagsOf(value: unknown): Obj {
  const tags: Obj = {};
  for (const t of asArray(value)) {
    if (!isObj(t) || typeof t["name"] !== "string") continue;
    const text = String(t["value"] ?? "").trimEnd();
    // An empty tag says nothing: it equals no tag (an exported query without a description gets one).
    if (text === "") continue;
    tags[t["name"]] = LIST_TAGS.has(t["name"].toLowerCase())
      ? [
          ...new Set(
            text
              .split(",")
              .map((s) => s.trim())
              .filter((s) => s !== ""),
          ),
        ]
          .sort()
          .join(",")
      : text;
  }
  return tags;
}

export function canonicalSavedSearch(p: Obj): Canonical {
  const out: Canonical = new Map();
  field(out, "category", String(p["category"] ?? ""), p["category"]);
  field(out, "displayName", String(p["displayName"] ?? ""), p["displayName"]);
  queryField(out, p["query"]);
  field(out, "functionAlias", String(p["functionAlias"] ?? ""), p["functionAlias"]);
  const parameters = p["functionParameters"];
  out.set("functionParameters", {
    key: typeof parameters === "string" ? parameters.replace(/\s+/g, "") : "",
    shown: parameters,
    semanticKey: parametersSemanticKey(parameters),
  });
  const tags = tagsOf(p["tags"]);
  field(out, "tags", stable(tags), tags);
  // The service records query-language version 2 when none is given.
  field(out, "version", String(p["version"] ?? 2), p["version"] ?? 2);
  return out;
}

export function canonicalWatchlist(p: Obj): Canonical {
  const out: Canonical = new Map();
  for (const name of ["displayName", "provider", "itemsSearchKey", "source"] as const) field(out, name, String(p[name] ?? ""), p[name]);
  field(out, "description", String(p["description"] ?? "").trimEnd(), p["description"]);
  field(out, "labels", setKey(p["labels"]), p["labels"] ?? []);
  field(out, "defaultDuration", durationKey(p["defaultDuration"]), p["defaultDuration"]);
  return out;
}

export function canonicalWatchlistItem(p: Obj): Canonical {
  const out: Canonical = new Map();
  // An empty cell and an absent column mean the same to _GetWatchlist(); values are strings in the CSV.
  const values = isObj(p["itemsKeyValue"])
    ? Object.fromEntries(
        Object.entries(p["itemsKeyValue"])
          .filter(([, v]) => v !== null && v !== undefined && v !== "")
          .map(([k, v]) => [k, String(v)]),
      )
    : {};
  field(out, "itemsKeyValue", stable(values), values);
  return out;
}
