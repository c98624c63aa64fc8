/**
 * make-series: per group, one dynamic array per aggregation over fixed bins of the axis column,
 * with the default value (0 unless given) where a bin has no rows, and the axis as an array of
 * bin starts. Bins run from `from` (default: the first bin with data) by `step` up to `to`
 * (exclusive; default: the last bin with data). An empty input gives no rows unless
 * kind=nonempty.
 */
import { toArray } from "../../../kql/kusto";
import type { KCall, KExpression, KMakeSeries, KMakeSeriesFromToStep, KMakeSeriesInRange, KSimpleNamed } from "../../kusto/syntax";
import { EvaluationError, NO_ROW, rowShape, type Compiled, type RunContext, type Scope } from "../context";
import { compileScalar, typeOf } from "../scalar";
import { conform } from "../schema";
import { parameterValue } from "./join";
import { buildAggregate, isAggregateCall, type Aggregate, type AggregateState } from "../../aggregates/aggregates";
import { argAs } from "../../functions/types";
import { compositeKey } from "../../values/compare";
import { toDynamicValue } from "../../values/convert";
import { DOTNET_EPOCH_OFFSET, floorDiv } from "../../values/datetime";
import type { Column, Dyn, KqlType, Value } from "../../values/types";
import type { RowValues, Table } from "../../values/table";
import { emptyTable, tableFromRows } from "../../values/table";

interface SeriesAggregate {
  name: string | undefined;
  aggregate: Aggregate;
  fallback: Value;
}

function unwrap(e: KExpression, run: RunContext): { name: string | undefined; expr: KExpression } {
  if (e.Kind === run.kinds.syntax.SimpleNamedExpression)
    return { name: (e as KSimpleNamed).Name.SimpleName, expr: (e as KSimpleNamed).Expression };
  return { name: undefined, expr: e };
}

/** Axis values as numbers on one scale (ticks for datetime/timespan), to bin them. */
function axisNumber(v: Value): number | null {
  return v === null ? null : typeof v === "bigint" ? Number(v) : (v as number);
}

