/**
 * mv-expand: every element of an array (or entry of a bag) becomes a row; several columns
 * expand in parallel, padded with nulls. A null value gives one row, an empty array none.
 */
import { toArray } from "../../../kql/kusto";
import type { KExpression, KMvExpand, KMvExpandItem, KSimpleNamed, KSyntaxNode } from "../../kusto/syntax";
import { rowShape, type Compiled, type RunContext, type Scope } from "../context";
import { compileScalar } from "../scalar";
import { conform } from "../schema";
import { parameterValue } from "./join";
import { nextColumnName } from "./project";
import { expressionResultName } from "../../kusto/language";
import { convertValue } from "../../values/convert";
import { isBag, newBag } from "../../values/dynamic";
import { kqlTypeNamed, type Column, type Dyn, type KqlType, type Value } from "../../values/types";
import type { Table } from "../../values/table";
import { dense, selectRows, type ColumnData } from "../../values/table";
import { NO_ROW } from "../context";

interface Expansion {
  target: number;
  compiled: Compiled;
  type: KqlType;
}

function elements(v: Dyn, bagAsArray: boolean): Dyn[] {
  if (v === null) return [null];
  if (Array.isArray(v)) return v;
  if (isBag(v))
    return Object.entries(v).map(([k, x]) => {
      if (bagAsArray) return [k, x];
      const one = newBag();
      one[k] = x;
      return one;
    });
  return [v];
}

/** Casts an element to the `to typeof()` type: values of another kind become null. */
/**
 * `to typeof(T)` casts without converting (docs: "cast-only ... elements that don't conform with
 * the declared type become null"): "1" is not a long, 2.5 is not an int; datetimes, timespans and
 * guids inside dynamic values are their text, so those are read from strings.
 */
function castElement(v: Dyn, type: KqlType): Value {
  if (type === "dynamic" || v === null) return v;
  if (type === "string") return typeof v === "string" ? v : null;
  if (type === "long" || type === "int") return typeof v === "number" && Number.isInteger(v) ? convertValue(v, "real", type) : null;
  if (type === "real" || type === "decimal") return typeof v === "number" ? v : null;
  if (type === "bool") return typeof v === "boolean" ? v : null;
  return typeof v === "string" ? convertValue(v, "string", type) : null;
}

/** The T of `typeof(T)`, read from its text (the binder gives the typeof expression no scalar type). */
function castType(typeOfNode: KSyntaxNode): KqlType {
  const inner = /^typeof\s*\(\s*([A-Za-z_]+)\s*\)$/i.exec(typeOfNode.toString().trim());
  return (inner && kqlTypeNamed(inner[1]!)) || "dynamic";
}

/** `conformResult` is false when mv-apply expands one row for its subquery. */
export function mvExpand(op: KMvExpand, input: Table, scope: Scope, run: RunContext, conformResult = true): Table {
  const shape = rowShape(input);
  const columns: Column[] = input.columns.slice();
  const index = new Map(columns.map((c, i) => [c.name, i]));
  const bagAsArray = (parameterValue(op.Parameters, "bagexpansion") ?? parameterValue(op.Parameters, "kind")) === "array";
  const indexColumn = parameterValue(op.Parameters, "with_itemindex");
  const limit = op.RowLimitClause ? Number(compileScalar(op.RowLimitClause.RowLimit, { run, scope, shape }).fn(NO_ROW)) : Infinity;
  const expansions: Expansion[] = toArray(op.Expressions).map((s) => {
    const item = s.Element as KMvExpandItem;
    let expr: KExpression = item.Expression;
    let name: string;
    if (expr.Kind === run.kinds.syntax.SimpleNamedExpression) {
      name = (expr as KSimpleNamed).Name.SimpleName;
      expr = (expr as KSimpleNamed).Expression;
    } else name = expressionResultName(expr) ?? nextColumnName(index);
    const type = item.ToTypeOf ? castType(item.ToTypeOf.TypeOf) : "dynamic";
    const compiled = compileScalar(expr, { run, scope, shape });
    let target = index.get(name);
    if (target === undefined) {
      target = columns.length;
      index.set(name, target);
      columns.push({ name, type });
    } else columns[target] = { name, type };
    return { target, compiled, type };
  });
  if (indexColumn) columns.push({ name: indexColumn, type: "long" });
  // the input row behind each output row, and each expanded column's values
  const sources: number[] = [];
  const expanded: Value[][] = expansions.map(() => []);
  const itemIndex: Value[] = [];
  for (let row = 0; row < input.length; row++) {
    const lists = expansions.map((e) =>
      elements(
        e.compiled.type === "dynamic" ? (e.compiled.fn(row) as Dyn) : (convertValue(e.compiled.fn(row), e.compiled.type, "dynamic") as Dyn),
        bagAsArray,
      ),
    );
    const n = Math.min(limit, Math.max(0, ...lists.map((l) => l.length)));
    for (let i = 0; i < n; i++) {
      sources.push(row);
      expansions.forEach((e, j) => {
        const list = lists[j]!;
        expanded[j]!.push(castElement(i < list.length ? list[i]! : null, e.type));
      });
      if (indexColumn) itemIndex.push(BigInt(i));
    }
    run.budget.rows(sources.length, "mv-expand", op as KSyntaxNode);
    run.budget.tick(op as KSyntaxNode);
  }
  const kept = selectRows(input, Int32Array.from(sources));
  const data: ColumnData[] = kept.data.slice();
  expansions.forEach((e, j) => {
    data[e.target] = dense(expanded[j]!);
  });
  if (indexColumn) data.push(dense(itemIndex));
  const table: Table = { columns, data, length: sources.length };
  return conformResult ? conform(op as KSyntaxNode, table, run, "mv-expand") : table;
}
