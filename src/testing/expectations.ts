/**
 * What a test expects of a result: a number of rows, rows it must include and
 * rows it must not. Expected values of typed columns are read with the
 * column's type, the way sample rows are, and compared in their JSON form:
 * `ResultType: 0` matches the string "0", `2026-11-20T11:30:00Z` matches the
 * same instant written `2026-11-20T11:30:00.0000000Z`. Expected values of
 * dynamic columns are taken as written: a string matches only a string
 * (`"443"` is not `443`, `"true"` is not `true`), arrays compare element by
 * element in order, bags key by key; `{ unordered: [...] }` matches an array
 * with the same elements in any order (for make_set and make_list, whose
 * order Kusto does not define).
 */
import { dynFromJs, InputError, kqlTypeNamed, valueFromJson, valueToJson, type JsonValue, type KqlType } from "../engine";
import type { TestExpectation } from "../model/types";

export interface ResultTable {
  columns: { name: string; type: string }[];
  rows: Record<string, JsonValue>[];
}

/** One way the result differs from what the test expects. */
export interface Mismatch {
  /** What was expected, in a sentence. */
  expected: string;
  /** What happened instead, in a sentence. */
  actual: string;
  /** The result rows worth showing (for includes: the closest ones), with the columns that matter. */
  rows?: { columns: string[]; values: JsonValue[][]; marks?: boolean[][]; types?: string[] };
}

/** The key of the expected-value form that matches an array in any order. */
export const UNORDERED_KEY = "unordered";

/** An expected value of a dynamic column: a JSON value, or an array to match in any order. */
export type Expected =
  | { kind: "value"; value: JsonValue }
  | { kind: "unordered"; items: Expected[] }
  | { kind: "array"; items: Expected[] }
  | { kind: "bag"; entries: [string, Expected][] };

function typeOf(name: string): KqlType {
  return kqlTypeNamed(name) ?? "dynamic";
}

function isUnorderedForm(v: unknown): v is Record<typeof UNORDERED_KEY, unknown[]> {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    Object.keys(v).length === 1 &&
    Array.isArray((v as Record<string, unknown>)[UNORDERED_KEY])
  );
}

/** A dynamic column's expected value, taken as written (no JSON reading of strings). */
function expectedDynamic(v: unknown): Expected {
  if (isUnorderedForm(v)) return { kind: "unordered", items: v[UNORDERED_KEY].map(expectedDynamic) };
  if (Array.isArray(v)) return { kind: "array", items: v.map(expectedDynamic) };
  if (typeof v === "object" && v !== null && !(v instanceof Date))
    return { kind: "bag", entries: Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, expectedDynamic(x)]) };
  // a YAML timestamp: the text a datetime put into a dynamic value has
  if (v instanceof Date) return { kind: "value", value: valueToJson(valueFromJson(v, "datetime"), "datetime") };
  return { kind: "value", value: dynFromJs(v) as JsonValue };
}

/** The expected value in the column's form, or an explanation of why it cannot be one. */
function canonical(expected: unknown, type: KqlType): { ok: true; value: Expected } | { ok: false; reason: string } {
  if (type === "dynamic") return { ok: true, value: expectedDynamic(expected) };
  if (isUnorderedForm(expected)) return { ok: false, reason: `{ ${UNORDERED_KEY}: [...] } is for dynamic columns (arrays)` };
  try {
    return { ok: true, value: { kind: "value", value: valueToJson(valueFromJson(expected, type), type) } };
  } catch (error) {
    if (error instanceof InputError) return { ok: false, reason: error.message };
    throw error;
  }
}

/** Deep equality of JSON values: arrays in order, bags by keys. */
export function sameJson(a: JsonValue, b: JsonValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameJson(x, b[i]!));
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameJson(a[k]!, b[k]!));
  }
  return a === b;
}

/** Whether an actual value matches what a test expects of it. */
export function matchesExpected(e: Expected, actual: JsonValue): boolean {
  switch (e.kind) {
    case "value":
      return sameJson(e.value, actual);
    case "array":
      return Array.isArray(actual) && actual.length === e.items.length && e.items.every((x, i) => matchesExpected(x, actual[i]!));
    case "unordered": {
      if (!Array.isArray(actual) || actual.length !== e.items.length) return false;
      return everyMatchedOnce(e.items, actual);
    }
    case "bag": {
      if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return false;
      const keys = Object.keys(actual);
      return keys.length === e.entries.length && e.entries.every(([k, x]) => k in actual && matchesExpected(x, actual[k]!));
    }
  }
}

/**
 * Whether each expected element can take its own actual element (a perfect bipartite matching,
 * found by augmenting paths). Taking the first fit is not enough once elements are patterns
 * themselves: `{ unordered: [1, 2] }` fits both `[1, 2]` and `[2, 1]`, and could take the one a
 * later, stricter element needs.
 */
function everyMatchedOnce(expected: readonly Expected[], actual: readonly JsonValue[]): boolean {
  const fits = expected.map((x) => actual.map((y) => matchesExpected(x, y)));
  const takenBy: (number | undefined)[] = actual.map(() => undefined);
  const place = (i: number, visited: boolean[]): boolean => {
    for (let j = 0; j < actual.length; j++) {
      if (!fits[i]![j] || visited[j]) continue;
      visited[j] = true;
      const holder = takenBy[j];
      if (holder === undefined || place(holder, visited)) {
        takenBy[j] = i;
        return true;
      }
    }
    return false;
  };
  return expected.every((_, i) =>
    place(
      i,
      actual.map(() => false),
    ),
  );
}

