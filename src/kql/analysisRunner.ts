/**
 * Analyzes many queries: each distinct (query, environment) is analyzed once,
 * results are kept in the content-hash cache across runs, and large batches
 * are spread over worker threads.
 */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { cacheEnabled, contentCache, contentHash } from "../cache/contentCache";
import { analysisFits, analyzeQuery, ANALYZER_VERSION, type AnalysisInput, type QueryAnalysis } from "./analyze";
import { QueryAnalysisSchema } from "./cachedShapes";
import { environmentFingerprint, type KqlEnvironment } from "./environment";
import { buildGlobals } from "./globals";
import type { WorkerJob } from "./worker/analysisWorker";
import { NO_PROGRESS, type ProgressReporter } from "../util/progress";

const KUSTO_VERSION = (createRequire(__filename)("@kusto/language-service-next/package.json") as { version: string }).version;
/** Below this many uncached queries, starting workers (~0.5 s of CPU each) costs more than it saves. */
const WORKER_THRESHOLD = 80;
const QUERIES_PER_WORKER = 40;

export interface RunnerOptions {
  useCache?: boolean;
  /** Worker threads; default: by batch size and CPU count. 0 analyzes in this thread. */
  workers?: number;
  /** Told how many of the uncached queries are analyzed so far. */
  progress?: ProgressReporter;
}

export interface RunnerStats {
  requested: number;
  distinct: number;
  cached: number;
  analyzed: number;
  workers: number;
}

export async function analyzeAll(
  inputs: readonly AnalysisInput[],
  env: KqlEnvironment,
  options: RunnerOptions = {},
): Promise<{ results: QueryAnalysis[]; stats: RunnerStats }> {
  const useCache = options.useCache ?? cacheEnabled();
  const fingerprint = environmentFingerprint(env);
  const cache = useCache ? contentCache("kql-analysis", `${ANALYZER_VERSION}/${KUSTO_VERSION}`, QueryAnalysisSchema) : undefined;
  const keys = inputs.map((i) => contentHash(fingerprint, i.functionParameters ?? "\u0000query", i.text));
  const known = new Map<string, QueryAnalysis>();
  const missing = new Map<string, AnalysisInput>();
  let cached = 0;
  keys.forEach((key, i) => {
    if (known.has(key) || missing.has(key)) return;
    const hit = cache?.get(key);
    // The cache is untrusted: a result whose offsets fall outside this query is analyzed again.
    if (hit && analysisFits(inputs[i]!, hit)) {
      known.set(key, hit);
      cached++;
    } else {
      missing.set(key, inputs[i]!);
    }
  });

  const workers =
    options.workers ??
    (missing.size < WORKER_THRESHOLD ? 0 : Math.min(availableParallelism(), 4, Math.ceil(missing.size / QUERIES_PER_WORKER)));
  const jobs = [...missing];
  const progress = options.progress ?? NO_PROGRESS;
  if (jobs.length > 0) progress.phase(`Analyzing queries (${cached.toLocaleString("en-US")} from cache)`, jobs.length);
  const analyzed = workers > 0 && jobs.length > 0 ? await inWorkers(jobs, env, workers, progress) : inThisThread(jobs, env, progress);
  for (const [key, result] of analyzed) {
    known.set(key, result);
    cache?.set(key, result);
  }
  cache?.save();
  return {
    results: keys.map((k) => known.get(k)!),
    stats: { requested: inputs.length, distinct: known.size, cached, analyzed: jobs.length, workers: jobs.length > 0 ? workers : 0 },
  };
}

/** Loads Kusto.Language in this thread ahead of time (the first analysis costs ~0.5 s), for long-running use. */
export function warmUpAnalyzer(env: KqlEnvironment): void {
  analyzeQuery({ text: "print warm = 1" }, buildGlobals(env));
}

function inThisThread(jobs: [string, AnalysisInput][], env: KqlEnvironment, progress: ProgressReporter): Map<string, QueryAnalysis> {
  const out = new Map<string, QueryAnalysis>();
  if (jobs.length === 0) return out;
  const built = buildGlobals(env);
  for (const [key, input] of jobs) {
    out.set(key, analyzeQuery(input, built));
    progress.advance(out.size);
  }
  return out;
}

/** Hands jobs out one at a time, so a few slow queries do not leave the other workers idle. */
async function inWorkers(
  jobs: [string, AnalysisInput][],
  env: KqlEnvironment,
  count: number,
  progress: ProgressReporter,
): Promise<Map<string, QueryAnalysis>> {
  const out = new Map<string, QueryAnalysis>();
  let next = 0;
  const run = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(join(__dirname, "worker", "bootstrap.cjs"), { workerData: { env } });
      const send = () => {
        if (next >= jobs.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        const id = next++;
        const job: WorkerJob = { id, input: jobs[id]![1] };
        worker.postMessage(job);
      };
      worker.on("message", (message: { ready?: boolean; id?: number; result?: QueryAnalysis }) => {
        if (message.id !== undefined && message.result) {
          out.set(jobs[message.id]![0], message.result);
          progress.advance(out.size);
        }
        send();
      });
      worker.on("error", reject);
      worker.on("exit", (code) => {
        if (code !== 0 && code !== 1) reject(new Error(`KQL analysis worker exited with code ${code}`));
      });
    });
  await Promise.all(Array.from({ length: count }, run));
  return out;
}
