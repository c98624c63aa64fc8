/**
 * The plan: everything validated, the stack's settings applied, removals
 * checked against a base ref, and (when a workspace is named) how the live
 * workspace differs.
 */
import { resolve } from "node:path";
import { readLiveWorkspace, type LiveReadOptions } from "../azure/liveWorkspace";
import type { AzureTarget } from "../azure/target";
import { countDiagnostics, hasErrors } from "../diagnostics/diagnostic";
import { compareWorkspace, type DriftReport } from "../diff/compare";
import { applyStackSettings } from "../loader/stackSelection";
import { buildValidatedState, failsValidation } from "../loader/validatedState";
import type { DesiredResource, DesiredState } from "../model/types";
import { ChangeLoader } from "./baseContent";
import { requireContent } from "../loader/contentFolder";
import type { ProgressReporter } from "../util/progress";
import { removalDiagnostics } from "./removals";
import { gitDefinitions } from "./gitDefinitions";
import { requireTarget, resolveTarget, targetRequested, type ResolvedTarget, type TargetFlags } from "./target";

export interface PlanOptions extends TargetFlags {
  /** Compare with the content at this git ref: a removed detection must be acknowledged in retired.yaml. */
  base?: string;
  strict?: boolean;
  /** Run the KQL checks (default true). */
  queries?: boolean;
  /** Never read the live workspace, even when one is configured. */
  offline?: boolean;
  /** An empty content folder is a plan of nothing instead of an error. */
  allowEmpty?: boolean;
  connection?: LiveReadOptions;
  progress?: ProgressReporter;
}

export type LiveSection = { target: AzureTarget; report: DriftReport } | { target: AzureTarget; error: string } | { skipped: string };

export interface Plan {
  contentDir: string;
  state: DesiredState;
  live?: LiveSection;
  /** Errors (or warnings with --strict), or a live workspace that could not be read. */
  failed: boolean;
  /** Why it failed, one sentence each (empty when it did not). */
  failures: string[];
}

function failureReasons(state: DesiredState, strict: boolean, live: LiveSection | undefined): string[] {
  const counts = countDiagnostics(state.diagnostics);
  const reasons: string[] = [];
  if (counts.error > 0) reasons.push(`${counts.error} error(s) in the content: fix them`);
  if (strict && counts.warning > 0)
    reasons.push(`${counts.warning} warning(s), which --strict counts as failures: fix them, or run without --strict`);
  if (live && "error" in live)
    reasons.push(`the live workspace could not be read (see above): fix the access, or pass --offline to plan without it`);
  return reasons;
}

async function liveSection(
  options: PlanOptions,
  resolved: ResolvedTarget,
  all: DesiredState,
  selected: DesiredState,
): Promise<LiveSection | undefined> {
  if (options.offline || !targetRequested(options)) return undefined;
  const explicit = Boolean(options.subscription || options.resourceGroup || options.workspace);
  // Flags ask for the live section outright; a stack only when its config names a whole workspace.
  if (!resolved.target && !explicit)
    return { skipped: `no live section: the stack does not name a whole workspace (missing ${resolved.missing.join("; ")})` };
  const target = requireTarget(resolved, "plan");
  try {
    const live = await readLiveWorkspace(target, options.connection ?? {});
    const gitElsewhere = gitDefinitions(resolved.projectDir, resolved.contentDir, all, selected);
    return {
      target,
      report: compareWorkspace(selected.resources, live, { ignoreUnmanaged: resolved.settings.ignoreUnmanaged, gitElsewhere }),
    };
  } catch (error) {
    return { target, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function buildPlan(options: PlanOptions): Promise<Plan> {
  const projectDir = resolve(options.projectDir ?? ".");
  const resolved = resolveTarget(options);
  const validation = {
    strict: options.strict,
    queries: options.queries,
    ...(options.progress ? { progress: options.progress } : {}),
  };
  let state: DesiredState;
  let all: DesiredState;
  if (options.base) {
    // The base first: a duplicate id is then reported on the file the change added.
    const loader = new ChangeLoader(projectDir, options.base, resolved.contentDir);
    try {
      const built = await buildValidatedState(resolved.contentDir, { ...validation, established: loader.established(resolved.contentDir) });
      requireContent(resolved.contentDir, built.files, options.allowEmpty);
      const removals = removalDiagnostics(loader, resolved.contentDir, built);
      all = built;
      state = applyStackSettings({ ...built, diagnostics: [...built.diagnostics, ...removals] }, resolved.settings);
    } finally {
      loader.dispose();
    }
  } else {
    const built = await buildValidatedState(resolved.contentDir, validation);
    requireContent(resolved.contentDir, built.files, options.allowEmpty);
    all = built;
    state = applyStackSettings(built, resolved.settings);
  }
  const live = hasErrors(state.diagnostics) ? undefined : await liveSection(options, resolved, all, state);
  return {
    contentDir: resolved.contentDir,
    state,
    ...(live ? { live } : {}),
    failed: failsValidation(state, options.strict === true) || (live !== undefined && "error" in live),
    failures: failureReasons(state, options.strict === true, live),
  };
}
