import { join } from "node:path";
import { compareDiagnostics, countDiagnostics, type Diagnostic } from "./diagnostic";

/** `file:line:column` (or just `file`) as editors and terminals link it. */
export function formatLocation(d: Diagnostic, contentRoot?: string): string {
  const file = contentRoot ? `${contentRoot.replace(/\/$/, "")}/${d.file}` : d.file;
  return d.position ? `${file}:${d.position.line}:${d.position.column}` : file;
}

/** One diagnostic as one or two lines: location, severity, code, field, message, then the hint. */
export function formatDiagnostic(d: Diagnostic, contentRoot?: string): string {
  const field = d.field ? ` ${d.field}:` : "";
  const head = `${formatLocation(d, contentRoot)} ${d.severity} [${d.code}]${field} ${d.message}`;
  return d.hint ? `${head}\n    -> ${d.hint}` : head;
}

/** The diagnostic's file as a forward-slash path under `contentRoot`, as code-scanning tools expect it. */
export function diagnosticUri(d: Diagnostic, contentRoot: string): string {
  return (contentRoot ? join(contentRoot, d.file) : d.file).split("\\").join("/");
}

/** Field, message and hint as one text block, for tools that show a single message per finding. */
export function diagnosticText(d: Diagnostic): string {
  return `${d.field ? `${d.field}: ` : ""}${d.message}${d.hint ? `\n${d.hint}` : ""}`;
}

export function formatCounts(diagnostics: readonly Diagnostic[]): string {
  const c = countDiagnostics(diagnostics);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `${plural(c.error, "error")}, ${plural(c.warning, "warning")}, ${c.info} info`;
}
