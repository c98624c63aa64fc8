/**
 * The shape of a built-in scalar function: given its compiled arguments (with the types the
 * binder inferred) it builds one closure for the call site, evaluated per row.
 */
import type { KExpression } from "../kusto/syntax";
import { NO_ROW, type Compiled, type RunContext, type ScalarContext } from "../eval/context";
import { convertValue, toStringValue } from "../values/convert";
import type { KqlType, Row, Value } from "../values/types";

export type RowFn = (row: Row) => Value;

export interface CallSite {
  readonly name: string;
  readonly node: KExpression;
  /** The result type Kusto.Language inferred for the call. */
  readonly resultType: KqlType;
  readonly run: RunContext;
  readonly cx: ScalarContext;
}

export interface ScalarFunction {
  build(args: readonly Compiled[], site: CallSite): RowFn;
  /** Differs between calls with the same arguments (row_number, new_guid): never evaluated once for all rows. */
  readonly volatile?: boolean;
  /** Reads the row itself rather than only its arguments (pack_all, column_ifexists). */
  readonly readsRow?: boolean;
  /**
   * How many arguments the implementation reads, when Kusto accepts more (optional parameters
   * not implemented): the check refuses a call that passes more, rather than ignore them.
   * Absent: every argument Kusto accepts is read.
   */
  readonly maxArgs?: number;
  /**
   * Optional parameters before maxArgs that the implementation does not read, by position: a
   * call may pass only the documented default (a constant), which changes nothing.
   */
  readonly defaultOnlyArgs?: ReadonlyMap<number, { name: string; default: Value }>;
}

/** The value of an argument that does not depend on the row, else undefined. */
export function constantArg(c: Compiled | undefined): Value | undefined {
  return c && c.rowFree ? c.fn(NO_ROW) : undefined;
}

/** A closure returning the argument converted to the given type (nulls stay null). */
export function argAs(c: Compiled, to: KqlType): RowFn {
  if (c.type === to) return c.fn;
  const f = c.fn;
  const from = c.type;
  if (to === "string") return (row) => toStringValue(f(row), from);
  return (row) => convertValue(f(row), from, to);
}

export function stringArg(c: Compiled): (row: Row) => string {
  return argAs(c, "string") as (row: Row) => string;
}

type Impl1 = (a: Value) => Value;
type Impl2 = (a: Value, b: Value) => Value;
type Impl3 = (a: Value, b: Value, c: Value) => Value;

/** One argument of a given type; null in, null out. */
export function fn1(t: KqlType, impl: Impl1, nullable = false): ScalarFunction {
  return {
    maxArgs: 1,
    build([a]) {
      const fa = argAs(a!, t);
      return nullable
        ? (row) => impl(fa(row))
        : (row) => {
            const x = fa(row);
            return x === null ? null : impl(x);
          };
    },
  };
}

/** Two arguments; null in either gives null unless nullable. */
export function fn2(t1: KqlType, t2: KqlType, impl: Impl2, nullable = false): ScalarFunction {
  return {
    maxArgs: 2,
    build([a, b]) {
      const fa = argAs(a!, t1);
      const fb = argAs(b!, t2);
      return nullable
        ? (row) => impl(fa(row), fb(row))
        : (row) => {
            const x = fa(row);
            if (x === null) return null;
            const y = fb(row);
            return y === null ? null : impl(x, y);
          };
    },
  };
}

export function fn3(t1: KqlType, t2: KqlType, t3: KqlType, impl: Impl3, nullable = false): ScalarFunction {
  return {
    maxArgs: 3,
    build([a, b, c]) {
      const fa = argAs(a!, t1);
      const fb = argAs(b!, t2);
      const fc = argAs(c!, t3);
      return nullable
        ? (row) => impl(fa(row), fb(row), fc(row))
        : (row) => {
            const x = fa(row);
            const y = fb(row);
            const z = fc(row);
            return x === null || y === null || z === null ? null : impl(x, y, z);
          };
    },
  };
}

/** Any number of arguments, each converted to the same type. */
export function fnN(t: KqlType, impl: (values: Value[]) => Value): ScalarFunction {
  return {
    build(args) {
      const fs = args.map((a) => argAs(a, t));
      return (row) => impl(fs.map((f) => f(row)));
    },
  };
}

/** Each argument with its own type (no conversion). */
export function fnRaw(impl: (values: Value[], types: KqlType[]) => Value): ScalarFunction {
  return {
    build(args) {
      const fs = args.map((a) => a.fn);
      const types = args.map((a) => a.type);
      return (row) =>
        impl(
          fs.map((f) => f(row)),
          types,
        );
    },
  };
}

export type FunctionTable = Record<string, ScalarFunction>;
