/**
 * Evaluates tabular expressions: table and let references, pipes, function calls (the binder's
 * expansion of each call), datatable, union, print, and the query operators. Scalar parts are
 * compiled to closures once per operator run (eval/scalar.ts).
 */
import { toArray } from "../../kql/kusto";
import type {
  KAs,
  KCall,
  KCount,
  KDataTable,
  KDistinct,
  KEvaluate,
  KExpression,
  KExpressionsOperator,
  KExternalData,
  KFilter,
  KInvoke,
  KJoin,
  KLookup,
  KMakeSeries,
  KMvApply,
  KMvExpand,
  KParse,
  KPipe,
  KRange,
  KSort,
  KSummarize,
  KSyntaxNode,
  KTake,
  KTop,
  KUnion,
} from "../kusto/syntax";
import { EvaluationError, rowShape, NO_ROW, Scope, type RunContext } from "./context";
import { bindParameters, bodyParts, compileScalar, declareLets, typeOf } from "./scalar";
import { binderColumns, conform } from "./schema";
import { filter, extend, project, projectAway, projectKeep, projectRename, projectReorder } from "./operators/project";
import { summarize } from "./operators/summarize";
import { join, lookup, parameterValue } from "./operators/join";
import { unionTables, unionToSchema, type UnionInput } from "./operators/union";
import { mvExpand } from "./operators/expand";
import { sort, take, top, distinct, countRows } from "./operators/rows";
import { parse } from "./operators/parse";
import { evaluatePlugin } from "./operators/plugins";
import { makeSeries } from "./operators/makeSeries";
import { rowsFromObjects } from "../io/input";
import { argAs } from "../functions/types";
import type { Column, Value } from "../values/types";
import type { RowValues, Table } from "../values/table";
import { concatTables, dense, emptyTable, reader, rowsOf, selectRows, tableFromRows } from "../values/table";

export function evaluateTable(e: KExpression, scope: Scope, run: RunContext): Table {
  const k = run.kinds.syntax;
  const kind = (e as KSyntaxNode).Kind;
  switch (kind) {
    case k.ParenthesizedExpression:
    case k.ToTableExpression:
      return evaluateTable((e as KExpression & { Expression: KExpression }).Expression, scope, run);
    case k.MaterializeExpression: {
      const cached = run.materialized.get(e);
      if (cached) return cached;
      const t = evaluateTable((e as KExpression & { Expression: KExpression }).Expression, scope, run);
      run.materialized.set(e, t);
      return t;
    }
    case k.NameReference:
      return tableReference(e, scope, run);
    case k.PipeExpression: {
      const pipe = e as KPipe;
      const input = evaluateTable(pipe.Expression, scope, run);
      return applyOperator(pipe.Operator, input, scope, run);
    }
    case k.FunctionCallExpression:
      return tabularCall(e as KCall, scope, run, undefined);
    case k.DataTableExpression:
      return dataTable(e as KDataTable, scope, run);
    case k.ExternalDataExpression:
      return externalData(e as KExternalData, run);
    default: {
      // a leading operator: union/print/range as sources, or an operator applied to a subquery's input
      const input = scope.implicitInput();
      return applyOperator(e, input ?? undefined, scope, run);
    }
  }
}

function tableReference(e: KExpression, scope: Scope, run: RunContext): Table {
  const sym = e.ReferencedSymbol;
  const name = (e as KExpression & { SimpleName: string }).SimpleName;
  if (sym && sym.Kind === run.kinds.symbol.Table) {
    const t = run.data.table(sym.Name);
    if (!t) throw new EvaluationError(`the table '${sym.Name}' is not defined`, e);
    return t;
  }
  if (sym) {
    const b = scope.lookup(sym);
    if (b?.kind === "table") return b.get();
    // a function without parameters may be called by its bare name
    const body = e.GetCalledFunctionBody();
    if (body) {
      const inner = new Scope(scope, new Map());
      const { statements, expression } = bodyParts(body);
      declareLets(statements, inner, run);
      return evaluateTable(expression, inner, run);
    }
  }
  throw new EvaluationError(`'${name}' does not name a table here`, e);
}

function tabularCall(call: KCall, scope: Scope, run: RunContext, piped: Table | undefined): Table {
  const body = call.GetCalledFunctionBody();
  const args = toArray(call.ArgumentList.Expressions).map((s) => s.Element);
  const cx = { run, scope, shape: rowShape([]) };
  if (body) {
    const inner = new Scope(scope, bindParameters(call, args, cx, piped ? () => piped : undefined));
    const { statements, expression } = bodyParts(body);
    declareLets(statements, inner, run);
    return evaluateTable(expression, inner, run);
  }
  const name = call.ReferencedSymbol?.Name ?? call.Name.SimpleName;
  if (call.ReferencedSymbol && call.ReferencedSymbol === run.watchlistFunction) {
    const alias = argAs(compileScalar(args[0]!, cx), "string")(NO_ROW) as string;
    const t = run.data.watchlist(alias);
    if (!t) throw new EvaluationError(`the watchlist '${alias}' is not defined`, call);
    return conform(call, t, run, "_GetWatchlist");
  }
  if (name === "table") {
    const tableName = argAs(compileScalar(args[0]!, cx), "string")(NO_ROW) as string;
    const t = run.data.table(tableName);
    if (!t) throw new EvaluationError(`the table '${tableName}' is not defined`, call);
    return t;
  }
  throw new EvaluationError(`the local engine does not support \`${name}()\` as a table`, call);
}

