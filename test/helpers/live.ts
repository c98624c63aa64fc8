/** Live workspaces for tests: stand-in states rendered exactly as the stand-in serves them. */
import type { LiveWorkspace } from "../../src/azure/liveWorkspace";
import { ALERT_RULES_API_VERSION } from "../../src/azure/liveWorkspace";
import type { DesiredResource, DesiredState } from "../../src/model/types";
import { alertRuleForApiVersion } from "../../stand-in/src/apiVersions";
import { renderWorkspace } from "../../stand-in/src/armResources";
import { standInStateFromDesired } from "../../stand-in/src/fromDesired";
import type { StandInState } from "../../stand-in/src/state";

export const TEST_WORKSPACE = {
  subscriptionId: "00000000-0000-4000-8000-0000000000a1",
  resourceGroupName: "rg-soc",
  workspaceName: "law-soc",
} as const;

/** The bodies the reader would get from the stand-in for this state. */
export function liveFromState(state: StandInState): LiveWorkspace {
  const rendered = renderWorkspace(state);
  return {
    alertRules: rendered.alertRules.map((r) => alertRuleForApiVersion(r, ALERT_RULES_API_VERSION)),
    watchlists: rendered.watchlists.map((w) => ({ ...w.body, items: w.items })),
    savedSearches: rendered.savedSearches,
  };
}

/** The workspace right after deploying these resources. */
export function deployedState(resources: readonly DesiredResource[]): StandInState {
  const state: DesiredState = { resources: [...resources], diagnostics: [], files: [], retired: [], tests: [] };
  return standInStateFromDesired(state, TEST_WORKSPACE);
}
