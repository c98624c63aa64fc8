/**
 * `sentinel-iac query`: runs one KQL query locally, over rows from files,
 * with the content's functions and watchlists. QUERY is the text, or @file.
 */
import { readFileSync } from "node:fs";
import { runAdhocQuery } from "../../app/adhocQuery";
import { ConfigError } from "../../config/settings";
import { writeContentErrors, type Output } from "../output";
import { textTable } from "../render/testReport";

export interface QueryOptions {
  content?: string;
  now?: string;
  table?: string[];
  watchlist?: string[];
  format: "table" | "json";
}

function queryText(arg: string): string {
  if (!arg.startsWith("@")) return arg;
  try {
    return readFileSync(arg.slice(1), "utf8");
  } catch (error) {
    throw new ConfigError(
      `cannot read the query file ${arg.slice(1)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

export function runQueryCommand(query: string, options: QueryOptions, out: Output, err: Output): number {
  const outcome = runAdhocQuery({
    query: queryText(query),
    ...(options.content !== undefined ? { content: options.content } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
    tables: options.table ?? [],
    watchlists: options.watchlist ?? [],
  });
  if ("errors" in outcome) {
    writeContentErrors(outcome.errors, outcome.contentDir, err, "the query runs with the content's functions and watchlists");
    return 1;
  }
  if (!outcome.ok) {
    for (const p of outcome.problems) err.write(`error: ${p.line !== undefined ? `line ${p.line}:${p.column ?? 1}: ` : ""}${p.message}\n`);
    return 1;
  }
  const { columns, rows } = outcome.result;
  if (options.format === "json") {
    out.write(`${JSON.stringify({ columns, rows }, null, 2)}\n`);
    return 0;
  }
  const lines = textTable({ columns: columns.map((c) => c.name), values: rows.map((r) => columns.map((c) => r[c.name] ?? null)) }, "");
  out.write(`${lines.join("\n")}\n(${rows.length} row${rows.length === 1 ? "" : "s"})\n`);
  return 0;
}
