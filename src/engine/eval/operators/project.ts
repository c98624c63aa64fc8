/** where, extend, project and the project-* family. */
import { toArray } from "../../../kql/kusto";
import type { KCompoundNamed, KExpression, KExpressionsOperator, KFilter, KSimpleNamed, KSyntaxNode } from "../../kusto/syntax";
import { rowShape, type Compiled, type RunContext, type Scope } from "../context";
import { compileScalar } from "../scalar";
import { conform } from "../schema";
import { expressionResultName } from "../../kusto/language";
import { compileRegex } from "../../values/regex";
import { isKqlType, type Column, type KqlType, type Row, type Table, type Value } from "../../values/types";
import type { BridgeList, KColumnSymbol } from "../../../kql/kusto";

export function filter(op: KFilter, input: Table, scope: Scope, run: RunContext): Table {
  const c = compileScalar(op.Condition, { run, scope, shape: rowShape(input.columns) });
  const f = c.fn;
  const rows: Row[] = [];
  for (const row of input.rows) if (f(row) === true) rows.push(row);
  return { columns: input.columns, rows };
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
function tupleAssignments(e: KExpression, names: string[], compiled: Compiled, run: RunContext): Assignment[] {
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
      return Array.isArray(v) ? ((v as Value[])[j] ?? null) : null;
    };
    return { name: names[j] ?? members[j]?.Name, compiled: { type, fn: pick, rowFree: false } };
  });
  void run;
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

function assignments(exprs: readonly KExpression[], input: Table, scope: Scope, run: RunContext): Assignment[][] {
  const shape = rowShape(input.columns);
  const k = run.kinds.syntax;
  return exprs.map((e) => {
    if (e.Kind === k.SimpleNamedExpression) {
      const named = e as KSimpleNamed;
      return [{ name: named.Name.SimpleName, compiled: compileScalar(named.Expression, { run, scope, shape }) }];
    }
    if (e.Kind === k.CompoundNamedExpression) {
      const compound = e as KCompoundNamed;
      const names = toArray(compound.Names.Names).map((n) => n.Element.SimpleName);
      return tupleAssignments(compound.Expression, names, compileScalar(compound.Expression, { run, scope, shape }), run);
    }
    if (e.ResultType?.Kind === run.kinds.symbol.Tuple) return tupleAssignments(e, [], compileScalar(e, { run, scope, shape }), run);
    return [{ name: resultName(e), compiled: compileScalar(e, { run, scope, shape }) }];
  });
}

/** extend: new columns after the input's; a name that exists replaces that column in place. */
export function extend(op: KExpressionsOperator, input: Table, scope: Scope, run: RunContext): Table {
  const list = assignments(items(op), input, scope, run).flat();
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
  const width = columns.length;
  const rows = input.rows.map((row) => {
    const out = row.slice();
    out.length = width;
    // all expressions see the input row, as in Kusto (extend a = 1, b = a reads the new a only in a later extend)
    for (let i = 0; i < fns.length; i++) out[targets[i]!] = fns[i]!(row);
    return out;
  });
  return conform(op, { columns, rows }, run, "extend");
}

export function project(op: KExpressionsOperator, input: Table, scope: Scope, run: RunContext): Table {
  const list = assignments(items(op), input, scope, run).flat();
  const taken = new Set<string>();
  const columns = list.map((a) => {
    const name = a.name ?? nextColumnName(taken);
    taken.add(name);
    return { name, type: a.compiled.type };
  });
  const fns = list.map((a) => a.compiled.fn);
  const rows = input.rows.map((row) => fns.map((f) => f(row)));
  return conform(op, { columns, rows }, run, "project");
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
  return { columns: indexes.map((i) => input.columns[i]!), rows: input.rows.map((r) => indexes.map((i) => r[i] ?? null)) };
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
  return conform(op, { columns, rows: input.rows }, run, "project-rename");
}
