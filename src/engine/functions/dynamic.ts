/** Functions over dynamic arrays and property bags. Elements are compared by content. */
import { argAs, fn1, fn2, stringArg, type FunctionTable, type ScalarFunction } from "./types";
import { bagKeyPath, dynEquals, dynKey, isBag, newBag } from "../values/dynamic";
import { compareNonNull } from "../values/compare";
import { toDynamicValue, toStringValue } from "../values/convert";
import type { Dyn, DynArray, DynObject } from "../values/types";
import { NO_ROW } from "../eval/context";

function arrays(values: Dyn[]): DynArray[] | null {
  return values.every(Array.isArray) ? (values as DynArray[]) : null;
}

function distinct(items: Iterable<Dyn>): DynArray {
  const seen = new Set<string>();
  const out: DynArray = [];
  for (const x of items) {
    const k = dynKey(x);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  }
  return out;
}

function setFn(combine: (lists: DynArray[]) => DynArray): ScalarFunction {
  return {
    build(args) {
      const fs = args.map((a) => argAs(a, "dynamic"));
      return (row) => {
        const lists = arrays(fs.map((f) => f(row) as Dyn));
        return lists ? combine(lists) : null;
      };
    },
  };
}

const pack: ScalarFunction = {
  build(args) {
    const keys = args.filter((_, i) => i % 2 === 0).map(stringArg);
    const values = args.filter((_, i) => i % 2 === 1).map((a) => argAs(a, "dynamic"));
    return (row) => {
      const bag = newBag();
      keys.forEach((k, i) => {
        bag[k(row)] = (values[i]?.(row) ?? null) as Dyn;
      });
      return bag;
    };
  },
};

const packArray: ScalarFunction = {
  build(args) {
    const fs = args.map((a) => argAs(a, "dynamic"));
    return (row) => fs.map((f) => f(row) as Dyn);
  },
};

/** pack_all([ignore_null_empty]): the whole row as a bag. */
const packAll: ScalarFunction = {
  readsRow: true,
  build([ignore], site) {
    const columns = site.cx.shape.columns;
    const readers = site.cx.shape.readers;
    const skipEmpty = ignore ? ignore.fn(NO_ROW) === true : false;
    return (row) => {
      const bag = newBag();
      columns.forEach((c, i) => {
        const v = toDynamicValue(readers[i]!(row), c.type);
        if (skipEmpty && (v === null || v === "")) return;
        bag[c.name] = v;
      });
      return bag;
    };
  },
};

function slice(arr: DynArray, start: number, end: number): DynArray {
  const n = arr.length;
  const s = start < 0 ? Math.max(0, n + start) : start;
  const e = end < 0 ? n + end : Math.min(end, n - 1);
  return s > e ? [] : arr.slice(s, e + 1);
}

const arraySlice: ScalarFunction = {
  build([a, s, e]) {
    const fa = argAs(a!, "dynamic");
    const fs = argAs(s!, "long");
    const fe = argAs(e!, "long");
    return (row) => {
      const arr = fa(row);
      const st = fs(row) as bigint | null;
      const en = fe(row) as bigint | null;
      if (!Array.isArray(arr) || st === null || en === null) return null;
      return slice(arr as DynArray, Number(st), Number(en));
    };
  },
};

const arrayIndexOf: ScalarFunction = {
  maxArgs: 2, // start, length and occurrence are not implemented
  build([a, v]) {
    const fa = argAs(a!, "dynamic");
    const fv = argAs(v!, "dynamic");
    return (row) => {
      const arr = fa(row);
      if (!Array.isArray(arr)) return null;
      const x = fv(row) as Dyn;
      return BigInt((arr as DynArray).findIndex((e) => dynEquals(e, x)));
    };
  },
};

/** array_sort's order of kinds: numbers (and datetimes, timespans), then strings, then the rest. */
function sortRank(v: Dyn): number {
  return typeof v === "number" ? 0 : typeof v === "string" ? 1 : 2;
}

function compareForSort(x: Dyn, y: Dyn): number {
  return sortRank(x) - sortRank(y) || compareNonNull(x, y, "dynamic");
}

/**
 * array_sort_asc/desc(array1[, ..., arrayN][, nulls_last]): sorts array1 (stably), orders the
 * other arrays the same way; an array whose length differs from array1's is null. nulls_last
 * defaults to true. With several arrays the result is a tuple, one value per output column.
 */
