/** Operators that reorder, cut or count rows: sort, top, take, distinct, count, serialize. */
import { toArray } from "../../../kql/kusto";
import type { KCount, KDistinct, KExpression, KOrdered, KSort, KTake, KTop } from "../../kusto/syntax";
import { rowShape, type RunContext, type Scope } from "../context";
import { compileScalar } from "../scalar";
import { conform } from "../schema";
import { comparator, compositeKey, keyOf } from "../../values/compare";
import type { Value } from "../../values/types";
import type { Table } from "../../values/table";
import { allRows, dense, selectRows, tableFromRows } from "../../values/table";
import { NO_ROW } from "../context";

/** Sort keys with their direction; Kusto sorts descending by default, nulls last when descending. */
function sortKeys(exprs: readonly KExpression[], input: Table, scope: Scope, run: RunContext) {
  const shape = rowShape(input);
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

/** The row positions in sorted order (stable: ties keep their input order). */
function sortOrder(length: number, keys: ReturnType<typeof sortKeys>): Int32Array {
  const values = keys.map((k) => Array.from({ length }, (_, i) => k.fn(i)));
  const order = Array.from({ length }, (_, i) => i);
  order.sort((a, b) => {
    for (let j = 0; j < keys.length; j++) {
      const c = keys[j]!.cmp(values[j]![a]!, values[j]![b]!);
      if (c !== 0) return c;
    }
    return a - b;
  });
  return Int32Array.from(order);
}

export function sort(op: KSort, input: Table, scope: Scope, run: RunContext): Table {
  const keys = sortKeys(
    toArray(op.Expressions).map((s) => s.Element),
    input,
    scope,
    run,
  );
  return selectRows(input, sortOrder(input.length, keys));
}

function count(e: KExpression, input: Table, scope: Scope, run: RunContext): number {
  const v = compileScalar(e, { run, scope, shape: rowShape(input.columns) }).fn(NO_ROW);
  return v === null ? 0 : Math.max(0, Number(v));
}

export function take(op: KTake, input: Table, scope: Scope, run: RunContext): Table {
  return selectRows(input, allRows(Math.min(input.length, count(op.Expression, input, scope, run))));
}

export function top(op: KTop, input: Table, scope: Scope, run: RunContext): Table {
  const keys = sortKeys([op.ByExpression], input, scope, run);
  return selectRows(input, sortOrder(input.length, keys).subarray(0, count(op.Expression, input, scope, run)));
}

export function distinct(op: KDistinct, input: Table, scope: Scope, run: RunContext): Table {
  const exprs = toArray(op.Expressions).map((s) => s.Element);
  const star = exprs.length === 1 && exprs[0]!.Kind === run.kinds.syntax.StarExpression;
  const shape = rowShape(input);
  const compiled = star
    ? input.columns.map((c, i) => ({ type: c.type, fn: shape.readers[i]!, rowFree: false }))
    : exprs.map((e) => compileScalar(e, { run, scope, shape }));
  const types = compiled.map((c) => c.type);
  const seen = new Set<unknown>();
  const firsts: number[] = [];
  const single = compiled.length === 1 ? compiled[0]! : undefined;
  for (let row = 0; row < input.length; row++) {
    const key = single
      ? keyOf(single.fn(row), single.type)
      : compositeKey(
          compiled.map((c) => c.fn(row)),
          types,
        );
    if (seen.has(key)) continue;
    seen.add(key);
    firsts.push(row);
  }
  const selection = Int32Array.from(firsts);
  const columns = star ? input.columns : compiled.map((c, i) => ({ name: `Column${i + 1}`, type: c.type }));
  const data = compiled.map((c) => {
    const values = new Array<Value>(selection.length);
    for (let i = 0; i < selection.length; i++) values[i] = c.fn(selection[i]!);
    return dense(values);
  });
  return conform(op, star ? selectRows(input, selection) : { columns, data, length: selection.length }, run, "distinct");
}

export function countRows(op: KCount, input: Table, run: RunContext): Table {
  return conform(op, tableFromRows([{ name: "Count", type: "long" }], [[BigInt(input.length)]]), run, "count");
}
