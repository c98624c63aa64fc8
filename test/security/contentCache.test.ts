/**
 * The content cache is untrusted input: a CI cache of node_modules/.cache is shared between
 * branches, so a pull request can plant any file there. Whatever the cache files hold, a run
 * reports the same diagnostics at the same positions as a run without a cache, and never crashes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_CACHE_FILE_BYTES } from "../../src/cache/contentCache";
import { copySeedContent, writeContentInto } from "../helpers/content";

const RULE = [
  "id: 7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  "name: Case",
  "description: A test case.",
  "kind: Scheduled",
  "severity: medium",
  "queryFrequency: 1h",
  "queryPeriod: 1h",
  "triggerOperator: gt",
  "triggerThreshold: 0",
  "tactics: [InitialAccess]",
  "query: |",
  "  SigninLogs",
  "  | project UserPrincipalNam, IPAddress",
  "entityMappings:",
  "  - entityType: IP",
  "    fieldMappings:",
  "      - identifier: Address",
  "        columnName: IPAddres",
  "",
].join("\n");
// A folded plain query: its findings are placed by searching the file from the layout's line.
const HUNTING = "id: 1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9\nname: h\ndescription: d\nquery:\n  SigninLogs\n  | project Nope\n";

interface Placed {
  file: string;
  code: string;
  position?: { line: number; column: number };
  end?: { line: number; column: number };
  message: string;
}

interface CacheFile {
  version: string;
  run: number;
  entries: Record<string, { v: unknown; r: number }>;
}

let cacheDir: string;
let contentDir: string;

beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), "sentinel-iac-untrusted-cache-"));
  // The seed content's rules call a function and read a watchlist: their dependencies come from kql-references.
  contentDir = writeContentInto(copySeedContent(), { "rules/analytics/case.yaml": RULE, "rules/hunting/h.yaml": HUNTING });
  process.env["SENTINEL_IAC_CACHE_DIR"] = cacheDir;
});

afterEach(() => {
  delete process.env["SENTINEL_IAC_CACHE_DIR"];
});

interface RunResult {
  diagnostics: Placed[];
  /** Each resource's dependencies, found from the references in its query. */
  dependsOn: Record<string, string[]>;
}

/** One run as a fresh process would make it (modules and cache files loaded anew), keeping its caches. */
async function run(useCache = true): Promise<RunResult> {
  vi.resetModules();
  const loader = await vi.importActual<typeof import("../../src/loader/validatedState")>("../../src/loader/validatedState");
  const placements = await vi.importActual<typeof import("../../src/content/placementCache")>("../../src/content/placementCache");
  // A cold run reads and writes no cache at all (the query references follow SENTINEL_IAC_CACHE only).
  if (!useCache) process.env["SENTINEL_IAC_CACHE"] = "off";
  const state = await loader.buildValidatedState(contentDir, { useCache }).finally(() => delete process.env["SENTINEL_IAC_CACHE"]);
  placements.savePlacements();
  const diagnostics = state.diagnostics
    .map(({ file, code, position, end, message }) => ({ file, code, ...(position ? { position } : {}), ...(end ? { end } : {}), message }))
    .sort((a, b) => `${a.file} ${a.code} ${a.message}`.localeCompare(`${b.file} ${b.code} ${b.message}`));
  return { diagnostics, dependsOn: Object.fromEntries(state.resources.map((r) => [r.key, [...r.dependsOn].sort()])) };
}

function readCache(namespace: string): CacheFile {
  return JSON.parse(readFileSync(join(cacheDir, `${namespace}.json`), "utf8")) as CacheFile;
}

/** Replaces every stored value of `namespace` with what `poison` makes of it. */
function poison(namespace: string, change: (value: unknown) => unknown): void {
  const stored = readCache(namespace);
  for (const entry of Object.values(stored.entries)) entry.v = change(entry.v);
  writeFileSync(join(cacheDir, `${namespace}.json`), JSON.stringify(stored));
}

/** Every place of every file, changed by `change` (ranges and layouts alike). */
function poisonPlaces(change: (place: Record<string, unknown>) => unknown): void {
  poison("yaml-placement", (file) =>
    Object.fromEntries(
      Object.entries(file as Record<string, Record<string, unknown> | null>).map(([key, place]) => [key, place ? change(place) : place]),
    ),
  );
}

/** A cold run (no cache), then a run that fills the cache; returns the cold run's diagnostics. */
async function coldThenFilled(): Promise<RunResult> {
  const cold = await run(false);
  expect(cold.diagnostics.map((d) => d.code)).toEqual(
    expect.arrayContaining(["kql/unknown-column", "rule/missing-column", "schema/value-spelling"]),
  );
  expect(Object.values(cold.dependsOn).flat().length).toBeGreaterThan(0);
  expect(await run()).toEqual(cold);
  return cold;
}

