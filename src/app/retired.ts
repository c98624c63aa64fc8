/** The detections retired.yaml acknowledges as removed, and the Pulumi URNs a deploy unprotects for them. */
import { readProjectName } from "../config/stackFile";
import { ConfigError } from "../config/settings";
import { buildDesiredState } from "../loader/desiredState";
import { RETIRED_FILE } from "../content/load";
import { applyStackSettings } from "../loader/stackSelection";
import { detectionNames } from "../model/detections";
import type { DesiredState, RetiredDetection } from "../model/types";
import { TYPE_TOKENS } from "../pulumi/naming";
import { resolveStackContent } from "./stackContent";

/**
 * URNs a retired rule may have in a stack: its YAML no longer says whether it was a Scheduled
 * rule or an NRT rule, nor which NRT route the stack used then (the typed NRT rule of the
 * preview package, or the generic resource), so all three are listed; unprotecting one that is
 * not in the state fails harmlessly.
 */
export function retiredRuleUrns(stack: string, project: string, id: string): string[] {
  return [TYPE_TOKENS.scheduledAlertRule, TYPE_TOKENS.nrtAlertRule, TYPE_TOKENS.genericResource].map(
    (type) => `urn:pulumi:${stack}::${project}::${type}::${id}`,
  );
}

export interface RetiredOptions {
  content?: string;
  stack?: string;
  projectDir?: string;
}

/** The retired list; a ConfigError when retired.yaml itself has errors. */
export function retiredDetections(options: RetiredOptions): RetiredDetection[] {
  const { contentDir } = resolveStackContent(options);
  return checkedRetired(buildDesiredState(contentDir));
}

function checkedRetired(state: DesiredState): RetiredDetection[] {
  const errors = state.diagnostics.filter((d) => d.severity === "error" && d.file === RETIRED_FILE);
  if (errors.length > 0)
    throw new ConfigError(`${RETIRED_FILE} has errors: ${errors.map((e) => `${e.position?.line ?? "?"}: ${e.message}`).join("; ")}`);
  return state.retired;
}

/** Rule ids are GUIDs; other entries (functions) have nothing to unprotect. */
const RULE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The URNs of the rules retired from a stack (everywhere, or from this stack by name), for
 * `pulumi state unprotect`. Unprotecting them all on every deploy is safe because no retired
 * id can be deployed: an id retired everywhere that a file defines is a content error, and one
 * retired from this stack that the stack still selects is refused here, so the only URNs that
 * lose protection are of rules the program no longer registers (see docs/safe-deletes.md).
 */
export function retiredUrns(options: RetiredOptions): string[] {
  if (!options.stack) throw new ConfigError("--urns needs --stack: a URN names the stack");
  const stack = options.stack;
  const { projectDir, contentDir, settings } = resolveStackContent(options);
  const project = readProjectName(projectDir);
  const state = buildDesiredState(contentDir);
  const retired = checkedRetired(state);
  const deployed = new Set(applyStackSettings(state, settings).resources.flatMap(detectionNames));
  const applicable = retired.filter((r) => r.stacks === undefined || r.stacks.includes(stack));
  const stillDeployed = applicable.filter((r) => deployed.has(r.id));
  if (stillDeployed.length > 0) {
    throw new ConfigError(
      `retired.yaml retires ${stillDeployed.map((r) => r.id).join(", ")} from stack ${stack}, but the stack still deploys ${stillDeployed.length === 1 ? "it" : "them"}; nothing was unprotected. Fix the entry or the stack's include/exclude.`,
    );
  }
  return applicable.filter((r) => RULE_ID.test(r.id)).flatMap((r) => retiredRuleUrns(stack, project, r.id));
}
