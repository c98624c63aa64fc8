/**
 * The bundled table schemas: every Log Analytics / Microsoft Sentinel table and
 * every Defender XDR advanced-hunting table of Microsoft's docs, in one file
 * (data/tables/bundle.json, made by scripts/import-table-schemas.ts). One file
 * because reading and parsing ~750 small files costs more than one parse.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface TableBundleEntry {
  /** Keys of the bundle's `sources` the columns came from, in the order they were merged. */
  sources: string[];
  /** Only in Defender XDR advanced hunting: a Log Analytics workspace (where Sentinel rules run) has no such table. */
  advancedHuntingOnly?: true;
  /** Columns are not fixed (AzureDiagnostics): unknown column names are allowed, typed as unknown. */
  open?: true;
  /** Standard Log Analytics columns the docs' list omitted and the bundle added. */
  standardColumnsAdded?: string[];
  /** [column, KQL type] in schema order. */
  columns: [string, string][];
}

export interface TableBundle {
  about: string;
  formatVersion: 1;
  /** Source key -> where its columns were read. */
  sources: Record<string, string>;
  tables: Record<string, TableBundleEntry>;
}

export const TABLES_DATA_DIR = join(__dirname, "..", "..", "data", "tables");
export const TABLE_BUNDLE_FILE = join(TABLES_DATA_DIR, "bundle.json");

let cached: TableBundle | undefined;

/** The bundle, read once per process (it is part of the installed package and never changes while running). */
export function readTableBundle(): TableBundle {
  return (cached ??= JSON.parse(readFileSync(TABLE_BUNDLE_FILE, "utf8")) as TableBundle);
}
