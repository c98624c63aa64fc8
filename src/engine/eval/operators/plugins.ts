/** evaluate plugins: bag_unpack and pivot. */
import { toArray } from "../../../kql/kusto";
import type { KEvaluate, KExpression, KSimpleNamed } from "../../kusto/syntax";
import { EvaluationError, rowShape, type RunContext, type Scope } from "../context";
import { compileScalar } from "../scalar";
import { conform } from "../schema";
import { argAs } from "../../functions/types";
import { isBag, parseJsonText } from "../../values/dynamic";
import { pivot } from "./pivot";
import type { Column, Dyn, KqlType, Value } from "../../values/types";
import type { Table } from "../../values/table";
import { dense } from "../../values/table";
import { NO_ROW } from "../context";

export const SUPPORTED_PLUGINS: ReadonlySet<string> = new Set(["bag_unpack", "pivot"]);

const BAG_UNPACK_PARAMETERS = ["Column", "OutputColumnPrefix", "columnsConflict", "ignoredProperties"] as const;
type BagUnpackParameter = (typeof BAG_UNPACK_PARAMETERS)[number];

/** bag_unpack's arguments by parameter name: positional in the documented order, or `name=value`. */
function bagUnpackArguments(op: KEvaluate, run: RunContext): Map<string, KExpression> {
  const out = new Map<string, KExpression>();
  toArray(op.FunctionCall.ArgumentList.Expressions).forEach((s, i) => {
    const e = s.Element;
    if (e.Kind === run.kinds.syntax.SimpleNamedExpression) {
      const named = e as KSimpleNamed;
      const name = BAG_UNPACK_PARAMETERS.find((p) => p.toLowerCase() === named.Name.SimpleName.toLowerCase());
      if (!name) throw new EvaluationError(`bag_unpack has no parameter '${named.Name.SimpleName}'`, e);
      out.set(name, named.Expression);
    } else {
      const name: BagUnpackParameter | undefined = BAG_UNPACK_PARAMETERS[i];
      if (!name) throw new EvaluationError("bag_unpack takes at most 4 arguments", e);
      out.set(name, e);
    }
  });
  return out;
}

/** A slot's column type: the values' common type (long, real, string, bool), else dynamic (docs). */
function slotType(values: readonly Dyn[]): KqlType {
  let type: KqlType | undefined;
  for (const v of values) {
    if (v === null) continue;
    const t: KqlType =
      typeof v === "string"
        ? "string"
        : typeof v === "boolean"
          ? "bool"
          : typeof v === "number"
            ? Number.isInteger(v)
              ? "long"
              : "real"
            : "dynamic";
    if (type !== undefined && type !== t) return "dynamic";
    type = t;
  }
  return type ?? "dynamic";
}

function slotValue(v: Dyn, type: KqlType): Value {
  if (v === null || type === "dynamic") return v;
  return type === "long" ? BigInt(v as number) : (v as Value);
}

/**
 * bag_unpack(Column [, OutputColumnPrefix] [, columnsConflict] [, ignoredProperties]): one column
 * per top-level slot of the bags (sorted by name, as the docs' examples show), typed by the
 * slot's values, the bag column itself removed. A slot named like an existing column is an
 * error unless columnsConflict is replace_source (the slot wins) or keep_source (the column
 * stays). Kusto's output schema depends on the data, so Kusto.Language leaves it open and the
 * engine's columns stand.
 */
function bagUnpack(op: KEvaluate, input: Table, scope: Scope, run: RunContext): Table {
  const args = bagUnpackArguments(op, run);
  const shape = rowShape(input);
  const constant = (name: BagUnpackParameter, type: KqlType): Value => {
    const e = args.get(name);
    return e ? argAs(compileScalar(e, { run, scope, shape }), type)(NO_ROW) : null;
  };
  const bagExpr = args.get("Column");
  if (!bagExpr) throw new EvaluationError("bag_unpack needs the column to unpack", op);
  const bagName = (bagExpr as typeof bagExpr & { SimpleName?: string }).SimpleName;
  const bag = argAs(compileScalar(bagExpr, { run, scope, shape }), "dynamic");
  const prefix = (constant("OutputColumnPrefix", "string") as string | null) ?? "";
  const conflict = ((constant("columnsConflict", "string") as string | null) || "error").toLowerCase();
  if (!["error", "replace_source", "keep_source"].includes(conflict))
    throw new EvaluationError(
      `bag_unpack's columnsConflict is error, replace_source or keep_source, not '${conflict}'`,
      args.get("columnsConflict"),
    );
  // a dynamic array (docs), or text: Kusto.Language binds the parameter as a string, so a JSON array in text or one name
  const ignoredRaw = constant("ignoredProperties", "dynamic");
  const ignoredValue = typeof ignoredRaw === "string" ? parseJsonText(ignoredRaw) : ignoredRaw;
  const ignored = new Set(Array.isArray(ignoredValue) ? ignoredValue.map(String) : typeof ignoredValue === "string" ? [ignoredValue] : []);

  const seen = new Set<string>();
  const bags = Array.from({ length: input.length }, (_, r) => {
    const b = bag(r) as Dyn;
    if (isBag(b)) for (const key of Object.keys(b)) if (!ignored.has(key)) seen.add(key);
    return b;
  });
  const keys = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const kept = input.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.name !== bagName);
  const existing = new Set(kept.map(({ c }) => c.name));
  const clashes = keys.filter((k) => existing.has(prefix + k));
  if (clashes.length > 0 && conflict === "error")
    throw new EvaluationError(
      `bag_unpack: the slot${clashes.length === 1 ? "" : "s"} ${clashes.map((k) => `'${prefix + k}'`).join(", ")} would repeat an existing column; pass columnsConflict='replace_source' or 'keep_source', or an OutputColumnPrefix`,
      op,
    );
  const slots = keys.filter((k) => conflict !== "keep_source" || !existing.has(prefix + k));
  const replaced = new Set(conflict === "replace_source" ? slots.map((k) => prefix + k) : []);
  const keep = kept.filter(({ c }) => !replaced.has(c.name));
  const slotColumns = slots.map((key) => {
    const values = bags.map((b) => (isBag(b) ? (b[key] ?? null) : null));
    const type = slotType(values);
    return { column: { name: prefix + key, type } as Column, data: dense(values.map((v) => slotValue(v, type))) };
  });
  const columns = [...keep.map(({ c }) => c), ...slotColumns.map((s) => s.column)];
  const data = [...keep.map(({ i }) => input.data[i]!), ...slotColumns.map((s) => s.data)];
  return conform(op, { columns, data, length: input.length }, run, "bag_unpack");
}

export function evaluatePlugin(op: KEvaluate, input: Table, scope: Scope, run: RunContext): Table {
  const name = op.FunctionCall.Name.SimpleName;
  if (name === "bag_unpack") return bagUnpack(op, input, scope, run);
  if (name === "pivot") return pivot(op, input, scope, run);
  throw new EvaluationError(`the local engine does not support \`evaluate ${name}()\``, op);
}
