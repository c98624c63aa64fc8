/**
 * Sentinel's built-ins as data: `_GetWatchlist('<alias>')` rows and the scheduled-rule time
 * range (every table shows only rows whose TimeGenerated falls inside it).
 */
import { v5 as uuidv5 } from "uuid";
import { WATCHLIST_BASE_COLUMNS } from "../kql/globals";
import { InputError } from "./io/input";
import { newBag } from "./values/dynamic";
import type { Column } from "./values/types";
import type { RowValues, Table } from "./values/table";
import { reader, selectRows, tableFromRows } from "./values/table";

/** A watchlist's items as the caller gives them: one object per CSV row. */
export interface WatchlistData {
  /** The CSV column that is the watchlist's search key (its itemsSearchKey). */
  searchKey?: string;
  /** CSV columns in order; defaults to the keys of the rows in order of first appearance. */
  columns?: readonly string[];
  rows: readonly Record<string, unknown>[];
}

const ITEM_ID_NAMESPACE = "6f0c5c1e-3b1a-4f55-9d43-6b1f2a4c9e10";

export function watchlistCsvColumns(data: WatchlistData): string[] {
  if (data.columns) return [...data.columns];
  const names: string[] = [];
  for (const row of data.rows) for (const key of Object.keys(row)) if (!names.includes(key)) names.push(key);
  if (data.searchKey && !names.includes(data.searchKey)) names.unshift(data.searchKey);
  return names;
}

function text(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (v instanceof Date) return v.toISOString();
  return typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
}

/**
 * The rows `_GetWatchlist(alias)` returns: _DTItemId (a stable id per item), LastUpdatedTimeUTC,
 * SearchKey (the search-key column's value), WatchlistItem (the row as a bag of strings), then
 * one string column per CSV column.
 */
export function watchlistTable(alias: string, data: WatchlistData, lastUpdated: bigint): Table {
  const csv = watchlistCsvColumns(data);
  const extra = csv.filter((c) => !WATCHLIST_BASE_COLUMNS.some(([b]) => b === c));
  const columns: Column[] = [
    ...WATCHLIST_BASE_COLUMNS.map(([name, type]) => ({ name, type: type as Column["type"] })),
    ...extra.map((name) => ({ name, type: "string" as const })),
  ];
  const rows: RowValues[] = data.rows.map((row, i) => {
    for (const key of Object.keys(row))
      if (!csv.includes(key))
        throw new InputError(`watchlist ${alias}, row ${i + 1}: there is no column '${key}' (columns: ${csv.join(", ")})`);
    const item = newBag();
    for (const c of csv) item[c] = text(row[c]);
    return [
      uuidv5(`${alias.toLowerCase()}/${i}`, ITEM_ID_NAMESPACE),
      lastUpdated,
      data.searchKey ? text(row[data.searchKey]) : "",
      item,
      ...extra.map((c) => text(row[c])),
    ];
  });
  return tableFromRows(columns, rows);
}

export interface TimeRange {
  start: Date | string;
  end: Date | string;
}

/** Keeps the rows whose TimeGenerated is within [start, end]; tables without TimeGenerated are left whole. */
export function limitToTimeRange(table: Table, start: bigint, end: bigint): Table {
  const i = table.columns.findIndex((c) => c.name === "TimeGenerated" && c.type === "datetime");
  if (i < 0) return table;
  const read = reader(table.data[i]!);
  const keep: number[] = [];
  for (let r = 0; r < table.length; r++) {
    const t = read(r) as bigint | null;
    if (t !== null && t >= start && t <= end) keep.push(r);
  }
  return keep.length === table.length ? table : selectRows(table, Int32Array.from(keep));
}
