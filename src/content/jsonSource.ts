/**
 * JSON files (a project's table schemas) as a SourceDocument, so a bad file is
 * reported at its line and column like a YAML one. `JSON.parse` reads every
 * file; Microsoft's jsonc-parser runs only when a position is needed: its
 * syntax errors carry offsets, and its node tree carries every value's range.
 */
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic";
import type { FieldPath, SourceDocument, SourceRange } from "../diagnostics/source";

export interface JsonParseResult {
  source?: SourceDocument;
  diagnostics: Diagnostic[];
}

const BOM = "\uFEFF";

/** jsonc-parser's error codes, as a person would say them. */
const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: "unexpected character",
  InvalidNumberFormat: "not a valid number",
  PropertyNameExpected: "a property name in double quotes is expected here",
  ValueExpected: "a value is expected here",
  ColonExpected: "a colon is expected here",
  CommaExpected: "a comma is expected here",
  CloseBraceExpected: "a closing } is expected here",
  CloseBracketExpected: "a closing ] is expected here",
  EndOfFileExpected: "nothing may follow the end of the JSON value",
  InvalidCommentToken: "JSON has no comments",
  UnexpectedEndOfComment: "JSON has no comments",
  UnexpectedEndOfString: "the string is not closed",
  UnexpectedEndOfNumber: "the number is not complete",
  InvalidUnicode: "invalid \\u escape",
  InvalidEscapeCharacter: "invalid escape character",
  InvalidCharacter: "invalid character in a string",
};

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function positionIn(starts: readonly number[], offset: number): SourcePosition {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

export function parseJsonSource(file: string, rawText: string): JsonParseResult {
  const text = rawText.startsWith(BOM) ? rawText.slice(1) : rawText;
  try {
    return { source: new JsonSource(file, text, JSON.parse(text) as unknown), diagnostics: [] };
  } catch {
    // Report jsonc-parser's first error: later ones are usually consequences of it.
    const errors: ParseError[] = [];
    parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const starts = lineStarts(text);
    const first = errors[0];
    const code = first ? printParseErrorCode(first.error) : "ValueExpected";
    const offset = first?.offset ?? text.length;
    return {
      diagnostics: [
        {
          severity: "error",
          code: "json/syntax",
          file,
          position: positionIn(starts, offset),
          end: positionIn(starts, offset + Math.max(first?.length ?? 0, 1)),
          message: `not valid JSON: ${SYNTAX_MESSAGES[code] ?? code}${text.trim() === "" ? " (the file is empty)" : ""}`,
          hint: "Fix the JSON syntax at this position: keys and strings in double quotes, commas between entries and none after the last.",
        },
      ],
    };
  }
}

class JsonSource implements SourceDocument {
  private tree?: { root: Node | undefined; starts: number[] };

  constructor(
    readonly file: string,
    readonly text: string,
    readonly value: unknown,
  ) {}

  /** The node tree and line table, built on first use: most files never need a position. */
  private get parsed(): { root: Node | undefined; starts: number[] } {
    return (this.tree ??= { root: parseTree(this.text), starts: lineStarts(this.text) });
  }

  positionAt(offset: number): SourcePosition {
    return positionIn(this.parsed.starts, offset);
  }

  locate(path: FieldPath, part: "key" | "value" = "value"): SourceRange | undefined {
    const root = this.parsed.root;
    if (!root) return undefined;
    // Fall back to the nearest ancestor that exists, as the YAML source does.
    for (let n = path.length; n >= 0; n--) {
      const node = findNodeAtLocation(root, [...path.slice(0, n)]);
      if (!node) continue;
      const exact = n === path.length;
      const key = exact && part === "key" && node.parent?.type === "property" ? node.parent.children?.[0] : undefined;
      const target = key ?? node;
      return { start: this.positionAt(target.offset), end: this.positionAt(target.offset + target.length) };
    }
    return undefined;
  }

  scalarLayout(): undefined {
    return undefined;
  }
}