function dataTable(e: KDataTable, scope: Scope, run: RunContext): Table {
  const columns = binderColumns(e, run);
  if (!columns || columns.length === 0) throw new EvaluationError("datatable needs a schema", e);
  const cx = { run, scope, shape: rowShape([]) };
  const values = toArray(e.Values).map((s) => {
    const c = compileScalar(s.Element, cx);
    return { c, v: c.fn(NO_ROW) };
  });
  const rows: RowValues[] = [];
  for (let i = 0; i < values.length; i += columns.length) {
    rows.push(
      columns.map((col, j) => {
        const item = values[i + j];
        if (!item) return null;
        return item.c.type === col.type ? item.v : argAs({ ...item.c, fn: () => item.v }, col.type)(NO_ROW);
      }),
    );
  }
  return tableFromRows(columns, rows);
}

function externalData(e: KExternalData, run: RunContext): Table {
  const columns = binderColumns(e, run) ?? [];
  const parts: Table[] = [];
  for (const s of toArray(e.URIs)) {
    const uri = typeOf(s.Element) === "string" ? String(s.Element.ConstantValue ?? "") : "";
    const given = run.data.externalData(uri);
    if (given) parts.push(rowsFromObjects(given, columns, `externaldata ${uri}`));
  }
  return parts.length === 0 ? emptyTable(columns) : concatTables(columns, parts);
}

/** Tables named by `as`: union's withsource reports that name. */
const NAMED_BY_AS = new WeakMap<Table, string>();

/**
 * `as [hint.materialized=true] Name`: the rest of the query can refer to the input by Name (the
 * binder resolves those references to the declaration's symbol). The input is already computed,
 * so it is materialized whatever the hint says.
 */
function asOperator(op: KAs, input: Table, scope: Scope): Table {
  const named: Table = { ...input };
  NAMED_BY_AS.set(named, op.Name.SimpleName);
  const symbol = op.Name.ReferencedSymbol;
  if (symbol) scope.declare(symbol, { kind: "table", get: () => named });
  return named;
}

function unionOperator(op: KUnion, input: Table | undefined, scope: Scope, run: RunContext): Table {
  const fuzzy = parameterValue(op.Parameters, "isfuzzy")?.toLowerCase() === "true";
  const withSource = parameterValue(op.Parameters, "withsource");
  const inner = parameterValue(op.Parameters, "kind")?.toLowerCase() === "inner";
  const inputs: UnionInput[] = input ? [{ table: input, source: NAMED_BY_AS.get(input) ?? "union_arg0" }] : [];
  toArray(op.Expressions).forEach((s, i) => {
    const e = s.Element;
    const name =
      e.Kind === run.kinds.syntax.NameReference
        ? (e as KExpression & { SimpleName: string }).SimpleName
        : `union_arg${i + (input ? 1 : 0)}`;
    try {
      const table = evaluateTable(e, scope, run);
      inputs.push({ table, source: NAMED_BY_AS.get(table) ?? name });
    } catch (error) {
      if (!fuzzy) throw error;
    }
  });
  // every input skipped by isfuzzy: an empty result with the schema Kusto.Language inferred
  const expected = binderColumns(op, run);
  if (inputs.length === 0) return emptyTable(expected ?? []);
  const merged = unionTables(inputs, inner, withSource);
  // Kusto.Language decides the result's columns; where its merge differs from ours, follow it
  if (expected && expected.length !== merged.columns.length) return conform(op, unionToSchema(inputs, expected, withSource), run, "union");
  return conform(op, merged, run, "union");
}

function print(op: KExpressionsOperator, scope: Scope, run: RunContext): Table {
  return project(op, { columns: [], data: [], length: 1 }, scope, run);
}

/** range x from a to b step s: a, a+s, ... up to and including b. */
function range(op: KRange, scope: Scope, run: RunContext): Table {
  const cx = { run, scope, shape: rowShape([]) };
  const type = binderColumns(op, run)?.[0]?.type ?? typeOf(op.From);
  const from = argAs(compileScalar(op.From, cx), type)(NO_ROW);
  const to = argAs(compileScalar(op.To, cx), type)(NO_ROW);
  const stepC = compileScalar(op.Step, cx);
  const step = stepC.fn(NO_ROW);
  const values: Value[] = [];
  const columns = binderColumns(op, run) ?? [{ name: op.Name.SimpleName, type }];
  if (from === null || to === null || step === null) return emptyTable(columns);
  const big = typeof from === "bigint";
  const s = big ? BigInt(step as bigint | number) : Number(step);
  const forward = big ? (s as bigint) > 0n : (s as number) > 0;
  if (big ? s === 0n : s === 0) throw new EvaluationError("range needs a non-zero step", op);
  for (let v: Value = from, i = 0; forward ? v! <= to! : v! >= to!; i++) {
    if (i >= run.budget.limits.maxRows) run.budget.rows(i + 1, "range", op);
    run.budget.tick(op);
    values.push(v);
    v = big ? (v as bigint) + (s as bigint) : (v as number) + (s as number);
  }
  return { columns, data: [dense(values)], length: values.length };
}

