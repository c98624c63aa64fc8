/**
 * A workspace's real table schemas (from the Log Analytics Tables API) as
 * files in the project's `schemas/pulled/` folder, in the table schema file
 * format, so validation checks queries against what that workspace has,
 * custom `_CL` tables included. Pulling writes only there: a hand-written
 * file in `schemas/` is never touched, and it keeps precedence over the
 * pulled copy of its table (the result says what it hides).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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

/** A hand-written schemas/ file that replaces a pulled table: what the pull has that it lacks. */
export interface ShadowedTable {
  table: string;
  /** The hand-written file, relative to the schemas/ folder. */
  file: string;
  /** Pulled columns the hand-written file does not list. */
  missingColumns: string[];
  /** True when the file says it was written by an earlier `schemas pull` (before pulled/ existed). */
  earlierPull: boolean;
}

export interface PullResult {
  written: string[];
  unchanged: string[];
  /** Hand-written files beside pulled/ that replace a pulled table. */
  shadowed: ShadowedTable[];
  /** Tables the filter left out. */
  filteredOut: number;
  /** `Table.Column:type` for columns whose type was not recognised (written as dynamic). */
  unknownTypes: string[];
}

/** Marks a file written by `schemas pull` (its `sources`), so an earlier pull can be told from a hand-written file. */
export const PULL_SOURCE_MARK = "via sentinel-iac schemas pull";

/** The hand-written schemas/ files, by the table they define (files that do not parse are skipped here; validate reports them). */
function handWrittenTables(handDir: string): Map<string, { file: string; columns: Record<string, string>; earlierPull: boolean }> {
  const out = new Map<string, { file: string; columns: Record<string, string>; earlierPull: boolean }>();
  if (!existsSync(handDir)) return out;
  for (const file of readdirSync(handDir).filter((f) => f.endsWith(".json"))) {
    try {
      const doc = JSON.parse(readFileSync(join(handDir, file), "utf8")) as { table?: unknown; columns?: unknown; sources?: unknown };
      if (typeof doc.table !== "string" || typeof doc.columns !== "object" || doc.columns === null) continue;
      const earlierPull = Array.isArray(doc.sources) && doc.sources.some((s) => typeof s === "string" && s.includes(PULL_SOURCE_MARK));
      out.set(doc.table, { file, columns: doc.columns as Record<string, string>, earlierPull });
    } catch {
      continue;
    }
  }
  return out;
}

/**
 * Writes one file per table into `dir` (schemas/pulled/), and nothing anywhere else. Files are
 * deterministic (no dates), so pulling again without workspace changes leaves Git clean.
 * `handDir` is the schemas/ folder: its files are read, to report the pulled tables they replace.
 */
export function writePulledSchemas(
  dir: string,
  handDir: string,
  tables: readonly WorkspaceTable[],
  source: string,
  patterns: readonly string[] = [],
): PullResult {
  const selected = patterns.length > 0 ? picomatch([...patterns], { nocase: true }) : () => true;
  const result: PullResult = { written: [], unchanged: [], shadowed: [], filteredOut: 0, unknownTypes: [] };
  const handWritten = handWrittenTables(handDir);
  mkdirSync(dir, { recursive: true });
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!selected(table.name)) {
      result.filteredOut++;
      continue;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table.name)) continue;
    const { file, unknownTypes } = pulledTableFile(table, source);
    result.unknownTypes.push(...unknownTypes.map((u) => `${table.name}.${u}`));
    const hand = handWritten.get(table.name);
    if (hand) {
      result.shadowed.push({
        table: table.name,
        file: hand.file,
        missingColumns: Object.keys(file.columns).filter((c) => !(c in hand.columns)),
        earlierPull: hand.earlierPull,
      });
    }
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