export function makeSeries(op: KMakeSeries, input: Table, scope: Scope, run: RunContext): Table {
  const shape = rowShape(input);
  const cx = { run, scope, shape };
  const axis = compileScalar(op.OnClause.Expression, cx);
  const axisType: KqlType = axis.type;
  const byItems = op.ByClause ? toArray(op.ByClause.Expressions).map((s) => unwrap(s.Element, run)) : [];
  const by: Compiled[] = byItems.map((b) => compileScalar(b.expr, cx));
  const series: SeriesAggregate[] = toArray(op.Aggregates).map((s) => {
    const item = s.Element;
    const { name, expr } = unwrap(item.Expression, run);
    if (!isAggregateCall(expr, run.kinds))
      throw new EvaluationError(`make-series needs an aggregation, not \`${expr.toString().trim()}\``, expr);
    const aggregate = buildAggregate(expr as KCall, {
      resultType: typeOf(expr),
      shape,
      kinds: run.kinds,
      byNames: new Set(),
      compile: (e) => compileScalar(e, cx),
    });
    const fallback = item.DefaultExpression ? compileScalar(item.DefaultExpression.Expression, cx).fn(NO_ROW) : 0;
    return { name, aggregate, fallback };
  });

  // the range: from/to/step or in range(start, stop, step)
  let fromV: Value = null;
  let toV: Value = null;
  let stepV: Value = null;
  const range = op.RangeClause;
  if (range && range.Kind === run.kinds.syntax.MakeSeriesInRangeClause) {
    const args = toArray((range as KMakeSeriesInRange).Arguments.Expressions).map((s) => compileScalar(s.Element, cx).fn(NO_ROW));
    [fromV, toV, stepV] = [args[0] ?? null, args[1] ?? null, args[2] ?? null];
  } else if (range) {
    const r = range as KMakeSeriesFromToStep;
    if (r.MakeSeriesFromClause) fromV = argAs(compileScalar(r.MakeSeriesFromClause.Expression, cx), axisType)(NO_ROW);
    if (r.MakeSeriesToClause) toV = argAs(compileScalar(r.MakeSeriesToClause.Expression, cx), axisType)(NO_ROW);
    stepV = compileScalar(r.MakeSeriesStepClause.Expression, cx).fn(NO_ROW);
  }
  const step = axisNumber(stepV);
  if (step === null || step <= 0) throw new EvaluationError("make-series needs a positive step", op);

  const nonEmpty = parameterValue(op.Parameters, "kind")?.toLowerCase() === "nonempty";
  const values = Array.from({ length: input.length }, (_, r) => axisNumber(axis.fn(r)));
  // a loop, not Math.min(...values): spreading a large input overflows the call stack
  let lowest: number | null = null;
  let highest: number | null = null;
  for (const v of values) {
    if (v === null) continue;
    if (lowest === null || v < lowest) lowest = v;
    if (highest === null || v > highest) highest = v;
  }
  // datetimes bin from 0001-01-01 as bin() does
  const origin = axisType === "datetime" ? -Number(DOTNET_EPOCH_OFFSET) : 0;
  const binOf = (v: number) => Number(floorDiv(BigInt(Math.round(v - origin)), BigInt(Math.round(step)))) * step + origin;
  const start = fromV !== null ? axisNumber(fromV)! : lowest !== null ? binOf(lowest) : null;
  const end = toV !== null ? axisNumber(toV)! : highest !== null ? binOf(highest) + step : null;
  if (start === null || end === null || (input.length === 0 && !nonEmpty))
    return conform(op, emptyTable(outputColumns(byItems, by, series)), run, "make-series");
  const bins = Math.max(0, Math.ceil((end - start) / step));
  // every series of every group holds `bins` values: bound them before building any
  run.budget.seriesCells(bins * Math.max(1, series.length), op);

  const groups = new Map<string, { keys: Value[]; cells: AggregateState[][] }>();
  values.forEach((v, row) => {
    if (v === null || v === undefined || v < start || v >= end) return;
    const bin = Math.floor((v - start) / step);
    const keys = by.map((b) => b.fn(row));
    const key = compositeKey(
      keys,
      by.map((b) => b.type),
    );
    let g = groups.get(key);
    if (!g) {
      groups.set(key, (g = { keys, cells: series.map(() => []) }));
      run.budget.seriesCells(groups.size * bins * Math.max(1, series.length), op);
    }
    run.budget.tick(op);
    series.forEach((s, j) => {
      const cells = g!.cells[j]!;
      (cells[bin] ??= s.aggregate.create()).add(row);
    });
  });
  if (groups.size === 0 && nonEmpty && by.length === 0) groups.set("", { keys: [], cells: series.map(() => []) });

  const axisValues: Dyn[] = Array.from({ length: bins }, (_, i) => {
    const v = start + i * step;
    return toDynamicValue(axisType === "datetime" || axisType === "timespan" || axisType === "long" ? BigInt(Math.round(v)) : v, axisType);
  });
  const rows: RowValues[] = [];
  for (const g of groups.values()) {
    const out: Value[] = g.keys.slice();
    series.forEach((s, j) => {
      const arr: Dyn[] = [];
      for (let b = 0; b < bins; b++) {
        const state = g.cells[j]![b];
        if (!state) arr.push(toDynamicValue(s.fallback, typeof s.fallback === "bigint" ? "long" : "dynamic"));
        else {
          const tmp: Value[] = [];
          state.result(tmp);
          arr.push(toDynamicValue(tmp[0] ?? null, s.aggregate.types[0]!));
        }
      }
      out.push(arr);
    });
    out.push(axisValues);
    rows.push(out);
  }
  return conform(op, tableFromRows(outputColumns(byItems, by, series), rows), run, "make-series");
}

/** Computed names are placeholders: the binder names the columns (conform). */
function outputColumns(byItems: { name: string | undefined }[], by: Compiled[], series: SeriesAggregate[]): Column[] {
  return [
    ...by.map((b, i) => ({ name: byItems[i]!.name ?? `Column${i + 1}`, type: b.type })),
    ...series.map((s, i) => ({ name: s.name ?? `series${i + 1}`, type: "dynamic" as const })),
    { name: "axis", type: "dynamic" as const },
  ];
}
