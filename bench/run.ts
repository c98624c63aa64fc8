/**
 * `npm run bench`: the Pulumi program, then KQL validation (bench/validate.ts), then the
 * live diff against the local stand-in (bench/diff.ts), then large watchlists
 * (bench/watchlist.ts), then the local KQL engine (bench/engine.ts).
 *
 * The Pulumi program at 100, 1,000 and 3,000 generated rules
 * under the SDK's mock monitor, each sample in its own process. For each size
 * it runs twice: cold (empty query-reference cache, as on a fresh checkout)
 * and warm (the same content again). Targets: <= 2 ms and <= 0.3 MB per rule.
 * Figures and their analysis are in docs/performance.md.
 *
 *   npm run bench                 # 100, 1000, 3000
 *   npm run bench -- 500 2000     # other sizes
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateContent } from "./generate";
import { benchDiff } from "./diff";
import { programNodeArgs, sampleProgram, type Sample } from "./programSample";
import { benchEngine } from "./engine";
import { benchValidate } from "./validate";
import { benchProgress } from "./progress";
import { benchWatchlist } from "./watchlist";

const MB = 1024 * 1024;
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const nodeArgs = programNodeArgs();
const sample = sampleProgram;

const row = (cells: (string | number)[], widths: number[]) => cells.map((c, i) => String(c).padStart(widths[i]!)).join(" ");
const widths = [6, 5, 10, 8, 8, 12, 9, 12, 10];
console.log(
  `Pulumi program under the mock monitor: node ${process.version} ${nodeArgs.join(" ")} (Pulumi.yaml nodeargs), ${process.platform}/${process.arch}`,
);
console.log(
  "cold = empty query-reference cache (fresh checkout); warm = same content again; marginal = extra time per rule since the previous size",
);
console.log(row(["rules", "run", "resources", "total s", "ms/rule", "marginal ms", "peak MB", "peak MB/rule", "live MB/rule"], widths));
const previous = new Map<string, Sample>();
for (const n of sizes.length > 0 ? sizes : [100, 1000, 3000]) {
  const dir = generateContent(n);
  const cacheDir = mkdtempSync(join(tmpdir(), "sentinel-iac-bench-cache-"));
  try {
    for (const run of ["cold", "warm"]) {
      benchProgress.phase(`Pulumi program: ${n.toLocaleString("en-US")} rules, ${run}`);
      const s = sample(dir, cacheDir);
      const before = previous.get(run);
      const marginal = before ? ((s.totalMs - before.totalMs) / (s.rules - before.rules)).toFixed(2) : "-";
      previous.set(run, s);
      const msPerRule = s.totalMs / s.rules;
      const peakPerRule = (s.peakRss - s.baselineRss) / MB / s.rules;
      const livePerRule = (s.liveHeap - s.baselineHeap) / MB / s.rules;
      console.log(
        row(
          [
            s.rules,
            run,
            s.resources,
            (s.totalMs / 1000).toFixed(2),
            msPerRule.toFixed(2),
            marginal,
            (s.peakRss / MB).toFixed(0),
            peakPerRule.toFixed(3),
            livePerRule.toFixed(3),
          ],
          widths,
        ),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** The local KQL engine: seed 000 over 100,000 sign-ins, and the shared corpus on empty tables (bench/engine.ts). */
function reportEngine(): void {
  benchProgress.phase("Local KQL engine: seed 000 over 100,000 sign-ins, then the corpus");
  const { seed000: s, corpus: c } = benchEngine();
  console.log("\nLocal KQL engine (goals: seed 000 over 100,000 rows <= 2 s and <= 300 MB; corpus on empty tables <= 10 s)");
  console.log(
    `  seed 000: ${s.rows.toLocaleString("en-US")} rows -> ${s.resultRows} result rows in ${(s.totalMs / 1000).toFixed(2)} s ` +
      `(convert ${(s.convertMs / 1000).toFixed(2)}, check ${(s.checkMs / 1000).toFixed(2)}, evaluate ${(s.evaluateMs / 1000).toFixed(2)}; CPU ${(s.cpuMs / 1000).toFixed(2)} s), peak ${s.peakRssMb.toFixed(0)} MB`,
  );
  console.log(
    c
      ? `  corpus: ${c.ran}/${c.queries} queries ran in ${((c.setupMs + c.runMs) / 1000).toFixed(2)} s (setup ${(c.setupMs / 1000).toFixed(2)}, run ${(c.runMs / 1000).toFixed(2)}; CPU ${(c.cpuMs / 1000).toFixed(2)} s), peak ${c.peakRssMb.toFixed(0)} MB`
      : "  corpus: skipped (../shared not found)",
  );
}

void benchValidate()
  .then(() => benchDiff())
  .then(() => benchWatchlist())
  .then(() => reportEngine())
  .finally(() => benchProgress.stop());
