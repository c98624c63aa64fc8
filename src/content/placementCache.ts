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
 *
 * The cache is untrusted (a shared CI cache can be written by any branch): entries are checked
 * against `FilePlacementsSchema` when read, and each place against the file's text when used
 * (`placeFits`); anything that fails is found again in the file, as if it had not been cached.
 */
import { createRequire } from "node:module";
import Type from "typebox";
import type { ScalarLayout, SourceRange } from "../diagnostics/source";
import { cacheEnabled, contentCache, type ContentCache } from "../cache/contentCache";

/** Bump when the places found for the same text change (yamlSource.ts). */
const PLACEMENT_VERSION = "2";
/** Places come from the `yaml` package's node tree, so another release of it may place differently. */
const YAML_VERSION = (createRequire(__filename)("yaml/package.json") as { version: string }).version;

const PositionSchema = Type.Object(
  { line: Type.Integer({ minimum: 1 }), column: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
const RangeSchema = Type.Object({ start: PositionSchema, end: PositionSchema }, { additionalProperties: false });
const LayoutSchema = Type.Object(
  {
    contentStart: PositionSchema,
    style: Type.Union([
      Type.Literal("BLOCK_LITERAL"),
      Type.Literal("BLOCK_FOLDED"),
      Type.Literal("PLAIN"),
      Type.Literal("QUOTE_SINGLE"),
      Type.Literal("QUOTE_DOUBLE"),
    ]),
    indent: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
/** Places found in one file, by what was asked (`value:["query"]`, `layout:["query"]`); null: none. */
const FilePlacementsSchema = Type.Record(Type.String(), Type.Union([RangeSchema, LayoutSchema, Type.Null()]));
export type FilePlacements = Record<string, SourceRange | ScalarLayout | null>;
type PlacementStore = ContentCache<typeof FilePlacementsSchema, FilePlacements>;

/** undefined: follow SENTINEL_IAC_CACHE. */
let use: boolean | undefined;
let treesBuilt = 0;
let opened: PlacementStore | undefined;

export function placementStore(): PlacementStore | undefined {
  if (!(use ?? cacheEnabled())) return undefined;
  return (opened = contentCache("yaml-placement", `${PLACEMENT_VERSION}/yaml@${YAML_VERSION}`, FilePlacementsSchema));
}

/**
 * Whether a cached place can be one found in `text`: the kind asked for (a range for `key:`/`value:`,
 * a layout for `layout:`) with every position on a line of the text and at most one column past
 * that line's end, and a range's end not before its start.
 */
export function placeFits(kind: "range" | "layout", place: SourceRange | ScalarLayout, lines: TextLines): boolean {
  if (kind === "layout") {
    if (!("contentStart" in place) || !lines.holds(place.contentStart)) return false;
    // A block scalar's content starts after its indentation; other scalars have none.
    const block = place.style === "BLOCK_LITERAL" || place.style === "BLOCK_FOLDED";
    return block ? place.contentStart.column === place.indent + 1 : place.indent === 0;
  }
  if (!("start" in place) || !lines.holds(place.start) || !lines.holds(place.end)) return false;
  return place.start.line < place.end.line || (place.start.line === place.end.line && place.start.column <= place.end.column);
}

/** The line starts of a text, to check positions against it. */
export class TextLines {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  /** Whether `position` (1-based) is on a line of the text, at most one column past its last character. */
  holds(position: { line: number; column: number }): boolean {
    const start = this.starts[position.line - 1];
    if (start === undefined) return false;
    const next = this.starts[position.line];
    // yaml counts columns in UTF-16 units from the line's start; the line break itself is the last column.
    const width = (next === undefined ? this.text.length : next - 1) - start;
    return position.column <= width + 1;
  }
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
