/**
 * summarize: hash aggregation. Groups are kept in first-seen order (Kusto leaves the order
 * undefined); without `by`, an empty input still gives one row of the aggregates' empty values.
 */
import { toArray } from "../../../kql/kusto";
import type { KCall, KExpression, KSimpleNamed, KSummarize } from "../../kusto/syntax";
import { EvaluationError, rowShape, type Compiled, type RunContext, type Scope } from "../context";
import { compileScalar } from "../scalar";
import { conform } from "../schema";
import { buildAggregate, isAggregateCall, type Aggregate, type AggregateState } from "../../aggregates/aggregates";
import { compositeKey, keyOf } from "../../values/compare";
import { expressionResultName } from "../../kusto/language";
import { nextColumnName } from "./project";
import type { Column, Row, Table, Value } from "../../values/types";

interface Group {
  keys: Value[];
  states: AggregateState[];
}

function unwrap(e: KExpression, run: RunContext): { name: string | undefined; expr: KExpression } {
  if (e.Kind === run.kinds.syntax.SimpleNamedExpression) {
    const named = e as KSimpleNamed;
    return { name: named.Name.SimpleName, expr: named.Expression };
  }
  return { name: undefined, expr: e };
}

export function summarize(op: KSummarize, input: Table, scope: Scope, run: RunContext): Table {
  const shape = rowShape(input.columns);
  const cx = { run, scope, shape };
  const byItems = op.ByClause ? toArray(op.ByClause.Expressions).map((s) => unwrap(s.Element, run)) : [];
  const byCompiled: Compiled[] = byItems.map((b) => compileScalar(b.expr, cx));
  const byNames = new Set(
    byItems
      .filter((b) => b.name === undefined && b.expr.Kind === run.kinds.syntax.NameReference)
      .map((b) => (b.expr as KExpression & { SimpleName: string }).SimpleName),
  );
  const aggItems = toArray(op.Aggregates).map((s) => unwrap(s.Element, run));
  const aggregates: Aggregate[] = aggItems.map((a) => {
    if (!isAggregateCall(a.expr, run.kinds))
      throw new EvaluationError(
        `the local engine supports only aggregation calls in summarize, not \`${a.expr.toString().trim()}\``,
        a.expr,
      );
    return buildAggregate(a.expr as KCall, {
      resultType: (a.expr.ResultType?.Name ?? "dynamic") as never,
      shape,
      kinds: run.kinds,
      byNames,
      compile: (e) => compileScalar(e, cx),
    });
  });

  const groups = new Map<unknown, Group>();
  const byFns = byCompiled.map((c) => c.fn);
  const byTypes = byCompiled.map((c) => c.type);
  const single = byFns.length === 1 ? byFns[0]! : undefined;
  const singleType = byTypes[0]!;
  const newGroup = (keys: Value[]): Group => ({ keys, states: aggregates.map((a) => a.create()) });
  for (const row of input.rows) {
    let group: Group | undefined;
    if (single) {
      const v = single(row);
      const key = keyOf(v, singleType);
      group = groups.get(key);
      if (!group) groups.set(key, (group = newGroup([v])));
    } else if (byFns.length === 0) {
      group = groups.get(null);
      if (!group) groups.set(null, (group = newGroup([])));
    } else {
      const keys = byFns.map((f) => f(row));
      const key = compositeKey(keys, byTypes);
      group = groups.get(key);
      if (!group) groups.set(key, (group = newGroup(keys)));
    }
    for (const s of group.states) s.add(row);
  }
  if (byFns.length === 0 && groups.size === 0) groups.set(null, newGroup([]));

  const columns: Column[] = [];
  const taken = new Set<string>();
  const name = (n: string | undefined) => {
    const chosen = n && !taken.has(n) ? n : nextColumnName(taken);
    taken.add(chosen);
    return chosen;
  };
  byItems.forEach((b, i) => columns.push({ name: name(b.name ?? expressionResultName(b.expr)), type: byTypes[i]! }));
  aggItems.forEach((a, i) => {
    const types = aggregates[i]!.types;
    const base = a.name ?? expressionResultName(a.expr);
    types.forEach((t) => columns.push({ name: name(base), type: t }));
  });
  const rows: Row[] = [];
  for (const g of groups.values()) {
    const out: Value[] = g.keys.slice();
    for (const s of g.states) s.result(out);
    rows.push(out);
  }
  return conform(op, { columns, rows }, run, "summarize");
}
