/**
 * A live watchlist and its items -> watchlist YAML plus a CSV with one row
 * per item (csv-stringify quotes whatever needs quoting).
 */
import { basename } from "node:path";
import { stringify } from "csv-stringify/sync";
import type { LiveWatchlist } from "../azure/liveWorkspace";
import { formatDurationShort, parseDuration } from "../sentinel/duration";
import { KQL_IDENTIFIER_PATTERN } from "../schema/common";
import { asString, asStringArray, isObject, type ExportOutcome } from "./types";
import { toYamlText } from "./yamlText";
import { startsLikeFormula } from "../util/spreadsheetFormula";

/** Columns in first-seen order, the search key first. */
function columnsOf(list: LiveWatchlist, searchKey: string): string[] {
  const columns = new Set<string>([searchKey]);
  for (const item of list.items) {
    const values = item.properties["itemsKeyValue"];
    if (isObject(values)) Object.keys(values).forEach((c) => columns.add(c));
  }
  return [...columns];
}

/**
 * The CSV file name: the one Azure recorded as the source when it is a plain file name
 * (letters, digits, spaces, dots, hyphens, underscores; no path, no `..`), else <alias>.csv.
 */
function csvName(list: LiveWatchlist, alias: string): string {
  const source = asString(list.properties["source"]) ?? "";
  return /^[A-Za-z0-9_][A-Za-z0-9 ._-]{0,200}\.csv$/i.test(source) && !source.includes("..") && basename(source) === source
    ? source
    : `${alias}.csv`;
}

export function exportWatchlist(list: LiveWatchlist, folder: string, header: string[]): ExportOutcome {
  const p = list.properties;
  const alias = list.name;
  const displayName = asString(p["displayName"]) ?? alias;
  const base = { kind: "watchlist" as const, name: alias, displayName };
  if (!new RegExp(KQL_IDENTIFIER_PATTERN).test(alias)) {
    return { ...base, ok: false, reason: `its alias '${alias}' is not a KQL identifier watchlist YAML accepts` };
  }
  const sourceType = asString(p["sourceType"]);
  if (sourceType !== undefined && sourceType !== "Local" && sourceType !== "Local file") {
    return { ...base, ok: false, reason: `its items come from ${sourceType}, not from a file; only local watchlists are content as code` };
  }
  const searchKey = asString(p["itemsSearchKey"]);
  if (!searchKey) return { ...base, ok: false, reason: "it has no itemsSearchKey" };

  const csvFile = csvName(list, alias);
  const doc: Record<string, unknown> = { alias, displayName };
  const description = asString(p["description"]);
  if (description) doc["description"] = description;
  doc["provider"] = asString(p["provider"]) ?? "";
  doc["itemsSearchKey"] = searchKey;
  const labels = asStringArray(p["labels"]);
  if (labels.length > 0) doc["labels"] = labels;
  const duration = typeof p["defaultDuration"] === "string" ? parseDuration(p["defaultDuration"]) : undefined;
  if (duration?.ok) doc["defaultDuration"] = formatDurationShort(duration.ms);
  if (csvFile !== `${alias}.csv`) doc["itemsFile"] = csvFile;

  const columns = columnsOf(list, searchKey);
  const rows = list.items.map((item) => {
    const values = isObject(item.properties["itemsKeyValue"]) ? item.properties["itemsKeyValue"] : {};
    return columns.map((c) => (values[c] === undefined || values[c] === null ? "" : String(values[c])));
  });
  const notes: string[] = [];
  const keyless = rows.filter((r) => r[0] === "").length;
  if (keyless > 0) notes.push(`${keyless} item(s) have no ${searchKey} value; validation will report those rows`);
  const formulas = rows.filter((r) => r.some(startsLikeFormula)).length;
  if (formulas > 0)
    notes.push(
      `${formulas} row(s) have a cell starting with =, +, - or @, which a spreadsheet runs as a formula: check them, and open the CSV as text`,
    );
  const csv = stringify([columns, ...rows], { record_delimiter: "\n" });
  return {
    ...base,
    ok: true,
    files: [
      { path: `${folder}/${alias}.yaml`, text: toYamlText(doc, { header, blockKeys: [] }) },
      { path: `${folder}/${csvFile}`, text: csv },
    ],
    notes,
  };
}
