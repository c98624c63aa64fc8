/**
 * What a query is checked against, as plain data: table schemas, the
 * project's functions with their signatures, and its watchlists' columns.
 * Plain data so worker threads can rebuild the Kusto symbols from it, and so
 * a hash of it keys the analysis cache.
 */
import { join } from "node:path";
import { contentHash } from "../cache/contentCache";
import type { Diagnostic } from "../diagnostics/diagnostic";
import { readTableBundle } from "./tableBundle";
import { readTableFiles } from "./tableFiles";

export { TableSchemaFileSchema } from "./tableFiles";

export interface TableSchema {
  name: string;
  /** [column, KQL type] in schema order. */
  columns: [string, string][];
  /** Only in Defender XDR advanced hunting, not in a Log Analytics workspace (bundled tables only). */
  advancedHuntingOnly?: true;
  /** Columns are not fixed: queries may name columns the schema does not list (their type is unknown). */
  open?: true;
}

export interface FunctionSignature {
  name: string;
  /** KQL parameter declaration, e.g. `T:(IPAddress:string), since:timespan = timespan(1d)`. */
  parameters: string;
  body: string;
}

export interface WatchlistColumns {
  alias: string;
  columns: string[];
}

export interface KqlEnvironment {
  tables: TableSchema[];
  functions: FunctionSignature[];
  watchlists: WatchlistColumns[];
}

/** Folder of project-local schemas (custom `_CL` tables, tables the bundle lacks, columns it lacks). */
export const PROJECT_SCHEMAS_FOLDER = "schemas";
/** Subfolder of schemas/ that `sentinel-iac schemas pull` writes; hand-written files beside it win. */
export const PULLED_SCHEMAS_FOLDER = "pulled";

let bundled: readonly TableSchema[] | undefined;

/** The bundled tables as TableSchemas (built once per process; treat them as read-only). */
export function bundledTableSchemas(): readonly TableSchema[] {
  return (bundled ??= Object.entries(readTableBundle().tables).map(([name, entry]) => ({
    name,
    columns: entry.columns,
    ...(entry.advancedHuntingOnly ? { advancedHuntingOnly: true as const } : {}),
    ...(entry.open ? { open: true as const } : {}),
  })));
}

/**
 * The table schemas queries are checked against, table by table: a hand-written file in
 * the project's `schemas/` replaces a pulled one in `schemas/pulled/`, which replaces the
 * bundled schema (data/tables/bundle.json). Problems in the project's files are reported
 * into `diagnostics` at their file, line and column; the other tables still load.
 */
export function loadTableSchemas(contentDir: string, diagnostics: Diagnostic[]): TableSchema[] {
  const byName = new Map<string, TableSchema>();
  for (const t of bundledTableSchemas()) byName.set(t.name, t);
  const schemas = join(contentDir, PROJECT_SCHEMAS_FOLDER);
  const pulledShown = `${PROJECT_SCHEMAS_FOLDER}/${PULLED_SCHEMAS_FOLDER}`;
  for (const shownAs of [pulledShown, PROJECT_SCHEMAS_FOLDER]) {
    const dir = shownAs === pulledShown ? join(schemas, PULLED_SCHEMAS_FOLDER) : schemas;
    for (const { doc } of readTableFiles(dir, shownAs, diagnostics, contentDir))
      byName.set(doc.table, { name: doc.table, columns: Object.entries(doc.columns), ...(doc.open ? { open: true as const } : {}) });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function environmentFingerprint(env: KqlEnvironment): string {
  return contentHash(JSON.stringify(env));
}
