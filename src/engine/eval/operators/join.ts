/**
 * join and lookup as hash joins on the equality keys of the `on` clause. The default kind is
 * innerunique: the left side keeps one row per key (the first seen; Kusto says any one).
 * Null keys match nothing.
 */
import { toArray } from "../../../kql/kusto";
import type { KBinary, KExpression, KJoin, KLookup, KNamedParameter, KPath, KSyntaxList, KSyntaxNode } from "../../kusto/syntax";
import { EvaluationError, type RunContext } from "../context";
import { conform } from "../schema";
import { keyOf, compositeKey } from "../../values/compare";
import { toStringValue } from "../../values/convert";
import type { Column, KqlType, Row, Value } from "../../values/types";
import type { Table } from "../../values/table";
import { dense, pickColumns, reader, selectRows } from "../../values/table";
import type { RunBudget } from "../context";

interface KeyPair {
  left: string;
  right: string;
}

export const JOIN_KINDS = [
  "innerunique",
  "inner",
  "leftouter",
  "rightouter",
  "fullouter",
  "leftanti",
  "anti",
  "leftantisemi",
  "rightanti",
  "rightantisemi",
  "leftsemi",
  "rightsemi",
] as const;

/** The value of a named parameter such as `kind=leftouter` (token text; the parser delimited it). */
export function parameterValue(params: KSyntaxList<KNamedParameter> | null, name: string): string | undefined {
  for (const p of toArray(params)) if (p.Name.SimpleName.toLowerCase() === name) return p.Expression.toString().trim();
  return undefined;
}

function sideOf(e: KExpression): { side: "left" | "right"; column: string } | undefined {
  const path = e as KPath;
  const target = (path.Expression as (KExpression & { SimpleName?: string }) | undefined)?.SimpleName;
  const column = (path.Selector as (KExpression & { SimpleName?: string }) | undefined)?.SimpleName;
  if (!target || !column) return undefined;
  if (target === "$left") return { side: "left", column };
  if (target === "$right") return { side: "right", column };
  return undefined;
}

/** Equality pairs of an `on` clause: `a`, `$left.a == $right.b`, joined by `,` or `and`. */
export function keyPairs(conditions: readonly KExpression[], run: RunContext): KeyPair[] {
  const k = run.kinds.syntax;
  const pairs: KeyPair[] = [];
  const visit = (e: KExpression) => {
    if (e.Kind === k.NameReference) {
      const n = (e as KExpression & { SimpleName: string }).SimpleName;
      pairs.push({ left: n, right: n });
    } else if (e.Kind === k.AndExpression) {
      visit((e as KBinary).Left);
      visit((e as KBinary).Right);
    } else if (e.Kind === k.ParenthesizedExpression) {
      visit((e as KExpression & { Expression: KExpression }).Expression);
    } else if (e.Kind === k.EqualExpression) {
      const a = sideOf((e as KBinary).Left);
      const b = sideOf((e as KBinary).Right);
      if (a && b && a.side !== b.side)
        pairs.push(a.side === "left" ? { left: a.column, right: b.column } : { left: b.column, right: a.column });
      else
        throw new EvaluationError(
          `the local engine supports join conditions of the form $left.a == $right.b, not \`${e.toString().trim()}\``,
          e,
        );
    } else throw new EvaluationError(`the local engine does not support the join condition \`${e.toString().trim()}\``, e);
  };
  conditions.forEach(visit);
  return pairs;
}

function columnIndex(t: Table, name: string, node: KSyntaxNode): number {
  const i = t.columns.findIndex((c) => c.name === name);
  if (i < 0) throw new EvaluationError(`the join column '${name}' is not in its input`, node);
  return i;
}

/** A key function for one side: values of the key columns in a domain both sides share. */
function keyFunction(t: Table, indexes: number[], types: KqlType[]): (row: Row) => unknown {
  const own = indexes.map((i) => t.columns[i]!.type);
  const asText = own.map((type, j) => type !== types[j]);
  const readers = indexes.map((i) => reader(t.data[i]!));
  const read = (row: Row, j: number): Value => {
    const v = readers[j]!(row);
    return asText[j] && v !== null ? toStringValue(v, own[j]!) : v;
  };
  if (indexes.length === 1) {
    const type = asText[0] ? "string" : own[0]!;
    return (row) => {
      const v = read(row, 0);
      return v === null ? undefined : keyOf(v, type);
    };
  }
  const keyTypes = own.map((t, j) => (asText[j] ? "string" : t)) as KqlType[];
  return (row) => {
    const values = indexes.map((_, j) => read(row, j));
    return values.some((v) => v === null) ? undefined : compositeKey(values, keyTypes);
  };
}

function sharedTypes(left: Table, li: number[], right: Table, ri: number[]): KqlType[] {
  return li.map((i, j) => {
    const a = left.columns[i]!.type;
    const b = right.columns[ri[j]!]!.type;
    return a === b ? a : "string";
  });
}

/**
 * One side of the joined rows (-1: no row, for outer joins): nulls there, and empty strings in
 * string columns, which cannot be null.
 */
