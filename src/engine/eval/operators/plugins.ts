/** evaluate plugins: bag_unpack and pivot. */
import { toArray } from "../../../kql/kusto";
import type { KEvaluate } from "../../kusto/syntax";
import { EvaluationError, rowShape, type RunContext, type Scope } from "../context";
import { compileScalar } from "../scalar";
import { conform } from "../schema";
import { argAs } from "../../functions/types";
import { isBag } from "../../values/dynamic";
import { pivot } from "./pivot";
import type { Column, Dyn } from "../../values/types";
import type { Table } from "../../values/table";
import { dense } from "../../values/table";
import { NO_ROW } from "../context";

export const SUPPORTED_PLUGINS: ReadonlySet<string> = new Set(["bag_unpack", "pivot"]);

/**
 * bag_unpack(column [, prefix]): one dynamic column per key found in the bags (in order of
 * first appearance), the bag column itself removed. Kusto's output schema depends on the data,
 * so Kusto.Language leaves it open and the engine's columns stand.
 */
function bagUnpack(op: KEvaluate, input: Table, scope: Scope, run: RunContext): Table {
  const args = toArray(op.FunctionCall.ArgumentList.Expressions).map((s) => s.Element);
  const shape = rowShape(input);
  const bagExpr = args[0]!;
  const bagName = (bagExpr as typeof bagExpr & { SimpleName?: string }).SimpleName;
  const bag = argAs(compileScalar(bagExpr, { run, scope, shape }), "dynamic");
  const prefix = args[1] ? (argAs(compileScalar(args[1], { run, scope, shape }), "string")(NO_ROW) as string) : "";
  const keep = input.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.name !== bagName);
  const keys: string[] = [];
  const seen = new Set<string>();
  const bags = Array.from({ length: input.length }, (_, r) => {
    const b = bag(r) as Dyn;
    if (isBag(b))
      for (const key of Object.keys(b))
        if (!seen.has(key)) {
          seen.add(key);
          keys.push(key);
        }
    return b;
  });
  const existing = new Set(keep.map(({ c }) => c.name));
  const newColumns: Column[] = keys.filter((k) => !existing.has(prefix + k)).map((k) => ({ name: prefix + k, type: "dynamic" }));
  const columns = [...keep.map(({ c }) => c), ...newColumns];
  const data = [
    ...keep.map(({ i }) => input.data[i]!),
    ...newColumns.map((c) => {
      const key = c.name.slice(prefix.length);
      return dense(bags.map((b) => (isBag(b) ? (b[key] ?? null) : null)));
    }),
  ];
  return conform(op, { columns, data, length: input.length }, run, "bag_unpack");
}

export function evaluatePlugin(op: KEvaluate, input: Table, scope: Scope, run: RunContext): Table {
  const name = op.FunctionCall.Name.SimpleName;
  if (name === "bag_unpack") return bagUnpack(op, input, scope, run);
  if (name === "pivot") return pivot(op, input, scope, run);
  throw new EvaluationError(`the local engine does not support \`evaluate ${name}()\``, op);
}
