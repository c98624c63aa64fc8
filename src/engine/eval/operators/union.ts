/**
 * union: columns are merged by name and type in order of appearance (kind=outer, the
 * default) or cut to the columns every input has (kind=inner); withsource adds the name of
 * each row's input as the first column.
 */
import type { Column, KqlType } from "../../values/types";
import type { Table } from "../../values/table";
import { concatTables, constantColumn, dense, reader, type ColumnData } from "../../values/table";
import { convertValue } from "../../values/convert";

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
  // each input's part of every output column: its own column, or nulls ("" for strings)
  const parts = inputs.map(({ table, source }) => {
    const own = new Map<number, ColumnData>();
    table.columns.forEach((c, i) => {
      const to = position.get(`${c.name}\u0000${c.type}`);
      if (to !== undefined) own.set(to, table.data[i]!);
    });
    const data = columns.map((c, i) => own.get(i) ?? constantColumn(c.type === "string" ? "" : null, table.length));
    return { columns, data: withSource ? [constantColumn(source, table.length), ...data] : data, length: table.length };
  });
  const all = withSource ? [{ name: withSource, type: "string" as const }, ...columns] : columns;
  return concatTables(all, parts);
}

/**
 * The union built on the binder's columns, for the cases where Kusto.Language merges differently
 * from unionTables (it sometimes keeps one column for a name that comes with two types, e.g. when
 * an input's schema is open). Each output column takes, from every input, the column of that
 * name (converted to the output type), or for a `name_type` column the input's `name` of that
 * type; inputs without one give nulls ("" for strings).
 */
export function unionToSchema(inputs: readonly UnionInput[], columns: readonly Column[], withSource: string | undefined): Table {
  const parts = inputs.map(({ table, source }) => {
    const data = columns.map((c): ColumnData => {
      if (withSource !== undefined && c.name === withSource) return constantColumn(source, table.length);
      let i = table.columns.findIndex((x) => x.name === c.name);
      if (i < 0) i = table.columns.findIndex((x) => `${x.name}_${x.type}` === c.name);
      if (i < 0) return constantColumn(c.type === "string" ? "" : null, table.length);
      const from = table.columns[i]!.type;
      if (from === c.type) return table.data[i]!;
      const read = reader(table.data[i]!);
      return dense(Array.from({ length: table.length }, (_, r) => convertValue(read(r), from, c.type)));
    });
    return { columns: [...columns], data, length: table.length };
  });
  return concatTables([...columns], parts);
}
