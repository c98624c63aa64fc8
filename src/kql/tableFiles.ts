/**
 * Table schema files, one table per JSON file: the hand-checked tables in
 * data/tables/hand-checked/ and a project's schemas/ folder. A bad file is
 * reported at its line and column and left out; the others still load.
 */
import { existsSync, readdirSync } from "node:fs";
import Type from "typebox";
import type { Diagnostic } from "../diagnostics/diagnostic";
import { hiddenPart, hiddenReason } from "../content/hiddenPath";
import { parseJsonSource } from "../content/jsonSource";
import { checkSchema } from "../schema/check";
import { KQL_SCALAR_TYPES } from "../sentinel/kqlTypes";
import { containedPath } from "../util/paths";
import { describeInvalidUtf8, readUtf8File } from "../util/utf8";

/** The table schema file format, shared by data/tables/hand-checked/ and a project's schemas/ folder. */
export const TableSchemaFileSchema = Type.Object(
  {
    table: Type.String({ minLength: 1, description: "Table name as queries write it, e.g. MyApp_CL." }),
    sources: Type.Optional(Type.Array(Type.String(), { description: "Where the columns were read from." })),
    standardColumnsAdded: Type.Optional(Type.Array(Type.String())),
    open: Type.Optional(
      Type.Boolean({ description: "True when the table's columns are not fixed: queries may use columns not listed here." }),
    ),
    columns: Type.Record(Type.String(), Type.String({ enum: [...KQL_SCALAR_TYPES] }), { description: "Column name -> KQL type." }),
  },
  { additionalProperties: true, title: "Table schema", description: "One table's columns and their KQL types." },
);
export type TableSchemaFile = Type.Static<typeof TableSchemaFileSchema>;

export interface TableFile {
  /** Path as shown to the user, e.g. `schemas/MyApp_CL.json`. */
  file: string;
  doc: TableSchemaFile;
}

/** A schema file's text: inside `root` (through symbolic links) and UTF-8, or reported. */
function readSchemaText(root: string, dir: string, name: string, file: string, diagnostics: Diagnostic[]): string | undefined {
  const inside = containedPath(root, dir, name);
  if (!inside.ok) {
    diagnostics.push({
      severity: "error",
      code: "content/link-outside",
      file,
      message: `the schema file ${inside.reason}; it was not read`,
      hint: "Keep table schemas as files inside the content folder's schemas/.",
    });
    return undefined;
  }
  // A link to .git/config or .env stays inside a repository-root content folder, yet is never content.
  const hidden = hiddenPart(root, inside.path);
  if (hidden !== undefined) {
    diagnostics.push({
      severity: "error",
      code: "content/path-hidden",
      file,
      message: `the schema file ${hiddenReason(hidden)}; it was not read`,
      hint: "Keep table schemas as visible files inside the content folder's schemas/.",
    });
    return undefined;
  }
  const decoded = readUtf8File(inside.path);
  if (decoded.ok) return decoded.text;
  diagnostics.push({
    severity: "error",
    code: "content/encoding",
    file,
    position: { line: decoded.line, column: decoded.column },
    message: `the file is not valid UTF-8 at ${describeInvalidUtf8(decoded)}`,
    hint: "Save the file as UTF-8.",
  });
  return undefined;
}

/**
 * Every `*.json` file directly in `dir`, checked; `shownAs` prefixes the names in diagnostics.
 * `root`: the folder the files must stay inside (the content folder for `schemas/`), through symbolic links.
 */
export function readTableFiles(dir: string, shownAs: string, diagnostics: Diagnostic[], root = dir): TableFile[] {
  if (!existsSync(dir)) return [];
  const out: TableFile[] = [];
  const seen = new Map<string, string>();
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const file = `${shownAs}/${name}`;
    const text = readSchemaText(root, dir, name, file, diagnostics);
    if (text === undefined) continue;
    const parsed = parseJsonSource(file, text);
    diagnostics.push(...parsed.diagnostics);
    if (!parsed.source) continue;
    const checked = checkSchema<TableSchemaFile>(TableSchemaFileSchema, parsed.source, { what: "table schema" });
    const problems = checked.diagnostics.map((d) =>
      d.severity === "error" && d.code !== "schema/key-case"
        ? { ...d, hint: `${d.hint ?? ""} A table schema file is {"table": "<name>", "columns": {"<column>": "<type>", ...}}.`.trim() }
        : d,
    );
    diagnostics.push(...problems);
    if (!checked.value || problems.some((d) => d.severity === "error")) continue;
    const doc = checked.value;
    const earlier = seen.get(doc.table);
    if (earlier) {
      const at = parsed.source.locate(["table"]);
      diagnostics.push({
        severity: "warning",
        code: "schemas/duplicate-table",
        file,
        ...(at ? { position: at.start, end: at.end } : {}),
        field: "table",
        message: `table '${doc.table}' is also defined in ${earlier}; this file wins`,
        hint: "Keep one file per table: merge the columns into one of them and delete the other.",
      });
    }
    seen.set(doc.table, file);
    out.push({ file, doc });
  }
  return out;
}
