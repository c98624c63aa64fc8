/**
 * The stand-in's world: one Log Analytics workspace with Sentinel content, as plain JSON.
 *
 * The state holds only what a user of Azure sets (names, kinds, properties). The stand-in adds
 * what Azure adds itself (id, type, etag, lastModifiedUtc, watchlistId, created, ...) when it
 * renders a GET body, so a state file can be written by hand or exported from a real workspace;
 * values present in the state always win over the generated ones.
 */
import { readFileSync } from "node:fs";

export interface StandInResource {
  /** The ARM resource name: rule id, saved-search id, table name, watchlist item id. */
  name: string;
  /** Alert rules only: `Scheduled`, `NRT`, `Fusion`, ... */
  kind?: string;
  /** Served as-is; generated from the name when absent. */
  etag?: string;
  properties: Record<string, unknown>;
}

export interface StandInAlertRule extends StandInResource {
  kind: string;
}

export interface StandInWatchlist {
  /** The watchlist alias, which is its ARM name. */
  name: string;
  etag?: string;
  properties: Record<string, unknown>;
  items: StandInResource[];
}

export interface StandInState {
  subscriptionId: string;
  resourceGroupName: string;
  workspaceName: string;
  /** The Entra tenant the stand-in's token endpoint accepts; a fixed GUID when absent. */
  tenantId?: string;
  alertRules: StandInAlertRule[];
  watchlists: StandInWatchlist[];
  savedSearches: StandInResource[];
  tables: StandInResource[];
}

export class StandInStateError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source} is not a valid stand-in state:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "StandInStateError";
  }
}

const TOP_LEVEL_KEYS = new Set([
  "$schema",
  "subscriptionId",
  "resourceGroupName",
  "workspaceName",
  "tenantId",
  "alertRules",
  "watchlists",
  "savedSearches",
  "tables",
]);
const RESOURCE_KEYS = new Set(["name", "kind", "etag", "properties"]);
const WATCHLIST_KEYS = new Set(["name", "etag", "properties", "items"]);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// ARM names travel in URL paths; these characters would change the path's meaning.
const UNSAFE_NAME = /[/?#%\\]/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class Checker {
  readonly problems: string[] = [];

  /** `allowUnsafeNames`: serve names ARM would refuse, as a hostile or broken server might. */
  constructor(private readonly allowUnsafeNames = false) {}

  string(value: unknown, path: string, hint: string): string {
    if (typeof value === "string" && value.trim() !== "") return value;
    this.problems.push(`${path} ${value === undefined ? "is missing" : "must be a non-empty string"}; ${hint}`);
    return "";
  }

  unknownKeys(value: Record<string, unknown>, allowed: Set<string>, path: string): void {
    for (const key of Object.keys(value)) {
      if (!allowed.has(key)) this.problems.push(`${path}.${key} is not a known field; allowed: ${[...allowed].join(", ")}`);
    }
  }

  name(value: unknown, path: string, seen: Set<string>): string {
    const name = this.string(value, path, "give the resource's ARM name");
    if (name && !this.allowUnsafeNames && UNSAFE_NAME.test(name))
      this.problems.push(`${path} '${name}' contains '/', '?', '#', '%' or '\\', which ARM names cannot`);
    // ARM names are case-insensitive: two names differing only in case are one resource.
    const key = name.toLowerCase();
    if (name && seen.has(key))
      this.problems.push(`${path} '${name}' is used twice (ARM names are case-insensitive); give each resource its own name`);
    seen.add(key);
    return name;
  }

  resource(value: unknown, path: string, seen: Set<string>, kindRequired: boolean): StandInResource | undefined {
    if (!isObject(value)) {
      this.problems.push(`${path} must be an object like { "name": ..., "properties": { ... } }`);
      return undefined;
    }
    this.unknownKeys(value, RESOURCE_KEYS, path);
    const name = this.name(value.name, `${path}.name`, seen);
    const resource: StandInResource = { name, properties: this.properties(value.properties, `${path}.properties`) };
    if (kindRequired || value.kind !== undefined) {
      resource.kind = this.string(value.kind, `${path}.kind`, "give the rule kind, e.g. Scheduled or NRT");
    }
    if (value.etag !== undefined) resource.etag = this.string(value.etag, `${path}.etag`, "give the etag as a string or leave it out");
    return resource;
  }

  properties(value: unknown, path: string): Record<string, unknown> {
    if (isObject(value)) return value;
    this.problems.push(`${path} ${value === undefined ? "is missing" : "must be an object"}; give the resource's ARM properties`);
    return {};
  }

  list(value: unknown, path: string): unknown[] {
    if (value === undefined) return [];
    if (Array.isArray(value)) return value;
    this.problems.push(`${path} must be an array (or left out for none)`);
    return [];
  }
}

