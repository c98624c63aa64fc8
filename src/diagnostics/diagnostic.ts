/**
 * A finding about the content: what is wrong, where, and what to do about it.
 * Every loader, validator and converter reports through this one shape so the
 * CLI, the Pulumi program and CI annotations all print the same facts.
 */
export type Severity = "error" | "warning" | "info";

export interface SourcePosition {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable identifier of the check, e.g. `schema/unknown-key`, `limits/query-period`. */
  code: string;
  /** Path of the file, relative to the content directory, with forward slashes. */
  file: string;
  /** Start of the offending text, when it is known. */
  position?: SourcePosition;
  /** End of the offending text (exclusive), when it is known. */
  end?: SourcePosition;
  /** The field in the file, as a path such as `entityMappings[0].fieldMappings[1].identifier`. */
  field?: string;
  /** What is wrong. */
  message: string;
  /** What to do about it. */
  hint?: string;
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    a.file.localeCompare(b.file) ||
    (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
    (a.position?.column ?? 0) - (b.position?.column ?? 0) ||
    severityRank[a.severity] - severityRank[b.severity] ||
    a.code.localeCompare(b.code)
  );
}

export interface DiagnosticCounts {
  error: number;
  warning: number;
  info: number;
}

export function countDiagnostics(diagnostics: readonly Diagnostic[]): DiagnosticCounts {
  const counts: DiagnosticCounts = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Formats a field path the way users write it: `a.b[0].c`. */
export function formatFieldPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out;
}
