/**
 * `sentinel-iac query`: one ad-hoc query on the local KQL engine, over rows
 * from files, with the content's functions and watchlists (a watchlist's rows
 * can be replaced by a CSV).
 */
import { readFileSync } from "node:fs";
import { ConfigError } from "../config/settings";
import { readRowsFile } from "../content/rowsFile";
import { KqlEngine, tableToJson, type JsonTable } from "../engine";
import type { Diagnostic } from "../diagnostics/diagnostic";
import { loadTableSchemas } from "../kql/environment";
import { buildDesiredState } from "../loader/desiredState";
import type { WatchlistResource } from "../model/types";
import { engineSchema, watchlistData } from "../testing/contentData";
import { didYouMean } from "../util/suggest";
import type { ContentErrors } from "./liveComparison";
import { resolveStackContent } from "./stackContent";

export interface AdhocQueryOptions {
  query: string;
  content?: string;
  projectDir?: string;
  /** What now() and ago() see; default: the time of the run. */
  now?: string;
  /** NAME=FILE pairs: rows of a table (.json, .jsonl or .csv). */
  tables?: readonly string[];
  /** ALIAS=FILE pairs: a CSV that replaces a watchlist's rows. */
  watchlists?: readonly string[];
}

export type AdhocQueryResult =
  | { ok: true; contentDir: string; result: JsonTable }
  | { ok: false; contentDir: string; problems: { message: string; line?: number; column?: number }[] };

function pair(spec: string, flag: string): [string, string] {
  const i = spec.indexOf("=");
  if (i <= 0 || i === spec.length - 1)
    throw new ConfigError(`${flag} ${spec}: write NAME=FILE, e.g. ${flag} SigninLogs=samples/signins.json`);
  return [spec.slice(0, i), spec.slice(i + 1)];
}

function rowsOf(path: string, flag: string): Record<string, unknown>[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`${flag}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const read = readRowsFile(path, text);
  if (!read.ok)
    throw new ConfigError(`${flag} ${path}: ${read.problems.map((p) => `${p.line ? `line ${p.line}: ` : ""}${p.message}`).join("; ")}`);
  return read.rows.map((r) => r.values);
}

export function runAdhocQuery(options: AdhocQueryOptions): AdhocQueryResult | ContentErrors {
  const { contentDir } = resolveStackContent(options);
  const state = buildDesiredState(contentDir);
  const diagnostics: Diagnostic[] = [...state.diagnostics];
  const schemas = loadTableSchemas(contentDir, diagnostics);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) return { contentDir, errors };

  const known = new Set(schemas.map((t) => t.name));
  const tables = new Map<string, Record<string, unknown>[]>();
  for (const spec of options.tables ?? []) {
    const [name, file] = pair(spec, "--table");
    if (!known.has(name))
      throw new ConfigError(
        `--table ${spec}: '${name}' is not a known table. ${didYouMean(name, [...known])}Add its schema to schemas/ for a custom table.`,
      );
    tables.set(name, rowsOf(file, "--table"));
  }
  const lists = state.resources.filter((r): r is WatchlistResource => r.content === "watchlist");
  const replaced = new Map<string, Record<string, unknown>[]>();
  for (const spec of options.watchlists ?? []) {
    const [alias, file] = pair(spec, "--watchlist");
    const list = lists.find((w) => w.name.toLowerCase() === alias.toLowerCase());
    if (!list)
      throw new ConfigError(
        `--watchlist ${spec}: the content has no watchlist '${alias}'. ${didYouMean(
          alias,
          lists.map((w) => w.name),
        )}`.trimEnd(),
      );
    replaced.set(list.key, rowsOf(file, "--watchlist"));
  }
  const engine = new KqlEngine(engineSchema(state, schemas));
  let result: ReturnType<KqlEngine["run"]>;
  try {
    result = engine.run(options.query, { now: options.now ?? new Date(), tables, watchlists: watchlistData(state, replaced) });
  } catch (error) {
    // a defect of the engine, not of the query: said as such, not as a stack trace
    if (!(error instanceof Error) || error instanceof ConfigError) throw error;
    return { ok: false, contentDir, problems: [{ message: `internal error in the local KQL engine: ${error.message}` }] };
  }
  if (!result.ok)
    return {
      ok: false,
      contentDir,
      problems: result.problems.map((p) => ({ message: p.message, ...(p.line > 0 ? { line: p.line, column: p.column } : {}) })),
    };
  return { ok: true, contentDir, result: tableToJson({ columns: result.columns, rows: result.rows }) };
}
