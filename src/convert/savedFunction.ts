/** Function YAML + `.kql` body -> Log Analytics saved search with a function alias. */
import type { LoadedFunction } from "../content/load";
import type { FunctionParameterDoc } from "../schema/savedFunction";
import { API_VERSIONS, ARM_TYPES, resourceKey, type FunctionResource } from "../model/types";
import { SAVED_SEARCH_VERSION } from "./huntingQuery";

/** One parameter in KQL declaration syntax: `T:(IPAddress:string)`, `T:(*)`, `n:int = 5`. */
export function renderParameter(p: FunctionParameterDoc): string {
  if (p.type === "table") {
    const columns = p.columns ?? [];
    return `${p.name}:(${columns.length === 0 ? "*" : columns.map((c) => `${c.name}:${c.type}`).join(", ")})`;
  }
  if (p.default === undefined) return `${p.name}:${p.type}`;
  return `${p.name}:${p.type} = ${renderDefault(p.type, p.default)}`;
}

function renderDefault(type: string, value: string | number | boolean): string {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  switch (type) {
    case "datetime":
    case "timespan":
    case "guid":
    case "dynamic":
      return `${type}(${value})`;
    default:
      return JSON.stringify(value);
  }
}

export function renderParameters(params: readonly FunctionParameterDoc[]): string {
  return params.map(renderParameter).join(", ");
}

/**
 * Saved-search id of a function: its alias, which is unique in a workspace,
 * unless the YAML adopts an existing saved search under another id.
 */
export function functionResourceName(doc: { alias: string; savedSearchId?: string }): string {
  return doc.savedSearchId ?? doc.alias;
}

export function convertSavedFunction(fn: LoadedFunction): FunctionResource {
  const doc = fn.doc;
  const name = functionResourceName(doc);
  const params = doc.parameters ?? [];
  return {
    key: resourceKey(ARM_TYPES.savedSearch, name.toLowerCase()),
    type: ARM_TYPES.savedSearch,
    name,
    apiVersion: API_VERSIONS.savedSearches,
    content: "function",
    dependsOn: [],
    origin: { file: fn.file, line: 1 },
    properties: {
      category: doc.category,
      displayName: doc.displayName ?? doc.alias,
      query: fn.query,
      version: SAVED_SEARCH_VERSION,
      functionAlias: doc.alias,
      ...(params.length > 0 ? { functionParameters: renderParameters(params) } : {}),
      ...(doc.description !== undefined ? { tags: [{ name: "description", value: doc.description.trimEnd() }] } : {}),
    },
  };
}
