/**
 * `sentinel-iac plan`: validate everything and show what a deploy would
 * register. With a workspace (target flags, or a stack whose config names
 * one) it adds the live section: how that workspace differs from Git.
 */
import { relative, resolve } from "node:path";
import { readLiveWorkspace, type LiveReadOptions } from "../../azure/liveWorkspace";
import { hasErrors } from "../../diagnostics/diagnostic";
import { compareWorkspace, type DriftReport } from "../../diff/compare";
import { driftJson, renderDriftText } from "../../diff/render";
import { buildValidatedState, failsValidation } from "../../model/validated";
import { applyStackSettings, comparisonSettings, type StackSettings } from "../../model/stack";
import type { AzureTarget } from "../../azure/target";
import { renderPlanJson } from "../render/planJson";
import { renderPlanText } from "../render/planText";
import { requireTarget, resolveTarget, targetRequested, type ResolvedTarget, type TargetFlags } from "./workspaceTarget";
import { loadBase } from "./summarize";
import { detectionIds, summarizeChanges } from "../../summary/summarize";
import { RETIRED_FILE } from "../../content/load";
import type { Diagnostic } from "../../diagnostics/diagnostic";
import type { DesiredState } from "../../model/types";

export interface PlanOptions extends TargetFlags {
  /** Compare with the content at this git ref: a removed detection must be acknowledged in retired.yaml. */
  base?: string;
  format: "text" | "json";
  strict?: boolean;
  /** Run the KQL checks (default true). */
  queries?: boolean;
  /** Never read the live workspace, even when one is configured. */
  offline?: boolean;
  connection?: LiveReadOptions;
}

type LiveSection = { target: AzureTarget; report: DriftReport } | { target: AzureTarget; error: string } | { skipped: string };

async function liveSection(
  options: PlanOptions,
  resolved: ResolvedTarget,
  state: Parameters<typeof compareWorkspace>[0],
): Promise<LiveSection | undefined> {
  if (options.offline || !targetRequested(options)) return undefined;
  const explicit = Boolean(options.subscription || options.resourceGroup || options.workspace);
  // Flags ask for the live section outright; a stack only when its config names a whole workspace.
  if (!resolved.target && !explicit)
    return { skipped: `no live section: the stack does not name a whole workspace (missing ${resolved.missing.join("; ")})` };
  const target = requireTarget(resolved, "plan");
  try {
    const live = await readLiveWorkspace(target, options.connection ?? {});
    return { target, report: compareWorkspace(state, live, { ignoreUnmanaged: resolved.settings.ignoreUnmanaged }) };
  } catch (error) {
    return { target, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function runPlan(options: PlanOptions, out: { write(text: string): unknown }): Promise<number> {
  const projectDir = resolve(options.projectDir ?? ".");
  const resolved = resolveTarget(options);
  const built = await buildValidatedState(resolved.contentDir, { strict: options.strict, queries: options.queries });
  let state = applyStackSettings(built, resolved.settings);
  if (options.base) {
    const removals = removalDiagnostics(
      options.base,
      projectDir,
      resolved,
      options.stack,
      built,
      applyStackSettings(built, comparisonSettings(resolved.settings)),
    );
    state = { ...state, diagnostics: [...state.diagnostics, ...removals] };
  }
  const live = hasErrors(state.diagnostics) ? undefined : await liveSection(options, resolved, state.resources);
  const contentDir = resolved.contentDir;
  if (options.format === "json") {
    const doc = JSON.parse(renderPlanJson(state, contentDir, options.stack)) as Record<string, unknown>;
    if (live) doc["live"] = "report" in live ? driftJson(live.report, live.target, displayPath(contentDir)) : live;
    out.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    let text = renderPlanText(state, displayPath(contentDir), options.stack);
    if (live) {
      text += "\n";
      if ("report" in live) text += renderDriftText(live.report, live.target, displayPath(contentDir));
      else if ("error" in live) text += `Live workspace ${live.target.workspaceName} could not be read: ${live.error}\n`;
      else text += `(${live.skipped}; pass --offline to silence this)\n`;
    }
    out.write(text);
  }
  return failsValidation(state, options.strict === true) || (live !== undefined && "error" in live) ? 1 : 0;
}

/** A detection that was in the base and is gone, without a retired.yaml entry, fails the plan. */
function removalDiagnostics(
  base: string,
  projectDir: string,
  resolved: { contentDir: string; settings: StackSettings },
  stack: string | undefined,
  all: DesiredState,
  head: DesiredState,
): Diagnostic[] {
  // A GitBaseError (no git, unknown ref) reaches the CLI's error handler like any other.
  const before = loadBase(base, projectDir, resolved.contentDir, stack, resolved.settings);
  const repositoryDetections = detectionIds(all);
  return summarizeChanges(before.base, head, before.ref, { ...(stack ? { stack } : {}), repositoryDetections })
    .findings.filter((f) => f.code === "unacknowledged-removal")
    .map((f) => ({
      severity: "error" as const,
      code: "plan/unacknowledged-removal",
      file: f.subject?.file ?? RETIRED_FILE,
      message: f.message,
      hint: `Add { id: ${f.subject?.name ?? "<id>"}, reason: ... } to ${RETIRED_FILE} to retire it, or restore the file.`,
    }));
}

/** The content directory as the user would type it from here ("" for the working directory). */
export function displayPath(dir: string): string {
  return relative(process.cwd(), dir);
}
