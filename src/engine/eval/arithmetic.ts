/**
 * Arithmetic and comparison operators, specialised once per operator by the operand types
 * Kusto.Language inferred (int and long results wrap like Kusto's 32/64-bit integers; integer
 * division truncates; datetime/timespan arithmetic works on ticks; any null operand gives null).
 */
import { EvaluationError, type Compiled } from "./context";
import { convertValue, toStringValue } from "../values/convert";
import { dynEquals } from "../values/dynamic";
import { compareNonNull } from "../values/compare";
import type { KqlType, Row, Value } from "../values/types";
import { MAX_DATETIME, MIN_DATETIME } from "../values/datetime";

export type ArithmeticOp = "add" | "subtract" | "multiply" | "divide" | "modulo";
export type ComparisonOp = "lt" | "le" | "gt" | "ge";

const NUMERIC = new Set<KqlType>(["int", "long", "real", "decimal"]);
const TICKS = new Set<KqlType>(["datetime", "timespan"]);

type RowFn = (row: Row) => Value;

function asNumber(c: Compiled): (row: Row) => number | null {
  const f = c.fn;
  if (c.type === "long" || TICKS.has(c.type))
    return (row) => {
      const v = f(row);
      return v === null ? null : Number(v as bigint);
    };
  if (c.type === "dynamic")
    return (row) => {
      const v = convertValue(f(row), "dynamic", "real");
      return v as number | null;
    };
  if (c.type === "bool")
    return (row) => {
      const v = f(row);
      return v === null ? null : v ? 1 : 0;
    };
  return f as (row: Row) => number | null;
}

function asBigint(c: Compiled): (row: Row) => bigint | null {
  const f = c.fn;
  if (c.type === "int")
    return (row) => {
      const v = f(row);
      return v === null ? null : BigInt(v as number);
    };
  if (c.type === "real" || c.type === "decimal" || c.type === "dynamic" || c.type === "string" || c.type === "bool")
    return (row) => convertValue(f(row), c.type, "long") as bigint | null;
  return f as (row: Row) => bigint | null;
}

function numeric2(a: Compiled, b: Compiled, result: KqlType, op: (x: number, y: number) => number): RowFn {
  const fa = asNumber(a);
  const fb = asNumber(b);
  const wrap = result === "int" ? (x: number) => x | 0 : (x: number) => x;
  return (row) => {
    const x = fa(row);
    if (x === null) return null;
    const y = fb(row);
    return y === null ? null : wrap(op(x, y));
  };
}

function bigint2(a: Compiled, b: Compiled, op: (x: bigint, y: bigint) => bigint | null, wrap64 = true): RowFn {
  const fa = asBigint(a);
  const fb = asBigint(b);
  return (row) => {
    const x = fa(row);
    if (x === null) return null;
    const y = fb(row);
    if (y === null) return null;
    const r = op(x, y);
    return r === null ? null : wrap64 ? BigInt.asIntN(64, r) : r;
  };
}

const INT_OPS: Record<ArithmeticOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  subtract: (x, y) => x - y,
  multiply: (x, y) => Math.imul(x, y),
  divide: (x, y) => Math.trunc(x / y),
  modulo: (x, y) => x % y,
};
const REAL_OPS: Record<ArithmeticOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  subtract: (x, y) => x - y,
  multiply: (x, y) => x * y,
  divide: (x, y) => x / y,
  modulo: (x, y) => x % y,
};
const LONG_OPS: Record<ArithmeticOp, (x: bigint, y: bigint) => bigint | null> = {
  add: (x, y) => x + y,
  subtract: (x, y) => x - y,
  multiply: (x, y) => x * y,
  divide: (x, y) => (y === 0n ? null : x / y),
  modulo: (x, y) => (y === 0n ? null : x % y),
};

/** Builds `a <op> b` for the operand and result types the binder chose. */
export function arithmetic(op: ArithmeticOp, a: Compiled, b: Compiled, result: KqlType): RowFn {
  if (result === "real" || result === "decimal") return numeric2(a, b, result, REAL_OPS[op]);
  if (result === "int") {
    const f = INT_OPS[op];
    return numeric2(a, b, "int", (x, y) => ((op === "divide" || op === "modulo") && y === 0 ? NaN : f(x, y)));
  }
  if (result === "long") return bigint2(a, b, LONG_OPS[op]);
  if (result === "datetime" || result === "timespan") {
    // datetime ± timespan, timespan ± timespan, timespan * / number
    if ((op === "multiply" || op === "divide") && (NUMERIC.has(a.type) || NUMERIC.has(b.type))) {
      const span = TICKS.has(a.type) ? a : b;
      const num = span === a ? b : a;
      const fs = asBigint(span);
      const fn = asNumber(num);
      return (row) => {
        const s = fs(row);
        const n = fn(row);
        if (s === null || n === null) return null;
        if (op === "divide") return n === 0 ? null : BigInt(Math.round(Number(s) / n));
        return num.type === "real" || num.type === "decimal" ? BigInt(Math.round(Number(s) * n)) : s * BigInt(Math.trunc(n));
      };
    }
    const f = bigint2(a, b, LONG_OPS[op], false);
    if (result === "timespan") return f;
    // a datetime outside 0001-01-01 .. 9999-12-31 does not exist in Kusto: null
    return (row) => {
      const t = f(row) as bigint | null;
      return t === null || t < MIN_DATETIME || t > MAX_DATETIME ? null : t;
    };
  }
  if (op === "divide" && TICKS.has(a.type) && TICKS.has(b.type)) {
    // timespan / timespan -> real
    const fa = asBigint(a);
    const fb = asBigint(b);
    return (row) => {
      const x = fa(row);
      const y = fb(row);
      return x === null || y === null ? null : Number(x) / Number(y);
    };
  }
  throw new EvaluationError(`the operator '${op}' is not supported between ${a.type} and ${b.type}`);
}

