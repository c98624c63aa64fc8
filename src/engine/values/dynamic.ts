/**
 * dynamic values: JSON-shaped trees. Text goes through JSON.parse; property bags are plain
 * objects created without a prototype so keys such as "__proto__" stay ordinary keys.
 */
import type { Dyn, DynArray, DynObject } from "./types";

export function newBag(): DynObject {
  return Object.create(null) as DynObject;
}

export function isBag(v: unknown): v is DynObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isArray(v: unknown): v is DynArray {
  return Array.isArray(v);
}

/** Copies a JSON.parse result into prototype-free bags (JSON.parse already makes "__proto__" an own key). */
function normalize(v: unknown): Dyn {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return v;
  if (Array.isArray(v)) return v.map(normalize);
  if (typeof v === "object") {
    const bag = newBag();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) bag[k] = normalize(x);
    return bag;
  }
  return null;
}

/**
 * parse_json()/todynamic(): JSON text to a dynamic value. Text that is not JSON stays a
 * dynamic string, as Kusto does.
 */
export function parseJsonText(text: string): Dyn {
  const t = text.trim();
  if (t === "") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(t);
  } catch {
    return text;
  }
  return normalize(parsed);
}

/** JSON text to a dynamic value; undefined when the text is not JSON. */
export function parseJsonStrict(text: string): Dyn | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return normalize(parsed);
}

/** A dynamic value from an arbitrary JS value (input rows): JSON-compatible parts are kept. */
export function dynFromJs(v: unknown): Dyn {
  if (v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Date) return v.toISOString();
  return normalize(v);
}

/** Compact JSON text, Kusto's tostring() of a dynamic array or bag. */
export function dynToJson(v: Dyn): string {
  return JSON.stringify(v) ?? "null";
}

/** Property access `d.key` / `d["key"]`: null when d is not a bag or has no such key. */
export function getProperty(v: Dyn, key: string): Dyn {
  if (!isBag(v)) return null;
  const x = v[key];
  return x === undefined ? null : x;
}

/** Index access `d[i]`; negative indexes count from the end, as in Kusto. */
export function getIndex(v: Dyn, index: number): Dyn {
  if (!Array.isArray(v)) return null;
  const i = index < 0 ? v.length + index : index;
  const x = v[i];
  return x === undefined ? null : x;
}

/** Deep equality of two dynamic values (arrays by position, bags by keys). */
export function dynEquals(a: Dyn, b: Dyn): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== typeof b) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!dynEquals(a[i]!, b[i]!)) return false;
    return true;
  }
  if (isBag(a) && isBag(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!(k in b) || !dynEquals(a[k]!, b[k]!)) return false;
    return true;
  }
  return false;
}

/** A key identifying a dynamic value by content (for sets and grouping). */
export function dynKey(v: Dyn): string {
  return typeof v === "string" ? `s${v}` : `j${dynToJson(v)}`;
}

/** A copy with every bag's keys in ordinal order, at every depth (dynamic_to_json's canonical form). */
export function withSortedKeys(v: Dyn): Dyn {
  if (Array.isArray(v)) return v.map(withSortedKeys);
  if (!isBag(v)) return v;
  const out = newBag();
  for (const k of Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = withSortedKeys(v[k]!);
  return out;
}

/**
 * The keys of a bag key written in JSONPath notation (`$.a.b`, `$['a']["b"]`), as bag_has_key
 * and bag_remove_keys accept it; a key without the leading `$` is one top-level key. Array
 * indexing is not supported (the docs say so): a path with an index gives undefined.
 */
export function bagKeyPath(key: string): string[] | undefined {
  if (!key.startsWith("$")) return [key];
  const segment = /^(?:\.([^.[\]]+)|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\])/;
  const keys: string[] = [];
  let rest = key.slice(1);
  while (rest.length > 0) {
    const m = segment.exec(rest);
    if (!m) return undefined;
    keys.push(m[1] ?? m[2] ?? m[3]!);
    rest = rest.slice(m[0].length);
  }
  return keys.length > 0 ? keys : undefined;
}
