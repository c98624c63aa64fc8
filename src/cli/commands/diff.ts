/**
 * `sentinel-iac diff`: the live workspace against Git, resource by resource
 * and field by field. Read-only: it lists, it never writes.
 * Exit codes: 0 no drift, 2 drift, 1 error.
 */
import { writeFileSync } from "node:fs";
import type { LiveReadOptions } from "../../azure/liveWorkspace";
import type { AzureTarget } from "../../azure/target";
import { compareLive } from "../../app/liveComparison";
import type { TargetFlags } from "../../app/target";
import type { DriftReport } from "../../diff/compare";
import { renderDriftJson, renderDriftMarkdown, renderDriftText } from "../../diff/render";
import { displayPath, reportingReadErrors, requireOutputFolder, writeContentErrors, type Output } from "../output";

export type DiffFormat = "text" | "json" | "markdown";

export interface DiffOptions extends TargetFlags {
  format: DiffFormat;
  /** Also write the report to this file (e.g. the Markdown for a PR comment). */
  output?: string;
  /** How to reach Azure: tests and the stand-in pass a credential or CA here. */
  connection?: LiveReadOptions;
}

export const DIFF_EXIT = { clean: 0, error: 1, drift: 2 } as const;

function renderDrift(report: DriftReport, target: AzureTarget, contentDir: string, format: DiffFormat): string {
  switch (format) {
    case "json":
      return renderDriftJson(report, target, displayPath(contentDir));
    case "markdown":
      return renderDriftMarkdown(report, target);
    case "text":
      return renderDriftText(report, target, displayPath(contentDir));
  }
}

export function runDiff(options: DiffOptions, out: Output, err: Output): Promise<number> {
  requireOutputFolder("--output", options.output);
  return reportingReadErrors(err, async () => {
    const comparison = await compareLive(options, "diff");
    if ("errors" in comparison) {
      writeContentErrors(comparison.errors, comparison.contentDir, err);
      return DIFF_EXIT.error;
    }
    const text = renderDrift(comparison.report, comparison.target, comparison.contentDir, options.format);
    out.write(text);
    if (options.output) writeFileSync(options.output, text);
    return comparison.report.drift ? DIFF_EXIT.drift : DIFF_EXIT.clean;
  });
}
