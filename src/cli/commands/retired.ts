/**
 * `sentinel-iac retired`: the detections retired.yaml acknowledges as removed.
 * With `--urns`, the Pulumi URNs a deploy pipeline unprotects before
 * `pulumi up`, so the retired rules (protected while they were deployed) can
 * be deleted: see docs/safe-deletes.md.
 */
import { readProjectName, resolveStackContent } from "../../config/stackFile";
import { ConfigError } from "../../config/settings";
import { buildDesiredState } from "../../model/build";
import { TYPE_TOKENS } from "../../pulumi/naming";
import type { Output } from "./diff";

export interface RetiredOptions {
  content?: string;
  stack?: string;
  urns?: boolean;
  format: "text" | "json";
  projectDir?: string;
}

/**
 * URNs a retired rule may have in a stack: its YAML no longer says whether it was a
 * Scheduled rule or an NRT rule (the generic resource), so both are listed; unprotecting
 * one that is not in the state fails harmlessly.
 */
export function retiredRuleUrns(stack: string, project: string, id: string): string[] {
  return [TYPE_TOKENS.scheduledAlertRule, TYPE_TOKENS.genericResource].map((type) => `urn:pulumi:${stack}::${project}::${type}::${id}`);
}

export function runRetired(options: RetiredOptions, out: Output): number {
  const { projectDir, contentDir } = resolveStackContent(options);
  const state = buildDesiredState(contentDir);
  const errors = state.diagnostics.filter((d) => d.severity === "error" && d.file === "retired.yaml");
  if (errors.length > 0)
    throw new ConfigError(`retired.yaml has errors: ${errors.map((e) => `${e.position?.line ?? "?"}: ${e.message}`).join("; ")}`);
  if (options.urns) {
    if (!options.stack) throw new ConfigError("--urns needs --stack: a URN names the stack");
    const project = readProjectName(projectDir);
    const urns = state.retired.flatMap((r) => retiredRuleUrns(options.stack!, project, r.id));
    out.write(options.format === "json" ? `${JSON.stringify(urns, null, 2)}\n` : urns.map((u) => `${u}\n`).join(""));
    return 0;
  }
  if (options.format === "json") {
    out.write(`${JSON.stringify(state.retired, null, 2)}\n`);
  } else if (state.retired.length === 0) {
    out.write("No retired detections (retired.yaml lists none).\n");
  } else {
    for (const r of state.retired) out.write(`${r.id}  ${r.name ?? ""}${r.date ? `  retired ${r.date}` : ""}\n    ${r.reason}\n`);
  }
  return 0;
}
