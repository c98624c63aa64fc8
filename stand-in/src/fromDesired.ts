/**
 * The stand-in state a workspace would hold right after `pulumi up` of a
 * desired state: every resource with exactly the properties the program
 * sends. Drift scenarios start from here and edit it like a portal user.
 */
import type { DesiredState } from "../../src/model/types";
import type { StandInAlertRule, StandInResource, StandInState, StandInWatchlist } from "./state";

export interface WorkspaceNames {
  subscriptionId: string;
  resourceGroupName: string;
  workspaceName: string;
  tenantId?: string;
}

const clone = <T>(value: T): T => structuredClone(value);

export function standInStateFromDesired(desired: DesiredState, names: WorkspaceNames): StandInState {
  const alertRules: StandInAlertRule[] = [];
  const savedSearches: StandInResource[] = [];
  const watchlists = new Map<string, StandInWatchlist>();
  for (const r of desired.resources) {
    switch (r.content) {
      case "analyticsRule":
        alertRules.push({ name: r.name, kind: r.kind, properties: clone(r.properties) as unknown as Record<string, unknown> });
        break;
      case "huntingQuery":
      case "function":
        savedSearches.push({ name: r.name, properties: clone(r.properties) as unknown as Record<string, unknown> });
        break;
      case "watchlist":
        watchlists.set(r.name.toLowerCase(), {
          name: r.name,
          properties: clone(r.properties) as unknown as Record<string, unknown>,
          items: [],
        });
        break;
      case "watchlistItem":
        watchlists
          .get(r.watchlistAlias.toLowerCase())
          ?.items.push({ name: r.name, properties: clone(r.properties) as unknown as Record<string, unknown> });
        break;
    }
  }
  return {
    subscriptionId: names.subscriptionId,
    resourceGroupName: names.resourceGroupName,
    workspaceName: names.workspaceName,
    ...(names.tenantId ? { tenantId: names.tenantId } : {}),
    alertRules,
    watchlists: [...watchlists.values()],
    savedSearches,
    tables: [],
  };
}