describe("a poisoned placement cache (yaml-placement.json)", () => {
  it("entries that are not objects (5, a string, an array) are found again in the file", async () => {
    const cold = await coldThenFilled();
    for (const bad of [5, "x", [1, 2], true]) {
      poison("yaml-placement", () => bad);
      expect(await run()).toEqual(cold);
    }
  });

  it("places outside the file's text (line 999, column 500, line 0) are found again in the file", async () => {
    const cold = await coldThenFilled();
    const far = { line: 999, column: 1 };
    poisonPlaces((place) => ("contentStart" in place ? { ...place, contentStart: far } : { start: far, end: { line: 999, column: 9 } }));
    expect(await run()).toEqual(cold);
    // Every line of the file exists, but no line is 500 columns wide.
    poisonPlaces((place) =>
      "contentStart" in place
        ? { ...place, contentStart: { line: 1, column: 500 } }
        : { start: { line: 1, column: 500 }, end: { line: 2, column: 1 } },
    );
    expect(await run()).toEqual(cold);
    poisonPlaces((place) => ("contentStart" in place ? { ...place, contentStart: { line: 0, column: 1 } } : place));
    expect(await run()).toEqual(cold);
  });

  it("null layouts, wrong types, a range where a layout belongs and ranges that end before they start are found again", async () => {
    const cold = await coldThenFilled();
    const poisons: ((place: Record<string, unknown>) => unknown)[] = [
      (place) => ("contentStart" in place ? { ...place, contentStart: null } : place),
      (place) => ("contentStart" in place ? { ...place, style: 7, indent: "2" } : { start: { line: "1", column: 1 }, end: place["end"] }),
      (place) => ("contentStart" in place ? { ...place, indent: -1 } : { ...place, start: { line: 1.5, column: 1 } }),
      // Well formed, inside the file, but of the other kind: a layout where a range belongs and back.
      (place) =>
        "contentStart" in place
          ? { start: place["contentStart"], end: place["contentStart"] }
          : { contentStart: place["start"], style: "PLAIN", indent: 0 },
      (place) => ("contentStart" in place ? place : { start: { line: 3, column: 1 }, end: { line: 2, column: 1 } }),
      (place) => ("contentStart" in place ? { ...place, extra: "x" } : { ...place, start: {} }),
    ];
    for (const change of poisons) {
      await run(); // a clean cache to poison
      poisonPlaces(change);
      expect(await run()).toEqual(cold);
    }
  });

  it("an envelope of the wrong shape (entries not an object, run not a number, entries without v or r) is ignored", async () => {
    const cold = await coldThenFilled();
    const stored = readCache("yaml-placement");
    const file = join(cacheDir, "yaml-placement.json");
    for (const bad of [
      { ...stored, entries: 5 },
      { ...stored, entries: [stored.entries] },
      { ...stored, run: "1" },
      { ...stored, entries: Object.fromEntries(Object.entries(stored.entries).map(([k, e]) => [k, { v: e.v, r: "x" }])) },
      { ...stored, entries: Object.fromEntries(Object.keys(stored.entries).map((k) => [k, 5])) },
      [stored],
      null,
    ]) {
      writeFileSync(file, JSON.stringify(bad));
      expect(await run()).toEqual(cold);
    }
  });

  it("keys its version by the `yaml` package's release, so an upgrade of it discards the places", async () => {
    await coldThenFilled();
    const yamlVersion = (createRequire(__filename)("yaml/package.json") as { version: string }).version;
    expect(readCache("yaml-placement").version).toContain(`yaml@${yamlVersion}`);
  });

  it(`a cache file larger than ${MAX_CACHE_FILE_BYTES / 1024 / 1024} MiB is not read`, async () => {
    const cold = await coldThenFilled();
    // Places that lie but fit the file (every finding on line 1): used if the file were read.
    poisonPlaces((place) =>
      "contentStart" in place
        ? { ...place, contentStart: { line: 1, column: 1 + (place["indent"] as number) } }
        : { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
    );
    const liar = await run();
    expect(liar).not.toEqual(cold); // the lie is believed: that is why the size is what is capped here
    poisonPlaces((place) =>
      "contentStart" in place
        ? { ...place, contentStart: { line: 1, column: 1 + (place["indent"] as number) } }
        : { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
    );
    const stored = readCache("yaml-placement");
    stored.entries["padding"] = { v: {}, r: 0 };
    const text = JSON.stringify(stored);
    writeFileSync(join(cacheDir, "yaml-placement.json"), text.replace(/}$/, `${" ".repeat(MAX_CACHE_FILE_BYTES - text.length + 1)}}`));
    expect(await run()).toEqual(cold);
  });
});

describe("a poisoned KQL cache (kql-analysis.json, kql-references.json)", () => {
  it("analyses of the wrong shape or with offsets outside the query are analyzed again", async () => {
    const cold = await coldThenFilled();
    const poisons: ((analysis: Record<string, unknown>) => unknown)[] = [
      () => 5,
      (a) => ({ ...a, findings: 5 }),
      (a) => ({ ...a, findings: [{ kind: "syntax", code: "KS001", severity: "error", message: "x", start: "0", length: 1 }] }),
      (a) => ({ ...a, resultColumns: [{ name: 1, type: "string" }] }),
      (a) => ({ ...a, lookbacks: null }),
      // Well formed, but pointing far past the end of the query.
      (a) => ({ ...a, findings: (a["findings"] as Record<string, unknown>[]).map((f) => ({ ...f, start: 99_999 })) }),
      (a) => ({ ...a, findings: (a["findings"] as Record<string, unknown>[]).map((f) => ({ ...f, length: 99_999 })) }),
    ];
    for (const change of poisons) {
      await run();
      poison("kql-analysis", (v) => change(v as Record<string, unknown>));
      expect(await run()).toEqual(cold);
    }
  });

  it("query references of the wrong shape are extracted again", async () => {
    const cold = await coldThenFilled();
    for (const bad of [5, { functions: 5, watchlists: [] }, { functions: [], watchlists: [1] }, null]) {
      poison("kql-references", () => bad);
      expect(await run()).toEqual(cold);
    }
  });
});