/** Checks a parsed state file; `source` names it in the error. Throws StandInStateError listing every problem. */
export function parseStandInState(value: unknown, source: string, options: { allowUnsafeNames?: boolean } = {}): StandInState {
  const check = new Checker(options.allowUnsafeNames);
  if (!isObject(value)) throw new StandInStateError(source, ["the top level must be a JSON object"]);
  check.unknownKeys(value, TOP_LEVEL_KEYS, "$");
  const state: StandInState = {
    subscriptionId: check.string(value.subscriptionId, "subscriptionId", "give the subscription GUID the stand-in serves"),
    resourceGroupName: check.string(value.resourceGroupName, "resourceGroupName", "give the resource group name"),
    workspaceName: check.string(value.workspaceName, "workspaceName", "give the Log Analytics workspace name"),
    alertRules: [],
    watchlists: [],
    savedSearches: [],
    tables: [],
  };
  if (state.subscriptionId && !GUID.test(state.subscriptionId))
    check.problems.push(`subscriptionId '${state.subscriptionId}' must be a GUID`);
  if (value.tenantId !== undefined) {
    state.tenantId = check.string(value.tenantId, "tenantId", "give the tenant GUID or leave it out");
    if (state.tenantId && !GUID.test(state.tenantId)) check.problems.push(`tenantId '${state.tenantId}' must be a GUID`);
  }

  const ruleNames = new Set<string>();
  check.list(value.alertRules, "alertRules").forEach((raw, i) => {
    const rule = check.resource(raw, `alertRules[${i}]`, ruleNames, true);
    if (rule) state.alertRules.push({ ...rule, kind: rule.kind ?? "" });
  });

  const watchlistNames = new Set<string>();
  check.list(value.watchlists, "watchlists").forEach((raw, i) => {
    const path = `watchlists[${i}]`;
    if (!isObject(raw)) {
      check.problems.push(`${path} must be an object like { "name": alias, "properties": { ... }, "items": [ ... ] }`);
      return;
    }
    check.unknownKeys(raw, WATCHLIST_KEYS, path);
    const itemNames = new Set<string>();
    const watchlist: StandInWatchlist = {
      name: check.name(raw.name, `${path}.name`, watchlistNames),
      properties: check.properties(raw.properties, `${path}.properties`),
      items: [],
    };
    if (raw.etag !== undefined) watchlist.etag = check.string(raw.etag, `${path}.etag`, "give the etag as a string or leave it out");
    check.list(raw.items, `${path}.items`).forEach((item, j) => {
      const parsed = check.resource(item, `${path}.items[${j}]`, itemNames, false);
      if (parsed) watchlist.items.push(parsed);
    });
    state.watchlists.push(watchlist);
  });

  const searchNames = new Set<string>();
  check.list(value.savedSearches, "savedSearches").forEach((raw, i) => {
    const search = check.resource(raw, `savedSearches[${i}]`, searchNames, false);
    if (search) state.savedSearches.push(search);
  });

  const tableNames = new Set<string>();
  check.list(value.tables, "tables").forEach((raw, i) => {
    const table = check.resource(raw, `tables[${i}]`, tableNames, false);
    if (table) state.tables.push(table);
  });

  if (check.problems.length > 0) throw new StandInStateError(source, check.problems);
  return state;
}

/** Reads and checks a state file. */
export function loadStandInState(file: string): StandInState {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StandInStateError(file, [
      code === "ENOENT"
        ? "the file does not exist; pass the path of a state JSON file (see stand-in/example-state.json)"
        : `it could not be read (${code ?? String(error)})`,
    ]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new StandInStateError(file, [`it is not valid JSON: ${(error as Error).message}`]);
  }
  return parseStandInState(parsed, file);
}