function sortArrays(descending: boolean): ScalarFunction {
  return {
    build(args) {
      const last = args[args.length - 1];
      const hasNullsLast = args.length > 1 && last!.type === "bool";
      const arrayArgs = (hasNullsLast ? args.slice(0, -1) : args).map((a) => argAs(a, "dynamic"));
      const nullsLastArg = hasNullsLast ? last!.fn : () => true;
      const sign = descending ? -1 : 1;
      return (row) => {
        const lists = arrayArgs.map((f) => f(row) as Dyn);
        const nullsLast = nullsLastArg(row) !== false;
        const first = lists[0];
        if (!Array.isArray(first)) return lists.length === 1 ? null : lists.map(() => null);
        const order = first.map((_, i) => i);
        order.sort((i, j) => {
          const x = first[i]!;
          const y = first[j]!;
          if (x === null || y === null) return x === y ? 0 : (x === null) === nullsLast ? 1 : -1;
          return sign * compareForSort(x, y);
        });
        const sorted = lists.map((l) => (Array.isArray(l) && l.length === first.length ? order.map((i) => l[i]!) : null));
        return lists.length === 1 ? sorted[0]! : sorted;
      };
    },
  };
}

/** Whether the bag has the key, a JSONPath key (`$.a.b`) meaning a nested one. */
function bagHasKey(b: Dyn, key: string): boolean {
  const path = bagKeyPath(key);
  if (!path) return false;
  let at: Dyn = b;
  for (const k of path) {
    if (!isBag(at) || !(k in at)) return false;
    at = at[k]!;
  }
  return true;
}

/** A copy of the bag without the value at the path (the bag itself when the path leads nowhere). */
function withoutPath(bag: DynObject, path: readonly string[]): DynObject {
  const [first, ...rest] = path;
  if (first === undefined || !(first in bag)) return bag;
  const inner = bag[first]!;
  if (rest.length > 0 && !isBag(inner)) return bag;
  const out = newBag();
  for (const [k, v] of Object.entries(bag)) {
    if (k !== first) out[k] = v;
    else if (rest.length > 0) out[k] = withoutPath(inner as DynObject, rest);
  }
  return out;
}

function bagMerge(bags: Dyn[]): Dyn {
  const out = newBag();
  for (const b of bags) if (isBag(b)) for (const [k, v] of Object.entries(b)) if (!(k in out)) out[k] = v;
  return out;
}

export const DYNAMIC_FUNCTIONS: FunctionTable = {
  array_length: fn1("dynamic", (a) => (Array.isArray(a) ? BigInt(a.length) : null)),
  pack,
  bag_pack: pack,
  pack_dictionary: pack,
  pack_array: packArray,
  pack_all: packAll,
  bag_keys: fn1("dynamic", (b) => (isBag(b) ? Object.keys(b) : null)),
  bag_has_key: fn2("dynamic", "string", (b, k) => bagHasKey(b as Dyn, k as string)),
  bag_merge: { build: (args) => {
    const fs = args.map((a) => argAs(a, "dynamic"));
    return (row) => bagMerge(fs.map((f) => f(row) as Dyn));
  } },
  bag_remove_keys: fn2("dynamic", "dynamic", (b, keys) => {
    if (!isBag(b)) return null;
    let out: DynObject = b;
    for (const k of Array.isArray(keys) ? keys : []) {
      const path = bagKeyPath(toStringValue(k, "dynamic"));
      if (path) out = withoutPath(out, path);
    }
    return out;
  }),
  array_concat: setFn((lists) => lists.flat()),
  array_slice: arraySlice,
  array_index_of: arrayIndexOf,
  array_reverse: fn1("dynamic", (a) => (Array.isArray(a) ? [...(a as DynArray)].reverse() : null)),
  array_sort_asc: sortArrays(false),
  array_sort_desc: sortArrays(true),
  array_sum: fn1("dynamic", (a) => (Array.isArray(a) ? (a as DynArray).reduce<number>((s, x) => s + (typeof x === "number" ? x : 0), 0) : null)),
  set_has_element: {
    build([a, v]) {
      const fa = argAs(a!, "dynamic");
      const fv = argAs(v!, "dynamic");
      return (row) => {
        const arr = fa(row);
        if (!Array.isArray(arr)) return null;
        const x = fv(row) as Dyn;
        return (arr as DynArray).some((e) => dynEquals(e, x));
      };
    },
  },
  set_union: setFn((lists) => distinct(lists.flat())),
  set_intersect: setFn((lists) => {
    const [first = [], ...rest] = lists;
    const keys = rest.map((l) => new Set(l.map(dynKey)));
    return distinct(first.filter((x) => keys.every((k) => k.has(dynKey(x)))));
  }),
  set_difference: setFn((lists) => {
    const [first = [], ...rest] = lists;
    const drop = new Set(rest.flat().map(dynKey));
    return distinct(first.filter((x) => !drop.has(dynKey(x))));
  }),
  zip: setFn((lists) => {
    const n = Math.max(0, ...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i]! : null)));
  }),
};
