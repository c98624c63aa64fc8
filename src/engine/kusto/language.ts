/**
 * The parts of Kusto.Language's global API the engine uses beyond src/kql/kusto.ts.
 * typecheck/engine-compat.ts checks them against the shipped declarations.
 */
import { loadKusto, type KExpression, type KustoLanguage, type KTableSymbol } from "../../kql/kusto";

export interface EngineKusto extends KustoLanguage {
  KustoFacts: {
    /** The column name Kusto gives an unnamed expression in a projection (null when it has none). */
    GetExpressionResultName(expr: KExpression, defaultName: string | null, rowScope: KTableSymbol | null): string | null;
  };
}

export function engineKusto(): EngineKusto {
  return loadKusto() as EngineKusto; // shape checked by typecheck/engine-compat.ts
}

/** Kusto's own name for an unnamed projected expression (`strlen_a`, `d_k`, `count_`), if any. */
export function expressionResultName(e: KExpression): string | undefined {
  return engineKusto().KustoFacts.GetExpressionResultName(e, null, null) ?? undefined;
}
