/**
 * Aggregation functions for summarize (and make-series). Each call site becomes an Aggregate:
 * the types of the columns it outputs and a factory of per-group states. Nulls are skipped
 * as Kusto documents; count() counts rows.
 */
import { toArray } from "../../kql/kusto";
import type { KCall, KExpression, KSyntaxNode } from "../kusto/syntax";
import { EvaluationError, type Compiled, type RowShape } from "../eval/context";
import { argAs } from "../functions/types";
import { compareNonNull, keyOf } from "../values/compare";
import { convertValue, toDynamicValue } from "../values/convert";
import { dynKey, isBag, newBag } from "../values/dynamic";
import type { Dyn, DynArray, KqlType, Row, Value } from "../values/types";
import type { Kinds } from "../kusto/kinds";
import { NO_ROW } from "../eval/context";

export interface AggregateState {
  add(row: Row): void;
  /** Appends this aggregate's output values (one per output column). */
  result(out: Value[]): void;
}

export interface Aggregate {
  readonly types: KqlType[];
  create(): AggregateState;
}

export interface AggregateSite {
  readonly name: string;
  readonly node: KCall;
  readonly resultType: KqlType;
  readonly args: readonly KExpression[];
  readonly shape: RowShape;
  readonly kinds: Kinds;
  /** Input columns used as plain `by` keys: `*` in arg_max/take_any leaves them out. */
  readonly byNames: ReadonlySet<string>;
  compile(e: KExpression): Compiled;
}

type Factory = (site: AggregateSite) => Aggregate;

const MAX_SET = 1_048_576;

function predicate(site: AggregateSite, index: number): (row: Row) => boolean {
  const c = site.compile(site.args[index]!);
  const f = argAs(c, "bool");
  return (row) => f(row) === true;
}

function maxSize(site: AggregateSite, index: number): number {
  const e = site.args[index];
  if (!e) return MAX_SET;
  const v = site.compile(e).fn(NO_ROW);
  return v === null ? MAX_SET : Number(v);
}

const count: Factory = () => ({
  types: ["long"],
  create() {
    let n = 0;
    return { add: () => void n++, result: (out) => void out.push(BigInt(n)) };
  },
});

const countif: Factory = (site) => {
  const p = predicate(site, 0);
  return {
    types: ["long"],
    create() {
      let n = 0;
      return {
        add: (row) => {
          if (p(row)) n++;
        },
        result: (out) => void out.push(BigInt(n)),
      };
    },
  };
};

function dcountOf(site: AggregateSite, conditional: boolean): Aggregate {
  const c = site.compile(site.args[0]!);
  const p = conditional ? predicate(site, 1) : () => true;
  return {
    types: ["long"],
    create() {
      const seen = new Set<unknown>();
      return {
        add: (row) => {
          if (!p(row)) return;
          const v = c.fn(row);
          if (v !== null) seen.add(keyOf(v, c.type));
        },
        result: (out) => void out.push(BigInt(seen.size)),
      };
    },
  };
}

function sumOf(site: AggregateSite, conditional: boolean): Aggregate {
  const c = site.compile(site.args[0]!);
  const p = conditional ? predicate(site, 1) : () => true;
  const type = site.resultType;
  const bigint = type === "long" || type === "timespan";
  const f = argAs(c, bigint ? "long" : "real");
  return {
    types: [type],
    create() {
      let total: number | bigint = bigint ? 0n : 0;
      let any = false;
      return {
        add: (row) => {
          if (!p(row)) return;
          const v = f(row);
          if (v === null) return;
          any = true;
          total = bigint ? (total as bigint) + (v as bigint) : (total as number) + (v as number);
        },
        result: (out) => {
          // no value added (empty input, or only nulls): 0, as the docs' table of default values says
          const v = any ? (bigint ? BigInt.asIntN(64, total as bigint) : total) : bigint ? 0n : 0;
          out.push(type === "int" ? Number(v) | 0 : v);
        },
      };
    },
  };
}

function extremeOf(site: AggregateSite, sign: 1 | -1, conditional: boolean): Aggregate {
  const c = site.compile(site.args[0]!);
  const p = conditional ? predicate(site, 1) : () => true;
  const type = c.type;
  return {
    types: [site.resultType],
    create() {
      let best: Value = null;
      return {
        add: (row) => {
          if (!p(row)) return;
          const v = c.fn(row);
          if (v === null || (type === "string" && v === "")) return;
          if (best === null || sign * compareNonNull(v, best, type) > 0) best = v;
        },
        result: (out) => void out.push(type === site.resultType ? best : convertValue(best, type, site.resultType)),
      };
    },
  };
}

