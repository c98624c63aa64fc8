/** Operators that reorder, cut or count rows: sort, top, take, distinct, count, serialize. */
import { toArray } from "../../../kql/kusto";
import type { KCount, KDistinct, KExpression, KOrdered, KSort, KTake, KTop } from "../../kusto/syntax";
import { rowShape, type RunContext, type Scope } from "../context";
import { compileScalar } from "../scalar";
import { conform } from "../schema";
import { comparator, compositeKey } from "../../values/compare";
import type { Row, Table } from "../../values/types";

/** Sort keys with their direction; Kusto sorts descending by default, nulls last when descending. */
function sortKeys(exprs: readonly KExpression[], input: Table, scope: Scope, run: RunContext) {
  const shape = rowShape(input.columns);
  return exprs.map((e) => {
    let expr = e;
    let descending = true;
    let nullsFirst: boolean | undefined;
    if (e.Kind === run.kinds.syntax.OrderedExpression) {
      const ordered = e as KOrdered;
      expr = ordered.Expression;
      const dir = ordered.Ordering?.AscOrDescKeyword?.Text?.toLowerCase();
      if (dir === "asc") descending = false;
      const nulls = ordered.Ordering?.NullsClause?.FirstOrLastKeyword?.Text?.toLowerCase();
      if (nulls) nullsFirst = nulls === "first";
    }
    const c = compileScalar(expr, { run, scope, shape });
    return { fn: c.fn, cmp: comparator(c.type, descending, nullsFirst ?? !descending) };
  });
}

function sortRows(rows: readonly Row[], keys: ReturnType<typeof sortKeys>): Row[] {
  const decorated = rows.map((row, i) => ({ row, i, values: keys.map((k) => k.fn(row)) }));
  decorated.sort((a, b) => {
    for (let j = 0; j < keys.length; j++) {
      const c = keys[j]!.cmp(a.values[j]!, b.values[j]!);
      if (c !== 0) return c;
    }
    return a.i - b.i;
  });
  return decorated.map((d) => d.row);
}

export function sort(op: KSort, input: Table, scope: Scope, run: RunContext): Table {
  const keys = sortKeys(
    toArray(op.Expressions).map((s) => s.Element),
    input,
    scope,
    run,
  );
  return { columns: input.columns, rows: sortRows(input.rows, keys) };
}

function count(e: KExpression, input: Table, scope: Scope, run: RunContext): number {
  const v = compileScalar(e, { run, scope, shape: rowShape(input.columns) }).fn([]);
  return v === null ? 0 : Math.max(0, Number(v));
}

export function take(op: KTake, input: Table, scope: Scope, run: RunContext): Table {
  return { columns: input.columns, rows: input.rows.slice(0, count(op.Expression, input, scope, run)) };
}

export function top(op: KTop, input: Table, scope: Scope, run: RunContext): Table {
  const keys = sortKeys([op.ByExpression], input, scope, run);
  return { columns: input.columns, rows: sortRows(input.rows, keys).slice(0, count(op.Expression, input, scope, run)) };
}

export function distinct(op: KDistinct, input: Table, scope: Scope, run: RunContext): Table {
  const exprs = toArray(op.Expressions).map((s) => s.Element);
  const star = exprs.length === 1 && exprs[0]!.Kind === run.kinds.syntax.StarExpression;
  const shape = rowShape(input.columns);
  const compiled = star
    ? input.columns.map((c, i) => ({ type: c.type, fn: (r: Row) => r[i] ?? null, rowFree: false }))
    : exprs.map((e) => compileScalar(e, { run, scope, shape }));
  const types = compiled.map((c) => c.type);
  const seen = new Set<string>();
  const rows: Row[] = [];
  for (const row of input.rows) {
    const values = compiled.map((c) => c.fn(row));
    const key = compositeKey(values, types);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(values);
  }
  const columns = star ? input.columns : compiled.map((c, i) => ({ name: `Column${i + 1}`, type: c.type }));
  return conform(op, { columns, rows }, run, "distinct");
}

export function countRows(op: KCount, input: Table, run: RunContext): Table {
  return conform(op, { columns: [{ name: "Count", type: "long" }], rows: [[BigInt(input.rows.length)]] }, run, "count");
}
