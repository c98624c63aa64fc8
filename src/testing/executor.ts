/**
 * Where a test's query runs. The runner hands over plain data (the query,
 * the run time, the time window, rows by table and watchlist) and gets rows
 * back as JSON with column types, so the same tests files can later run on a
 * real workspace (rows inlined as datatable, through the Log Analytics query
 * API) by adding an executor, without changing them.
 */
import { KqlEngine, tableToJson, type EngineSchema, type JsonValue } from "../engine";

export interface ExecutionRequest {
  query: string;
  now: Date;
  /** Sentinel's query window for scheduled and NRT rules: tables show only rows whose TimeGenerated is inside it. */
  timeRange?: { start: Date; end: Date };
  tables: ReadonlyMap<string, readonly Record<string, unknown>[]>;
  watchlists: ReadonlyMap<string, { searchKey: string; columns: readonly string[]; rows: readonly Record<string, unknown>[] }>;
}

export interface ExecutionProblem {
  message: string;
  /** 1-based line in the query; absent when the problem is not in the query. */
  line?: number;
}

export type ExecutionResult =
  { ok: true; columns: { name: string; type: string }[]; rows: Record<string, JsonValue>[] } | { ok: false; problems: ExecutionProblem[] };

export interface TestExecutor {
  /** Where the queries run, for reports ("local engine"). */
  readonly name: string;
  run(request: ExecutionRequest): Promise<ExecutionResult>;
}

/** Runs tests on the local KQL engine, with the schema bound once for every test. */
export class LocalEngineExecutor implements TestExecutor {
  readonly name = "local KQL engine";
  private readonly engine: KqlEngine;

  constructor(schema: EngineSchema) {
    this.engine = new KqlEngine(schema);
  }

  run(request: ExecutionRequest): Promise<ExecutionResult> {
    const result = this.engine.run(request.query, {
      now: request.now,
      tables: request.tables,
      watchlists: request.watchlists,
      ...(request.timeRange ? { timeRange: request.timeRange } : {}),
    });
    if (!result.ok) {
      return Promise.resolve({
        ok: false,
        problems: result.problems.map((p) => ({ message: p.message, ...(p.line > 0 ? { line: p.line } : {}) })),
      });
    }
    const json = tableToJson({ columns: result.columns, rows: result.rows });
    return Promise.resolve({ ok: true, columns: json.columns, rows: json.rows });
  }
}
