/** Worker thread: builds the Kusto symbols once from plain data, then analyzes what it is sent. */
import { parentPort, workerData } from "node:worker_threads";
import { analyzeQuery, type AnalysisInput } from "../analyze";
import type { KqlEnvironment } from "../environment";
import { buildGlobals } from "../globals";

export interface WorkerJob {
  id: number;
  input: AnalysisInput;
}

const built = buildGlobals((workerData as { env: KqlEnvironment }).env);
parentPort!.on("message", (job: WorkerJob) => {
  parentPort!.postMessage({ id: job.id, result: analyzeQuery(job.input, built) });
});
parentPort!.postMessage({ ready: true });
