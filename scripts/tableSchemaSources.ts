/**
 * Builds the table schemas KQL validation bundles, from the transcriptions in
 * ../shared/reference/table-schemas/ (see its README.md and all-tables/SOURCES.md):
 *
 * - the 26 hand-checked tables, one file each (data/tables/hand-checked/): the columns
 *   of their primary source (Azure Monitor / Defender docs), the extra columns the
 *   Azure-Sentinel repo's KQL-validation schemas list, and the standard columns Log
 *   Analytics adds to every table;
 * - one bundle of every table (data/tables/bundle.json): the hand-checked tables, the
 *   702 Log Analytics / Sentinel tables and the 51 Defender XDR advanced-hunting tables
 *   of Microsoft's docs, and the columns real content uses that the docs omit.
 *
 * Pure functions of the shared folder, so a test can rebuild the bundle and compare it
 * with the committed file. `scripts/import-table-schemas.ts` writes the files.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { KQL_SCALAR_TYPES } from "../src/sentinel/kqlTypes";
import type { TableBundle, TableBundleEntry } from "../src/kql/tableBundle";

/** Standard columns of Log Analytics tables (Azure Monitor "Standard columns in Azure Monitor Logs"). */
export const STANDARD_COLUMNS: readonly [string, string][] = [
  ["TenantId", "string"],
  ["Type", "string"],
  ["_ResourceId", "string"],
  ["_SubscriptionId", "string"],
  ["_ItemId", "string"],
  ["_TimeReceived", "datetime"],
  ["_IsBillable", "string"],
  ["_BilledSize", "real"],
];

/**
 * Columns a source other than ../shared documents, each with that source. Defender XDR tables keep
 * their `Timestamp` column in Sentinel (the supplementary file lists it for the sibling Device*
 * tables); for DeviceLogonEvents the Defender schema reference says so directly.
 */
const ADDITIONS: { table: string; column: string; type: string; source: string }[] = [
  {
    table: "DeviceLogonEvents",
    column: "Timestamp",
    type: "datetime",
    source:
      "https://github.com/MicrosoftDocs/defender-docs/blob/1e9b83f97999f0074b639aefaf0479116ff13e94/defender-xdr/advanced-hunting-devicelogonevents-table.md",
  },
];

/**
 * Tables whose columns are not fixed: queries may name columns no schema lists, so the
 * validator types them as unknown instead of reporting them (and leaves the rule's output
 * columns unchecked). AzureDiagnostics gets one column per property of the Azure resources
 * that send it logs, with a type suffix (`_s`, `_d`, `_g`, `_b`, `_t`), so no list is complete.
 */
export const OPEN_TABLES: Readonly<Record<string, string>> = {
  AzureDiagnostics: "its columns depend on the Azure resources that send it logs",
};

/** One hand-checked table file (the TableSchemaFileSchema format, with its sources). */
export interface HandCheckedTable {
  table: string;
  sources: string[];
  standardColumnsAdded?: string[];
  columns: Record<string, string>;
}

