/**
 * What evaluation carries around: the run (clock, data sources, caches), lexical scopes for
 * `let` names and function parameters, and the compiled form of scalar expressions.
 */
import type { KExpression, KSymbol, KSyntaxNode } from "../kusto/syntax";
import type { Kinds } from "../kusto/kinds";
import type { Column, KqlType, Row, Value } from "../values/types";
import type { Table } from "../values/table";
import { reader } from "../values/table";

/** A scalar expression compiled to a closure over the current row. */
export interface Compiled {
  readonly type: KqlType;
  readonly fn: (row: Row) => Value;
  /** True when the value does not depend on the row (literals, lets, toscalar ...). */
  readonly rowFree: boolean;
}

/** Where the engine's tables, watchlists and external data come from during one run. */
export interface DataSources {
  /** A database table's rows (already limited to the run's time range), or undefined when unknown. */
  table(name: string): Table | undefined;
  /** `_GetWatchlist(alias)` rows, or undefined when the caller gave no such watchlist. */
  watchlist(alias: string): Table | undefined;
  /** Rows for an `externaldata` URI, as the caller supplied them (empty when absent). */
  externalData(uri: string): readonly Record<string, unknown>[] | undefined;
}

export interface RunContext {
  readonly kinds: Kinds;
  /** now() and ago() in ticks since the Unix epoch, fixed for the whole run. */
  readonly now: bigint;
  readonly data: DataSources;
  /** The symbol Kusto.Language binds `_GetWatchlist(...)` calls to. */
  readonly watchlistFunction: KSymbol | undefined;
  /** materialize() results, by expression node. */
  readonly materialized: Map<KSyntaxNode, Table>;
  /** Evaluates a tabular expression (injected to keep the scalar and tabular evaluators apart). */
  readonly evaluateTable: (expr: KExpression, scope: Scope) => Table;
  /** Bounds on rows, series and time for this run (eval/limits.ts). */
  readonly budget: RunBudget;
}

/** What operators ask of the run's bounds; each call throws an EvaluationError past its limit. */
export interface RunBudget {
  readonly limits: { readonly maxRows: number; readonly maxSeriesCells: number; readonly timeoutMs: number };
  rows(n: number, what: string | (() => string), node: KSyntaxNode | undefined): void;
  seriesCells(n: number, node: KSyntaxNode | undefined): void;
  time(node: KSyntaxNode | undefined): void;
  tick(node: KSyntaxNode | undefined): void;
}

export type Binding = { readonly kind: "table"; get(): Table } | { readonly kind: "scalar"; readonly value: Compiled };

/**
 * Lexical scope: `let` names are found by their symbol (Kusto.Language gives each declaration
 * its own symbol object); a called function's parameters by name, because the binder gives
 * each expansion fresh parameter symbols.
 */
export class Scope {
  private readonly lets = new Map<KSymbol, Binding>();

  constructor(
    readonly parent: Scope | null,
    private readonly params: ReadonlyMap<string, Binding> | null = null,
    /** The table a subquery's leading operator applies to (mv-apply, partition). */
    private readonly input: Table | null = null,
  ) {}

  implicitInput(): Table | null {
    for (let s: Scope | null = this; s; s = s.parent) if (s.input) return s.input;
    return null;
  }

  declare(symbol: KSymbol, binding: Binding): void {
    this.lets.set(symbol, binding);
  }

  lookup(symbol: KSymbol): Binding | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      const b = s.lets.get(symbol);
      if (b) return b;
    }
    for (let s: Scope | null = this; s; s = s.parent) {
      if (s.params) return s.params.get(symbol.Name);
    }
    return undefined;
  }
}

/** The table scalar expressions are compiled against: its columns, by name, and their readers. */
export interface RowShape {
  readonly columns: readonly Column[];
  readonly index: ReadonlyMap<string, number>;
  /** Reads column i at a row (by position). */
  readonly readers: readonly ((row: Row) => Value)[];
}

/** The shape of a table (or of bare columns, for expressions evaluated without rows). */
export function rowShape(source: Table | readonly Column[]): RowShape {
  const table = "data" in source ? source : undefined;
  const columns = table ? table.columns : (source as readonly Column[]);
  const index = new Map<string, number>();
  columns.forEach((c, i) => index.set(c.name, i));
  const readers = table ? table.data.map(reader) : columns.map(() => () => null);
  return { columns, index, readers };
}

/** The row argument of closures evaluated without a row (literals, lets, toscalar). */
export const NO_ROW: Row = -1;

/** Compile-time context of a scalar expression. */
export interface ScalarContext {
  readonly run: RunContext;
  readonly scope: Scope;
  readonly shape: RowShape;
  /** Nodes already computed elsewhere (aggregate calls inside a summarize expression). */
  readonly overrides?: ReadonlyMap<KSyntaxNode, Compiled>;
}

/** An error in evaluation that points at the query text. */
export class EvaluationError extends Error {
  constructor(
    message: string,
    readonly node?: KSyntaxNode,
  ) {
    super(message);
  }
}

/** Compiles a scalar expression; passed to helpers that compile their operands, so they need not import the compiler. */
export type ScalarCompiler = (e: KExpression, cx: ScalarContext) => Compiled;

export function isTabular(e: KExpression, run: RunContext): boolean {
  return e.ResultType?.Kind === run.kinds.symbol.Table;
}

/** Evaluates a row-free expression at most once. */
export function memoize(c: Compiled): Compiled {
  if (!c.rowFree) return c;
  let done = false;
  let value: Value = null;
  return {
    type: c.type,
    rowFree: true,
    fn: () => {
      if (!done) {
        value = c.fn(NO_ROW);
        done = true;
      }
      return value;
    },
  };
}
