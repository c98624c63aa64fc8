/**
 * JSON-ish input rows (from YAML, JSON, JSONL or CSV) to typed column values. Each value must
 * fit its column's type; a value that does not is an error naming the row and the column.
 */
import { parseDatetime, datetimeFromMs } from "../values/datetime";
import { parseTimespan } from "../values/timespan";
import { dynFromJs, parseJsonText } from "../values/dynamic";
import { toGuidValue } from "../values/convert";
import type { Column, KqlType, Value } from "../values/types";
import type { Table } from "../values/table";
import { constantColumn, dense } from "../values/table";

export class InputError extends Error {}

const INTEGER_TEXT = /^[+-]?\d+$/;

function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object" && v !== null) return Array.isArray(v) ? "an array" : "an object";
  return String(v);
}

/** One value for a column of the given type; throws a message (without location) when it does not fit. */
export function valueFromJson(v: unknown, type: KqlType): Value {
  if (v === undefined || v === null) return type === "string" ? "" : null;
  switch (type) {
    case "string":
      if (typeof v === "string") return v;
      if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
      if (v instanceof Date) return v.toISOString();
      return JSON.stringify(v);
    case "long":
    case "int": {
      let n: bigint | undefined;
      if (typeof v === "bigint") n = v;
      else if (typeof v === "number" && Number.isInteger(v)) n = BigInt(v);
      else if (typeof v === "string" && INTEGER_TEXT.test(v.trim())) n = BigInt(v.trim());
      if (n === undefined) throw new InputError(`${describe(v)} is not an integer`);
      if (type === "int") {
        if (n < -2147483648n || n > 2147483647n) throw new InputError(`${describe(v)} does not fit in an int (32 bits)`);
        return Number(n);
      }
      if (n !== BigInt.asIntN(64, n)) throw new InputError(`${describe(v)} does not fit in a long (64 bits)`);
      return n;
    }
    case "real":
    case "decimal": {
      if (typeof v === "number") return v;
      if (typeof v === "bigint") return Number(v);
      if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
      if (typeof v === "string" && ["nan", "infinity", "-infinity"].includes(v.trim().toLowerCase()))
        return Number(
          v
            .trim()
            .replace(/^(-?)i/i, "$1I")
            .replace(/^nan$/i, "NaN"),
        );
      throw new InputError(`${describe(v)} is not a number`);
    }
    case "bool":
      if (typeof v === "boolean") return v;
      if (typeof v === "string" && ["true", "false"].includes(v.trim().toLowerCase())) return v.trim().toLowerCase() === "true";
      throw new InputError(`${describe(v)} is not true or false`);
    case "datetime": {
      if (v instanceof Date) {
        if (Number.isNaN(v.getTime())) throw new InputError("the date is invalid");
        return datetimeFromMs(v.getTime());
      }
      const t = typeof v === "string" ? parseDatetime(v) : null;
      if (t === null) throw new InputError(`${describe(v)} is not a datetime (write ISO-8601, e.g. 2026-11-20T11:30:00Z)`);
      return t;
    }
    case "timespan": {
      const t = typeof v === "string" ? parseTimespan(v) : null;
      if (t === null) throw new InputError(`${describe(v)} is not a timespan (write [d.]hh:mm:ss[.fffffff], e.g. 01:30:00)`);
      return t;
    }
    case "guid": {
      const g = typeof v === "string" ? toGuidValue(v, "string") : null;
      if (g === null) throw new InputError(`${describe(v)} is not a guid`);
      return g;
    }
    case "dynamic":
      try {
        // text is read as todynamic() reads it: JSON when it is JSON, else the string itself
        return typeof v === "string" ? parseJsonText(v) : dynFromJs(v);
      } catch (error) {
        // the call stack ran out on a value nested thousands of levels deep
        if (error instanceof RangeError) throw new InputError("the value is nested too deeply to read");
        throw error;
      }
  }
}

/**
 * Rows given as objects (column name -> value) to a typed table. Columns the objects do not
 * mention are null (empty for strings); a key that is not a column is an error.
 */
export function rowsFromObjects(objects: readonly Record<string, unknown>[], columns: readonly Column[], what: string): Table {
  const index = new Map(columns.map((c, i) => [c.name, i]));
  // a column no row mentions shares one constant store instead of a full array of nulls
  const data: (Value[] | undefined)[] = columns.map(() => undefined);
  const empty = (c: Column): Value => (c.type === "string" ? "" : null);
  objects.forEach((obj, r) => {
    for (const key in obj) {
      const i = index.get(key);
      if (i === undefined) throw new InputError(`${what}, row ${r + 1}: there is no column '${key}'`);
      const column = columns[i]!;
      const values = (data[i] ??= new Array<Value>(objects.length).fill(empty(column)));
      try {
        values[r] = valueFromJson(obj[key], column.type);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new InputError(`${what}, row ${r + 1}, column ${column.name} (${column.type}): ${message}`);
      }
    }
  });
  return {
    columns: columns.slice(),
    data: columns.map((c, i) => {
      const values = data[i];
      return values ? dense(values) : constantColumn(empty(c), objects.length);
    }),
    length: objects.length,
  };
}
