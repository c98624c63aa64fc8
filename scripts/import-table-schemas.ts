/**
 * Regenerates data/tables/ (the table schemas KQL validation uses) from the
 * transcriptions in ../shared/reference/table-schemas/ and its supplementary/
 * file. Maintainers run it when refreshing facts; its output is committed.
 *
 *   npx tsx scripts/import-table-schemas.ts [path/to/shared]
 *
 * Each table gets:
 * - the columns of its primary source (Azure Monitor / Defender docs);
 * - the extra columns the Azure-Sentinel repo's KQL-validation schemas list
 *   (where the two disagree on a type, the primary source wins);
 * - for Log Analytics tables (those with TimeGenerated), the standard columns
 *   Log Analytics adds to every table, when the docs did not list them.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const shared = resolve(process.argv[2] ?? join(__dirname, "..", "..", "shared"));
const sourceDir = join(shared, "reference", "table-schemas");
const outDir = join(__dirname, "..", "data", "tables");

/** Standard columns of Log Analytics tables (Azure Monitor "Standard columns in Azure Monitor Logs"). */
const STANDARD_COLUMNS: [string, string][] = [
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

interface Primary {
  name: string;
  columns: { name: string; type: string }[];
  source: string;
}
interface Supplement {
  source: string;
  additionalColumns: { name: string; type: string }[];
  typeConflicts?: unknown[];
}

const supplementary = (
  JSON.parse(readFileSync(join(sourceDir, "supplementary", "sentinel-customtables-extra-columns.json"), "utf8")) as {
    tables: Record<string, Supplement>;
  }
).tables;

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
for (const file of readdirSync(sourceDir)
  .filter((f) => f.endsWith(".json"))
  .sort()) {
  const primary = JSON.parse(readFileSync(join(sourceDir, file), "utf8")) as Primary;
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
  const doc = {
    table: primary.name,
    sources,
    ...(added.length > 0 ? { standardColumnsAdded: added } : {}),
    columns,
  };
  writeFileSync(join(outDir, `${primary.name}.json`), JSON.stringify(doc, null, 2) + "\n");
}
console.log(`wrote ${readdirSync(outDir).length} tables to data/tables/`);
