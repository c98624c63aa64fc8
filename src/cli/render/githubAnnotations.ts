/**
 * GitHub Actions workflow commands (`::error file=...,line=...::message`), so
 * each problem is annotated on the pull request's changed lines.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic";
import { diagnosticText, diagnosticUri } from "../../diagnostics/format";

const COMMAND = { error: "error", warning: "warning", info: "notice" } as const;

/** Escaping rules of workflow commands: data escapes %, CR, LF; properties also `:` and `,`. */
const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

export function renderGithubAnnotations(diagnostics: readonly Diagnostic[], contentDir: string): string {
  return diagnostics
    .map((d) => {
      const props = [`file=${escapeProperty(diagnosticUri(d, contentDir))}`];
      if (d.position) {
        props.push(`line=${d.position.line}`, `col=${d.position.column}`);
        if (d.end && d.end.line >= d.position.line) props.push(`endLine=${d.end.line}`, `endColumn=${d.end.column}`);
      }
      props.push(`title=${escapeProperty(`sentinel-iac ${d.code}`)}`);
      return `::${COMMAND[d.severity]} ${props.join(",")}::${escapeData(diagnosticText(d))}\n`;
    })
    .join("");
}
