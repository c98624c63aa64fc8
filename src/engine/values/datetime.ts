/**
 * datetime values: bigint counts of 100 ns ticks since 1970-01-01T00:00:00Z, the unit Kusto
 * stores, so sub-millisecond digits survive arithmetic and round trips.
 * Text is read with the Temporal polyfill (ISO-8601 to the nanosecond, with or without an
 * offset; no offset means UTC as in Kusto) and, for the RFC 822/850 forms Kusto also accepts,
 * with Date.parse when the text names its zone.
 */
import { Temporal } from "temporal-polyfill";
import { TICKS_PER_DAY, TICKS_PER_MS } from "./types";

/** Ticks between 0001-01-01 (.NET's DateTime epoch) and 1970-01-01. */
export const DOTNET_EPOCH_OFFSET = 621_355_968_000_000_000n;
/** Kusto's datetime range: 0001-01-01 .. 9999-12-31 23:59:59.9999999. */
export const MIN_DATETIME = -DOTNET_EPOCH_OFFSET;
export const MAX_DATETIME = 3_155_378_975_999_999_999n - DOTNET_EPOCH_OFFSET;

export function datetimeFromMs(ms: number): bigint {
  return BigInt(Math.trunc(ms)) * TICKS_PER_MS;
}

export function msFromDatetime(ticks: bigint): number {
  return Number(floorDiv(ticks, TICKS_PER_MS));
}

export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

export function floorMod(a: bigint, b: bigint): bigint {
  const r = a % b;
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
}

const ZONE_NAMED = /(?:GMT|UTC|Z|[+-]\d{2}:?\d{2})\s*$/i;

/**
 * The invariant culture's short form, month first: M/d/yyyy with an optional H:mm[:ss[.fffffff]]
 * (the parse operator's documented example reads "02/17/2016 08:40:01" as 2016-02-17 08:40:01).
 * UTC, like every datetime without a zone.
 */
const MONTH_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/;

function monthFirst(s: string): bigint | null {
  const m = MONTH_FIRST.exec(s);
  if (!m) return null;
  const [, month, day, year, hour, minute, second, fraction] = m;
  try {
    const plain = Temporal.PlainDateTime.from(
      {
        year: Number(year),
        month: Number(month),
        day: Number(day),
        hour: Number(hour ?? 0),
        minute: Number(minute ?? 0),
        second: Number(second ?? 0),
      },
      { overflow: "reject" },
    );
    const ticks = plain.toZonedDateTime("UTC").epochNanoseconds / 100n;
    return ticks + BigInt((fraction ?? "").padEnd(7, "0") || "0");
  } catch {
    return null; // 02/30/2016, 25:00 ...
  }
}

/** yyyy-mm-dd[(T| )hh:mm[:ss[.fffffff]]][Z]: the common UTC shapes, read without Temporal (a polyfill, ~1 ms a call). */
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?Z?$/;

function isoUtc(s: string): bigint | null {
  const m = ISO_UTC.exec(s);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // Date.UTC maps years 0-99 to 19xx and rolls over out-of-range fields: leave those to Temporal
  if (year < 100 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(ms);
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return datetimeFromMs(ms) + BigInt((m[7] ?? "").padEnd(7, "0") || "0");
}

/** Reads a datetime string the way todatetime() does; null when it is not one. */
export function parseDatetime(text: string): bigint | null {
  const s = text.trim();
  if (s === "") return null;
  // fast path: JavaScript's own toISOString() shape (yyyy-mm-ddThh:mm:ss.mmmZ), exact in milliseconds
  if (s.length === 24 && s.charCodeAt(23) === 90 && s.charCodeAt(19) === 46 && s.charCodeAt(10) === 84) {
    const ms = Date.parse(s);
    if (!Number.isNaN(ms)) return datetimeFromMs(ms);
  }
  const utc = isoUtc(s);
  if (utc !== null) return utc;
  try {
    return Temporal.Instant.from(s).epochNanoseconds / 100n;
  } catch {
    // no offset: Kusto reads it as UTC
  }
  try {
    return Temporal.PlainDateTime.from(s).toZonedDateTime("UTC").epochNanoseconds / 100n;
  } catch {
    // not ISO-8601
  }
  const usual = monthFirst(s);
  if (usual !== null) return usual;
  if (ZONE_NAMED.test(s)) {
    const ms = Date.parse(s);
    if (!Number.isNaN(ms)) return datetimeFromMs(ms);
  }
  return null;
}

/** ISO-8601 UTC with as many fraction digits as needed (up to 7), e.g. 2024-01-02T03:04:05.1234567Z. */
export function formatDatetime(ticks: bigint): string {
  const ms = floorDiv(ticks, TICKS_PER_MS);
  const subMs = Number(ticks - ms * TICKS_PER_MS);
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) return String(ticks);
  const iso = date.toISOString(); // yyyy-mm-ddThh:mm:ss.mmmZ (or ±yyyyyy for far years)
  const base = iso.slice(0, iso.indexOf("."));
  const fraction = (String(date.getUTCMilliseconds()).padStart(3, "0") + String(subMs).padStart(4, "0")).replace(/0+$/, "");
  const year = date.getUTCFullYear();
  const head = year >= 0 && year <= 9999 ? base.replace(/^[+-]0*(?=\d{4})/, "") : base;
  return fraction === "" ? `${head}Z` : `${head}.${fraction}Z`;
}

export interface DateParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ticks within the second */
  subSecondTicks: number;
  /** 0 = Sunday */
  dayOfWeek: number;
}

export function datetimeParts(ticks: bigint): DateParts {
  const ms = floorDiv(ticks, TICKS_PER_MS);
  const date = new Date(Number(ms));
  const subSecondTicks = Number(floorMod(ticks, 10_000_000n));
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    subSecondTicks,
    dayOfWeek: date.getUTCDay(),
  };
}

/** Ticks of the UTC date made of these parts (months and days may overflow, as Date.UTC allows). */
export function datetimeFromParts(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, subSecondTicks = 0): bigint {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return BigInt(d.getTime()) * TICKS_PER_MS + BigInt(subSecondTicks);
}

export function startOfDay(ticks: bigint): bigint {
  return ticks - floorMod(ticks, TICKS_PER_DAY);
}
