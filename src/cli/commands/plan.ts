/**
 * `sentinel-iac plan`: validate everything and show what a deploy would
 * register. With a workspace (target flags, or a stack whose config names
 * one) it adds the live section: how that workspace differs from Git.
 */
import { buildPlan, type PlanOptions as PlanUseCaseOptions } from "../../app/plan";
import { driftJson, renderDriftText } from "../../diff/render";
import { displayPath, type Output } from "../output";
import { renderPlanJson } from "../render/planJson";
import { renderPlanText } from "../render/planText";

export interface PlanOptions extends PlanUseCaseOptions {
  format: "text" | "json";
}

export async function runPlan(options: PlanOptions, out: Output): Promise<number> {
  const { contentDir, state, live, failed, failures } = await buildPlan(options);
  if (options.format === "json") {
    const doc = JSON.parse(renderPlanJson(state, contentDir, options.stack)) as Record<string, unknown>;
    if (live) doc["live"] = "report" in live ? driftJson(live.report, live.target, displayPath(contentDir)) : live;
    doc["failed"] = failed;
    doc["failures"] = failures;
    out.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    let text = renderPlanText(state, displayPath(contentDir), options.stack);
    if (live) {
      text += "\n";
      if ("report" in live) text += renderDriftText(live.report, live.target, displayPath(contentDir));
      else if ("error" in live) text += `Live workspace ${live.target.workspaceName} could not be read: ${live.error}\n`;
      else text += `(${live.skipped}; pass --offline to silence this)\n`;
    }
    // Errors already end the plan with "Not deployable"; say why when something else failed it.
    const unexplained = failures.filter((f) => !/ error\(s\) in the content/.test(f));
    if (failed && unexplained.length > 0) text += `Failed: ${unexplained.join("; ")}.\n`;
    out.write(text);
  }
  return failed ? 1 : 0;
}
