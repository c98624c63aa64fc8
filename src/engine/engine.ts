/**
 * The engine's entry points. A KqlEngine holds the schema (tables, the project's functions,
 * watchlist columns) bound into Kusto.Language symbols once; `check` parses, binds and checks
 * a query for unsupported features; `run` evaluates it over in-memory data.
 *
 *   const engine = new KqlEngine({ tables, functions, watchlists });
 *   const result = engine.run(text, { now, tables: { SigninLogs: rows }, watchlists: { NetworkAllowlist: { searchKey, rows } } });
 */
import { loadKusto, toArray, type KKustoCode } from "../kql/kusto";
import { buildGlobals, type BuiltGlobals } from "../kql/globals";
import type { FunctionSignature, TableSchema } from "../kql/environment";
import type { KCall, KExpression, KQueryBlock, KSyntaxNode } from "./kusto/syntax";
import { kinds, type Kinds } from "./kusto/kinds";
import { findUnsupported } from "./check";
import { EvaluationError, Scope, type DataSources, type RunContext } from "./eval/context";
import { declareLets } from "./eval/scalar";
import { evaluateTable } from "./eval/tabular";
import { Budget, DEFAULT_LIMITS, type EngineLimits } from "./eval/limits";
import { InputError, rowsFromObjects } from "./io/input";
import { limitToTimeRange, watchlistCsvColumns, watchlistTable, type TimeRange, type WatchlistData } from "./sentinel";
import { datetimeFromMs, parseDatetime } from "./values/datetime";
import { kqlTypeNamed, type Column } from "./values/types";
import type { RowValues, Table } from "./values/table";
import { emptyTable, rowsOf } from "./values/table";

export interface Problem {
  /** bind: Kusto.Language's diagnostics; unsupported: a feature the engine lacks; input: bad data; runtime: evaluation failed */
  kind: "bind" | "unsupported" | "input" | "runtime";
  message: string;
  /** 1-based position in the query text; 0 when the problem is not in the query (input data). */
  line: number;
  column: number;
  /** Kusto.Language's diagnostic code (KS142, ...) for bind problems. */
  code?: string;
}

export interface WatchlistSchema {
  alias: string;
  /** CSV columns (each becomes a string column of _GetWatchlist's result). */
  columns: readonly string[];
}

export interface EngineSchema {
  tables: readonly TableSchema[];
  /** The project's saved functions, callable by name. */
  functions?: readonly FunctionSignature[];
  watchlists?: readonly WatchlistSchema[];
}

/** A table's rows: JSON-ish objects (converted and checked against the schema) or typed values. */
export type TableData = readonly Record<string, unknown>[] | Table;

type NamedMap<T> = ReadonlyMap<string, T> | Readonly<Record<string, T>>;

export interface RunInput {
  /** What now() and ago() see. */
  now: Date | string;
  /** Rows per table; tables not given are empty (with their schema's columns). */
  tables?: NamedMap<TableData>;
  watchlists?: NamedMap<WatchlistData>;
  /** Rows an `externaldata` operator reads, by URI (no network access: absent URIs are empty). */
  externalData?: NamedMap<readonly Record<string, unknown>[]>;
  /** Sentinel's query window: every table with a TimeGenerated column shows only rows inside [start, end]. */
  timeRange?: TimeRange;
  /** Bounds on rows, make-series cells and run time; the defaults are DEFAULT_LIMITS (docs/engine.md, "Limits"). */
  limits?: Partial<EngineLimits>;
}

/** A query's result: its columns and rows (materialized), and the columnar table itself. */
export type QueryResult = { ok: true; columns: Column[]; rows: RowValues[]; table: Table } | { ok: false; problems: Problem[] };

/** A query that parsed, bound and passed the support check. */
export interface PreparedQuery {
  readonly text: string;
  readonly code: KKustoCode;
}

export type CheckResult = { ok: true; query: PreparedQuery } | { ok: false; problems: Problem[] };

function entries<T>(m: NamedMap<T> | undefined): [string, T][] {
  if (!m) return [];
  return m instanceof Map ? [...(m as ReadonlyMap<string, T>).entries()] : Object.entries(m as Record<string, T>);
}

export function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  return { line, column: offset - lineStart + 1 };
}

function isTable(data: TableData): data is Table {
  return !Array.isArray(data);
}

function ticksOf(when: Date | string, what: string): bigint {
  if (when instanceof Date) {
    if (Number.isNaN(when.getTime())) throw new InputError(`${what} is not a valid date`);
    return datetimeFromMs(when.getTime());
  }
  const t = parseDatetime(when);
  if (t === null) throw new InputError(`${what} '${when}' is not a datetime`);
  return t;
}

export class KqlEngine {
  private readonly built: BuiltGlobals;
  private readonly kinds: Kinds;
  private readonly tableColumns = new Map<string, Column[]>();
  private readonly watchlistColumns = new Map<string, readonly string[]>();