/** The expected value as it reads in a report. */
export function showExpected(e: Expected): string {
  switch (e.kind) {
    case "value":
      return JSON.stringify(e.value);
    case "array":
      return `[${e.items.map(showExpected).join(", ")}]`;
    case "unordered":
      return `{ ${UNORDERED_KEY}: [${e.items.map(showExpected).join(", ")}] }`;
    case "bag":
      return `{${e.entries.map(([k, x]) => `${JSON.stringify(k)}: ${showExpected(x)}`).join(", ")}}`;
  }
}

type Matcher = { column: string; type: KqlType; value: Expected }[];

function matchers(entries: Record<string, unknown>[], result: ResultTable, what: string): { matchers: Matcher[]; problems: Mismatch[] } {
  const types = new Map(result.columns.map((c) => [c.name, typeOf(c.type)]));
  const problems: Mismatch[] = [];
  const out: Matcher[] = [];
  entries.forEach((entry, i) => {
    const m: Matcher = [];
    for (const [column, raw] of Object.entries(entry)) {
      const type = types.get(column);
      if (!type) {
        problems.push({
          expected: `${what} entry ${i + 1} names column '${column}'`,
          actual: `the result has no column '${column}' (it has ${result.columns.map((c) => c.name).join(", ") || "none"})`,
        });
        continue;
      }
      const value = canonical(raw, type);
      if (!value.ok) {
        problems.push({
          expected: `${what} entry ${i + 1}: ${column} = ${JSON.stringify(raw)}`,
          actual: `that is not a ${type}: ${value.reason}`,
        });
        continue;
      }
      m.push({ column, type, value: value.value });
    }
    out.push(m);
  });
  return { matchers: out, problems };
}

const matches = (row: Record<string, JsonValue>, m: Matcher) => m.every((c) => matchesExpected(c.value, row[c.column] ?? null));
const show = (m: Matcher) => `{ ${m.map((c) => `${c.column}: ${showExpected(c.value)}`).join(", ")} }`;

/** Rows shown under a failed `includes`: those agreeing on the most columns first. */
function closest(result: ResultTable, m: Matcher, limit: number): NonNullable<Mismatch["rows"]> {
  const columns = m.map((c) => c.column);
  const scored = result.rows
    .map((row) => ({ row, marks: m.map((c) => !matchesExpected(c.value, row[c.column] ?? null)) }))
    .sort((a, b) => a.marks.filter(Boolean).length - b.marks.filter(Boolean).length)
    .slice(0, limit);
  return {
    columns,
    values: scored.map((s) => columns.map((c) => s.row[c] ?? null)),
    marks: scored.map((s) => s.marks),
    types: m.map((c) => c.type),
  };
}

/** The result's columns, those the test names first: what a reader of a failure looks for. */
export function columnsToShow(expect: TestExpectation, result: ResultTable): string[] {
  const named = new Set([...(expect.includes ?? []), ...(expect.excludes ?? [])].flatMap((m) => Object.keys(m)));
  const all = result.columns.map((c) => c.name);
  return [...all.filter((c) => named.has(c)), ...all.filter((c) => !named.has(c))];
}

/** Up to `limit` result rows, with the columns in `columns`' order. */
export function someRows(result: ResultTable, columns: string[], limit: number): NonNullable<Mismatch["rows"]> {
  const types = new Map(result.columns.map((c) => [c.name, c.type]));
  return {
    columns,
    values: result.rows.slice(0, limit).map((r) => columns.map((c) => r[c] ?? null)),
    types: columns.map((c) => types.get(c) ?? "dynamic"),
  };
}

export function checkExpectation(expect: TestExpectation, result: ResultTable): Mismatch[] {
  const mismatches: Mismatch[] = [];
  const shown = columnsToShow(expect, result);
  if (expect.rows !== undefined && result.rows.length !== expect.rows) {
    mismatches.push({
      expected: `${expect.rows} row${expect.rows === 1 ? "" : "s"}`,
      actual: `${result.rows.length} row${result.rows.length === 1 ? "" : "s"}`,
      rows: someRows(result, shown, 10),
    });
  }
  if (expect.includes) {
    const { matchers: ms, problems } = matchers(expect.includes, result, "includes");
    mismatches.push(...problems);
    for (const m of ms) {
      if (m.length === 0 || result.rows.some((row) => matches(row, m))) continue;
      mismatches.push({
        expected: `a row with ${show(m)}`,
        actual: result.rows.length === 0 ? "the result is empty" : `no row has it; the closest of ${result.rows.length}:`,
        ...(result.rows.length > 0 ? { rows: closest(result, m, 5) } : {}),
      });
    }
  }
  if (expect.excludes) {
    const { matchers: ms, problems } = matchers(expect.excludes, result, "excludes");
    mismatches.push(...problems);
    for (const m of ms) {
      const hits = result.rows.filter((row) => matches(row, m));
      if (m.length === 0 || hits.length === 0) continue;
      mismatches.push({
        expected: `no row with ${show(m)}`,
        actual: `${hits.length} row${hits.length === 1 ? " has" : "s have"} it:`,
        rows: someRows({ columns: result.columns, rows: hits }, shown, 5),
      });
    }
  }
  return mismatches;
}
