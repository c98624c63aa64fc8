/** where, extend, project and the project-* family. */
import { toArray } from "../../../kql/kusto";
import type { KCompoundNamed, KExpression, KExpressionsOperator, KFilter, KSimpleNamed, KSyntaxNode } from "../../kusto/syntax";
import { EvaluationError, rowShape, type Compiled, type RowShape, type RunContext, type Scope } from "../context";
import { compileScalar } from "../scalar";
import { conform } from "../schema";
import { expressionResultName } from "../../kusto/language";
import { compileRegex } from "../../values/regex";
import { isKqlType, type Column, type KqlType, type Row, type Value } from "../../values/types";
import type { Table } from "../../values/table";
import { dense, pickColumns, selectRows, withColumns, type ColumnData } from "../../values/table";
import type { BridgeList, KColumnSymbol } from "../../../kql/kusto";

export function filter(op: KFilter, input: Table, scope: Scope, run: RunContext): Table {
  const c = compileScalar(op.Condition, { run, scope, shape: rowShape(input) });
  return selectRows(input, selectWhere(input.length, c.fn));
}

interface Assignment {
  /** undefined: the binder names it (unnamed expressions) */
  name: string | undefined;
  compiled: Compiled;
}

/**
 * `(a, b) = f(...)` and unnamed calls of functions that return several columns: one column per
 * member of the tuple, the call evaluated once per row.
 */
function tupleAssignments(e: KExpression, names: string[], compiled: Compiled): Assignment[] {
  const members = toArray((e.ResultType as (KExpression["ResultType"] & { Columns?: BridgeList<KColumnSymbol> }) | null)?.Columns);
  let lastRow: Row | undefined;
  let lastValue: Value = null;
  const whole = (row: Row): Value => {
    if (row !== lastRow) {
      lastRow = row;
      lastValue = compiled.fn(row);
    }
    return lastValue;
  };
  const count = Math.max(members.length, names.length);
  return Array.from({ length: count }, (_, j) => {
    const typeName = members[j]?.Type.Name;
    const type: KqlType = typeName && isKqlType(typeName) ? typeName : "dynamic";
    const pick = (row: Row): Value => {
      const v = whole(row);
      if (v === null) return null;
      // the function must give one value per column the binder expects; anything else is an engine defect
      if (!Array.isArray(v) || v.length !== count)
        throw new EvaluationError(
          `internal error: ${e.toString().trim()} gave ${Array.isArray(v) ? `${v.length} values` : "one value"} where Kusto.Language expects ${count} columns; the local engine cannot run this query correctly`,
          e,
        );
      return (v as Value[])[j] ?? null;
    };
    return { name: names[j] ?? members[j]?.Name, compiled: { type, fn: pick, rowFree: false } };
  });
}

/** The positions of the rows where the predicate is true. */
export function selectWhere(length: number, predicate: (row: Row) => Value): Int32Array {
  const keep = new Int32Array(length);
  let n = 0;
  for (let i = 0; i < length; i++) if (predicate(i) === true) keep[n++] = i;
  return keep.subarray(0, n);
}

/** One new column: the function's value on every row. */
export function computeColumn(length: number, f: (row: Row) => Value): ColumnData {
  const values = new Array<Value>(length);
  for (let i = 0; i < length; i++) values[i] = f(i);
  return dense(values);
}

/** The input's own column when the compiled expression is exactly a read of it (same reader closure). */
function passThrough(c: Compiled, input: Table, shape: RowShape): ColumnData | undefined {
  const at = shape.readers.indexOf(c.fn);
  return at >= 0 ? input.data[at] : undefined;
}

function items(op: KExpressionsOperator): KExpression[] {
  return toArray(op.Expressions).map((s) => s.Element);
}

function simpleName(e: KSyntaxNode & { SimpleName?: string }): string {
  return e.SimpleName ?? e.toString().trim();
}

/** The name an unnamed projection takes by Kusto.Language's own rule (undefined: `ColumnN`). */
function resultName(e: KExpression): string | undefined {
  return expressionResultName(e);
}

/** The next `ColumnN` not already taken. */
export function nextColumnName(taken: ReadonlySet<string> | ReadonlyMap<string, unknown>): string {
  for (let n = 1; ; n++) if (!taken.has(`Column${n}`)) return `Column${n}`;
}

