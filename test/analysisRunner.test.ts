/** Analysis is reused by content hash within a run and across runs, and workers give the same results. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Type from "typebox";
import { describe, expect, it } from "vitest";
import { analyzeAll } from "../src/kql/analysisRunner";
import { ContentCache } from "../src/cache/contentCache";
import type { KqlEnvironment } from "../src/kql/environment";

const ENV: KqlEnvironment = {
  tables: [
    {
      name: "SigninLogs",
      columns: [
        ["TimeGenerated", "datetime"],
        ["UserPrincipalName", "string"],
        ["ResultType", "string"],
      ],
    },
  ],
  functions: [],
  watchlists: [{ alias: "VIP", columns: ["Upn", "Team"] }],
};
const QUERIES = [
  "SigninLogs | project UserPrincipalName",
  "SigninLogs | project Nope",
  "_GetWatchlist('VIP') | project Upn, Team, SearchKey",
  "SigninLogs | where TimeGenerated > ago(3d)",
];

describe("analysis runner", () => {
  it("analyzes each distinct query once", async () => {
    const inputs = [...QUERIES, ...QUERIES].map((text) => ({ text }));
    const { results, stats } = await analyzeAll(inputs, ENV, { useCache: false, workers: 0 });
    expect(stats).toMatchObject({ requested: 8, distinct: 4, analyzed: 4 });
    expect(results[5]).toEqual(results[1]);
    expect(results[1]!.findings.map((f) => f.code)).toEqual(["KS142"]);
    expect(results[2]!.resultColumns?.map((c) => c.name)).toEqual(["Upn", "Team", "SearchKey"]);
    expect(results[3]!.lookbacks).toEqual([{ ms: 3 * 86_400_000, start: 35, length: 7, table: "SigninLogs" }]);
  });

  it("reuses results across runs through the content-hash cache, and a changed environment misses it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sentinel-iac-cache-test-"));
    process.env["SENTINEL_IAC_CACHE_DIR"] = dir;
    try {
      const first = await analyzeAll(
        QUERIES.map((text) => ({ text })),
        ENV,
        { useCache: true, workers: 0 },
      );
      expect(first.stats).toMatchObject({ cached: 0, analyzed: 4 });
      const second = await analyzeAll(
        QUERIES.map((text) => ({ text })),
        ENV,
        { useCache: true, workers: 0 },
      );
      expect(second.stats).toMatchObject({ cached: 4, analyzed: 0 });
      expect(second.results).toEqual(first.results);
      const changed = await analyzeAll(
        QUERIES.map((text) => ({ text })),
        { ...ENV, watchlists: [] },
        { useCache: true, workers: 0 },
      );
      expect(changed.stats).toMatchObject({ cached: 0, analyzed: 4 });
    } finally {
      delete process.env["SENTINEL_IAC_CACHE_DIR"];
    }
  });

  it("worker threads return exactly what this thread computes", async () => {
    const inputs = QUERIES.map((text) => ({ text }));
    const local = await analyzeAll(inputs, ENV, { useCache: false, workers: 0 });
    const pooled = await analyzeAll(inputs, ENV, { useCache: false, workers: 2 });
    expect(pooled.stats.workers).toBe(2);
    expect(pooled.results).toEqual(local.results);
  });

  it("a damaged or foreign cache file is ignored, not fatal", () => {
    const dir = mkdtempSync(join(tmpdir(), "sentinel-iac-cache-test-"));
    const cache = new ContentCache("x", "v1", Type.String(), dir);
    cache.set("k", "value");
    cache.save();
    expect(new ContentCache("x", "v1", Type.String(), dir).get("k")).toBe("value");
    expect(new ContentCache("x", "v2", Type.String(), dir).get("k")).toBeUndefined();
    // A value not of the schema's shape is a miss, and is left out when the cache is saved again.
    const numbers = new ContentCache("x", "v1", Type.Number(), dir);
    expect(numbers.get("k")).toBeUndefined();
    numbers.set("other", 1);
    numbers.save();
    expect(JSON.parse(readFileSync(join(dir, "x.json"), "utf8"))).toMatchObject({ entries: { other: { v: 1 } } });
    expect(Object.keys((JSON.parse(readFileSync(join(dir, "x.json"), "utf8")) as { entries: object }).entries)).toEqual(["other"]);
  });
});

describe("one analyzer state for many queries", () => {
  it("keeps per-call results apart: each watchlist alias and each function argument gets its own columns", async () => {
    const env: KqlEnvironment = {
      ...ENV,
      functions: [{ name: "Pick", parameters: "T:(*)", body: "T | take 1" }],
      watchlists: [
        { alias: "VIP", columns: ["Upn", "Team"] },
        { alias: "Hosts", columns: ["HostName"] },
      ],
    };
    const { results } = await analyzeAll(
      [
        { text: "_GetWatchlist('VIP')" },
        { text: "_GetWatchlist('Hosts')" },
        { text: "_GetWatchlist('VIP') | project HostName" },
        { text: "Pick(SigninLogs)" },
        { text: "Pick(_GetWatchlist('Hosts'))" },
      ],
      env,
      { useCache: false, workers: 0 },
    );
    const names = (i: number) => (results[i]!.resultColumns ?? []).map((c) => c.name);
    expect(names(0)).toEqual(expect.arrayContaining(["Upn", "Team"]));
    expect(names(0)).not.toContain("HostName");
    expect(names(1)).toContain("HostName");
    expect(names(1)).not.toContain("Upn");
    expect(results[2]!.findings.map((f) => f.kind)).toEqual(["unknown-column"]);
    expect(names(3)).toEqual(["TimeGenerated", "UserPrincipalName", "ResultType"]);
    expect(names(4)).toContain("HostName");
  });
});
