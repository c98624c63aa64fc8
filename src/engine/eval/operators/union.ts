/**
 * union: columns are merged by name and type in order of appearance (kind=outer, the
 * default) or cut to the columns every input has (kind=inner); withsource adds the name of
 * each row's input as the first column.
 */
import type { Column, KqlType, Row, Table, Value } from "../../values/types";

export interface UnionInput {
  table: Table;
  /** The table's name for withsource (the referenced table or let name, else union_argN). */
  source: string;
}

export function unionTables(inputs: readonly UnionInput[], inner: boolean, withSource: string | undefined): Table {
  const seen = new Map<string, { name: string; type: KqlType }>();
  const typesByName = new Map<string, Set<KqlType>>();
  for (const { table } of inputs)
    for (const c of table.columns) {
      const key = `${c.name}\u0000${c.type}`;
      if (!seen.has(key)) seen.set(key, { name: c.name, type: c.type });
      (typesByName.get(c.name) ?? typesByName.set(c.name, new Set()).get(c.name)!).add(c.type);
    }
  let merged = [...seen.entries()];
  if (inner) merged = merged.filter(([key]) => inputs.every(({ table }) => table.columns.some((c) => `${c.name}\u0000${c.type}` === key)));
  const columns: Column[] = merged.map(([, c]) => ({
    // a name that comes with two types gets the type as a suffix, as Kusto does
    name: (typesByName.get(c.name)?.size ?? 1) > 1 ? `${c.name}_${c.type}` : c.name,
    type: c.type,
  }));
  const position = new Map(merged.map(([key], i) => [key, i]));
  const offset = withSource ? 1 : 0;
  const rows: Row[] = [];
  for (const { table, source } of inputs) {
    const map = table.columns.map((c) => position.get(`${c.name}\u0000${c.type}`));
    for (const r of table.rows) {
      // a column an input lacks is null there (empty for strings, which cannot be null)
      const out: Value[] = columns.map((c) => (c.type === "string" ? "" : null));
      if (withSource) out.unshift(null);
      if (withSource) out[0] = source;
      map.forEach((to, i) => {
        if (to !== undefined) out[to + offset] = r[i] ?? null;
      });
      rows.push(out);
    }
  }
  return { columns: withSource ? [{ name: withSource, type: "string" }, ...columns] : columns, rows };
}
