/**
 * Maps an offset inside a query back to a line and column of the file it
 * came from: a YAML scalar (block, quoted or plain) or a `.kql` file.
 */
import type { SourcePosition } from "../diagnostics/diagnostic";
import type { FieldPath, ScalarLayout, SourceDocument, SourceRange } from "../diagnostics/source";

/** Where a scalar sits in its file: all a position inside it needs besides the file's text. */
interface ScalarPlacement {
  layout?: ScalarLayout;
  range?: SourceRange;
}

export type OffsetToPosition = (offset: number) => SourcePosition;

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function locateInText(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, column: offset - starts[lo]! };
}

/** Positions inside a file whose whole text is the query (a function's `.kql`). */
export function textPositions(text: string): OffsetToPosition {
  const starts = lineStarts(text);
  return (offset) => {
    const { line, column } = locateInText(starts, offset);
    return { line: line + 1, column: column + 1 };
  };
}

/**
 * Positions inside the YAML scalar at `path`. A literal block (`query: |`) keeps
 * the query's lines, so every offset maps exactly; a single-line scalar maps by
 * column. Folded or multi-line plain scalars join lines, so there an offset is
 * found by searching the file for the text around it, else the scalar's start.
 */
export function yamlScalarPositions(source: SourceDocument, path: FieldPath, value: string): OffsetToPosition {
  // Built on first use: placing a position may mean re-reading the file with `yaml`, and most queries have no findings.
  let mapper: OffsetToPosition | undefined;
  return (offset) => (mapper ??= scalarMapper(source, path, value, placementOf(source, path)))(offset);
}

function placementOf(source: SourceDocument, path: FieldPath): ScalarPlacement {
  const layout = source.scalarLayout(path);
  const range = source.locate(path);
  return { ...(layout ? { layout } : {}), ...(range ? { range } : {}) };
}

function scalarMapper(source: SourceDocument, path: FieldPath, value: string, { layout, range }: ScalarPlacement): OffsetToPosition {
  const fallback = layout?.contentStart ?? range?.start ?? { line: 1, column: 1 };
  if (!layout) return () => fallback;
  if (layout.style === "BLOCK_LITERAL") {
    const starts = lineStarts(value);
    return (offset) => {
      const { line, column } = locateInText(starts, offset);
      return { line: layout.contentStart.line + line, column: layout.indent + 1 + column };
    };
  }
  if (range && range.start.line === range.end.line)
    return (offset) => ({ line: layout.contentStart.line, column: layout.contentStart.column + offset });
  // A folded or multi-line plain scalar joins lines, so offsets do not map to lines. A run of text
  // without whitespace is kept verbatim, so find the one at the offset in the file from the scalar's start.
  const fileStarts = lineStarts(source.text);
  const from = fileStarts[layout.contentStart.line - 1] ?? 0;
  return (offset) => {
    const needle = /^\S{1,40}/.exec(value.slice(offset))?.[0];
    const at = needle ? source.text.indexOf(needle, from) : -1;
    if (at < 0) return fallback;
    const { line, column } = locateInText(fileStarts, at);
    return { line: line + 1, column: column + 1 };
  };
}