interface Primary {
  name: string;
  columns: { name: string; type: string }[];
  source: string;
}
interface Supplement {
  source: string;
  additionalColumns: { name: string; type: string }[];
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;

/** The 26 hand-checked tables, by name, from ../shared/reference/table-schemas/<Table>.json. */
export function buildHandChecked(shared: string): HandCheckedTable[] {
  const sourceDir = join(shared, "reference", "table-schemas");
  const supplementary = readJson<{ tables: Record<string, Supplement> }>(
    join(sourceDir, "supplementary", "sentinel-customtables-extra-columns.json"),
  ).tables;
  const out: HandCheckedTable[] = [];
  for (const file of readdirSync(sourceDir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const primary = readJson<Primary>(join(sourceDir, file));
    const columns: Record<string, string> = {};
    for (const c of primary.columns) columns[c.name] = c.type;
    const sources = [primary.source];
    const supplement = supplementary[primary.name];
    if (supplement) {
      for (const c of supplement.additionalColumns) if (!(c.name in columns)) columns[c.name] = c.type;
      sources.push(supplement.source);
    }
    for (const a of ADDITIONS.filter((x) => x.table === primary.name && !(x.column in columns))) {
      columns[a.column] = a.type;
      sources.push(`${a.column}: ${a.source}`);
    }
    const added: string[] = [];
    if ("TimeGenerated" in columns) {
      for (const [name, type] of STANDARD_COLUMNS) {
        if (!(name in columns)) {
          columns[name] = type;
          added.push(name);
        }
      }
    }
    out.push({ table: primary.name, sources, ...(added.length > 0 ? { standardColumnsAdded: added } : {}), columns });
  }
  return out;
}

const KQLANALYZER = "f-bader/KQLAnalyzer at de2f91ae02bb4459d462bf4f36962375664446a1 (2025-04-15)";
export const BUNDLE_SOURCES = {
  "hand-checked":
    "data/tables/hand-checked/<Table>.json: checked table by table; each file names its own sources. Its columns and types come first and win.",
  "azure-monitor-docs": `Azure Monitor Logs table reference (MicrosoftDocs/azure-reference-other, azure-monitor-ref/tables), as transcribed in environments.json ("sentinel") of ${KQLANALYZER}`,
  "defender-xdr-docs": `Microsoft Defender XDR advanced hunting schema reference (MicrosoftDocs/defender-docs, defender-xdr/advanced-hunting-*-table.md), as transcribed in environments.json ("m365") of ${KQLANALYZER}`,
  "content-columns": `Columns real content uses that the docs omit (AzureDiagnostics' _s/_g columns, Timestamp on Defender XDR tables in Sentinel, ASIM tables), from additional_columns.json of ${KQLANALYZER}`,
  "standard-columns":
    "The standard columns Log Analytics adds to every table (Azure Monitor: Standard columns in Azure Monitor Logs), where the docs' table lists omit them",
} as const;
export type BundleSourceId = keyof typeof BUNDLE_SOURCES;

/** Docs type names that are aliases or non-types -> the KQL type the bundle uses. */
const TYPE_ALIASES: Record<string, string> = { double: "real", boolean: "bool" };

function kqlType(type: string, where: string): string {
  const t = TYPE_ALIASES[type] ?? type;
  if (!(KQL_SCALAR_TYPES as readonly string[]).includes(t)) throw new Error(`${where}: '${type}' is not a KQL type`);
  return t;
}

type ColumnMap = Record<string, Record<string, string>>;
interface Environments {
  sentinel: { tables: ColumnMap };
  m365: { tables: ColumnMap };
}

/**
 * Every table: hand-checked, Log Analytics docs, Defender XDR docs, then the columns real content
 * uses. Custom `_CL` tables are left out (their columns depend on the connector and the workspace:
 * `schemas pull` or schemas/ give them), as are entries without columns.
 */
export function buildBundle(shared: string, handChecked: readonly HandCheckedTable[]): TableBundle {
  const dir = join(shared, "reference", "table-schemas", "all-tables");
  const environments = readJson<Environments>(join(dir, "environments.json"));
  const additional = readJson<{ sentinel: ColumnMap }>(join(dir, "additional_columns.json")).sentinel;
  const checked = new Map(handChecked.map((t) => [t.table, t]));
  const la = environments.sentinel.tables;
  const xdr = environments.m365.tables;
  const names = new Set([...checked.keys(), ...Object.keys(la), ...Object.keys(xdr), ...Object.keys(additional)]);

  const tables: Record<string, TableBundleEntry> = {};
  for (const name of [...names].sort((a, b) => a.localeCompare(b))) {
    if (/_CL$/i.test(name) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    const columns = new Map<string, string>();
    const sources: BundleSourceId[] = [];
    const add = (id: BundleSourceId, cols: Record<string, string> | undefined) => {
      let used = false;
      for (const [column, type] of Object.entries(cols ?? {})) {
        if (columns.has(column)) continue;
        columns.set(column, kqlType(type, `${name}.${column}`));
        used = true;
      }
      if (used) sources.push(id);
    };
    const own = checked.get(name);
    add("hand-checked", own?.columns);
    // The Log Analytics flavour only when the docs list TimeGenerated; a stub with just the
    // columns content adds (AADSignInEventsBeta: Timestamp) is not a Log Analytics table.
    const inLogAnalytics = "TimeGenerated" in (la[name] ?? {}) || "TimeGenerated" in (own?.columns ?? {});
    if (inLogAnalytics) add("azure-monitor-docs", la[name]);
    add("defender-xdr-docs", xdr[name]);
    add("content-columns", additional[name]);
    if (columns.size === 0) continue;
    const standardAdded: string[] = [];
    if (inLogAnalytics) {
      for (const [column, type] of STANDARD_COLUMNS) {
        if (columns.has(column)) continue;
        columns.set(column, type);
        standardAdded.push(column);
      }
      if (standardAdded.length > 0 && !own) sources.push("standard-columns");
    }
    tables[name] = {
      sources,
      ...(inLogAnalytics ? {} : { advancedHuntingOnly: true }),
      ...(OPEN_TABLES[name] ? { open: true } : {}),
      ...(standardAdded.length > 0 && !own ? { standardColumnsAdded: standardAdded } : {}),
      columns: [...columns],
    };
  }
  return {
    about:
      "Table schemas for KQL validation: every Log Analytics / Microsoft Sentinel table and every Defender XDR advanced-hunting table of Microsoft's docs. Generated by scripts/import-table-schemas.ts; do not edit (put your own schemas in the content's schemas/ folder). data/tables/README.md explains the sources and the choices.",
    formatVersion: 1,
    sources: { ...BUNDLE_SOURCES },
    tables,
  };
}

/** The bundle as committed: one table per line, so a refresh reads as a per-table diff. */
export function bundleText(bundle: TableBundle): string {
  const head = JSON.stringify({ ...bundle, tables: {} }, null, 2).replace(/\n {2}"tables": \{\}\n\}$/, "");
  const rows = Object.entries(bundle.tables).map(([name, entry]) => `    ${JSON.stringify(name)}: ${JSON.stringify(entry)}`);
  return `${head}\n  "tables": {\n${rows.join(",\n")}\n  }\n}\n`;
}

export function handCheckedText(table: HandCheckedTable): string {
  return `${JSON.stringify(table, null, 2)}\n`;
}