function avgOf(site: AggregateSite, conditional: boolean): Aggregate {
  const c = site.compile(site.args[0]!);
  const p = conditional ? predicate(site, 1) : () => true;
  const f = argAs(c, "real");
  return {
    types: ["real"],
    create() {
      let total = 0;
      let n = 0;
      return {
        add: (row) => {
          if (!p(row)) return;
          const v = f(row) as number | null;
          if (v === null) return;
          total += v;
          n++;
        },
        result: (out) => void out.push(n === 0 ? null : total / n),
      };
    },
  };
}

/**
 * variance/stdev (sample, and their -if forms) and variancep/stdevp (population). Without any
 * value the sample forms give 0 (the docs' table of default values), the population forms null.
 */
function varianceOf(site: AggregateSite, sample: boolean, sqrt: boolean, conditional: boolean): Aggregate {
  const c = site.compile(site.args[0]!);
  const p = conditional ? predicate(site, 1) : () => true;
  const f = argAs(c, "real");
  return {
    types: ["real"],
    create() {
      const values: number[] = [];
      return {
        add: (row) => {
          if (!p(row)) return;
          const v = f(row) as number | null;
          if (v !== null) values.push(v);
        },
        result: (out) => {
          const n = values.length;
          if (n === 0) return void out.push(sample ? 0 : null);
          if (sample && n === 1) return void out.push(0);
          const mean = values.reduce((a, b) => a + b, 0) / n;
          const v = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (sample ? n - 1 : n);
          out.push(sqrt ? Math.sqrt(v) : v);
        },
      };
    },
  };
}

function makeCollection(site: AggregateSite, distinct: boolean, conditional: boolean, keepNulls = false): Aggregate {
  const c = site.compile(site.args[0]!);
  const p = conditional ? predicate(site, 1) : () => true;
  const limit = maxSize(site, conditional ? 2 : 1);
  const toDyn = (v: Value) => toDynamicValue(v, c.type);
  // make_set of an array column collects the arrays' elements
  const flatten = distinct && c.type === "dynamic";
  return {
    types: ["dynamic"],
    create() {
      const items: DynArray = [];
      const seen = distinct ? new Set<string>() : undefined;
      const push = (d: Dyn) => {
        if (items.length >= limit) return;
        if (seen) {
          const k = dynKey(d);
          if (seen.has(k)) return;
          seen.add(k);
        }
        items.push(d);
      };
      return {
        add: (row) => {
          if (!p(row)) return;
          const v = c.fn(row);
          if (v === null && !keepNulls) return;
          if (flatten && Array.isArray(v)) for (const x of v as DynArray) push(x);
          else push(toDyn(v));
        },
        result: (out) => void out.push(items),
      };
    },
  };
}

function makeBag(site: AggregateSite, conditional: boolean): Aggregate {
  const c = site.compile(site.args[0]!);
  const p = conditional ? predicate(site, 1) : () => true;
  return {
    types: ["dynamic"],
    create() {
      const bag = newBag();
      return {
        add: (row) => {
          if (!p(row)) return;
          const v = c.fn(row);
          if (isBag(v)) for (const [k, x] of Object.entries(v)) if (!(k in bag)) bag[k] = x;
        },
        result: (out) => void out.push(bag),
      };
    },
  };
}

/** The columns `arg_max(x, a, b)` / `arg_max(x, *)` / `take_any(a, b)` carry along. */
function carriedColumns(site: AggregateSite, from: number): { compiled: Compiled[]; types: KqlType[] } {
  const compiled: Compiled[] = [];
  const first = site.args[0];
  const firstColumn =
    first && first.Kind === site.kinds.syntax.NameReference ? (first as KExpression & { SimpleName: string }).SimpleName : undefined;
  for (const arg of site.args.slice(from)) {
    if (arg.Kind === site.kinds.syntax.StarExpression) {
      site.shape.columns.forEach((col, i) => {
        if (site.byNames.has(col.name) || (from === 1 && col.name === firstColumn)) return;
        compiled.push({ type: col.type, fn: site.shape.readers[i]!, rowFree: false });
      });
    } else compiled.push(site.compile(arg));
  }
  return { compiled, types: compiled.map((c) => c.type) };
}

function argExtreme(site: AggregateSite, sign: 1 | -1): Aggregate {
  const key = site.compile(site.args[0]!);
  const { compiled, types } = carriedColumns(site, 1);
  return {
    types: [key.type, ...types],
    create() {
      let best: Value = null;
      let bestRow: Row | undefined;
      return {
        add: (row) => {
          const v = key.fn(row);
          if (v === null) return;
          if (bestRow === undefined || sign * compareNonNull(v, best, key.type) > 0) {
            best = v;
            bestRow = row;
          }
        },
        result: (out) => {
          out.push(best);
          for (const c of compiled) out.push(bestRow !== undefined ? c.fn(bestRow) : null);
        },
      };
    },
  };
}

