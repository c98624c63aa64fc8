/**
 * Result schemas come from Kusto.Language: each operator computes its columns and values, then
 * takes the binder's names and types for them (`count_`, `Column1`, `a1`, the `bin` column
 * named after its column ...). A table whose schema the binder does not know (open tables,
 * e.g. after bag_unpack) keeps the computed columns.
 */
import { toArray, type KTableSymbol } from "../../kql/kusto";
import type { KExpression, KSyntaxNode } from "../kusto/syntax";
import { EvaluationError, type RunContext } from "./context";
import { convertValue } from "../values/convert";
import { isKqlType, type Column } from "../values/types";
import type { Table } from "../values/table";
import { dense, pickColumns, reader } from "../values/table";

export function binderColumns(node: KSyntaxNode, run: RunContext): Column[] | undefined {
  const rt = (node as KExpression).ResultType;
  if (!rt || rt.Kind !== run.kinds.symbol.Table) return undefined;
  const table = rt as KTableSymbol;
  if (table.IsOpen) return undefined;
  return toArray(table.Columns).map((c) => ({ name: c.Name, type: isKqlType(c.Type.Name) ? c.Type.Name : "dynamic" }));
}

/** Renames (and if needed converts) a computed table to the binder's schema for this node. */
export function conform(node: KSyntaxNode, table: Table, run: RunContext, what: string): Table {
  const expected = binderColumns(node, run);
  if (!expected) return table;
  if (expected.length !== table.columns.length) {
    // always an engine defect: refusing beats a table whose columns mean something else
    throw new EvaluationError(
      `internal error: ${what} produced ${table.columns.length} columns (${table.columns.map((c) => c.name).join(", ")}) where Kusto.Language expects ${expected.length} (${expected.map((c) => c.name).join(", ")}); the local engine cannot run this query correctly`,
      node,
    );
  }
  // same names in another order: follow the binder's order by name, not by position
  const byName = new Map(table.columns.map((c, i) => [c.name, i]));
  if (
    byName.size === table.columns.length &&
    expected.every((c) => byName.has(c.name)) &&
    expected.some((c, i) => byName.get(c.name) !== i)
  ) {
    table = pickColumns(
      table,
      expected.map((c) => byName.get(c.name)!),
    );
  }
  const source = table;
  const data = source.data.map((column, i) => {
    const from = source.columns[i]!.type;
    const to = expected[i]!.type;
    if (from === to) return column;
    const read = reader(column);
    return dense(Array.from({ length: source.length }, (_, r) => convertValue(read(r), from, to)));
  });
  return { columns: expected, data, length: source.length };
}
