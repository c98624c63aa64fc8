/**
 * `sentinel-iac summarize --base <ref>`: what a pull request does to the
 * detections, for reviewers. Compares the content at the merge base of
 * <ref> and HEAD with the working tree; needs git, not Azure.
 * Exit codes: 0, or 1 on content errors (KQL included) or a removal retired.yaml does not acknowledge.
 */
import { writeFileSync } from "node:fs";
import { summarizeChange, type ChangeOptions } from "../../app/baseContent";
import { GitBaseError } from "../../app/gitBase";
import { renderSummaryJson, renderSummaryMarkdown } from "../../summary/render";
import { summaryFails, type ChangeSummary } from "../../summary/summarize";
import { requireOutputFolder, type Output } from "../output";

export interface SummarizeOptions extends ChangeOptions {
  format: "markdown" | "json";
  output?: string;
}

export async function runSummarize(options: SummarizeOptions, out: Output, err: Output): Promise<number> {
  requireOutputFolder("--output", options.output);
  let summary: ChangeSummary;
  try {
    summary = await summarizeChange(options);
  } catch (error) {
    if (!(error instanceof GitBaseError)) throw error;
    err.write(`error: ${error.message}\n`);
    return 1;
  }
  const text = options.format === "json" ? renderSummaryJson(summary) : renderSummaryMarkdown(summary);
  out.write(text);
  if (options.output) writeFileSync(options.output, text);
  return summaryFails(summary) ? 1 : 0;
}
