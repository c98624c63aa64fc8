/**
 * `npm run bench`: the Pulumi program, then KQL validation (bench/validate.ts), then the
 * live diff against the local stand-in (bench/diff.ts).
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
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load } from "js-yaml";
import { generateContent } from "./generate";
import { benchDiff } from "./diff";
import { benchValidate } from "./validate";
import { benchProgress } from "./progress";

interface Sample {
  resources: number;
  rules: number;
  evaluateMs: number;
  totalMs: number;
  baselineRss: number;
  peakRss: number;
  baselineHeap: number;
  liveHeap: number;
}

const MB = 1024 * 1024;
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);

/** The node arguments Pulumi.yaml gives the program (runtime.options.nodeargs), so samples run as `pulumi up` does. */
function programNodeArgs(): string[] {
  const project = load(readFileSync(join(__dirname, "..", "Pulumi.yaml"), "utf8")) as { runtime?: { options?: { nodeargs?: string } } };
  return (project.runtime?.options?.nodeargs ?? "").split(/\s+/).filter((a) => a !== "");
}
const nodeArgs = programNodeArgs();

function sample(contentDir: string, cacheDir: string): Sample {
  const out = execFileSync(
    process.execPath,
    [...nodeArgs, "--expose-gc", "--import", "tsx", join(__dirname, "programUnderMocks.ts"), contentDir],
    {
      encoding: "utf8",
      maxBuffer: 16 * MB,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, SENTINEL_IAC_CACHE_DIR: cacheDir, SENTINEL_IAC_CACHE: "on" },
    },
  );
  return JSON.parse(out.trim().split("\n").pop()!) as Sample;
}

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

void benchValidate()
  .then(() => benchDiff())
  .finally(() => benchProgress.stop());
