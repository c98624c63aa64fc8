/**
 * Facts about Log Analytics saved searches (hunting queries and functions):
 * their identity, the constants the service records, and how a function's
 * parameters are written in `functionParameters`.
 */
import type { KqlScalarType } from "./kqlTypes";

/** Category Microsoft's packager and the portal give hunting queries. */
export const HUNTING_CATEGORY = "Hunting Queries";
/** Query language version the service records for saved searches (a schema constant, not the content version). */
export const SAVED_SEARCH_VERSION = 2;

/** A function parameter as function YAML declares it. */
export interface FunctionParameter {
  name: string;
  type: KqlScalarType | "table";
  /** For `table` parameters: the columns the input must have; none means any table. */
  columns?: readonly { name: string; type: KqlScalarType }[];
  default?: string | number | boolean;
}

/** One parameter in KQL declaration syntax: `T:(IPAddress:string)`, `T:(*)`, `n:int = 5`. */
export function renderParameter(p: FunctionParameter): string {
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

/** The `functionParameters` text of a saved search. */
export function renderParameters(params: readonly FunctionParameter[]): string {
  return params.map(renderParameter).join(", ");
}

/**
 * Saved-search id of a function: its alias, which is unique in a workspace,
 * unless the YAML adopts an existing saved search under another id.
 */
export function functionResourceName(doc: { alias: string; savedSearchId?: string }): string {
  return doc.savedSearchId ?? doc.alias;
}
