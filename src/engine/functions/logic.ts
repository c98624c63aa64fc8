/**
 * Conditionals and null tests. iff/case evaluate only the branch they pick; branches are
 * converted to the result type the binder inferred. isempty()/isnull() work on every type:
 * strings are never null (empty instead), other types are empty only when null.
 */
import { NO_ROW } from "../eval/context";
import { argAs, type FunctionTable, type RowFn, type ScalarFunction } from "./types";
import type { Value } from "../values/types";

function truthy(v: Value): boolean {
  return v === true;
}

const iff: ScalarFunction = {
  build([cond, a, b], site) {
    const fc = argAs(cond!, "bool");
    const fa = argAs(a!, site.resultType);
    const fb = argAs(b!, site.resultType);
    return (row) => (truthy(fc(row)) ? fa(row) : fb(row));
  },
};

const caseFn: ScalarFunction = {
  build(args, site) {
    const pairs: [RowFn, RowFn][] = [];
    for (let i = 0; i + 1 < args.length; i += 2) pairs.push([argAs(args[i]!, "bool"), argAs(args[i + 1]!, site.resultType)]);
    const otherwise = args.length % 2 === 1 ? argAs(args[args.length - 1]!, site.resultType) : () => null;
    return (row) => {
      for (const [p, v] of pairs) if (truthy(p(row))) return v(row);
      return otherwise(row);
    };
  },
};

const coalesce: ScalarFunction = {
  build(args, site) {
    const fs = args.map((a) => argAs(a, site.resultType));
    const isString = site.resultType === "string";
    return (row) => {
      for (const f of fs) {
        const v = f(row);
        if (v !== null && !(isString && v === "")) return v;
      }
      return isString ? "" : null;
    };
  },
};

function isEmptyValue(v: Value): boolean {
  return v === null || v === "";
}

function test(pred: (v: Value) => boolean, negate: boolean): ScalarFunction {
  return {
    build([a]) {
      const f = a!.fn;
      return negate ? (row) => !pred(f(row)) : (row) => pred(f(row));
    },
  };
}

/** column_ifexists(name, default): the column when the input has it, else the default. */
const columnIfExists: ScalarFunction = {
  readsRow: true,
  build([name, fallback], site) {
    const column = name!.fn(NO_ROW);
    const index = typeof column === "string" ? site.cx.shape.index.get(column) : undefined;
    if (index === undefined) return argAs(fallback!, site.resultType);
    const type = site.cx.shape.columns[index]!.type;
    const read = site.cx.shape.readers[index]!;
    return type === site.resultType ? read : argAs({ type, fn: read, rowFree: false }, site.resultType);
  },
};

export const LOGIC_FUNCTIONS: FunctionTable = {
  iff,
  iif: iff,
  case: caseFn,
  coalesce,
  isnull: test((v) => v === null, false),
  isnotnull: test((v) => v === null, true),
  isempty: test(isEmptyValue, false),
  isnotempty: test(isEmptyValue, true),
  not: {
    build([a]) {
      const f = argAs(a!, "bool");
      return (row) => {
        const v = f(row);
        return v === null ? null : !v;
      };
    },
  },
  column_ifexists: columnIfExists,
  columnifexists: columnIfExists,
};
