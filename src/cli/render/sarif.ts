/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer): one result per
 * diagnostic, located relative to the repository root.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic";
import { diagnosticText, diagnosticUri } from "../../diagnostics/format";

const LEVEL = { error: "error", warning: "warning", info: "note" } as const;

export function renderSarif(diagnostics: readonly Diagnostic[], contentDir: string, toolVersion: string): string {
  const rules = [...new Set(diagnostics.map((d) => d.code))].sort().map((id) => ({
    id,
    name: id.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : "")),
    shortDescription: { text: id },
    help: { text: "The checks, their levels and their sources are listed in docs/validation.md." },
  }));
  const results = diagnostics.map((d) => ({
    ruleId: d.code,
    level: LEVEL[d.severity],
    message: { text: diagnosticText(d) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: diagnosticUri(d, contentDir), uriBaseId: "%SRCROOT%" },
          ...(d.position
            ? {
                region: {
                  startLine: d.position.line,
                  startColumn: d.position.column,
                  ...(d.end && (d.end.line > d.position.line || d.end.column > d.position.column)
                    ? { endLine: d.end.line, endColumn: d.end.column }
                    : {}),
                },
              }
            : {}),
        },
      },
    ],
  }));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "sentinel-iac", version: toolVersion, rules } },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