function side(t: Table, selection: Int32Array, hasMissing: boolean): Table {
  const picked = selectRows(t, selection);
  if (!hasMissing) return picked;
  const data = picked.data.map((c, i) => {
    if (t.columns[i]!.type !== "string") return c;
    const read = reader(c);
    return dense(Array.from({ length: picked.length }, (_, r) => (selection[r]! < 0 ? "" : read(r))));
  });
  return { columns: picked.columns, data, length: picked.length };
}

export function hashJoin(kind: string, left: Table, right: Table, pairs: KeyPair[], node: KSyntaxNode, budget: RunBudget): Table {
  const li = pairs.map((p) => columnIndex(left, p.left, node));
  const ri = pairs.map((p) => columnIndex(right, p.right, node));
  const types = sharedTypes(left, li, right, ri);
  const lkey = keyFunction(left, li, types);
  const rkey = keyFunction(right, ri, types);
  const columns: Column[] = [...left.columns, ...right.columns];

  const index = (t: Table, key: (row: Row) => unknown) => {
    const map = new Map<unknown, number[]>();
    for (let row = 0; row < t.length; row++) {
      const k = key(row);
      if (k === undefined) continue;
      const list = map.get(k);
      if (list) list.push(row);
      else map.set(k, [row]);
    }
    return map;
  };
  const filterRows = (t: Table, keep: (row: Row) => boolean) => {
    const out: number[] = [];
    for (let row = 0; row < t.length; row++) if (keep(row)) out.push(row);
    return selectRows(t, Int32Array.from(out));
  };

  switch (kind) {
    case "leftsemi":
    case "leftanti":
    case "anti":
    case "leftantisemi": {
      const keys = index(right, rkey);
      const want = kind === "leftsemi";
      return filterRows(left, (r) => keys.has(lkey(r) ?? Symbol()) === want);
    }
    case "rightsemi":
    case "rightanti":
    case "rightantisemi": {
      const keys = index(left, lkey);
      const want = kind === "rightsemi";
      return filterRows(right, (r) => keys.has(rkey(r) ?? Symbol()) === want);
    }
  }
  if (!["innerunique", "inner", "leftouter", "rightouter", "fullouter"].includes(kind))
    throw new EvaluationError(`the local engine does not support join kind=${kind}`, node);

  const rightIndex = index(right, rkey);
  const seen = kind === "innerunique" ? new Set<unknown>() : undefined;
  const ls: number[] = [];
  const rs: number[] = [];
  const matchedRight = kind === "rightouter" || kind === "fullouter" ? new Uint8Array(right.length) : undefined;
  for (let l = 0; l < left.length; l++) {
    const k = lkey(l);
    if (seen) {
      // innerunique: one left row per key (the first)
      if (k === undefined || seen.has(k)) continue;
      seen.add(k);
    }
    const matches = k === undefined ? undefined : rightIndex.get(k);
    if (matches) {
      for (const r of matches) {
        ls.push(l);
        rs.push(r);
        if (matchedRight) matchedRight[r] = 1;
      }
    } else if (kind === "leftouter" || kind === "fullouter") {
      ls.push(l);
      rs.push(-1);
    }
    // stop a key that matches everything (a cross product) before it exhausts memory
    budget.rows(ls.length, kind === "innerunique" || kind === "inner" ? "join" : `join kind=${kind}`, node);
    budget.tick(node);
  }
  if (matchedRight)
    for (let r = 0; r < right.length; r++)
      if (!matchedRight[r]) {
        ls.push(-1);
        rs.push(r);
      }
  const lt = side(left, Int32Array.from(ls), kind === "rightouter" || kind === "fullouter");
  const rt = side(right, Int32Array.from(rs), kind === "leftouter" || kind === "fullouter");
  return { columns, data: [...lt.data, ...rt.data], length: ls.length };
}

export function join(op: KJoin, left: Table, right: Table, run: RunContext): Table {
  const kind = (parameterValue(op.Parameters, "kind") ?? "innerunique").toLowerCase();
  const clause = op.ConditionClause;
  if (clause.Kind !== run.kinds.syntax.JoinOnClause || !clause.Expressions)
    throw new EvaluationError("the local engine supports join ... on, not join ... where", op);
  const pairs = keyPairs(
    toArray(clause.Expressions).map((s) => s.Element),
    run,
  );
  return conform(op, hashJoin(kind, left, right, pairs, op, run.budget), run, "join");
}

/** lookup: a left outer (or inner) join that does not repeat the right side's key columns. */
export function lookup(op: KLookup, left: Table, right: Table, run: RunContext): Table {
  const kind = (parameterValue(op.Parameters, "kind") ?? "leftouter").toLowerCase();
  const clause = op.LookupClause;
  if (!clause.Expressions) throw new EvaluationError("the local engine supports lookup ... on", op);
  const pairs = keyPairs(
    toArray(clause.Expressions).map((s) => s.Element),
    run,
  );
  const joined = hashJoin(kind === "inner" ? "inner" : "leftouter", left, right, pairs, op, run.budget);
  const lw = left.columns.length;
  const dropRight = new Set(pairs.filter((p) => p.left === p.right).map((p) => lw + right.columns.findIndex((c) => c.name === p.right)));
  const keep = joined.columns.map((_, i) => i).filter((i) => !dropRight.has(i));
  const table = pickColumns(joined, keep);
  return conform(op, table, run, "lookup");
}
