/**
 * Result values to JSON: datetimes as ISO-8601 UTC strings, timespans as [d.]hh:mm:ss[.fffffff],
 * numbers as numbers (a long beyond 2^53 as its exact decimal text), dynamic values as JSON.
 */
import { formatDatetime } from "../values/datetime";
import { formatTimespan } from "../values/timespan";
import type { Column, Dyn, KqlType, Value } from "../values/types";
import type { RowValues, Table } from "../values/table";
import { rowsOf } from "../values/table";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function valueToJson(v: Value, type: KqlType): JsonValue {
  if (v === null) return null;
  switch (type) {
    case "long":
      return (v as bigint) > MAX_SAFE || (v as bigint) < -MAX_SAFE ? (v as bigint).toString() : Number(v);
    case "datetime":
      return formatDatetime(v as bigint);
    case "timespan":
      return formatTimespan(v as bigint);
    case "real":
    case "decimal":
      return Number.isFinite(v as number) ? (v as number) : String(v);
    case "dynamic":
      return v as Dyn as JsonValue;
    default:
      return v as JsonValue;
  }
}

export interface JsonTable {
  columns: Column[];
  rows: Record<string, JsonValue>[];
}

/** A table (or a result's columns and materialized rows) as JSON. */
export function tableToJson(table: Table | { columns: readonly Column[]; rows: readonly RowValues[] }): JsonTable {
  const rows = "rows" in table ? table.rows : rowsOf(table);
  return {
    columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
    rows: rows.map((r) => {
      const out: Record<string, JsonValue> = {};
      table.columns.forEach((c, i) => {
        out[c.name] = valueToJson(r[i] ?? null, c.type);
      });
      return out;
    }),
  };
}
