/**
 * What a query is checked against, as plain data: table schemas, the
 * project's functions with their signatures, and its watchlists' columns.
 * Plain data so worker threads can rebuild the Kusto symbols from it, and so
 * a hash of it keys the analysis cache.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Type from "typebox";
import { contentHash } from "../cache/contentCache";
import type { Diagnostic } from "../diagnostics/diagnostic";
import { matchesSchema } from "../schema/check";
import { KQL_SCALAR_TYPES } from "../sentinel/kqlTypes";

export interface TableSchema {
  name: string;
  /** [column, KQL type] in schema order. */
  columns: [string, string][];
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

/** The table schema file format, shared by data/tables/ and a project's schemas/ folder. */
export const TableSchemaFileSchema = Type.Object(
  {
    table: Type.String({ minLength: 1, description: "Table name as queries write it, e.g. MyApp_CL." }),
    sources: Type.Optional(Type.Array(Type.String(), { description: "Where the columns were read from." })),
    standardColumnsAdded: Type.Optional(Type.Array(Type.String())),
    columns: Type.Record(Type.String(), Type.String({ enum: [...KQL_SCALAR_TYPES] }), { description: "Column name -> KQL type." }),
  },
  { additionalProperties: true },
);
type TableSchemaFile = Type.Static<typeof TableSchemaFileSchema>;

export const BUNDLED_TABLES_DIR = join(__dirname, "..", "..", "data", "tables");
/** Folder of project-local schemas (custom `_CL` tables, tables the bundle lacks, a workspace's real schemas). */
export const PROJECT_SCHEMAS_FOLDER = "schemas";

function readTableDir(dir: string, relativeTo: string | undefined, diagnostics: Diagnostic[]): TableSchema[] {
  if (!existsSync(dir)) return [];
  const tables: TableSchema[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const display = relativeTo ? `${relativeTo}/${file}` : file;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(join(dir, file), "utf8"));
    } catch (error) {
      diagnostics.push({
        severity: "error",
        code: "schemas/invalid-json",
        file: display,
        message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
        hint: "Fix the JSON syntax.",
      });
      continue;
    }
    if (!matchesSchema(TableSchemaFileSchema, parsed)) {
      diagnostics.push({
        severity: "error",
        code: "schemas/invalid-table",
        file: display,
        message: "not a table schema",
        hint: `Write {"table": "<name>", "columns": {"<column>": "<type>", ...}} with types among ${KQL_SCALAR_TYPES.join(", ")}.`,
      });
      continue;
    }
    const doc = parsed as TableSchemaFile;
    tables.push({ name: doc.table, columns: Object.entries(doc.columns) });
  }
  return tables;
}

/** Bundled schemas, replaced table by table by the project's own `schemas/` files. */
export function loadTableSchemas(contentDir: string, diagnostics: Diagnostic[]): TableSchema[] {
  const byName = new Map<string, TableSchema>();
  for (const t of readTableDir(BUNDLED_TABLES_DIR, undefined, diagnostics)) byName.set(t.name, t);
  for (const t of readTableDir(join(contentDir, PROJECT_SCHEMAS_FOLDER), PROJECT_SCHEMAS_FOLDER, diagnostics)) byName.set(t.name, t);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function environmentFingerprint(env: KqlEnvironment): string {
  return contentHash(JSON.stringify(env));
}
