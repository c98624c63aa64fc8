/**
 * `sentinel-iac diff`: the live workspace against Git, resource by resource
 * and field by field. Read-only: it lists, it never writes.
 * Exit codes: 0 no drift, 2 drift, 1 error.
 */
import { writeFileSync } from "node:fs";
import { readLiveWorkspace, type LiveReadOptions, type LiveWorkspace } from "../../azure/liveWorkspace";
import { AzureReadError } from "../../azure/readError";
import type { AzureTarget } from "../../azure/target";
import { hasErrors } from "../../diagnostics/diagnostic";
import { compareWorkspace, type DriftReport } from "../../diff/compare";
import { renderDriftJson, renderDriftMarkdown, renderDriftText } from "../../diff/render";
import { buildDesiredState } from "../../model/build";
import { applyStackSettings, comparisonSettings, type StackSettings } from "../../model/stack";
import type { DesiredState } from "../../model/types";
import { renderDiagnosticsByFile } from "../render/diagnosticsText";
import { displayPath } from "./plan";
import { requireTarget, resolveTarget, type TargetFlags } from "./workspaceTarget";

export type DiffFormat = "text" | "json" | "markdown";

export interface DiffOptions extends TargetFlags {
  format: DiffFormat;
  /** Also write the report to this file (e.g. the Markdown for a PR comment). */
  output?: string;
  /** How to reach Azure: tests and the stand-in pass a credential or CA here. */
  connection?: LiveReadOptions;
}

export interface Output {
  write(text: string): unknown;
}

export const DIFF_EXIT = { clean: 0, error: 1, drift: 2 } as const;

/** The content as the stack deploys it, for comparing (see comparisonSettings). */
export function desiredForStack(contentDir: string, settings: StackSettings): DesiredState {
  return applyStackSettings(buildDesiredState(contentDir), comparisonSettings(settings));
}

/** Reports content errors on `err`; returns true when there were any. */
export function reportContentErrors(state: DesiredState, contentDir: string, err: Output): boolean {
  if (!hasErrors(state.diagnostics)) return false;
  const errors = state.diagnostics.filter((d) => d.severity === "error");
  err.write(`${renderDiagnosticsByFile(errors, displayPath(contentDir)).join("\n")}\n`);
  err.write(
    `error: the content has ${errors.length} error(s); fix them first, since a diff of partly loaded content would report the rest as unmanaged.\n`,
  );
  return true;
}

export function renderDrift(report: DriftReport, target: AzureTarget, contentDir: string, format: DiffFormat): string {
  switch (format) {
    case "json":
      return renderDriftJson(report, target, displayPath(contentDir));
    case "markdown":
      return renderDriftMarkdown(report, target);
    case "text":
      return renderDriftText(report, target, displayPath(contentDir));
  }
}

export interface LiveComparison {
  target: AzureTarget;
  contentDir: string;
  desired: DesiredState;
  live: LiveWorkspace;
  report: DriftReport;
}

/** Resolves the target, loads the content and the workspace, and compares them. Undefined when the content has errors. */
export async function compareLive(
  options: TargetFlags & { connection?: LiveReadOptions },
  command: string,
  err: Output,
): Promise<LiveComparison | undefined> {
  const resolved = resolveTarget(options);
  const target = requireTarget(resolved, command);
  const desired = desiredForStack(resolved.contentDir, resolved.settings);
  if (reportContentErrors(desired, resolved.contentDir, err)) return undefined;
  const live = await readLiveWorkspace(target, options.connection ?? {});
  return {
    target,
    contentDir: resolved.contentDir,
    desired,
    live,
    report: compareWorkspace(desired.resources, live, { ignoreUnmanaged: resolved.settings.ignoreUnmanaged }),
  };
}

/** Runs a live command, turning a failed Azure read into its message on `err` and exit code 1. */
export async function reportingReadErrors(err: Output, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof AzureReadError)) throw error;
    err.write(`error: ${error.message}\n`);
    return DIFF_EXIT.error;
  }
}

export function runDiff(options: DiffOptions, out: Output, err: Output): Promise<number> {
  return reportingReadErrors(err, () => diffCommand(options, out, err));
}

async function diffCommand(options: DiffOptions, out: Output, err: Output): Promise<number> {
  const comparison = await compareLive(options, "diff", err);
  if (!comparison) return DIFF_EXIT.error;
  const text = renderDrift(comparison.report, comparison.target, comparison.contentDir, options.format);
  out.write(text);
  if (options.output) writeFileSync(options.output, text);
  return comparison.report.drift ? DIFF_EXIT.drift : DIFF_EXIT.clean;
}
