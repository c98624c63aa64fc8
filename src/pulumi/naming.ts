/**
 * How model resources appear to Pulumi: azure-native type tokens, logical
 * names and the provider version. The program registers with these and the
 * exporter's `pulumi import` file names resources with them, so an imported
 * resource is the one the program declares. No Pulumi SDK import here: the
 * CLI uses this without loading the SDK.
 */
import type { NrtMode } from "../model/stack";
import type { DesiredResource } from "../model/types";
import { API_VERSIONS } from "../sentinel/arm";
import { AZURE_NATIVE_VERSION, packageToken, parameterizedPackage } from "./parameterizedPackage";

export { AZURE_NATIVE_VERSION };

/**
 * NRT rules exist only in preview Sentinel API versions, which azure-native v3 serves through a
 * parameterized package (docs/azure-behaviours.md §3). Bumping the API version changes this
 * package's name and so every NRT rule's type token: see that section before changing it.
 */
export const NRT_PACKAGE = parameterizedPackage("securityinsights", API_VERSIONS.securityInsightsNrt);

export const TYPE_TOKENS = {
  scheduledAlertRule: "azure-native:securityinsights:ScheduledAlertRule",
  nrtAlertRule: packageToken(NRT_PACKAGE, "NrtAlertRule"),
  watchlist: "azure-native:securityinsights:Watchlist",
  watchlistItem: "azure-native:securityinsights:WatchlistItem",
  savedSearch: "azure-native:operationalinsights:SavedSearch",
  /** KQL functions, updated in place by the program's own dynamic provider (savedFunction.ts). */
  savedFunction: "pulumi-nodejs:dynamic/sentinel-iac:SavedFunction",
  /** The rows of a watchlist over the per-row limit, as one resource (watchlistRows.ts). */
  watchlistRows: "pulumi-nodejs:dynamic/sentinel-iac:WatchlistRows",
  /** The route `sentinel-iac:nrtRules: genericResource` kept for stacks that deployed NRT rules with it. */
  genericResource: "azure-native:resources:Resource",
} as const;
export type TypeToken = (typeof TYPE_TOKENS)[keyof typeof TYPE_TOKENS];

/** Pulumi logical names come from Azure names (rule ids, aliases), never from display names or file names. */
export function logicalName(r: DesiredResource): string {
  return r.content === "watchlistItem" ? `${r.watchlistAlias}-${r.name}` : r.name;
}

/** NRT rules are the parameterized package's typed resource, or the generic resource for stacks that chose it. */
export function typeTokenFor(r: DesiredResource, nrtRules: NrtMode = "deploy"): TypeToken {
  switch (r.content) {
    case "analyticsRule":
      if (r.kind === "Scheduled") return TYPE_TOKENS.scheduledAlertRule;
      return nrtRules === "genericResource" ? TYPE_TOKENS.genericResource : TYPE_TOKENS.nrtAlertRule;
    case "huntingQuery":
      return TYPE_TOKENS.savedSearch;
    case "function":
      return TYPE_TOKENS.savedFunction;
    case "watchlist":
      return TYPE_TOKENS.watchlist;
    case "watchlistItem":
      return TYPE_TOKENS.watchlistItem;
  }
}
