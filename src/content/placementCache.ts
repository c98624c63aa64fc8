/**
 * Where fields sit in YAML files, kept across runs in the content cache.
 *
 * Placing a finding at its line needs the file re-read with `yaml` (~0.7 ms per file, against
 * ~0.2 ms to load it with js-yaml), so a run that reports findings in 1,000 files spent most of
 * its time on that. A place depends only on the file's text, so it is kept by the text's hash:
 * a later run with the same files places the same findings from the cache.
 *
 * On when the content cache is (SENTINEL_IAC_CACHE), unless a run says otherwise (`useCache`,
 * `validate --no-cache`). Read on the first place asked for; written by `savePlacements()` once
 * a run has printed its findings (the CLI does it before it exits).
 */
import type { ScalarLayout, SourceRange } from "../diagnostics/source";
import { cacheEnabled, contentCache, type ContentCache } from "../cache/contentCache";

/** Bump when the places found for the same text change (yamlSource.ts). */
const PLACEMENT_VERSION = "1";

/** Places found in one file, by what was asked (`value:["query"]`, `layout:["query"]`); null: none. */
export type FilePlacements = Record<string, SourceRange | ScalarLayout | null>;

/** undefined: follow SENTINEL_IAC_CACHE. */
let use: boolean | undefined;
let treesBuilt = 0;
let opened: ContentCache<FilePlacements> | undefined;

export function placementStore(): ContentCache<FilePlacements> | undefined {
  if (!(use ?? cacheEnabled())) return undefined;
  return (opened = contentCache<FilePlacements>("yaml-placement", PLACEMENT_VERSION));
}

/** Whether this process reads and keeps places, as a run's `useCache` says (undefined: as SENTINEL_IAC_CACHE says). */
export function usePlacementCache(on: boolean | undefined): void {
  use = on;
}

/** Writes the places this run found, if there are new ones. */
export function savePlacements(): void {
  opened?.save();
}

export function noteTreeBuilt(): void {
  treesBuilt++;
}

/** How many files this process re-read with `yaml` to place something (for tests and benchmarks). */
export function yamlTreesBuilt(): number {
  return treesBuilt;
}
