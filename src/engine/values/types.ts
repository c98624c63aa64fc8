/**
 * How the engine holds KQL values. One JS representation per KQL type, chosen for exactness
 * where Kusto is exact and for speed in the hot paths (comparisons, hashing):
 *
 * | KQL type | JS value                                   | null            |
 * |----------|--------------------------------------------|-----------------|
 * | bool     | boolean                                    | null            |
 * | int      | number (32-bit integer)                    | null            |
 * | long     | bigint (64-bit, wraps like Kusto)          | null            |
 * | real     | number (double, NaN/Infinity allowed)      | null            |
 * | decimal  | number (double: an approximation)          | null            |
 * | datetime | bigint: 100 ns ticks since 1970-01-01 UTC   | null            |
 * | timespan | bigint: 100 ns ticks                        | null            |
 * | guid     | string, lower case                          | null            |
 * | string   | string                                     | never: "" is empty |
 * | dynamic  | Dyn (JSON-like tree, see below)             | null            |
 */

export const KQL_TYPES = ["bool", "int", "long", "real", "decimal", "datetime", "timespan", "guid", "string", "dynamic"] as const;
export type KqlType = (typeof KQL_TYPES)[number];

export function isKqlType(name: string): name is KqlType {
  return (KQL_TYPES as readonly string[]).includes(name);
}

const TYPE_ALIASES: Readonly<Record<string, KqlType>> = {
  double: "real",
  boolean: "bool",
  date: "datetime",
  time: "timespan",
  uuid: "guid",
  uniqueid: "guid",
};

/** A KQL type name or one of its documented aliases (double, boolean, date, time, uuid), as the canonical name. */
export function kqlTypeNamed(name: string): KqlType | undefined {
  const lower = name.trim().toLowerCase();
  return isKqlType(lower) ? lower : TYPE_ALIASES[lower];
}

/**
 * A dynamic value: JSON's values. Numbers inside dynamic are JS numbers (integers beyond 2^53
 * lose precision, as with JSON.parse); datetimes, timespans and guids put into a dynamic value
 * are stored as their string forms (ISO-8601, [d.]hh:mm:ss[.fffffff], guid text).
 */
export type Dyn = null | boolean | number | string | DynArray | DynObject;
export type DynArray = Dyn[];
export interface DynObject {
  [key: string]: Dyn;
}

/** Any value a column or expression can hold. */
export type Value = null | boolean | number | bigint | string | DynArray | DynObject;

/** A row during evaluation: its position in the table being read (see values/table.ts). */
export type Row = number;

export interface Column {
  name: string;
  type: KqlType;
}

export const TICKS_PER_MS = 10_000n;
export const TICKS_PER_SECOND = 10_000_000n;
export const TICKS_PER_MINUTE = 600_000_000n;
export const TICKS_PER_HOUR = 36_000_000_000n;
export const TICKS_PER_DAY = 864_000_000_000n;

export function isDynObject(v: Value | undefined): v is DynObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Kusto's isnull(): strings are never null; everything else is null only when null. */
export function isNullValue(v: Value): boolean {
  return v === null;
}
