/** Diagnostics for people, grouped by file. */
import { compareDiagnostics, type Diagnostic } from "../../diagnostics/diagnostic";
import { join } from "node:path";

export function renderDiagnosticsByFile(diagnostics: readonly Diagnostic[], contentDir: string): string[] {
  const lines: string[] = [];
  let file: string | undefined;
  for (const d of [...diagnostics].sort(compareDiagnostics)) {
    if (d.file !== file) {
      file = d.file;
      lines.push(contentDir ? join(contentDir, file) : file);
    }
    const where = d.position ? `${d.position.line}:${d.position.column}` : "-";
    const field = d.field ? `${d.field}: ` : "";
    lines.push(`  ${where.padEnd(8)} ${d.severity.padEnd(7)} [${d.code}] ${field}${d.message}`);
    if (d.hint) lines.push(`  ${" ".repeat(8)} ${" ".repeat(7)} -> ${d.hint}`);
  }
  return lines;
}
