/**
 * YAML parsing that keeps where every value came from.
 *
 * Two libraries, each for what it does best (see docs/design.md):
 * - js-yaml reads every file: it is ~7x faster than `yaml` here, and on all 375
 *   real files in ../shared both produce identical values (YAML 1.2 core schema).
 * - `yaml` runs only when a diagnostic needs a position (or js-yaml refuses the
 *   file): its node tree carries source offsets for every key and value, which
 *   js-yaml does not expose.
 *
 * The places found are kept in the content cache by the file's content hash, so a later run
 * places the same findings without re-reading the file with `yaml` (placementCache.ts).
 */
import { CORE_SCHEMA, load, YAMLException } from "js-yaml";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic";
import type { FieldPath, ScalarLayout, SourceDocument, SourceRange } from "../diagnostics/source";
import { placeFits, placementStore, noteTreeBuilt, TextLines } from "./placementCache";
import { contentHash } from "../cache/contentCache";

export interface YamlParseResult {
  source?: SourceDocument;
  diagnostics: Diagnostic[];
}

const BOM = "\uFEFF";
const SYNTAX_HINT = "Fix the YAML syntax; check indentation and quoting around this position.";

export function parseYamlSource(file: string, rawText: string): YamlParseResult {
  const text = rawText.startsWith(BOM) ? rawText.slice(1) : rawText;
  let value: unknown;
  try {
    value = load(text, { schema: CORE_SCHEMA, filename: file });
  } catch (error) {
    return { diagnostics: syntaxDiagnostics(file, text, error) };
  }
  return { source: new DocumentSource(file, text, value), diagnostics: [] };
}

/** Positioned syntax errors from `yaml`, falling back to js-yaml's own mark. */
function syntaxDiagnostics(file: string, text: string, error: unknown): Diagnostic[] {
  // js-yaml stops at 100 levels of nesting; re-parsing for positions would exhaust the call stack
  const depth = error instanceof YAMLException && /maxDepth/.test(error.reason) ? error.mark : undefined;
  if (depth || error instanceof RangeError)
    return [
      {
        severity: "error",
        code: "yaml/syntax",
        file,
        ...(depth ? { position: { line: depth.line + 1, column: depth.column + 1 } } : {}),
        message: "YAML syntax error: values are nested too deeply (more than 100 levels)",
        hint: "Nest YAML values a few levels deep at most; write a deeply nested sample value in a .json sample file.",
      },
    ];
  const { doc, positionAt } = positionedDocument(text);
  if (doc.errors.length > 0) {
    return doc.errors.map((e) => ({
      severity: "error" as const,
      code: "yaml/syntax",
      file,
      position: positionAt(e.pos[0]),
      end: positionAt(e.pos[1]),
      message: `YAML syntax error: ${firstLine(e.message)}`,
      hint: SYNTAX_HINT,
    }));
  }
  const mark = error instanceof YAMLException ? error.mark : undefined;
  return [
    {
      severity: "error",
      code: "yaml/syntax",
      file,
      ...(mark ? { position: { line: mark.line + 1, column: mark.column + 1 } } : {}),
      message: `YAML syntax error: ${error instanceof YAMLException ? error.reason : String(error)}`,
      hint: SYNTAX_HINT,
    },
  ];
}

interface PositionedDocument {
  doc: Document;
  positionAt: (offset: number) => SourcePosition;
}

function positionedDocument(text: string): PositionedDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, strict: true, uniqueKeys: true });
  return {
    doc,
    positionAt: (offset: number) => {
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    },
  };
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

