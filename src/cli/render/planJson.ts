/** The machine-readable plan: the whole desired state and every diagnostic. */
import type { DesiredState } from "../../model/types";
import { summarizePlan } from "./planText";

export const PLAN_FORMAT_VERSION = 1;

export function renderPlanJson(state: DesiredState, contentDir: string, stack?: string): string {
  const doc = {
    formatVersion: PLAN_FORMAT_VERSION,
    contentDir,
    ...(stack ? { stack } : {}),
    summary: summarizePlan(state),
    resources: state.resources.map((r) => ({
      key: r.key,
      type: r.type,
      name: r.name,
      ...("kind" in r ? { kind: r.kind } : {}),
      ...(r.content === "watchlistItem" ? { watchlistAlias: r.watchlistAlias } : {}),
      content: r.content,
      apiVersion: r.apiVersion,
      properties: r.properties,
      dependsOn: r.dependsOn,
      origin: r.origin,
    })),
    diagnostics: state.diagnostics,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
