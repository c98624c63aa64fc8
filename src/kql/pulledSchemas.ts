/**
 * A workspace's real table schemas (from the Log Analytics Tables API) as
 * files in the project's `schemas/` folder, in the same format as the bundled
 * ones, so validation checks queries against what that workspace has,
 * custom `_CL` tables included.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import picomatch from "picomatch";

/** A table as the Tables API describes it: its own columns plus the standard ones Log Analytics adds. */
export interface WorkspaceTable {
  name: string;
  columns: { name: string; type: string }[];
  standardColumns: { name: string; type: string }[];
}

/** Tables API column types -> KQL types (the API spells two of them differently). */
const KQL_TYPES: Record<string, string> = {
  string: "string",
  int: "int",
  long: "long",
  real: "real",
  boolean: "bool",
  bool: "bool",
  datetime: "datetime",
  guid: "guid",
  dynamic: "dynamic",
  timespan: "timespan",
};

export interface PulledTableFile {
  table: string;
  sources: string[];
  columns: Record<string, string>;
}

/** The schema file for one table; columns whose type is unknown become `dynamic` and are listed. */
export function pulledTableFile(table: WorkspaceTable, source: string): { file: PulledTableFile; unknownTypes: string[] } {
  const columns: Record<string, string> = {};
  const unknownTypes: string[] = [];
  for (const column of [...table.columns, ...table.standardColumns]) {
    if (column.name in columns) continue;
    const type = KQL_TYPES[column.type.toLowerCase()];
    if (!type) unknownTypes.push(`${column.name}:${column.type}`);
    columns[column.name] = type ?? "dynamic";
  }
  return { file: { table: table.name, sources: [source], columns }, unknownTypes };
}

export interface PullResult {
  written: string[];
  unchanged: string[];
  /** Tables the filter left out. */
  filteredOut: number;
  /** `Table.Column:type` for columns whose type was not recognised (written as dynamic). */
  unknownTypes: string[];
}

/**
 * Writes one file per table into `dir`. Files are deterministic (no dates), so
 * pulling again without workspace changes leaves Git clean.
 */
export function writePulledSchemas(
  dir: string,
  tables: readonly WorkspaceTable[],
  source: string,
  patterns: readonly string[] = [],
): PullResult {
  const selected = patterns.length > 0 ? picomatch([...patterns], { nocase: true }) : () => true;
  const result: PullResult = { written: [], unchanged: [], filteredOut: 0, unknownTypes: [] };
  mkdirSync(dir, { recursive: true });
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!selected(table.name)) {
      result.filteredOut++;
      continue;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table.name)) continue;
    const { file, unknownTypes } = pulledTableFile(table, source);
    result.unknownTypes.push(...unknownTypes.map((u) => `${table.name}.${u}`));
    const path = join(dir, `${table.name}.json`);
    const text = `${JSON.stringify(file, null, 2)}\n`;
    if (existsSync(path) && readFileSync(path, "utf8") === text) {
      result.unchanged.push(`${table.name}.json`);
      continue;
    }
    writeFileSync(path, text);
    result.written.push(`${table.name}.json`);
  }
  return result;
}