class DocumentSource implements SourceDocument {
  private positioned?: PositionedDocument;
  private textHash?: string;
  private lines?: TextLines;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly value: unknown,
  ) {}

  /** The `yaml` node tree, built on first use: most files never need a position. */
  private get tree(): PositionedDocument {
    if (!this.positioned) noteTreeBuilt();
    return (this.positioned ??= positionedDocument(this.text));
  }

  /**
   * A place from the cache, else found in the tree and kept. Places depend only on the text.
   * The cache is untrusted: a place that is not of the kind asked for or not inside this text is found again.
   */
  private placed<T extends SourceRange | ScalarLayout>(key: string, kind: "range" | "layout", find: () => T | undefined): T | undefined {
    const store = placementStore();
    if (!store) return find();
    const fileKey = (this.textHash ??= contentHash(this.text));
    const known = store.get(fileKey);
    if (known && Object.hasOwn(known, key)) {
      const place = known[key];
      if (place === null || place === undefined) return undefined;
      if (placeFits(kind, place, (this.lines ??= new TextLines(this.text)))) return place as T;
    }
    const found = find();
    store.set(fileKey, { ...known, [key]: found ?? null });
    return found;
  }

  positionAt(offset: number): SourcePosition {
    return this.tree.positionAt(offset);
  }

  locate(path: FieldPath, part: "key" | "value" = "value"): SourceRange | undefined {
    return this.placed(`${part}:${JSON.stringify(path)}`, "range", () => this.locateInTree(path, part));
  }

  scalarLayout(path: FieldPath): ScalarLayout | undefined {
    return this.placed(`layout:${JSON.stringify(path)}`, "layout", () => this.layoutInTree(path));
  }

  private locateInTree(path: FieldPath, part: "key" | "value"): SourceRange | undefined {
    const found = this.walk(path);
    if (!found) return undefined;
    const node = part === "key" && found.exact && found.key ? found.key : found.node;
    const range = node?.range;
    if (!range) return undefined;
    return { start: this.positionAt(range[0]), end: this.positionAt(range[1]) };
  }

  private layoutInTree(path: FieldPath): ScalarLayout | undefined {
    const found = this.walk(path);
    if (!found?.exact || !found.node || !isScalar(found.node) || !found.node.range) return undefined;
    const start = found.node.range[0];
    const style = String(found.node.type ?? "PLAIN");
    if (style === "BLOCK_LITERAL" || style === "BLOCK_FOLDED") {
      // Content starts on the line after the `|`/`>` header; its indentation is
      // that of the first non-empty content line.
      const headerEnd = this.text.indexOf("\n", start);
      let offset = headerEnd < 0 ? this.text.length : headerEnd + 1;
      let indent = 0;
      for (let i = offset; i < this.text.length;) {
        const lineEnd = this.text.indexOf("\n", i);
        const line = this.text.slice(i, lineEnd < 0 ? undefined : lineEnd).replace(/\r$/, "");
        if (line.trim() !== "") {
          indent = line.length - line.trimStart().length;
          offset = i;
          break;
        }
        if (lineEnd < 0) break;
        i = lineEnd + 1;
      }
      const pos = this.positionAt(offset);
      return { contentStart: { line: pos.line, column: pos.column + indent }, style, indent };
    }
    const quoted = style === "QUOTE_SINGLE" || style === "QUOTE_DOUBLE";
    return { contentStart: this.positionAt(start + (quoted ? 1 : 0)), style, indent: 0 };
  }

  /** Walks the node tree along `path`; keys match exactly, else case-insensitively (upstream's `datatypes`). */
  private walk(path: FieldPath): { node: Node | null | undefined; key?: Node; exact: boolean } | undefined {
    let node: unknown = this.tree.doc.contents;
    let key: Node | undefined;
    for (const segment of path) {
      if (isMap(node)) {
        const pairs = node.items;
        const pair =
          pairs.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment) ??
          pairs.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value).toLowerCase() === String(segment).toLowerCase());
        if (!pair) return { node: node as Node, key, exact: false };
        key = pair.key as Node;
        // A key with no value (`alertRuleTemplateName:`) has a null value node; point at the key.
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
        key = undefined;
        node = node.items[segment];
      } else {
        return node ? { node: node as Node, key, exact: false } : undefined;
      }
    }
    return { node: node as Node, key, exact: true };
  }
}
