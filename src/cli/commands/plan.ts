/** `sentinel-iac plan`: validate everything and show what a deploy would register. */
import { relative, resolve } from "node:path";
import { readStackFile } from "../../config/stackFile";
import { hasErrors } from "../../diagnostics/diagnostic";
import { buildDesiredState } from "../../model/build";
import { applyStackSettings, DEFAULT_STACK_SETTINGS } from "../../model/stack";
import { renderPlanJson } from "../render/planJson";
import { renderPlanText } from "../render/planText";

export interface PlanOptions {
  content?: string;
  stack?: string;
  format: "text" | "json";
  /** Where Pulumi.yaml and Pulumi.<stack>.yaml live; defaults to the working directory. */
  projectDir?: string;
}

export function runPlan(options: PlanOptions, out: { write(text: string): unknown }): number {
  const projectDir = resolve(options.projectDir ?? ".");
  let settings = DEFAULT_STACK_SETTINGS;
  let contentDir = resolve(options.content ?? projectDir);
  if (options.stack) {
    const stack = readStackFile(projectDir, options.stack);
    settings = stack.settings.stack;
    if (options.content === undefined) contentDir = resolve(projectDir, stack.settings.contentDir);
  }
  const state = applyStackSettings(buildDesiredState(contentDir), settings);
  out.write(
    options.format === "json"
      ? renderPlanJson(state, contentDir, options.stack)
      : renderPlanText(state, displayPath(contentDir), options.stack),
  );
  return hasErrors(state.diagnostics) ? 1 : 0;
}

/** The content directory as the user would type it from here ("" for the working directory). */
export function displayPath(dir: string): string {
  return relative(process.cwd(), dir);
}
