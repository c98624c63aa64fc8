/**
 * One benchmark sample: evaluates the Pulumi program (index.ts's deploy) on a
 * content directory under the SDK's mock monitor, waits until every resource
 * is registered, and prints timings and memory as JSON. Run in a fresh process
 * per sample so peak RSS belongs to this sample alone.
 */
import * as pulumi from "@pulumi/pulumi";
import { deploy } from "../src/pulumi/program";

async function main(): Promise<void> {
  const contentDir = process.argv[2];
  if (!contentDir) throw new Error("usage: programUnderMocks.ts <contentDir>");
  pulumi.runtime.setMocks(
    { newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs },
    "sentinel-iac",
    "bench",
    true,
  );
  pulumi.runtime.setAllConfig({
    "sentinel-iac:resourceGroupName": "rg-bench",
    "sentinel-iac:workspaceName": "law-bench",
    "sentinel-iac:contentDir": contentDir,
    "sentinel-iac:validateQueries": process.env["BENCH_VALIDATE_QUERIES"] ?? "false",
  });
  (globalThis as { gc?: () => void }).gc?.();
  const baselineRss = process.memoryUsage().rss;
  const baselineHeap = process.memoryUsage().heapUsed;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const deployment = await deploy("/");
  const evaluated = performance.now();
  await Promise.all([...deployment.resources.values()].map((r) => new Promise((resolve) => r.urn.apply(resolve))));
  const settled = performance.now();
  const cpuUsed = process.cpuUsage(cpu);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  // Live memory once the garbage V8 has not yet collected is gone (the process runs with --expose-gc).
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const liveHeap = process.memoryUsage().heapUsed;
  process.stdout.write(
    JSON.stringify({
      resources: deployment.resources.size,
      rules: deployment.summary.analyticsRules,
      evaluateMs: evaluated - start,
      totalMs: settled - start,
      // CPU time (user + system): steadier than wall time on a shared machine.
      cpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
      baselineRss,
      peakRss,
      baselineHeap,
      liveHeap,
    }) + "\n",
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
