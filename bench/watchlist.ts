/**
 * Large watchlists, two ways:
 * - the Pulumi program under the mock monitor, 1,000 rules plus an allowlist of
 *   1,000 rows (the largest list managed row by row) and of 10,000 rows (one
 *   rows resource), each sample in its own process: resources, time, memory;
 * - the rows route against the local stand-in over HTTPS with the real SDK: a
 *   first deploy of 10,000 rows, then a change of 100 of them, counting the
 *   requests each makes; and, for comparison, 10,000 rows written one by one
 *   (the per-row route's writes).
 * The stand-in answers in microseconds, so its times are not Azure's; the
 * request counts are, and the last column turns writes into time at Azure
 * Resource Manager's rate (bursts of 200, then 10 a second).
 * Figures are in docs/performance.md.
 *
 *   npm run bench                              # runs this after the other suites
 *   node --import tsx bench/watchlist.ts       # this alone
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployClients } from "../src/azure/deployClients";
import { deployConnection } from "../src/azure/deployConnection";
import { WatchlistRowsWriter, type Row } from "../src/azure/watchlistRowsWriter";
import type { WatchlistProperties } from "../src/model/types";
import { watchlistItemId } from "../src/sentinel/watchlistItem";
import { startStandIn } from "../stand-in/src/standIn";
import { generateContent } from "./generate";
import { sampleProgram } from "./programSample";
import { benchProgress } from "./progress";

const MB = 1024 * 1024;
const SCOPE = {
  resourceGroupName: "rg-bench",
  workspaceName: "law-bench",
  watchlistAlias: "NetworkAllowlist",
  itemsSearchKey: "IPOrRange",
};
const WATCHLIST: WatchlistProperties = {
  displayName: "Network allowlist",
  provider: "Security Operations",
  itemsSearchKey: "IPOrRange",
  source: "NetworkAllowlist.csv",
  sourceType: "Local",
};
const COLUMNS = ["IPOrRange", "Description", "Owner"];

const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const rowsOf = (n: number, from = 0): Row[] =>
  Array.from({ length: n }, (_, k) => ({ IPOrRange: ip(from + k), Description: `Generated row ${from + k}`, Owner: "Bench" }));

/** Seconds Azure Resource Manager needs for `writes` from one principal: a burst of 200, then 10 a second. */
const armSeconds = (writes: number) => Math.max(0, writes - 200) / 10;

async function programSamples(): Promise<void> {
  console.log("\nlarge watchlist, program under the mock monitor (fresh process per sample, Pulumi.yaml nodeargs):");
  console.log(" rules   rows  route      resources  total s    cpu s  peak MB  live MB");
  for (const rows of [1_000, 10_000]) {
    benchProgress.phase(`large watchlist: program with ${rows.toLocaleString("en-US")} rows`);
    const dir = generateContent(1_000, rows);
    const cacheDir = mkdtempSync(join(tmpdir(), "sentinel-iac-bench-cache-"));
    try {
      const s = sampleProgram(dir, cacheDir);
      const route = rows > 1_000 ? "one rows" : "per row";
      console.log(
        `${String(s.rules).padStart(6)} ${String(rows).padStart(6)}  ${route.padEnd(9)} ${String(s.resources).padStart(10)} ${(s.totalMs / 1000).toFixed(2).padStart(8)} ${(s.cpuMs / 1000).toFixed(2).padStart(8)} ${(s.peakRss / MB).toFixed(0).padStart(8)} ${((s.liveHeap - s.baselineHeap) / MB).toFixed(1).padStart(8)}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
}

async function writerSamples(): Promise<void> {
  const standIn = await startStandIn({
    state: {
      subscriptionId: "00000000-0000-4000-8000-0000000000b1",
      resourceGroupName: SCOPE.resourceGroupName,
      workspaceName: SCOPE.workspaceName,
      alertRules: [],
      watchlists: [{ name: SCOPE.watchlistAlias, properties: { ...WATCHLIST }, items: [] }],
      savedSearches: [],
      tables: [],
    },
  });
  try {
    const { tenantId, clientId, clientSecret } = standIn.credentials;
    const settings: Record<string, string> = { tenantId, clientId, clientSecret, subscriptionId: "00000000-0000-4000-8000-0000000000b1" };
    const connection = await deployConnection((key) => settings[key], {
      armEndpoint: standIn.armEndpoint,
      authorityHost: standIn.authorityHost,
      caPem: standIn.caPem,
    });
    const writer = new WatchlistRowsWriter(connection, { pollMs: 20, concurrency: 10 });
    console.log("\nlarge watchlist, rows route against the stand-in (HTTPS, real SDK; 100 items per page):");
    console.log(" step                                   seconds  reads  writes  ARM s (writes at 10/s after 200)");
    const step = async (label: string, work: () => Promise<unknown>) => {
      benchProgress.phase(`large watchlist: ${label}`);
      standIn.clearRequests();
      const started = performance.now();
      await work();
      const seconds = (performance.now() - started) / 1000;
      const arm = standIn.requests.filter((r) => r.surface === "arm");
      const writes = arm.filter((r) => r.write).length;
      console.log(
        ` ${label.padEnd(38)} ${seconds.toFixed(2).padStart(7)} ${String(arm.length - writes).padStart(6)} ${String(writes).padStart(7)}  ${armSeconds(writes).toFixed(0)}`,
      );
    };
    const first = rowsOf(10_000);
    await step("first deploy, 10,000 rows", () => writer.reconcile(SCOPE, WATCHLIST, COLUMNS, first));
    const changed = [...first.slice(50).map((r, i) => (i < 10 ? { ...r, Owner: "Changed" } : r)), ...rowsOf(50, 20_000)];
    await step("change: 50 removed, 50 added, 10 edited", () => writer.reconcile(SCOPE, WATCHLIST, COLUMNS, changed));
    await step("no change", () => writer.reconcile(SCOPE, WATCHLIST, COLUMNS, changed));
    // What the per-row route writes on a first deploy: one PUT per row (azure-native also reads each one
    // before and after), 10 at a time as --parallel 10 runs them.
    standIn.setState({ ...standIn.currentState(), watchlists: [{ name: SCOPE.watchlistAlias, properties: { ...WATCHLIST }, items: [] }] });
    const { sentinel } = deployClients(connection);
    await step("per-row route: 10,000 PUTs, for comparison", async () => {
      for (let i = 0; i < first.length; i += 10) {
        await Promise.all(
          first.slice(i, i + 10).map((row) =>
            sentinel.watchlistItems.createOrUpdate(
              SCOPE.resourceGroupName,
              SCOPE.workspaceName,
              SCOPE.watchlistAlias,
              watchlistItemId(SCOPE.watchlistAlias, row.IPOrRange!),
              {
                itemsKeyValue: row,
              },
            ),
          ),
        );
      }
    });
  } finally {
    await standIn.close();
  }
}

export async function benchWatchlist(): Promise<void> {
  await programSamples();
  await writerSamples();
}

if (require.main === module) void benchWatchlist().finally(() => benchProgress.stop());
