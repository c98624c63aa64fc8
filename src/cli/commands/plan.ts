/** `sentinel-iac plan`: validate everything and show what a deploy would register. */
import { relative, resolve } from "node:path";
import { readStackFile } from "../../config/stackFile";
import { buildValidatedState, failsValidation } from "../../model/validated";
import { applyStackSettings, DEFAULT_STACK_SETTINGS } from "../../model/stack";
import { renderPlanJson } from "../render/planJson";
import { renderPlanText } from "../render/planText";

export interface PlanOptions {
  content?: string;
  stack?: string;
  format: "text" | "json";
  strict?: boolean;
  /** Run the KQL checks (default true). */
  queries?: boolean;
  /** Where Pulumi.yaml and Pulumi.<stack>.yaml live; defaults to the working directory. */
  projectDir?: string;
}

export async function runPlan(options: PlanOptions, out: { write(text: string): unknown }): Promise<number> {
  const projectDir = resolve(options.projectDir ?? ".");
  let settings = DEFAULT_STACK_SETTINGS;
  let contentDir = resolve(options.content ?? projectDir);
  if (options.stack) {
    const stack = readStackFile(projectDir, options.stack);
    settings = stack.settings.stack;
    if (options.content === undefined) contentDir = resolve(projectDir, stack.settings.contentDir);
  }
  const built = await buildValidatedState(contentDir, { strict: options.strict, queries: options.queries });
  const state = applyStackSettings(built, settings);
  out.write(
    options.format === "json"
      ? renderPlanJson(state, contentDir, options.stack)
      : renderPlanText(state, displayPath(contentDir), options.stack),
  );
  return failsValidation(state, options.strict === true) ? 1 : 0;
}

/** The content directory as the user would type it from here ("" for the working directory). */
export function displayPath(dir: string): string {
  return relative(process.cwd(), dir);
}