function mvApply(op: KMvApply, input: Table, scope: Scope, run: RunContext): Table {
  // expand each row on its own, run the subquery on the expanded rows, and keep the row's other columns
  const outRows: RowValues[] = [];
  let columns: Column[] | undefined;
  const readers = input.data.map(reader);
  for (let row = 0; row < input.length; row++) {
    const one = selectRows(input, Int32Array.of(row));
    const expanded = mvExpand(op, one, scope, run, false);
    const sub = evaluateTable(op.Subquery.Expression, new Scope(scope, null, expanded), run);
    const keep = input.columns.map((c, i) => ({ c, i })).filter(({ c }) => !sub.columns.some((s) => s.name === c.name));
    columns ??= [...keep.map((x) => x.c), ...sub.columns];
    for (const r of rowsOf(sub)) outRows.push([...keep.map((x) => readers[x.i]!(row)), ...r]);
  }
  return conform(op, tableFromRows(columns ?? binderColumns(op, run) ?? input.columns, outRows), run, "mv-apply");
}

export function applyOperator(op: KExpression, input: Table | undefined, scope: Scope, run: RunContext): Table {
  run.budget.time(op);
  const out = operatorResult(op, input, scope, run);
  // the name only when the limit is passed: printing a syntax node walks its whole subtree
  run.budget.rows(out.length, () => `\`${operatorName(op)}\``, op);
  return out;
}

/** The operator's keyword as written (`mv-expand`, `join`, ...), for messages. */
function operatorName(op: KExpression): string {
  return op.toString().trim().split(/[\s(]/)[0] ?? "operator";
}

function operatorResult(op: KExpression, input: Table | undefined, scope: Scope, run: RunContext): Table {
  const k = run.kinds.syntax;
  const kind = (op as KSyntaxNode).Kind;
  if (kind === k.UnionOperator) return unionOperator(op as KUnion, input, scope, run);
  if (kind === k.PrintOperator) return print(op as KExpressionsOperator, scope, run);
  if (kind === k.RangeOperator) return range(op as KRange, scope, run);
  if (!input) throw new EvaluationError(`the local engine cannot start a query with \`${op.toString().trim().split(/\s/)[0]}\``, op);
  switch (kind) {
    case k.FilterOperator:
      return filter(op as KFilter, input, scope, run);
    case k.ExtendOperator:
      return extend(op as KExpressionsOperator, input, scope, run);
    case k.ProjectOperator:
      return project(op as KExpressionsOperator, input, scope, run);
    case k.ProjectAwayOperator:
      return projectAway(op as KExpressionsOperator, input, run);
    case k.ProjectKeepOperator:
      return projectKeep(op as KExpressionsOperator, input, run);
    case k.ProjectRenameOperator:
      return projectRename(op as KExpressionsOperator, input, run);
    case k.ProjectReorderOperator:
      return projectReorder(op as KExpressionsOperator, input, run);
    case k.SummarizeOperator:
      return summarize(op as KSummarize, input, scope, run);
    case k.JoinOperator:
      return join(op as KJoin, input, evaluateTable((op as KJoin).Expression, scope, run), run);
    case k.LookupOperator:
      return lookup(op as KLookup, input, evaluateTable((op as KLookup).Expression, scope, run), run);
    case k.MvExpandOperator:
      return mvExpand(op as KMvExpand, input, scope, run);
    case k.MvApplyOperator:
      return mvApply(op as KMvApply, input, scope, run);
    case k.ParseOperator:
      return parse(op as KParse, input, scope, run, false);
    case k.ParseWhereOperator:
      return parse(op as KParse, input, scope, run, true);
    case k.SortOperator:
      return sort(op as KSort, input, scope, run);
    case k.TakeOperator:
      return take(op as KTake, input, scope, run);
    case k.TopOperator:
      return top(op as KTop, input, scope, run);
    case k.DistinctOperator:
      return distinct(op as KDistinct, input, scope, run);
    case k.CountOperator:
      return countRows(op as KCount, input, run);
    case k.InvokeOperator:
      return tabularCall((op as KInvoke).Function as KCall, scope, run, input);
    case k.EvaluateOperator:
      return evaluatePlugin(op as KEvaluate, input, scope, run);
    case k.MakeSeriesOperator:
      return makeSeries(op as KMakeSeries, input, scope, run);
    case k.SerializeOperator: {
      const exprs = toArray((op as KExpressionsOperator).Expressions);
      return exprs.length === 0 ? input : extend(op as KExpressionsOperator, input, scope, run);
    }
    case k.AsOperator:
      return asOperator(op as KAs, input, scope);
    case k.RenderOperator:
      return input;
    default:
      throw new EvaluationError(`the local engine does not support the operator \`${op.toString().trim().split(/\s/)[0]}\``, op);
  }
}
