/**
 * `in`, `!in`, `in~`, `!in~`, `has_any` and `has_all`. The right-hand list may mix scalars,
 * dynamic arrays (flattened) and tabular expressions (their first column). A constant list is
 * turned into a hash set once; membership uses the same conversions as `==`.
 */
import { toArray } from "../../kql/kusto";
import type { KExpression, KListExpression } from "../kusto/syntax";
import { isTabular, memoize, NO_ROW, type Compiled, type ScalarCompiler, type ScalarContext } from "./context";
import { argAs, type RowFn } from "../functions/types";
import { toStringValue, toRealValue, toLongValue } from "../values/convert";
import { hasTerm, terms } from "../values/text";
import type { Dyn, KqlType, Row, Value } from "../values/types";
import { reader } from "../values/table";

interface TypedValue {
  value: Value;
  type: KqlType;
}

/** A closure listing the right-hand values (with their types) of an in/has_any list. */
function listValues(
  list: readonly KExpression[],
  cx: ScalarContext,
  compileScalar: ScalarCompiler,
): { values: (row: Row) => TypedValue[]; rowFree: boolean } {
  const parts: { rowFree: boolean; get: (row: Row) => TypedValue[] }[] = list.map((item) => {
    if (isTabular(item, cx.run)) {
      let cached: TypedValue[] | undefined;
      return {
        rowFree: true,
        get: () => {
          if (!cached) {
            const t = cx.run.evaluateTable(item, cx.scope);
            const type = t.columns[0]?.type ?? "dynamic";
            const read = t.data[0] ? reader(t.data[0]) : () => null;
            cached = Array.from({ length: t.length }, (_, i) => ({ value: read(i), type }));
          }
          return cached;
        },
      };
    }
    const c: Compiled = memoize(compileScalar(item, cx));
    if (c.type === "dynamic")
      return {
        rowFree: c.rowFree,
        get: (row) => {
          const v = c.fn(row) as Dyn;
          return Array.isArray(v) ? v.map((x) => ({ value: x, type: "dynamic" as KqlType })) : [{ value: v, type: "dynamic" }];
        },
      };
    return { rowFree: c.rowFree, get: (row) => [{ value: c.fn(row), type: c.type }] };
  });
  return {
    rowFree: parts.every((p) => p.rowFree),
    values: (row) => parts.flatMap((p) => p.get(row)),
  };
}

type Domain = "string" | "number" | "bigint" | "bool";

function domainOf(type: KqlType): Domain {
  if (type === "int" || type === "real" || type === "decimal") return "number";
  if (type === "long") return "bigint";
  if (type === "datetime" || type === "timespan") return "bigint";
  if (type === "bool") return "bool";
  return "string";
}

/** A comparable key in the left operand's domain, or undefined when the value does not convert. */
function keyIn(domain: Domain, v: TypedValue, caseInsensitive: boolean): string | number | bigint | boolean | undefined {
  if (v.value === null) return undefined;
  switch (domain) {
    case "string": {
      const s = toStringValue(v.value, v.type);
      return caseInsensitive ? s.toLowerCase() : s;
    }
    case "number": {
      const n = toRealValue(v.value, v.type);
      return n === null ? undefined : n;
    }
    case "bigint": {
      if (v.type === "real" || v.type === "decimal" || v.type === "int") {
        const n = toRealValue(v.value, v.type);
        return n === null || !Number.isInteger(n) ? undefined : BigInt(n);
      }
      const l = toLongValue(v.value, v.type);
      return l === null ? undefined : l;
    }
    case "bool":
      return typeof v.value === "boolean" ? v.value : undefined;
  }
}

export function listMembership(
  e: KListExpression,
  caseSensitive: boolean,
  negate: boolean,
  cx: ScalarContext,
  compileScalar: ScalarCompiler,
): Compiled {
  const left = compileScalar(e.Left, cx);
  const items = toArray(e.Right.Expressions).map((s) => s.Element);
  const { values, rowFree } = listValues(items, cx, compileScalar);
  // a dynamic left side is compared by its text, like a string column
  const domain = left.type === "dynamic" ? "string" : domainOf(left.type);
  const leftKey = (row: Row) => keyIn(domain, { value: left.fn(row), type: left.type }, !caseSensitive);
  const build = (list: TypedValue[]) => {
    const set = new Set<string | number | bigint | boolean>();
    for (const v of list) {
      const k = keyIn(domain, v, !caseSensitive);
      if (k !== undefined) set.add(k);
    }
    return set;
  };
  let fn: RowFn;
  if (rowFree) {
    let set: Set<string | number | bigint | boolean> | undefined;
    fn = (row) => {
      set ??= build(values(NO_ROW));
      const k = leftKey(row);
      return k === undefined ? negate : set.has(k) !== negate;
    };
  } else {
    fn = (row) => {
      const k = leftKey(row);
      return k === undefined ? negate : build(values(row)).has(k) !== negate;
    };
  }
  return { type: "bool", fn, rowFree: left.rowFree && rowFree };
}

/** has_any / has_all: term matches of each right-hand value against the left text. */
export function hasAnyOrAll(e: KListExpression, all: boolean, cx: ScalarContext, compileScalar: ScalarCompiler): Compiled {
  const left = compileScalar(e.Left, cx);
  const text = argAs(left, "string") as (row: Row) => string;
  const items = toArray(e.Right.Expressions).map((s) => s.Element);
  const { values, rowFree } = listValues(items, cx, compileScalar);
  const needlesOf = (row: Row) => values(row).map((v) => toStringValue(v.value, v.type).toLowerCase());
  let needles: string[] | undefined;
  let singleTerms: Set<string> | undefined;
  const fn: RowFn = (row) => {
    const list = rowFree ? (needles ??= needlesOf(NO_ROW)) : needlesOf(row);
    const t = text(row);
    if (list.length === 0) return false;
    if (!all) {
      // fast path: needles that are single terms are looked up among the text's terms
      if (rowFree) singleTerms ??= new Set(list.filter((n) => terms(n).length === 1 && terms(n)[0] === n));
      const lower = t.toLowerCase();
      if (singleTerms && singleTerms.size === list.length) return terms(lower).some((x) => singleTerms!.has(x));
      return list.some((n) => hasTerm(lower, n, true));
    }
    const lower = t.toLowerCase();
    return list.every((n) => hasTerm(lower, n, true));
  };
  return { type: "bool", fn, rowFree: left.rowFree && rowFree };
}
