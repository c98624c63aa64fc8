/**
 * The shared corpus (../shared/corpus) on the engine: every query that Kusto.Language binds
 * against the reference schemas runs end to end on empty tables (goal: at least 95%), and the
 * result schema of every operator agrees with Kusto.Language's. Skipped when the
 * shared folder is absent.
 */
import { describe, expect, it } from "vitest";
import { corpusAvailable, corpusEngine, runCorpus } from "../helpers/engineCorpus";

describe.skipIf(!corpusAvailable())("the shared corpus", () => {
  it("runs at least 95% of the queries Kusto.Language binds cleanly, with schemas matching Kusto.Language's", () => {
    const outcomes = runCorpus(corpusEngine());
    const environmental = outcomes.filter(
      (o) => o.outcome === "unknown-table" || o.outcome === "unknown-column" || o.outcome === "invalid-query",
    );
    const ran = outcomes.filter((o) => o.outcome === "ran");
    const runtime = outcomes.filter((o) => o.outcome === "runtime-error");
    expect(ran.length / (outcomes.length - environmental.length)).toBeGreaterThanOrEqual(0.95);
    // nothing fails with an internal schema disagreement
    expect(runtime.flatMap((o) => o.problems.map((p) => p.message)).filter((m) => m.startsWith("internal error"))).toEqual([]);
  }, 300_000);
});
