/**
 * Result schemas: an operator whose computed columns disagree in number with Kusto.Language's is
 * an engine defect, and the engine refuses rather than return columns that mean something else.
 */
import { describe, expect, it } from "vitest";
import { KqlEngine } from "../../src/engine";
import { toArray } from "../../src/kql/kusto";
import { kinds } from "../../src/engine/kusto/kinds";
import type { KQueryBlock, KSyntaxNode } from "../../src/engine/kusto/syntax";
import { conform } from "../../src/engine/eval/schema";
import type { RunContext } from "../../src/engine/eval/context";
import { dense } from "../../src/engine/values/table";

describe("result schemas", () => {
  it("an operator result with fewer columns than the binder's is an internal error, whatever the environment", () => {
    const checked = new KqlEngine({ tables: [] }).check("print a = 1, b = 2");
    if (!checked.ok) throw new Error("the query should check");
    const statement = toArray((checked.query.code.Syntax as KQueryBlock).Statements)[0]!.Element as KSyntaxNode & {
      Expression: KSyntaxNode;
    };
    // conform reads only the kinds from the run
    const run = { kinds: kinds() } as unknown as RunContext;
    const oneColumn = { columns: [{ name: "a", type: "long" as const }], data: [dense([1n])], length: 1 };
    expect(() => conform(statement.Expression, oneColumn, run, "print")).toThrow(
      "internal error: print produced 1 columns (a) where Kusto.Language expects 2 (a, b); the local engine cannot run this query correctly",
    );
    const twoColumns = {
      columns: [oneColumn.columns[0]!, { name: "b", type: "long" as const }],
      data: [dense([1n]), dense([2n])],
      length: 1,
    };
    expect(conform(statement.Expression, twoColumns, run, "print").columns.map((c) => c.name)).toEqual(["a", "b"]);
  });
});
