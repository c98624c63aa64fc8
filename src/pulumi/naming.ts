/**
 * How model resources appear to Pulumi: azure-native type tokens, logical
 * names and the provider version. The program registers with these and the
 * exporter's `pulumi import` file names resources with them, so an imported
 * resource is the one the program declares. No Pulumi SDK import here: the
 * CLI uses this without loading the SDK.
 */
import { createRequire } from "node:module";
import type { DesiredResource } from "../model/types";

/** The azure-native version the engine must load the provider plugin at. */
export const AZURE_NATIVE_VERSION: string = (createRequire(__filename)("@pulumi/azure-native/package.json") as { version: string }).version;

export const TYPE_TOKENS = {
  scheduledAlertRule: "azure-native:securityinsights:ScheduledAlertRule",
  watchlist: "azure-native:securityinsights:Watchlist",
  watchlistItem: "azure-native:securityinsights:WatchlistItem",
  savedSearch: "azure-native:operationalinsights:SavedSearch",
  genericResource: "azure-native:resources:Resource",
} as const;
export type TypeToken = (typeof TYPE_TOKENS)[keyof typeof TYPE_TOKENS];

/** Pulumi logical names come from Azure names (rule ids, aliases), never from display names or file names. */
export function logicalName(r: DesiredResource): string {
  return r.content === "watchlistItem" ? `${r.watchlistAlias}-${r.name}` : r.name;
}

/** NRT rules have no azure-native resource in v3's default module; they go through the generic resource. */
export function typeTokenFor(r: DesiredResource): TypeToken {
  switch (r.content) {
    case "analyticsRule":
      return r.kind === "NRT" ? TYPE_TOKENS.genericResource : TYPE_TOKENS.scheduledAlertRule;
    case "huntingQuery":
    case "function":
      return TYPE_TOKENS.savedSearch;
    case "watchlist":
      return TYPE_TOKENS.watchlist;
    case "watchlistItem":
      return TYPE_TOKENS.watchlistItem;
  }
}
