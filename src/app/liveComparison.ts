/** The content as a stack deploys it, read against the live workspace it deploys to. */
import { readLiveWorkspace, type LiveReadOptions, type LiveWorkspace } from "../azure/liveWorkspace";
import type { AzureTarget } from "../azure/target";
import type { Diagnostic } from "../diagnostics/diagnostic";
import { compareWorkspace, type DriftReport } from "../diff/compare";
import { buildDesiredState } from "../loader/desiredState";
import { applyStackSettings, comparisonSettings, stackSelects } from "../loader/stackSelection";
import type { StackSettings } from "../model/stack";
import type { DesiredState } from "../model/types";
import { gitDefinitions, type GitDefinitions } from "./gitDefinitions";
import { requireTarget, resolveTarget, type TargetFlags } from "./target";

/** The content as the stack deploys it, for comparing (see comparisonSettings). */
export function desiredForStack(contentDir: string, settings: StackSettings): DesiredState {
  return applyStackSettings(buildDesiredState(contentDir), comparisonSettings(settings));
}

export interface LiveComparison {
  target: AzureTarget;
  contentDir: string;
  desired: DesiredState;
  live: LiveWorkspace;
  report: DriftReport;
  /** What Git defines beyond the stack's selection (other stacks, retired.yaml). */
  git: GitDefinitions;
  /** The stack's NRT route, which decides the type an adopted NRT rule is imported as. */
  nrtRules: StackSettings["nrtRules"];
  /** The stack named, when its include/exclude leave some content files out. */
  selection?: { stack: string; selects: (file: string) => boolean };
}

/** Content errors stop a comparison: a diff of partly loaded content would report the rest as unmanaged. */
export interface ContentErrors {
  contentDir: string;
  errors: Diagnostic[];
}

/** Resolves the target, loads the content and the workspace, and compares them. */
export async function compareLive(
  options: TargetFlags & { connection?: LiveReadOptions },
  command: string,
): Promise<LiveComparison | ContentErrors> {
  const resolved = resolveTarget(options);
  const target = requireTarget(resolved, command);
  const all = buildDesiredState(resolved.contentDir);
  const desired = applyStackSettings(all, comparisonSettings(resolved.settings));
  const errors = desired.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) return { contentDir: resolved.contentDir, errors };
  const git = gitDefinitions(resolved.projectDir, resolved.contentDir, all, desired);
  const live = await readLiveWorkspace(target, options.connection ?? {});
  return {
    target,
    contentDir: resolved.contentDir,
    desired,
    live,
    report: compareWorkspace(desired.resources, live, { ignoreUnmanaged: resolved.settings.ignoreUnmanaged, gitElsewhere: git }),
    git,
    nrtRules: resolved.settings.nrtRules,
    ...(options.stack && resolved.settings.include.length + resolved.settings.exclude.length > 0
      ? { selection: { stack: options.stack, selects: stackSelects(resolved.settings) } }
      : {}),
  };
}
