/** Full Azure Resource Manager ids of model resources in one workspace, in the form azure-native's import expects. */
import type { DesiredResource } from "../model/types";

export interface WorkspaceScope {
  subscriptionId: string;
  resourceGroupName: string;
  workspaceName: string;
}

export function workspaceId(scope: WorkspaceScope): string {
  return `/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroupName}/providers/Microsoft.OperationalInsights/workspaces/${scope.workspaceName}`;
}

export function armResourceId(scope: WorkspaceScope, r: DesiredResource, itemId?: string): string {
  const workspace = workspaceId(scope);
  const sentinel = `${workspace}/providers/Microsoft.SecurityInsights`;
  switch (r.content) {
    case "analyticsRule":
      return `${sentinel}/alertRules/${r.name}`;
    case "huntingQuery":
    case "function":
      return `${workspace}/savedSearches/${r.name}`;
    case "watchlist":
      return `${sentinel}/watchlists/${r.name}`;
    case "watchlistItem":
      return `${sentinel}/watchlists/${r.watchlistAlias}/watchlistItems/${itemId ?? r.name}`;
  }
}
