/** The detections retired.yaml acknowledges as removed, and the Pulumi URNs a deploy unprotects for them. */
import { readProjectName } from "../config/stackFile";
import { ConfigError } from "../config/settings";
import { buildDesiredState } from "../loader/desiredState";
import type { RetiredDetection } from "../model/types";
import { TYPE_TOKENS } from "../pulumi/naming";
import { resolveStackContent } from "./stackContent";

/**
 * URNs a retired rule may have in a stack: its YAML no longer says whether it was a
 * Scheduled rule or an NRT rule (the generic resource), so both are listed; unprotecting
 * one that is not in the state fails harmlessly.
 */
export function retiredRuleUrns(stack: string, project: string, id: string): string[] {
  return [TYPE_TOKENS.scheduledAlertRule, TYPE_TOKENS.genericResource].map((type) => `urn:pulumi:${stack}::${project}::${type}::${id}`);
}

export interface RetiredOptions {
  content?: string;
  stack?: string;
  projectDir?: string;
}

/** The retired list; a ConfigError when retired.yaml itself has errors. */
export function retiredDetections(options: RetiredOptions): RetiredDetection[] {
  const { contentDir } = resolveStackContent(options);
  const state = buildDesiredState(contentDir);
  const errors = state.diagnostics.filter((d) => d.severity === "error" && d.file === "retired.yaml");
  if (errors.length > 0)
    throw new ConfigError(`retired.yaml has errors: ${errors.map((e) => `${e.position?.line ?? "?"}: ${e.message}`).join("; ")}`);
  return state.retired;
}

/** The URNs of the retired rules in a stack, for `pulumi state unprotect`. */
export function retiredUrns(options: RetiredOptions): string[] {
  if (!options.stack) throw new ConfigError("--urns needs --stack: a URN names the stack");
  const stack = options.stack;
  const { projectDir } = resolveStackContent(options);
  const project = readProjectName(projectDir);
  return retiredDetections(options).flatMap((r) => retiredRuleUrns(stack, project, r.id));
}
