/** Numeric functions and bin()/floor(), which also round datetimes and timespans. */
import { argAs, fn1, fn2, fnN, type FunctionTable, type RowFn, type ScalarFunction } from "./types";
import { DOTNET_EPOCH_OFFSET, floorDiv } from "../values/datetime";
import type { Compiled } from "../eval/context";
import { compareNonNull } from "../values/compare";
import type { KqlType, Value } from "../values/types";

function real1(impl: (x: number) => number): ScalarFunction {
  return fn1("real", (x) => impl(x as number));
}

/** bin(value, size): rounds down to a multiple of size; datetimes count from 0001-01-01 as Kusto does. */
function binBuild(value: Compiled, size: Compiled, origin?: Compiled): RowFn {
  const type = value.type;
  if (type === "datetime" || type === "timespan") {
    const fv = value.fn;
    const fs = argAs(size, "timespan");
    const fo = origin ? argAs(origin, type) : undefined;
    const base = type === "datetime" ? DOTNET_EPOCH_OFFSET : 0n;
    return (row) => {
      const v = fv(row) as bigint | null;
      const s = fs(row) as bigint | null;
      if (v === null || s === null || s <= 0n) return null;
      const o = fo ? ((fo(row) as bigint | null) ?? 0n) : -base;
      return floorDiv(v - o, s) * s + o;
    };
  }
  if (type === "long") {
    const fv = value.fn;
    const fs = argAs(size, "long");
    const fo = origin ? argAs(origin, "long") : undefined;
    return (row) => {
      const v = fv(row) as bigint | null;
      const s = fs(row) as bigint | null;
      if (v === null || s === null || s <= 0n) return null;
      const o = fo ? ((fo(row) as bigint | null) ?? 0n) : 0n;
      return floorDiv(v - o, s) * s + o;
    };
  }
  const fv = argAs(value, "real");
  const fs = argAs(size, "real");
  const fo = origin ? argAs(origin, "real") : undefined;
  const toInt = type === "int";
  return (row) => {
    const v = fv(row) as number | null;
    const s = fs(row) as number | null;
    if (v === null || s === null || s <= 0) return null;
    const o = fo ? ((fo(row) as number | null) ?? 0) : 0;
    const r = Math.floor((v - o) / s) * s + o;
    return toInt ? Math.trunc(r) : r;
  };
}

const bin: ScalarFunction = { build: ([v, s]) => binBuild(v!, s!) };
const binAt: ScalarFunction = { build: ([v, s, o]) => binBuild(v!, s!, o!) };

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  const r = Math.round(Math.abs(x) * f) / f;
  return x < 0 ? -r : r;
}

function extreme(sign: 1 | -1): ScalarFunction {
  return {
    build(args, site) {
      const type: KqlType = site.resultType;
      const fs = args.map((a) => argAs(a, type));
      return (row) => {
        let best: Value = null;
        for (const f of fs) {
          const v = f(row);
          if (v === null) continue;
          if (best === null || sign * compareNonNull(v, best, type) > 0) best = v;
        }
        return best;
      };
    },
  };
}

function bitwise(op: (a: bigint, b: bigint) => bigint): ScalarFunction {
  return fn2("long", "long", (a, b) => BigInt.asIntN(64, op(a as bigint, b as bigint)));
}

export const MATH_FUNCTIONS: FunctionTable = {
  bin,
  floor: bin,
  bin_at: binAt,
  abs: {
    build([a]) {
      const f = a!.fn;
      if (a!.type === "long" || a!.type === "timespan")
        return (row) => {
          const v = f(row) as bigint | null;
          return v === null ? null : v < 0n ? -v : v;
        };
      return (row) => {
        const v = f(row) as number | null;
        return v === null ? null : Math.abs(v);
      };
    },
  },
  round: {
    build([a, d]) {
      const fa = argAs(a!, "real");
      const fd = d ? argAs(d, "long") : () => 0n;
      return (row) => {
        const x = fa(row) as number | null;
        const digits = fd(row) as bigint | null;
        return x === null || digits === null ? null : round(x, Number(digits));
      };
    },
  },
  ceiling: real1(Math.ceil),
  exp: real1(Math.exp),
  exp2: real1((x) => 2 ** x),
  exp10: real1((x) => 10 ** x),
  log: real1((x) => (x <= 0 ? NaN : Math.log(x))),
  log2: real1((x) => (x <= 0 ? NaN : Math.log2(x))),
  log10: real1((x) => (x <= 0 ? NaN : Math.log10(x))),
  sqrt: real1((x) => (x < 0 ? NaN : Math.sqrt(x))),
  pow: fn2("real", "real", (x, y) => (x as number) ** (y as number)),
  sign: real1((x) => Math.sign(x)),
  isnan: fn1("real", (x) => Number.isNaN(x as number)),
  isinf: fn1("real", (x) => x === Infinity || x === -Infinity),
  isfinite: fn1("real", (x) => Number.isFinite(x as number)),
  pi: fnN("real", () => Math.PI),
  max_of: extreme(1),
  min_of: extreme(-1),
  binary_and: bitwise((a, b) => a & b),
  binary_or: bitwise((a, b) => a | b),
  binary_xor: bitwise((a, b) => a ^ b),
  binary_not: fn1("long", (a) => ~(a as bigint)),
  binary_shift_left: bitwise((a, b) => a << b),
  binary_shift_right: bitwise((a, b) => a >> b),
};
