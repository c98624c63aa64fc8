/**
 * Ordering and grouping of values: sort comparators (nulls first ascending, last descending,
 * as Kusto's sort defaults) and keys for hash joins, grouping and sets.
 */
import { dynKey } from "./dynamic";
import type { Dyn, KqlType, Value } from "./types";

/** Compares two non-null values of the same type; strings ordinally, as Kusto's sort. */
export function compareNonNull(a: Value, b: Value, type: KqlType): number {
  switch (type) {
    case "string":
    case "guid":
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case "bool":
      return (a ? 1 : 0) - (b ? 1 : 0);
    case "int":
    case "real":
    case "decimal": {
      const x = a as number;
      const y = b as number;
      if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
      if (Number.isNaN(y)) return 1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case "long":
    case "datetime":
    case "timespan":
      return (a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0;
    case "dynamic":
      return compareDynamic(a as Dyn, b as Dyn);
  }
}

function dynRank(v: Dyn): number {
  if (v === null) return 0;
  if (typeof v === "boolean") return 1;
  if (typeof v === "number") return 2;
  if (typeof v === "string") return 3;
  if (Array.isArray(v)) return 4;
  return 5;
}

function compareDynamic(a: Dyn, b: Dyn): number {
  const ra = dynRank(a);
  const rb = dynRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return (a ? 1 : 0) - (b ? 1 : 0);
  const ka = dynKey(a);
  const kb = dynKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export type Comparator = (a: Value, b: Value) => number;

/** A sort comparator for one type and direction, with nulls placed as asked. */
export function comparator(type: KqlType, descending: boolean, nullsFirst: boolean): Comparator {
  const sign = descending ? -1 : 1;
  return (a, b) => {
    const an = a === null || (type === "dynamic" && a === undefined);
    const bn = b === null;
    if (an || bn) {
      if (an && bn) return 0;
      return an === nullsFirst ? -1 : 1;
    }
    return sign * compareNonNull(a, b, type);
  };
}

export type GroupKey = string | number | bigint | boolean | null;

/** A Map key that identifies a value by content: primitives as themselves, dynamic by JSON. */
export function keyOf(v: Value, type: KqlType): GroupKey {
  if (v === null) return null;
  if (type === "dynamic") return typeof v === "object" ? dynKey(v as Dyn) : (v as GroupKey);
  if (type === "real" || type === "decimal") return Number.isNaN(v) ? "NaN" : (v as number);
  return v as GroupKey;
}

/** One string key for several values (multi-column joins and groups), type-tagged so "1" and 1 differ. */
export function compositeKey(values: readonly Value[], types: readonly KqlType[]): string {
  let key = "";
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const k = keyOf(v, types[i]!);
    key += k === null ? "\u0001n" : `\u0001${typeof k === "string" ? "s" : typeof k === "bigint" ? "b" : "o"}${String(k)}`;
  }
  return key;
}
