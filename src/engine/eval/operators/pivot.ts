/**
 * evaluate pivot(column [, aggregation] [, group columns...]): one output column per distinct
 * value of `column` (as text, in ascending order), holding the aggregation (count() by default)
 * of the rows of each group with that value. Without group columns, every other column groups.
 */
import { toArray } from "../../../kql/kusto";
import type { KCall, KEvaluate, KExpression } from "../../kusto/syntax";
import { EvaluationError, rowShape, type RunContext, type Scope } from "../context";
import { compileScalar, typeOf } from "../scalar";
import { buildAggregate, isAggregateCall, type Aggregate, type AggregateState } from "../../aggregates/aggregates";
import { argAs } from "../../functions/types";
import { compositeKey } from "../../values/compare";
import type { Column, Row, Value } from "../../values/types";
import type { RowValues, Table } from "../../values/table";
import { tableFromRows } from "../../values/table";

function countAll(): Aggregate {
  return {
    types: ["long"],
    create() {
      let n = 0;
      return { add: () => void n++, result: (out) => void out.push(BigInt(n)) };
    },
  };
}

export function pivot(op: KEvaluate, input: Table, scope: Scope, run: RunContext): Table {
  const args = toArray(op.FunctionCall.ArgumentList.Expressions).map((s) => s.Element);
  const shape = rowShape(input);
  const cx = { run, scope, shape };
  const pivotExpr = args[0];
  if (!pivotExpr) throw new EvaluationError("pivot needs a column", op);
  const pivotValue = argAs(compileScalar(pivotExpr, cx), "string");
  const rest = args.slice(1);
  const aggCall = rest[0] && isAggregateCall(rest[0], run.kinds) ? (rest.shift() as KCall) : undefined;
  const aggregate = aggCall
    ? buildAggregate(aggCall, {
        resultType: typeOf(aggCall),
        shape,
        kinds: run.kinds,
        byNames: new Set(),
        compile: (e) => compileScalar(e, cx),
      })
    : countAll();
  const used = new Set(
    [pivotExpr, ...(aggCall ? toArray(aggCall.ArgumentList.Expressions).map((s) => s.Element) : [])].map(
      (e) => (e as KExpression & { SimpleName?: string }).SimpleName,
    ),
  );
  const groupExprs: { name: string; fn: (row: Row) => Value; type: Column["type"] }[] =
    rest.length > 0
      ? rest.map((e) => {
          const c = compileScalar(e, cx);
          return { name: (e as KExpression & { SimpleName?: string }).SimpleName ?? e.toString().trim(), fn: c.fn, type: c.type };
        })
      : input.columns.map((c, i) => ({ name: c.name, fn: shape.readers[i]!, type: c.type })).filter((g) => !used.has(g.name));
  const types = groupExprs.map((g) => g.type);
  const groups = new Map<string, { keys: Value[]; cells: Map<string, AggregateState> }>();
  const pivotValues = new Set<string>();
  for (let row = 0; row < input.length; row++) {
    const keys = groupExprs.map((g) => g.fn(row));
    const key = compositeKey(keys, types);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { keys, cells: new Map() }));
    const p = pivotValue(row) as string;
    pivotValues.add(p);
    let cell = g.cells.get(p);
    if (!cell) g.cells.set(p, (cell = aggregate.create()));
    cell.add(row);
  }
  const names = [...pivotValues].sort();
  const valueType = aggregate.types[0] ?? "dynamic";
  const columns: Column[] = [
    ...groupExprs.map((g) => ({ name: g.name, type: g.type })),
    ...names.map((n) => ({ name: n, type: valueType })),
  ];
  const empty = aggregate.create();
  const rows: RowValues[] = [...groups.values()].map((g) => {
    const out = g.keys.slice();
    for (const n of names) (g.cells.get(n) ?? empty).result(out);
    return out;
  });
  return tableFromRows(columns, rows);
}
