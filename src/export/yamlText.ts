/**
 * YAML text the way people write Sentinel content by hand: keys in the order
 * given, multi-line text (queries, descriptions) as `|` literal blocks that
 * keep every character, no line folding, and list items indented under
 * their key. The YAML 1.2 core schema matches the loader's, so every value
 * reads back as the same string, number or boolean.
 */
import { Document, Scalar, visit } from "yaml";

export interface YamlTextOptions {
  /** Comment lines written above the document (without `# `). */
  header?: string[];
  /** Keys whose string values are always literal blocks, even on one line (query, description). */
  blockKeys?: readonly string[];
}

export function toYamlText(value: Record<string, unknown>, options: YamlTextOptions = {}): string {
  const doc = new Document(value);
  const blockKeys = new Set(options.blockKeys ?? []);
  visit(doc, {
    Pair(_key, pair) {
      const key = pair.key instanceof Scalar ? String(pair.key.value) : undefined;
      const v = pair.value;
      if (
        v instanceof Scalar &&
        typeof v.value === "string" &&
        (v.value.includes("\n") || (key !== undefined && blockKeys.has(key) && v.value !== ""))
      ) {
        v.type = Scalar.BLOCK_LITERAL;
      }
    },
  });
  const body = doc.toString({ lineWidth: 0, indentSeq: true });
  const header = (options.header ?? []).map((line) => (line === "" ? "#" : `# ${line}`)).join("\n");
  return header === "" ? body : `${header}\n${body}`;
}
