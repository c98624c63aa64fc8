/** Small helpers for engine tests: run KQL and read results as JSON. */
import { runQuery, tableToJson, type JsonValue, type Problem, type RunQueryOptions } from "../../src/engine";

export const NOW = "2026-11-20T12:00:00Z";

type Options = Partial<Omit<RunQueryOptions, "text">>;

/** Rows of the query's result, as JSON (datetimes as ISO strings, longs as numbers). */
export function rows(text: string, options: Options = {}): Record<string, JsonValue>[] {
  const r = runQuery({ now: NOW, ...options, text });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.kind}: ${p.message} (${p.line}:${p.column})`).join("\n"));
  return tableToJson({ columns: r.columns, rows: r.rows }).rows;
}

/** Column names and types of the result. */
export function columns(text: string, options: Options = {}): string[] {
  const r = runQuery({ now: NOW, ...options, text });
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join("\n"));
  return r.columns.map((c) => `${c.name}:${c.type}`);
}

/** The value of one scalar expression (`print v = <expr>`). */
export function value(expr: string, options: Options = {}): JsonValue {
  return rows(`print v = ${expr}`, options)[0]!["v"]!;
}

/** The problems a query reports instead of running. */
export function problems(text: string, options: Options = {}): Problem[] {
  const r = runQuery({ now: NOW, ...options, text });
  if (r.ok) throw new Error("expected the query to fail");
  return r.problems;
}

/** A table given inline: schema and rows. */
export function table(columns: [string, string][], data: Record<string, unknown>[]) {
  return { columns, rows: data };
}
