/** What exporting one live resource produces: content files, or the reason it cannot be expressed as code. */
import type { DriftKind } from "../diff/compare";

export interface ExportedFile {
  /** Path relative to the content directory, with forward slashes. */
  path: string;
  text: string;
}

export type ExportOutcome =
  | { ok: true; kind: DriftKind; name: string; displayName: string; files: ExportedFile[]; notes: string[] }
  | { ok: false; kind: DriftKind; name: string; displayName: string; reason: string };

/**
 * File-name stem from a display name: lower-case ASCII letters and digits joined by hyphens,
 * at most 80 characters, so no name from a server can make a path (no `/`, `..`, NUL). The
 * fallback (a resource name) is slugged the same way, and `resource` when both are empty.
 */
export function fileStem(displayName: string, fallback: string): string {
  return slug(displayName) || slug(fallback) || "resource";
}

function slug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
}

/**
 * A description written so that the loader's cleanup (trim the end, then strip one pair
 * of outer single quotes, as upstream files need) gives it back unchanged: text that
 * ends in whitespace or is itself quoted is wrapped in one more pair of quotes.
 */
export function descriptionForYaml(text: string): string {
  const quoted = text.length >= 2 && text.startsWith("'") && text.endsWith("'");
  return quoted || text !== text.trimEnd() ? `'${text}'` : text;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
export const asString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const asStringArray = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
