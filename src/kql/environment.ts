/**
 * What a query is checked against, as plain data: table schemas, the
 * project's functions with their signatures, and its watchlists' columns.
 * Plain data so worker threads can rebuild the Kusto symbols from it, and so
 * a hash of it keys the analysis cache.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Type from "typebox";
import { contentHash } from "../cache/contentCache";
import type { Diagnostic } from "../diagnostics/diagnostic";
import { matchesSchema } from "../schema/check";
import { containedPath } from "../util/paths";
import { describeInvalidUtf8, readUtf8File } from "../util/utf8";
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

/** `root`: the folder the files must stay inside (the content folder for `schemas/`), through symbolic links. */
function readTableDir(dir: string, relativeTo: string | undefined, diagnostics: Diagnostic[], root = dir): TableSchema[] {
  if (!existsSync(dir)) return [];
  const tables: TableSchema[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const display = relativeTo ? `${relativeTo}/${file}` : file;
    const text = readSchemaText(root, dir, file, display, diagnostics);
    if (text === undefined) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
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

/** A schema file's text: inside `root` and UTF-8, or reported. */
function readSchemaText(root: string, dir: string, file: string, display: string, diagnostics: Diagnostic[]): string | undefined {
  const inside = containedPath(root, dir, file);
  if (!inside.ok) {
    diagnostics.push({
      severity: "error",
      code: "content/link-outside",
      file: display,
      message: `the schema file ${inside.reason}; it was not read`,
      hint: "Keep table schemas as files inside the content folder's schemas/.",
    });
    return undefined;
  }
  const decoded = readUtf8File(inside.path);
  if (decoded.ok) return decoded.text.replace(/^\uFEFF/, "");
  diagnostics.push({
    severity: "error",
    code: "content/encoding",
    file: display,
    position: { line: decoded.line, column: decoded.column },
    message: `the file is not valid UTF-8 at ${describeInvalidUtf8(decoded)}`,
    hint: "Save the file as UTF-8.",
  });
  return undefined;
}

/** Bundled schemas, replaced table by table by the project's own `schemas/` files. */
export function loadTableSchemas(contentDir: string, diagnostics: Diagnostic[]): TableSchema[] {
  const byName = new Map<string, TableSchema>();
  for (const t of readTableDir(BUNDLED_TABLES_DIR, undefined, diagnostics)) byName.set(t.name, t);
  for (const t of readTableDir(join(contentDir, PROJECT_SCHEMAS_FOLDER), PROJECT_SCHEMAS_FOLDER, diagnostics, contentDir))
    byName.set(t.name, t);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function environmentFingerprint(env: KqlEnvironment): string {
  return contentHash(JSON.stringify(env));
}