function takeAny(site: AggregateSite, conditional: boolean): Aggregate {
  const args = conditional ? site.args.slice(0, 1) : site.args;
  const p = conditional ? predicate(site, 1) : () => true;
  const { compiled, types } = carriedColumns({ ...site, args }, 0);
  return {
    types,
    create() {
      let chosen: Row | undefined;
      return {
        add: (row) => {
          if (chosen !== undefined || !p(row)) return;
          // the first row whose first value is not null (or empty)
          const v = compiled[0]?.fn(row);
          if (compiled.length === 1 && (v === null || v === "")) return;
          chosen = row;
        },
        result: (out) => {
          for (const c of compiled) out.push(chosen !== undefined ? c.fn(chosen) : null);
        },
      };
    },
  };
}

/** Exact percentiles (nearest rank); Kusto estimates with T-Digest, equal on small inputs. */
function percentilesOf(site: AggregateSite, weighted: boolean): Aggregate {
  const c = site.compile(site.args[0]!);
  const w = weighted ? argAs(site.compile(site.args[1]!), "real") : undefined;
  const ps = site.args.slice(weighted ? 2 : 1).map((a) => Number(site.compile(a).fn(NO_ROW)));
  const type = c.type;
  return {
    types: ps.map(() => type),
    create() {
      const values: { v: Value; w: number }[] = [];
      return {
        add: (row) => {
          const v = c.fn(row);
          if (v === null) return;
          values.push({ v, w: w ? Number(w(row) ?? 0) : 1 });
        },
        result: (out) => {
          values.sort((a, b) => compareNonNull(a.v, b.v, type));
          const total = values.reduce((s, x) => s + x.w, 0);
          for (const p of ps) {
            if (values.length === 0) {
              out.push(null);
              continue;
            }
            const rank = Math.max(1, Math.ceil((p / 100) * total));
            let acc = 0;
            let picked = values[values.length - 1]!.v;
            for (const x of values) {
              acc += x.w;
              if (acc >= rank) {
                picked = x.v;
                break;
              }
            }
            out.push(picked);
          }
        },
      };
    },
  };
}

const FACTORIES: Record<string, Factory> = {
  count,
  countif,
  dcount: (s) => dcountOf(s, false),
  dcountif: (s) => dcountOf(s, true),
  count_distinct: (s) => dcountOf(s, false),
  count_distinctif: (s) => dcountOf(s, true),
  sum: (s) => sumOf(s, false),
  sumif: (s) => sumOf(s, true),
  min: (s) => extremeOf(s, -1, false),
  max: (s) => extremeOf(s, 1, false),
  minif: (s) => extremeOf(s, -1, true),
  maxif: (s) => extremeOf(s, 1, true),
  avg: (s) => avgOf(s, false),
  avgif: (s) => avgOf(s, true),
  stdev: (s) => varianceOf(s, true, true, false),
  stdevif: (s) => varianceOf(s, true, true, true),
  stdevp: (s) => varianceOf(s, false, true, false),
  variance: (s) => varianceOf(s, true, false, false),
  varianceif: (s) => varianceOf(s, true, false, true),
  variancep: (s) => varianceOf(s, false, false, false),
  make_set: (s) => makeCollection(s, true, false),
  makeset: (s) => makeCollection(s, true, false),
  make_set_if: (s) => makeCollection(s, true, true),
  make_list: (s) => makeCollection(s, false, false),
  makelist: (s) => makeCollection(s, false, false),
  make_list_if: (s) => makeCollection(s, false, true),
  make_list_with_nulls: (s) => makeCollection(s, false, false, true),
  make_bag: (s) => makeBag(s, false),
  make_bag_if: (s) => makeBag(s, true),
  arg_max: (s) => argExtreme(s, 1),
  arg_min: (s) => argExtreme(s, -1),
  take_any: (s) => takeAny(s, false),
  any: (s) => takeAny(s, false),
  take_anyif: (s) => takeAny(s, true),
  anyif: (s) => takeAny(s, true),
  percentile: (s) => percentilesOf(s, false),
  percentiles: (s) => percentilesOf(s, false),
  percentilew: (s) => percentilesOf(s, true),
  percentilesw: (s) => percentilesOf(s, true),
};

export const AGGREGATE_NAMES: ReadonlySet<string> = new Set(Object.keys(FACTORIES));

export function isAggregateCall(e: KSyntaxNode, kinds: Kinds): e is KCall {
  if (e.Kind !== kinds.syntax.FunctionCallExpression) return false;
  const name = e.ReferencedSymbol?.Name;
  return name !== undefined && AGGREGATE_NAMES.has(name) && e.GetCalledFunctionBody() === null;
}

export function buildAggregate(call: KCall, site: Omit<AggregateSite, "name" | "args" | "node">): Aggregate {
  const name = call.ReferencedSymbol?.Name ?? call.Name.SimpleName;
  const factory = FACTORIES[name];
  if (!factory) throw new EvaluationError(`the local engine does not support the aggregate \`${name}()\``, call);
  const args = toArray(call.ArgumentList.Expressions).map((s) => s.Element);
  return factory({ ...site, name, node: call, args });
}