  constructor(schema: EngineSchema) {
    loadKusto();
    this.kinds = kinds();
    for (const t of schema.tables)
      this.tableColumns.set(
        t.name,
        t.columns.map(([name, typeName]) => {
          const type = kqlTypeNamed(typeName);
          if (!type) throw new InputError(`table ${t.name}, column ${name}: unknown type '${typeName}'`);
          return { name, type };
        }),
      );
    for (const w of schema.watchlists ?? []) this.watchlistColumns.set(w.alias.toLowerCase(), w.columns);
    this.built = buildGlobals({
      tables: [...schema.tables],
      functions: [...(schema.functions ?? [])],
      watchlists: (schema.watchlists ?? []).map((w) => ({ alias: w.alias, columns: [...w.columns] })),
    });
  }

  /** The query parsed and bound against the schema, errors and all (for tools that read the tree). */
  analyze(text: string): KKustoCode {
    return loadKusto().KustoCode.ParseAndAnalyze(text, this.built.globals);
  }

  /** Parses and binds the query, then lists every bind error and unsupported feature. */
  check(text: string): CheckResult {
    const K = loadKusto();
    const code = this.analyze(text);
    const problems: Problem[] = [];
    const dynamicJsonArgs = this.dynamicArgumentsOfParseJson(code);
    for (const d of toArray(code.GetDiagnostics())) {
      if (d.Severity !== "Error") continue;
      // Kusto.Language wants a string in todynamic()/parse_json(); the service (and this engine) take dynamic as is
      if (d.Code === "KS107" && dynamicJsonArgs.has(d.Start)) continue;
      problems.push({ kind: "bind", code: d.Code, message: d.Message, ...position(text, d.HasLocation ? d.Start : 0) });
    }
    // errors inside the project's functions surface at their call sites
    K.Syntax.SyntaxElement.WalkNodes(code.Syntax, (n: KSyntaxNode) => {
      if (n.Kind !== this.kinds.syntax.FunctionCallExpression) return;
      for (const d of toArray(n.GetCalledFunctionDiagnostics()))
        if (d.Severity === "Error")
          problems.push({
            kind: "bind",
            code: d.Code,
            message: `in ${(n as KCall).Name.SimpleName}(): ${d.Message}`,
            ...position(text, n.TextStart),
          });
    });
    const statements = toArray((code.Syntax as KQueryBlock).Statements).map((st) => st.Element);
    if (problems.length === 0 && !statements.some((st) => st.Kind === this.kinds.syntax.ExpressionStatement))
      problems.push({ kind: "bind", message: "the query has no tabular expression to run (only let statements?)", line: 1, column: 1 });
    if (problems.length > 0) return { ok: false, problems };
    for (const u of findUnsupported(code.Syntax, this.kinds, this.built.watchlistFunction)) {
      const where = position(text, u.inFunction ? 0 : u.node.TextStart);
      problems.push({
        kind: "unsupported",
        message: u.inFunction
          ? `the local engine does not support ${u.what} (in function ${u.inFunction})`
          : `the local engine does not support ${u.what} (line ${where.line})`,
        ...(u.inFunction ? { line: 0, column: 0 } : where),
      });
    }
    return problems.length > 0 ? { ok: false, problems } : { ok: true, query: { text, code } };
  }

  /**
   * Converts JSON-ish rows to typed tables against the schema, once: the result can be passed as
   * `tables` to several runs. Throws InputError naming table, row and column for a bad value.
   */
  convertTables(tables: NamedMap<TableData>): Map<string, Table> {
    const out = new Map<string, Table>();
    for (const [name, data] of entries(tables)) {
      const columns = this.tableColumns.get(name);
      if (!columns) throw new InputError(`table ${name} is not in the schema`);
      out.set(name, isTable(data) ? data : rowsFromObjects(data, columns, `table ${name}`));
    }
    return out;
  }

  /** Offsets of arguments of todynamic()/parse_json() calls that are already dynamic. */
  private dynamicArgumentsOfParseJson(code: KKustoCode): Set<number> {
    const offsets = new Set<number>();
    // walking the tree costs more than reading the text: most queries call none of these
    if (!/todynamic|parse_?json|toobject/i.test(code.Text)) return offsets;
    loadKusto().Syntax.SyntaxElement.WalkNodes(code.Syntax, (n: KSyntaxNode) => {
      if (n.Kind !== this.kinds.syntax.FunctionCallExpression) return;
      const call = n as KCall;
      if (!["todynamic", "parse_json", "parsejson", "toobject"].includes(call.Name.SimpleName)) return;
      const arg = toArray(call.ArgumentList.Expressions)[0]?.Element;
      if (arg?.ResultType?.Name === "dynamic") offsets.add(arg.TextStart);
    });
    return offsets;
  }