/** The type both sides are compared in. */
function comparisonType(a: KqlType, b: KqlType): KqlType {
  if (a === b) return a;
  if (NUMERIC.has(a) && NUMERIC.has(b)) return a === "real" || b === "real" || a === "decimal" || b === "decimal" ? "real" : "long";
  if (a === "dynamic") return b;
  if (b === "dynamic") return a;
  if (a === "string" && (b === "datetime" || b === "timespan" || b === "guid")) return b;
  if (b === "string" && (a === "datetime" || a === "timespan" || a === "guid")) return a;
  // string vs number or bool: the non-string side is written as text (see docs/engine.md)
  if (a === "string" || b === "string") return "string";
  if (TICKS.has(a) && NUMERIC.has(b)) return "long";
  if (TICKS.has(b) && NUMERIC.has(a)) return "long";
  return a;
}

function coerce(c: Compiled, to: KqlType): RowFn {
  if (c.type === to) return c.fn;
  const f = c.fn;
  const from = c.type;
  if (to === "string")
    return (row) => {
      const v = f(row);
      return v === null ? null : toStringValue(v, from);
    };
  return (row) => convertValue(f(row), from, to);
}

/** Equality as Kusto defines it for nulls: null == null is null, null == value is false. */
export function equality(a: Compiled, b: Compiled, negate: boolean): RowFn {
  const type = comparisonType(a.type, b.type);
  const fa = coerce(a, type);
  const fb = coerce(b, type);
  const aMayFail = a.type !== type;
  const bMayFail = b.type !== type;
  const eq = equalsFor(type);
  return (row) => {
    const x = fa(row);
    const y = fb(row);
    if (x === null || y === null) {
      // a value that does not convert is a non-null value that is not equal
      const xNull = x === null && !(aMayFail && a.fn(row) !== null);
      const yNull = y === null && !(bMayFail && b.fn(row) !== null);
      if (xNull && yNull) return null;
      return negate;
    }
    return eq(x, y) !== negate;
  };
}

function equalsFor(type: KqlType): (x: Value, y: Value) => boolean {
  switch (type) {
    case "dynamic":
      return (x, y) => dynEquals(x as never, y as never);
    case "real":
    case "decimal":
      return (x, y) => x === y;
    case "guid":
      return (x, y) => (x as string).toLowerCase() === (y as string).toLowerCase();
    default:
      return (x, y) => x === y;
  }
}

/** <, <=, >, >= ; null on either side gives null. */
export function ordering(op: ComparisonOp, a: Compiled, b: Compiled): RowFn {
  const type = comparisonType(a.type, b.type);
  const fa = coerce(a, type);
  const fb = coerce(b, type);
  const test =
    op === "lt" ? (c: number) => c < 0 : op === "le" ? (c: number) => c <= 0 : op === "gt" ? (c: number) => c > 0 : (c: number) => c >= 0;
  if (type === "long" || type === "datetime" || type === "timespan") {
    const ga = fa as (row: Row) => bigint | null;
    const gb = fb as (row: Row) => bigint | null;
    switch (op) {
      case "lt":
        return (row) => {
          const x = ga(row);
          const y = gb(row);
          return x === null || y === null ? null : x < y;
        };
      case "le":
        return (row) => {
          const x = ga(row);
          const y = gb(row);
          return x === null || y === null ? null : x <= y;
        };
      case "gt":
        return (row) => {
          const x = ga(row);
          const y = gb(row);
          return x === null || y === null ? null : x > y;
        };
      case "ge":
        return (row) => {
          const x = ga(row);
          const y = gb(row);
          return x === null || y === null ? null : x >= y;
        };
    }
  }
  return (row) => {
    const x = fa(row);
    const y = fb(row);
    if (x === null || y === null) return null;
    if ((type === "real" || type === "decimal") && (Number.isNaN(x) || Number.isNaN(y))) return false;
    return test(compareNonNull(x, y, type));
  };
}

export { coerce };
