/**
 * The corpus coverage report (docs/engine.md, "Corpus coverage"): the 210 queries of
 * ../shared/corpus on empty tables, outcomes counted, missing pieces listed.
 *
 *   npx tsx bench/engineCorpus.ts [--verbose] [--features] [--own-environment]
 */
import {
  corpusEngine,
  corpusQueries,
  featureCounts,
  runCorpus,
  runCorpusInOwnEnvironment,
  type Outcome,
  type QueryOutcome,
} from "../test/helpers/engineCorpus";

function report(): void {
  const queries = corpusQueries();
  const started = performance.now();
  const outcomes = runCorpus(corpusEngine(), queries);
  const seconds = (performance.now() - started) / 1000;
  const by = new Map<Outcome, QueryOutcome[]>();
  for (const o of outcomes) by.set(o.outcome, [...(by.get(o.outcome) ?? []), o]);
  const ran = by.get("ran")?.length ?? 0;
  const environmental =
    (by.get("unknown-table")?.length ?? 0) + (by.get("unknown-column")?.length ?? 0) + (by.get("invalid-query")?.length ?? 0);
  console.log(`corpus: ${outcomes.length} queries in ${seconds.toFixed(2)} s`);
  for (const [o, list] of by) console.log(`  ${o.padEnd(15)} ${list.length}`);
  console.log(`ran end to end: ${ran}/${outcomes.length} = ${((100 * ran) / outcomes.length).toFixed(1)}%`);
  console.log(
    `of the queries Kusto.Language binds cleanly: ${ran}/${outcomes.length - environmental} = ${((100 * ran) / (outcomes.length - environmental)).toFixed(1)}%`,
  );
  const missing = new Map<string, number>();
  for (const o of outcomes)
    for (const p of o.problems)
      if (p.kind === "unsupported" || p.kind === "runtime") {
        const key = p.message.replace(/ \(line \d+\)$/, "");
        missing.set(key, (missing.get(key) ?? 0) + 1);
      }
  console.log("most common missing pieces:");
  for (const [m, n] of [...missing].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${String(n).padStart(3)} ${m}`);
  if (process.argv.includes("--own-environment")) {
    const own = runCorpusInOwnEnvironment(queries);
    const ranOwn = own.filter((o) => o.outcome === "ran").length;
    const byOwn = new Map<Outcome, number>();
    for (const o of own) byOwn.set(o.outcome, (byOwn.get(o.outcome) ?? 0) + 1);
    console.log(
      `in each file's own environment (m365 for Defender hunting files; standard and additional columns): ${ranOwn}/${own.length} = ${((100 * ranOwn) / own.length).toFixed(1)}%`,
    );
    for (const [o, n] of byOwn) console.log(`  ${o.padEnd(15)} ${n}`);
  }
  if (process.argv.includes("--verbose"))
    for (const o of outcomes)
      if (o.outcome !== "ran")
        console.log(
          `${o.outcome.padEnd(15)} ${o.file}: ${o.problems
            .map((p) => p.message)
            .join(" | ")
            .slice(0, 300)}`,
        );
  if (process.argv.includes("--features"))
    for (const [f, n] of [...featureCounts(queries)].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(4)} ${f}`);
}

if (require.main === module) report();
