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
  // names in order of first appearance; a name with several types keeps its variants together
  const typesByName = new Map<string, KqlType[]>();
  for (const { table } of inputs)
    for (const c of table.columns) {
      const types = typesByName.get(c.name);
      if (!types) typesByName.set(c.name, [c.type]);
      else if (!types.includes(c.type)) types.push(c.type);
    }
  let merged: [string, { name: string; type: KqlType }][] = [...typesByName].flatMap(([name, types]) =>
    types.map((type) => [`${name}\u0000${type}`, { name, type }] as [string, { name: string; type: KqlType }]),
  );
  if (inner) merged = merged.filter(([key]) => inputs.every(({ table }) => table.columns.some((c) => `${c.name}\u0000${c.type}` === key)));
  const columns: Column[] = merged.map(([, c]) => ({
    // a name that comes with two types gets the type as a suffix, as Kusto does
    name: (typesByName.get(c.name)?.length ?? 1) > 1 ? `${c.name}_${c.type}` : c.name,
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
