/**
 * Conversions between the engine's value representations: the to*() functions of KQL and the
 * implicit conversions the evaluator applies (for example a dynamic value compared with a long).
 */
import { formatDatetime, parseDatetime } from "./datetime";
import { dynFromJs, dynToJson, isBag } from "./dynamic";
import { formatTimespan, parseTimespan } from "./timespan";
import type { Dyn, KqlType, Value } from "./types";

const INT_PATTERN = /^[+-]?\d+$/;
const GUID_PATTERN = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/**
 * A real as .NET (and so Kusto) writes it: the shortest round-trip digits, in scientific notation
 * when the decimal exponent is 15 or more or below -4, with a signed exponent of at least two
 * digits (1E+20, 1E-07, 1.5E+300); plain decimals otherwise (123456789012345, 0.0001).
 */
export function formatReal(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  if (n === 0) return "0";
  const [mantissa, exponentText] = n.toExponential().split("e") as [string, string];
  const exponent = Number(exponentText);
  if (exponent >= 15 || exponent < -4) return `${mantissa}E${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  return String(n);
}

export function toStringValue(v: Value, type: KqlType): string {
  if (v === null) return "";
  switch (type) {
    case "string":
      return v as string;
    case "bool":
      return v ? "true" : "false";
    case "int":
    case "long":
      return String(v);
    case "real":
    case "decimal":
      return formatReal(v as number);
    case "datetime":
      return formatDatetime(v as bigint);
    case "timespan":
      return formatTimespan(v as bigint);
    case "guid":
      return v as string;
    case "dynamic":
      return typeof v === "string" ? v : typeof v === "number" ? formatReal(v) : typeof v === "boolean" ? String(v) : dynToJson(v as Dyn);
  }
}

function numberFromString(s: string): number | null {
  const t = s.trim();
  if (t === "" || /^[+-]?0x/i.test(t)) return null;
  const n = Number(t);
  if (Number.isNaN(n)) {
    const lower = t.toLowerCase();
    return lower === "nan" ? NaN : null;
  }
  return n;
}

export function toLongValue(v: Value, type: KqlType): bigint | null {
  if (v === null) return null;
  switch (type) {
    case "long":
    case "datetime":
    case "timespan":
      return v as bigint;
    case "int":
      return BigInt(v as number);
    case "real":
    case "decimal": {
      const n = v as number;
      return Number.isFinite(n) ? BigInt.asIntN(64, BigInt(Math.trunc(n))) : null;
    }
    case "bool":
      return v ? 1n : 0n;
    case "string": {
      const t = (v as string).trim();
      if (INT_PATTERN.test(t)) return BigInt.asIntN(64, BigInt(t));
      const n = numberFromString(t);
      return n !== null && Number.isFinite(n) ? BigInt(Math.trunc(n)) : null;
    }
    case "dynamic":
      if (typeof v === "number") return Number.isFinite(v) ? BigInt(Math.trunc(v)) : null;
      if (typeof v === "string") return toLongValue(v, "string");
      if (typeof v === "boolean") return v ? 1n : 0n;
      return null;
    case "guid":
      return null;
  }
}

export function toIntValue(v: Value, type: KqlType): number | null {
  const l = toLongValue(v, type);
  return l === null ? null : Number(BigInt.asIntN(32, l));
}

export function toRealValue(v: Value, type: KqlType): number | null {
  if (v === null) return null;
  switch (type) {
    case "real":
    case "decimal":
    case "int":
      return v as number;
    case "long":
    case "datetime":
    case "timespan":
      return Number(v as bigint);
    case "bool":
      return v ? 1 : 0;
    case "string":
      return numberFromString(v as string);
    case "dynamic":
      if (typeof v === "number") return v;
      if (typeof v === "string") return numberFromString(v);
      if (typeof v === "boolean") return v ? 1 : 0;
      return null;
    case "guid":
      return null;
  }
}

export function toBoolValue(v: Value, type: KqlType): boolean | null {
  if (v === null) return null;
  switch (type) {
    case "bool":
      return v as boolean;
    case "int":
    case "real":
    case "decimal":
      return (v as number) !== 0;
    case "long":
      return (v as bigint) !== 0n;
    case "string": {
      const t = (v as string).trim().toLowerCase();
      if (t === "true") return true;
      if (t === "false") return false;
      const n = numberFromString(t);
      return n === null ? null : n !== 0;
    }
    case "dynamic":
      if (typeof v === "boolean") return v;
      if (typeof v === "number") return v !== 0;
      if (typeof v === "string") return toBoolValue(v, "string");
      return null;
    default:
      return null;
  }
}

export function toDatetimeValue(v: Value, type: KqlType): bigint | null {
  if (v === null) return null;
  switch (type) {
    case "datetime":
      return v as bigint;
    case "string":
      return parseDatetime(v as string);
    case "dynamic":
      return typeof v === "string" ? parseDatetime(v) : null;
    default:
      return null;
  }
}

export function toTimespanValue(v: Value, type: KqlType): bigint | null {
  if (v === null) return null;
  switch (type) {
    case "timespan":
      return v as bigint;
    case "long":
      return v as bigint;
    case "int":
      return BigInt(v as number);
    case "real":
    case "decimal":
      return Number.isFinite(v as number) ? BigInt(Math.round(v as number)) : null;
    case "string":
      return parseTimespan(v as string);
    case "dynamic":
      if (typeof v === "string") return parseTimespan(v);
      if (typeof v === "number") return Number.isFinite(v) ? BigInt(Math.round(v)) : null;
      return null;
    default:
      return null;
  }
}

export function toGuidValue(v: Value, type: KqlType): string | null {
  if (v === null) return null;
  if (type === "guid") return v as string;
  if (type !== "string" && !(type === "dynamic" && typeof v === "string")) return null;
  const t = (v as string).trim();
  if (!GUID_PATTERN.test(t)) return null;
  const hex = t.replace(/-/g, "").toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A scalar put into a dynamic value: numbers stay numbers, time values become their text. */
export function toDynamicValue(v: Value, type: KqlType): Dyn {
  if (v === null) return null;
  switch (type) {
    case "dynamic":
      return v as Dyn;
    case "long":
      return Number(v as bigint);
    case "datetime":
      return formatDatetime(v as bigint);
    case "timespan":
      return formatTimespan(v as bigint);
    case "bool":
    case "int":
    case "real":
    case "decimal":
    case "string":
    case "guid":
      return v as Dyn;
  }
}

/** Converts a value of one KQL type to another, as the to<type>() functions do. */
export function convertValue(v: Value, from: KqlType, to: KqlType): Value {
  if (from === to) return v;
  switch (to) {
    case "string":
      return toStringValue(v, from);
    case "bool":
      return toBoolValue(v, from);
    case "int":
      return toIntValue(v, from);
    case "long":
      return toLongValue(v, from);
    case "real":
    case "decimal":
      return toRealValue(v, from);
    case "datetime":
      return toDatetimeValue(v, from);
    case "timespan":
      return toTimespanValue(v, from);
    case "guid":
      return toGuidValue(v, from);
    case "dynamic":
      return toDynamicValue(v, from);
  }
}

export { dynFromJs, isBag };
