/**
 * The shared corpus (../shared/corpus, 210 Azure-Sentinel YAML files) on the local KQL engine:
 * every query runs end to end on empty tables typed from the reference schemas, and the
 * operators and functions the queries use are counted from Kusto.Language's bound trees.
 * Used by test/engine/corpus.test.ts and by the report and benchmark in bench/.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { loadKusto, type KSyntaxNode } from "../../src/kql/kusto";
import type { TableSchema } from "../../src/kql/environment";
import { KqlEngine, type Problem } from "../../src/engine";
import { kinds } from "../../src/engine/kusto/kinds";
import type { KCall, KEvaluate, KNode } from "../../src/engine/kusto/syntax";

export const SHARED = join(__dirname, "..", "..", "..", "shared");
const REFERENCE = join(SHARED, "reference", "table-schemas");

export interface CorpusQuery {
  file: string;
  query: string;
}

export function corpusAvailable(): boolean {
  return existsSync(join(SHARED, "corpus", "analytics"));
}

export function corpusQueries(): CorpusQuery[] {
  const out: CorpusQuery[] = [];
  for (const dir of ["analytics", "hunting"]) {
    const folder = join(SHARED, "corpus", dir);
    for (const f of readdirSync(folder).sort()) {
      const doc = parse(readFileSync(join(folder, f), "utf8")) as { query?: unknown };
      if (typeof doc.query === "string") out.push({ file: `${dir}/${f}`, query: doc.query });
    }
  }
  return out;
}

/**
 * Tables of a Sentinel workspace: environments.json's `sentinel` section merged with the 26
 * hand-checked single-table files, which win. `environment: "m365"` takes the Defender XDR
 * advanced-hunting section instead of `sentinel` (its tables use Timestamp).
 */
export function referenceTables(environment: "sentinel" | "m365" = "sentinel", extended = false): TableSchema[] {
  const env = JSON.parse(readFileSync(join(REFERENCE, "all-tables", "environments.json"), "utf8")) as Record<
    string,
    { tables: Record<string, Record<string, string>> }
  >;
  const byName = new Map<string, TableSchema>();
  for (const [name, cols] of Object.entries(env[environment]!.tables)) byName.set(name, { name, columns: Object.entries(cols) });
  if (extended) {
    // columns real content uses that the docs' tables omit (shipped beside environments.json)
    const extra = JSON.parse(readFileSync(join(REFERENCE, "all-tables", "additional_columns.json"), "utf8")) as Record<
      string,
      Record<string, Record<string, string>>
    >;
    for (const [name, cols] of Object.entries(extra[environment] ?? {})) {
      const t = byName.get(name) ?? { name, columns: [] };
      for (const [c, type] of Object.entries(cols)) if (!t.columns.some(([n]) => n === c)) t.columns.push([c, type]);
      byName.set(name, t);
    }
  }
  if (environment === "sentinel")
    for (const f of readdirSync(REFERENCE).filter((x) => x.endsWith(".json"))) {
      const t = JSON.parse(readFileSync(join(REFERENCE, f), "utf8")) as { name: string; columns: { name: string; type: string }[] };
      byName.set(t.name, { name: t.name, columns: t.columns.map((c) => [c.name, c.type]) });
    }
  if (extended && environment === "sentinel")
    // the standard columns every Log Analytics table has (Azure Monitor docs: "Standard columns")
    for (const t of byName.values())
      for (const [c, type] of STANDARD_COLUMNS) if (!t.columns.some(([n]) => n === c)) t.columns.push([c, type]);
  return [...byName.values()];
}

const STANDARD_COLUMNS: [string, string][] = [
  ["TenantId", "string"],
  ["Type", "string"],
  ["_ResourceId", "string"],
  ["_SubscriptionId", "string"],
  ["_ItemId", "string"],
];

export type Outcome = "ran" | "unknown-table" | "unknown-column" | "invalid-query" | "unsupported" | "runtime-error";

export interface QueryOutcome {
  file: string;
  outcome: Outcome;
  problems: Problem[];
  ms: number;
}

const UNKNOWN_TABLE_CODES = new Set(["KS204", "KS211"]);
const UNKNOWN_COLUMN_CODES = new Set(["KS142", "KS145"]);

function classify(problems: Problem[]): Outcome {
  if (problems.some((p) => p.kind === "bind" && UNKNOWN_TABLE_CODES.has(p.code ?? ""))) return "unknown-table";
  if (problems.some((p) => p.kind === "bind" && UNKNOWN_COLUMN_CODES.has(p.code ?? ""))) return "unknown-column";
  if (problems.some((p) => p.kind === "bind")) return "invalid-query";
  if (problems.some((p) => p.kind === "unsupported")) return "unsupported";
  return "runtime-error";
}

export function corpusEngine(environment: "sentinel" | "m365" = "sentinel", extended = false): KqlEngine {
  return new KqlEngine({ tables: referenceTables(environment, extended), functions: [], watchlists: [] });
}

/**
 * The corpus in the environment each file was written for: Defender XDR advanced-hunting files
 * (m365dhq__) against the m365 tables, the rest against Sentinel's with the standard columns and
 * additional_columns.json. A second, argued figure beside the brief's main one.
 */
export function runCorpusInOwnEnvironment(queries: CorpusQuery[] = corpusQueries()): QueryOutcome[] {
  const sentinel = corpusEngine("sentinel", true);
  const m365 = corpusEngine("m365", true);
  return queries.flatMap((q) => runCorpus(q.file.includes("m365dhq__") ? m365 : sentinel, [q]));
}

/** Runs every corpus query on empty input; `now` is fixed so results are repeatable. */
export function runCorpus(engine: KqlEngine = corpusEngine(), queries: CorpusQuery[] = corpusQueries()): QueryOutcome[] {
  return queries.map(({ file, query }) => {
    const started = performance.now();
    const result = engine.run(query, { now: "2026-11-20T12:00:00Z" });
    const ms = performance.now() - started;
    return result.ok
      ? { file, outcome: "ran", problems: [], ms }
      : { file, outcome: classify(result.problems), problems: result.problems, ms };
  });
}

/** Operator and function names used by the queries, counted once per query, from the bound trees. */
export function featureCounts(queries: CorpusQuery[] = corpusQueries()): Map<string, number> {
  const K = loadKusto();
  const k = kinds(K);
  const engine = corpusEngine();
  const counts = new Map<string, number>();
  for (const { query } of queries) {
    const code = engine.analyze(query);
    const used = new Set<string>();
    K.Syntax.SyntaxElement.WalkNodes(code.Syntax, (n: KSyntaxNode) => {
      const name = k.syntaxName.get(n.Kind) ?? "";
      if (name.endsWith("Operator") && name !== "BadQueryOperator") used.add(`operator ${(n as KNode).GetFirstToken()?.Text ?? name}`);
      if (name === "EvaluateOperator") used.add(`plugin ${(n as KEvaluate).FunctionCall.Name.SimpleName}()`);
      if (name === "FunctionCallExpression" && !n.GetCalledFunctionBody())
        used.add(`function ${n.ReferencedSymbol?.Name ?? (n as KCall).Name.SimpleName}()`);
    });
    for (const u of used) counts.set(u, (counts.get(u) ?? 0) + 1);
  }
  return counts;
}
