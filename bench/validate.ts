/**
 * KQL validation at scale: `sentinel-iac validate` on 3,000 rule files made
 * from the shared corpus (or the project's own rules when ../shared is absent).
 * - cold: a fresh process and an empty analysis cache;
 * - warm: a fresh process, the cache from the cold run;
 * - watch: `validate --watch`, then one file's query is edited; the time from
 *   the edit until the new result is printed.
 */
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { corpusAvailable, generateCorpusContent } from "./generateCorpus";
import { generateContent } from "./generate";
import { benchProgress } from "./progress";

const BIN = join(__dirname, "..", "bin", "sentinel-iac.js");
const TOTAL = 3000;

interface Summary {
  files: number;
  error: number;
  warning: number;
  queries?: { requested: number; distinct: number; cached: number; analyzed: number; workers: number };
}

function validateOnce(contentDir: string, cacheDir: string): { seconds: number; summary: Summary } {
  const started = performance.now();
  let out: string;
  try {
    out = execFileSync(process.execPath, [BIN, "validate", "--content", contentDir, "--format", "json"], {
      encoding: "utf8",
      maxBuffer: 1 << 28,
      env: { ...process.env, SENTINEL_IAC_CACHE_DIR: cacheDir, SENTINEL_IAC_CACHE: "on" },
    });
  } catch (error) {
    out = (error as { stdout: string }).stdout; // exit code 1: the corpus has errors
  }
  return { seconds: (performance.now() - started) / 1000, summary: (JSON.parse(out) as { summary: Summary }).summary };
}

async function watchLatency(contentDir: string, cacheDir: string): Promise<{ initial: number; latency: number; reported: string }> {
  const child = spawn(process.execPath, [BIN, "validate", "--watch", "--content", contentDir], {
    env: { ...process.env, SENTINEL_IAC_CACHE_DIR: cacheDir, SENTINEL_IAC_CACHE: "on" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let buffer = "";
  const waitFor = (pattern: RegExp, from: number) =>
    new Promise<RegExpExecArray>((resolve) => {
      const check = () => {
        const match = pattern.exec(buffer.slice(from));
        if (match) {
          child.stdout.off("data", onData);
          resolve(match);
        }
      };
      const onData = (chunk: Buffer) => {
        buffer += chunk.toString();
        check();
      };
      child.stdout.on("data", onData);
      check();
    });
  const started = performance.now();
  await waitFor(/Watching /, 0);
  const initial = (performance.now() - started) / 1000;
  const folder = join(contentDir, "rules", "analytics");
  const file = join(
    folder,
    readdirSync(folder).find((f) => readFileSync(join(folder, f), "utf8").includes("query: |"))!,
  );
  const mark = buffer.length;
  const edited = performance.now();
  appendFileSync(file, "");
  writeFileSync(file, readFileSync(file, "utf8").replace("query: |\n", "query: |\n  // edited by the benchmark\n"));
  const match = await waitFor(/Checked \d+ files in ([\d.]+) s/, mark);
  const latency = (performance.now() - edited) / 1000;
  child.kill();
  return { initial, latency, reported: match[1]! };
}

export async function benchValidate(): Promise<void> {
  const fromCorpus = corpusAvailable();
  const contentDir = fromCorpus ? generateCorpusContent(TOTAL) : generateContent(TOTAL);
  const cacheDir = mkdtempSync(join(tmpdir(), "sentinel-iac-validate-cache-"));
  try {
    console.log(
      `\nValidation of ${TOTAL} rule files (${fromCorpus ? "../shared/corpus replicated with new ids" : "the project's rules replicated; ../shared not found"})`,
    );
    // Other work on the machine inflates wall times: print the load so runs can be compared.
    console.log(`  load average ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} CPUs`);
    benchProgress.phase(`Validation of ${TOTAL} rules: cold`);
    const cold = validateOnce(contentDir, cacheDir);
    const q = cold.summary.queries;
    console.log(
      `  cold  (fresh process, empty cache): ${cold.seconds.toFixed(1)} s   ${q?.requested} queries, ${q?.distinct} distinct, analyzed on ${q?.workers} worker(s); ${cold.summary.error} errors, ${cold.summary.warning} warnings   target <= 6 s ${cold.seconds <= 6 ? "ok" : "OVER"}`,
    );
    benchProgress.phase(`Validation of ${TOTAL} rules: warm`);
    const warm = validateOnce(contentDir, cacheDir);
    console.log(
      `  warm  (fresh process, cache from the cold run): ${warm.seconds.toFixed(1)} s   ${warm.summary.queries?.cached} results from cache   target <= 2 s ${warm.seconds <= 2 ? "ok" : "OVER"}`,
    );
    const perQuery = ((cold.seconds - warm.seconds) * 1000) / Math.max(1, q?.analyzed ?? 1);
    console.log(
      `  analysis per distinct query ((cold - warm) / analyzed): ${perQuery.toFixed(0)} ms   target <= 10 ms ${perQuery <= 10 ? "ok" : "OVER"}`,
    );
    benchProgress.phase(`Validation of ${TOTAL} rules: validate --watch`);
    const watch = await watchLatency(contentDir, cacheDir);
    console.log(
      `  watch (validate --watch; edit one rule's query): first run ${watch.initial.toFixed(1)} s, then ${watch.latency.toFixed(2)} s from the edit to the new result (its own run: ${watch.reported} s)   target <= 1 s ${watch.latency <= 1 ? "ok" : "OVER"}`,
    );
    if (fromCorpus) {
      const distinctDir = generateCorpusContent(TOTAL, true);
      const distinctCache = mkdtempSync(join(tmpdir(), "sentinel-iac-validate-cache-"));
      try {
        benchProgress.phase(`Validation of ${TOTAL} rules: cold, every query distinct`);
        const all = validateOnce(distinctDir, distinctCache);
        const d = all.summary.queries;
        console.log(
          `  cold, every query distinct (each copy's query gets its own comment): ${all.seconds.toFixed(1)} s   ${d?.analyzed} queries analyzed on ${d?.workers} worker(s) (for reference; the target above is the replicated corpus)`,
        );
      } finally {
        rmSync(distinctDir, { recursive: true, force: true });
        rmSync(distinctCache, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(contentDir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