  /** Checks (unless given a prepared query) and evaluates the query over the input. */
  run(query: string | PreparedQuery, input: RunInput): QueryResult {
    let prepared: PreparedQuery;
    if (typeof query === "string") {
      const checked = this.check(query);
      if (!checked.ok) return checked;
      prepared = checked.query;
    } else prepared = query;
    try {
      const table = this.evaluate(prepared, input);
      return { ok: true, columns: [...table.columns], rows: rowsOf(table), table };
    } catch (error) {
      if (error instanceof InputError) return { ok: false, problems: [{ kind: "input", message: error.message, line: 0, column: 0 }] };
      if (error instanceof EvaluationError) {
        const inQuery = error.node && rootOf(error.node) === prepared.code.Syntax;
        return {
          ok: false,
          problems: [
            {
              kind: "runtime",
              message: error.message,
              ...(inQuery ? position(prepared.text, error.node!.TextStart) : { line: 0, column: 0 }),
            },
          ],
        };
      }
      throw error;
    }
  }

  private dataSources(input: RunInput, now: bigint): DataSources {
    const given = new Map(entries(input.tables));
    for (const name of given.keys()) if (!this.tableColumns.has(name)) throw new InputError(`table ${name} is not in the schema`);
    const range = input.timeRange
      ? ([ticksOf(input.timeRange.start, "timeRange.start"), ticksOf(input.timeRange.end, "timeRange.end")] as const)
      : undefined;
    const tables = new Map<string, Table>();
    const watchlists = new Map(entries(input.watchlists).map(([alias, data]) => [alias.toLowerCase(), { alias, data }]));
    const external = new Map(entries(input.externalData));
    return {
      table: (name) => {
        const columns = this.tableColumns.get(name);
        if (!columns) return undefined;
        let t = tables.get(name);
        if (!t) {
          const data = given.get(name);
          t = !data ? emptyTable(columns) : isTable(data) ? data : rowsFromObjects(data, columns, `table ${name}`);
          if (range) t = limitToTimeRange(t, range[0], range[1]);
          tables.set(name, t);
        }
        return t;
      },
      watchlist: (alias) => {
        const w = watchlists.get(alias.toLowerCase());
        if (!w)
          return this.watchlistColumns.has(alias.toLowerCase())
            ? watchlistTable(alias, { columns: this.watchlistColumns.get(alias.toLowerCase())!, rows: [] }, now)
            : undefined;
        const declared = this.watchlistColumns.get(alias.toLowerCase());
        const columns = declared ?? watchlistCsvColumns(w.data);
        return watchlistTable(w.alias, { ...w.data, columns }, now);
      },
      externalData: (uri) => external.get(uri),
    };
  }

  private evaluate(prepared: PreparedQuery, input: RunInput): Table {
    const now = ticksOf(input.now, "now");
    const run: RunContext = {
      kinds: this.kinds,
      now,
      data: this.dataSources(input, now),
      watchlistFunction: this.built.watchlistFunction,
      materialized: new Map(),
      evaluateTable: (e, scope) => evaluateTable(e, scope, run),
      budget: new Budget({ ...DEFAULT_LIMITS, ...input.limits }),
    };
    const block = prepared.code.Syntax as KQueryBlock;
    const statements = toArray(block.Statements).map((s) => s.Element);
    const scope = new Scope(null);
    declareLets(statements, scope, run);
    const last = [...statements].reverse().find((s) => s.Kind === this.kinds.syntax.ExpressionStatement);
    if (!last) throw new EvaluationError("the query has no tabular expression to run");
    const expr = (last as KSyntaxNode & { Expression: KExpression }).Expression;
    if (expr.ResultType?.Kind !== this.kinds.symbol.Table) throw new EvaluationError("the query's last statement is not tabular", expr);
    return evaluateTable(expr, scope, run);
  }
}

function rootOf(n: KSyntaxNode): KSyntaxNode {
  let r = n;
  while (r.Parent) r = r.Parent;
  return r;
}

/** Everything a one-off run needs, with the schema taken from the tables given. */
export interface RunQueryOptions extends Omit<RunInput, "tables"> {
  text: string;
  tables?: NamedMap<{ columns: readonly (readonly [string, string])[]; rows: readonly Record<string, unknown>[] }>;
  functions?: readonly FunctionSignature[];
}

/** Builds an engine for the given tables, functions and watchlists, and runs one query. */
export function runQuery(options: RunQueryOptions): QueryResult {
  const tables = entries(options.tables);
  try {
    const engine = new KqlEngine({
      tables: tables.map(([name, t]) => ({ name, columns: t.columns.map(([n, ty]) => [n, ty] as [string, string]) })),
      functions: options.functions ?? [],
      watchlists: entries(options.watchlists).map(([alias, w]) => ({ alias, columns: watchlistCsvColumns(w) })),
    });
    return engine.run(options.text, { ...options, tables: new Map(tables.map(([name, t]) => [name, t.rows])) });
  } catch (error) {
    if (error instanceof InputError) return { ok: false, problems: [{ kind: "input", message: error.message, line: 0, column: 0 }] };
    throw error;
  }
}