function assignments(exprs: readonly KExpression[], shape: RowShape, scope: Scope, run: RunContext): Assignment[][] {
  const k = run.kinds.syntax;
  return exprs.map((e) => {
    if (e.Kind === k.SimpleNamedExpression) {
      const named = e as KSimpleNamed;
      return [{ name: named.Name.SimpleName, compiled: compileScalar(named.Expression, { run, scope, shape }) }];
    }
    if (e.Kind === k.CompoundNamedExpression) {
      const compound = e as KCompoundNamed;
      const names = toArray(compound.Names.Names).map((n) => n.Element.SimpleName);
      return tupleAssignments(compound.Expression, names, compileScalar(compound.Expression, { run, scope, shape }));
    }
    if (e.ResultType?.Kind === run.kinds.symbol.Tuple) return tupleAssignments(e, [], compileScalar(e, { run, scope, shape }));
    return [{ name: resultName(e), compiled: compileScalar(e, { run, scope, shape }) }];
  });
}

/** extend: new columns after the input's; a name that exists replaces that column in place. */
export function extend(op: KExpressionsOperator, input: Table, scope: Scope, run: RunContext): Table {
  const list = assignments(items(op), rowShape(input), scope, run).flat();
  const columns: Column[] = input.columns.slice();
  const index = new Map(columns.map((c, i) => [c.name, i]));
  const targets: number[] = [];
  for (const a of list) {
    const name = a.name ?? nextColumnName(index);
    let at = index.get(name);
    if (at === undefined) {
      at = columns.length;
      columns.push({ name, type: a.compiled.type });
      index.set(name, at);
    } else columns[at] = { name, type: a.compiled.type };
    targets.push(at);
  }
  const fns = list.map((a) => a.compiled.fn);
  // every expression reads the input row, as in Kusto: new columns are computed before any is replaced
  const data: ColumnData[] = input.data.slice();
  const computed = fns.map((f) => computeColumn(input.length, f));
  computed.forEach((values, i) => {
    data[targets[i]!] = values;
  });
  return conform(op, { columns, data, length: input.length }, run, "extend");
}

export function project(op: KExpressionsOperator, input: Table, scope: Scope, run: RunContext): Table {
  const shape = rowShape(input);
  const list = assignments(items(op), shape, scope, run).flat();
  const taken = new Set<string>();
  const columns = list.map((a) => {
    const name = a.name ?? nextColumnName(taken);
    taken.add(name);
    return { name, type: a.compiled.type };
  });
  const fns = list.map((a) => a.compiled.fn);
  // a plain column reference keeps its storage
  const data = list.map((a, i) => passThrough(a.compiled, input, shape) ?? computeColumn(input.length, fns[i]!));
  return conform(op, { columns, data, length: input.length }, run, "project");
}

/** Column names a project-away/keep/reorder list selects, wildcards included. */
function selectedColumns(op: KExpressionsOperator, input: Table, run: RunContext): number[] {
  const picked: number[] = [];
  for (const e of items(op)) {
    const inner = e.Kind === run.kinds.syntax.OrderedExpression ? (e as KExpression & { Expression: KExpression }).Expression : e;
    const text = inner.toString().trim();
    const name = (inner as KExpression & { SimpleName?: string }).SimpleName ?? text;
    if (name.includes("*")) {
      const re = compileRegex(`^${name.split("*").map(escapeRegex).join(".*")}$`);
      input.columns.forEach((c, i) => {
        if (re.test(c.name) && !picked.includes(i)) picked.push(i);
      });
    } else {
      const i = input.columns.findIndex((c) => c.name === name);
      if (i >= 0 && !picked.includes(i)) picked.push(i);
    }
  }
  return picked;
}

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
}

function keep(input: Table, indexes: number[]): Table {
  return pickColumns(input, indexes);
}

export function projectAway(op: KExpressionsOperator, input: Table, run: RunContext): Table {
  const drop = new Set(selectedColumns(op, input, run));
  const kept = input.columns.map((_, i) => i).filter((i) => !drop.has(i));
  return conform(op, keep(input, kept), run, "project-away");
}

export function projectKeep(op: KExpressionsOperator, input: Table, run: RunContext): Table {
  const wanted = new Set(selectedColumns(op, input, run));
  return conform(
    op,
    keep(
      input,
      input.columns.map((_, i) => i).filter((i) => wanted.has(i)),
    ),
    run,
    "project-keep",
  );
}

export function projectReorder(op: KExpressionsOperator, input: Table, run: RunContext): Table {
  const first = selectedColumns(op, input, run);
  const rest = input.columns.map((_, i) => i).filter((i) => !first.includes(i));
  return conform(op, keep(input, [...first, ...rest]), run, "project-reorder");
}

export function projectRename(op: KExpressionsOperator, input: Table, run: RunContext): Table {
  const columns = input.columns.slice();
  for (const e of items(op)) {
    const named = e as KSimpleNamed;
    const from = simpleName(named.Expression as KExpression & { SimpleName: string });
    const i = columns.findIndex((c) => c.name === from);
    if (i >= 0) columns[i] = { name: named.Name.SimpleName, type: columns[i]!.type };
  }
  return conform(op, withColumns(input, columns), run, "project-rename");
}
