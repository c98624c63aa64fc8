/**
 * summarize: hash aggregation. Groups are kept in first-seen order (Kusto leaves the order
 * undefined); without `by`, an empty input still gives one row of the aggregates' empty values.
 */
import { toArray } from "../../../kql/kusto";
import type { KCall, KExpression, KNode, KSimpleNamed, KSummarize, KSyntaxNode } from "../../kusto/syntax";
import { rowShape, type Compiled, type RunContext, type Scope } from "../context";
import { compileScalar, typeOf } from "../scalar";
import { conform } from "../schema";
import { buildAggregate, isAggregateCall, type Aggregate, type AggregateState } from "../../aggregates/aggregates";
import { compositeKey, keyOf } from "../../values/compare";
import { expressionResultName } from "../../kusto/language";
import { nextColumnName } from "./project";
import type { Column, KqlType, Value } from "../../values/types";
import type { RowValues, Table } from "../../values/table";
import { tableFromRows } from "../../values/table";

interface Group {
  keys: Value[];
  states: AggregateState[];
}

/** One summarize output: a plain aggregate, or an expression over several aggregates. */
interface SummaryItem {
  aggregates: Aggregate[];
  types: KqlType[];
  finish(states: AggregateState[], out: Value[]): void;
}

function plainItem(a: Aggregate): SummaryItem {
  return { aggregates: [a], types: a.types, finish: (states, out) => states[0]!.result(out) };
}

/** `x = datetime_diff("hour", now(), max(TimeGenerated))`: the aggregates, then the expression over their results. */
function expressionItem(e: KExpression, build: (call: KCall) => Aggregate, scope: Scope, run: RunContext): SummaryItem {
  const calls: KCall[] = [];
  const visit = (n: KSyntaxNode) => {
    if (isAggregateCall(n, run.kinds)) {
      calls.push(n);
      return;
    }
    for (let i = 0; i < n.ChildCount; i++) {
      const c = (n as KNode).GetChild(i);
      if (c && !(c as KNode).IsToken) visit(c);
    }
  };
  visit(e);
  const aggregates = calls.map(build);
  // the aggregates' results of the group being finished, read by the outer expression
  let current: Value[] = [];
  const overrides = new Map<KSyntaxNode, Compiled>(
    calls.map((c, j) => [c, { type: aggregates[j]!.types[0]!, fn: () => current[j] ?? null, rowFree: false }]),
  );
  const outer = compileScalar(e, { run, scope, shape: rowShape([]), overrides });
  return {
    aggregates,
    types: [outer.type],
    finish(states, out) {
      current = [];
      for (const st of states) st.result(current);
      out.push(outer.fn(0));
    },
  };
}

function unwrap(e: KExpression, run: RunContext): { name: string | undefined; expr: KExpression } {
  if (e.Kind === run.kinds.syntax.SimpleNamedExpression) {
    const named = e as KSimpleNamed;
    return { name: named.Name.SimpleName, expr: named.Expression };
  }
  return { name: undefined, expr: e };
}

export function summarize(op: KSummarize, input: Table, scope: Scope, run: RunContext): Table {
  const shape = rowShape(input);
  const cx = { run, scope, shape };
  const byItems = op.ByClause ? toArray(op.ByClause.Expressions).map((s) => unwrap(s.Element, run)) : [];
  const byCompiled: Compiled[] = byItems.map((b) => compileScalar(b.expr, cx));
  const byNames = new Set(
    byItems
      .filter((b) => b.name === undefined && b.expr.Kind === run.kinds.syntax.NameReference)
      .map((b) => (b.expr as KExpression & { SimpleName: string }).SimpleName),
  );
  const aggItems = toArray(op.Aggregates).map((s) => unwrap(s.Element, run));
  const build = (call: KCall) =>
    buildAggregate(call, { resultType: typeOf(call), shape, kinds: run.kinds, byNames, compile: (e) => compileScalar(e, cx) });
  const items: SummaryItem[] = aggItems.map((a) =>
    isAggregateCall(a.expr, run.kinds) ? plainItem(build(a.expr as KCall)) : expressionItem(a.expr, build, scope, run),
  );
  const aggregates: Aggregate[] = items.flatMap((i) => i.aggregates);

  const groups = new Map<unknown, Group>();
  const byFns = byCompiled.map((c) => c.fn);
  const byTypes = byCompiled.map((c) => c.type);
  const single = byFns.length === 1 ? byFns[0]! : undefined;
  const singleType = byTypes[0]!;
  const newGroup = (keys: Value[]): Group => ({ keys, states: aggregates.map((a) => a.create()) });
  for (let row = 0; row < input.length; row++) {
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
    const base = a.name ?? expressionResultName(a.expr);
    items[i]!.types.forEach((t) => columns.push({ name: name(base), type: t }));
  });
  const rows: RowValues[] = [];
  for (const g of groups.values()) {
    const out: Value[] = g.keys.slice();
    let next = 0;
    for (const item of items) {
      const states = g.states.slice(next, next + item.aggregates.length);
      next += item.aggregates.length;
      item.finish(states, out);
    }
    rows.push(out);
  }
  return conform(op, tableFromRows(columns, rows), run, "summarize");
}
