/**
 * `sentinel-iac summarize --base <ref>`: what a pull request does to the
 * detections, for reviewers. Compares the content at the merge base of
 * <ref> and HEAD with the working tree; needs git, not Azure.
 * Exit codes: 0, or 1 on content errors or a removal retired.yaml does not acknowledge.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readStackFile, resolveStackContent } from "../../config/stackFile";
import { buildDesiredState } from "../../model/build";
import { applyStackSettings, comparisonSettings, type StackSettings } from "../../model/stack";
import type { DesiredState } from "../../model/types";
import { checkoutBase, GitBaseError, pathInRepository } from "../../summary/gitBase";
import { renderSummaryJson, renderSummaryMarkdown } from "../../summary/render";
import { detectionIds, summarizeChanges, summaryFails, type ChangeSummary, type SummaryContext } from "../../summary/summarize";
import type { Output } from "./diff";

export interface SummarizeOptions {
  base: string;
  content?: string;
  stack?: string;
  projectDir?: string;
  format: "markdown" | "json";
  output?: string;
}

interface Sides {
  base: DesiredState;
  head: DesiredState;
  ref: { ref: string; commit: string };
  context: SummaryContext;
}

/** The content at the merge base of `base` and HEAD, with the base's own stack settings. */
export function loadBase(
  base: string,
  projectDir: string,
  contentDir: string,
  stack: string | undefined,
  headSettings: StackSettings,
): Pick<Sides, "base" | "ref"> {
  const checkout = checkoutBase(contentDir, base);
  try {
    // The base side uses the base's own stack file: a changed selection or override is part of the change.
    const baseProjectDir = join(checkout.root, pathInRepository(checkout.repositoryRoot, projectDir));
    // A stack created by this change is compared with its own selection at both ends.
    const settings =
      stack && existsSync(join(baseProjectDir, `Pulumi.${stack}.yaml`))
        ? readStackFile(baseProjectDir, stack).settings.stack
        : headSettings;
    return {
      base: applyStackSettings(buildDesiredState(checkout.contentDir), comparisonSettings(settings)),
      ref: { ref: checkout.ref, commit: checkout.commit },
    };
  } finally {
    checkout.dispose();
  }
}

/** The content at the base and in the working tree, each with its own stack settings. */
export function loadSides(options: Pick<SummarizeOptions, "base" | "content" | "stack" | "projectDir">): Sides {
  const { projectDir, contentDir, settings } = resolveStackContent(options);
  const { base, ref } = loadBase(options.base, projectDir, contentDir, options.stack, settings);
  const all = buildDesiredState(contentDir);
  const repositoryDetections = detectionIds(all);
  return {
    base,
    ref,
    head: applyStackSettings(all, comparisonSettings(settings)),
    context: { ...(options.stack ? { stack: options.stack } : {}), repositoryDetections },
  };
}

export function summarize(options: Pick<SummarizeOptions, "base" | "content" | "stack" | "projectDir">): ChangeSummary {
  const sides = loadSides(options);
  return summarizeChanges(sides.base, sides.head, sides.ref, sides.context);
}

export function runSummarize(options: SummarizeOptions, out: Output, err: Output): number {
  let summary: ChangeSummary;
  try {
    summary = summarize(options);
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
