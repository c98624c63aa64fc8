/**
 * Tables are columnar: one array of values per column, read through an optional index vector
 * (logical row -> position in the array). Filters, sorts and joins make new index vectors and
 * share the value arrays; extend and project add or pick columns without touching the others.
 * That keeps a 100,000-row, 100-column table from being copied by every operator.
 */
import type { Column, Value } from "./types";

export interface ColumnData {
  readonly values: readonly Value[];
  /** Logical row i is values[index[i]]; null: values[i]. */
  readonly index: Int32Array | null;
}

export interface Table {
  readonly columns: readonly Column[];
  readonly data: readonly ColumnData[];
  readonly length: number;
}

/** The values of one materialized row (results, tests). */
export type RowValues = Value[];

export function dense(values: readonly Value[]): ColumnData {
  return { values, index: null };
}

const zeros = new Map<number, Int32Array>();

/** A column holding one value on every row (shared storage). */
export function constantColumn(value: Value, length: number): ColumnData {
  let index = zeros.get(length);
  if (!index) {
    index = new Int32Array(length);
    if (zeros.size > 64) zeros.clear();
    zeros.set(length, index);
  }
  return { values: [value], index };
}

/** A closure reading a column by logical row. */
export function reader(c: ColumnData): (row: number) => Value {
  const values = c.values;
  const index = c.index;
  return index ? (row) => values[index[row]!] ?? null : (row) => values[row] ?? null;
}

export function emptyTable(columns: readonly Column[]): Table {
  return { columns, data: columns.map(() => dense([])), length: 0 };
}

export function tableFromRows(columns: readonly Column[], rows: readonly RowValues[]): Table {
  return {
    columns,
    data: columns.map((_, c) => dense(rows.map((r) => r[c] ?? null))),
    length: rows.length,
  };
}

export function rowsOf(t: Table): RowValues[] {
  const readers = t.data.map(reader);
  const out: RowValues[] = new Array<RowValues>(t.length);
  for (let i = 0; i < t.length; i++) out[i] = readers.map((r) => r(i));
  return out;
}

/** The logical rows `selection` (positions in t; -1 for a missing row, read as null) of every column, sharing value arrays. */
export function selectRows(t: Table, selection: Int32Array): Table {
  const composed = new Map<Int32Array | null, Int32Array>();
  const data = t.data.map((c) => {
    let index = composed.get(c.index);
    if (!index) {
      if (c.index) {
        const base = c.index;
        index = new Int32Array(selection.length);
        for (let i = 0; i < selection.length; i++) {
          const at = selection[i]!;
          index[i] = at < 0 ? -1 : base[at]!;
        }
      } else index = selection;
      composed.set(c.index, index);
    }
    return { values: c.values, index };
  });
  return { columns: t.columns, data, length: selection.length };
}

/** A table of some of t's columns (by position), in the order given. */
export function pickColumns(t: Table, positions: readonly number[]): Table {
  return { columns: positions.map((p) => t.columns[p]!), data: positions.map((p) => t.data[p]!), length: t.length };
}

/** The table with its columns renamed or retyped (same data). */
export function withColumns(t: Table, columns: readonly Column[]): Table {
  return { columns, data: t.data, length: t.length };
}

/** Stacks tables with the same columns. */
export function concatTables(columns: readonly Column[], parts: readonly Table[]): Table {
  const nonEmpty = parts.filter((p) => p.length > 0);
  if (nonEmpty.length === 1) return { columns, data: nonEmpty[0]!.data, length: nonEmpty[0]!.length };
  const length = nonEmpty.reduce((n, p) => n + p.length, 0);
  const data = columns.map((_, c) => {
    const values: Value[] = new Array<Value>(length);
    let at = 0;
    for (const p of nonEmpty) {
      const read = reader(p.data[c]!);
      for (let i = 0; i < p.length; i++) values[at++] = read(i);
    }
    return dense(values);
  });
  return { columns, data, length };
}

/** Positions 0..n-1, the selection of every row. */
export function allRows(n: number): Int32Array {
  const s = new Int32Array(n);
  for (let i = 0; i < n; i++) s[i] = i;
  return s;
}
