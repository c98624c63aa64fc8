/**
 * A parsed content document that can say where each of its values was
 * written. Checks report against it without knowing how it was parsed.
 */
import type { SourcePosition } from "./diagnostic";

export type FieldPath = readonly (string | number)[];

export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

/** Where a block or flow scalar's text sits in the file, to map offsets inside it (e.g. a KQL query) back to lines. */
export interface ScalarLayout {
  /** Position of the first character of the scalar's content. */
  contentStart: SourcePosition;
  /** `BLOCK_LITERAL` (`|`), `BLOCK_FOLDED` (`>`), `PLAIN`, `QUOTE_SINGLE` or `QUOTE_DOUBLE`. */
  style: string;
  /** For block scalars: the indentation (in columns) removed from each content line. */
  indent: number;
}

export interface SourceDocument {
  /** Path relative to the content directory. */
  readonly file: string;
  /** File text with any byte-order mark removed. */
  readonly text: string;
  /** The document as plain data. */
  readonly value: unknown;
  /** The range of the value at `path` (or of its key, with `part: "key"`); falls back to the nearest ancestor. */
  locate(path: FieldPath, part?: "key" | "value"): SourceRange | undefined;
  /** Layout of the scalar at `path`, if it is a scalar. */
  scalarLayout(path: FieldPath): ScalarLayout | undefined;
  /** Converts an offset in the file text to a position. */
  positionAt(offset: number): SourcePosition;
}
