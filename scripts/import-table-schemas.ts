/**
 * Regenerates the table schemas KQL validation uses (data/tables/) from the
 * transcriptions in ../shared/reference/table-schemas/. Maintainers run it when
 * refreshing facts; its output is committed. data/tables/README.md describes
 * the sources and the choices; scripts/tableSchemaSources.ts does the work.
 *
 *   npx tsx scripts/import-table-schemas.ts [path/to/shared]
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { TABLE_BUNDLE_FILE, TABLES_DATA_DIR } from "../src/kql/tableBundle";
import { buildBundle, buildHandChecked, bundleText, handCheckedText } from "./tableSchemaSources";

const shared = resolve(process.argv[2] ?? join(__dirname, "..", "..", "shared"));
const handCheckedDir = join(TABLES_DATA_DIR, "hand-checked");

const handChecked = buildHandChecked(shared);
rmSync(handCheckedDir, { recursive: true, force: true });
mkdirSync(handCheckedDir, { recursive: true });
for (const table of handChecked) writeFileSync(join(handCheckedDir, `${table.table}.json`), handCheckedText(table));

const bundle = buildBundle(shared, handChecked);
writeFileSync(TABLE_BUNDLE_FILE, bundleText(bundle));
const entries = Object.values(bundle.tables);
console.log(
  `wrote ${readdirSync(handCheckedDir).length} hand-checked tables to data/tables/hand-checked/ and ${entries.length} tables ` +
    `(${entries.filter((t) => t.advancedHuntingOnly).length} advanced-hunting only) to data/tables/bundle.json`,
);
