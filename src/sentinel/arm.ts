/** Azure Resource Manager resource types and the API versions whose shapes the model follows. */
export const ARM_TYPES = {
  watchlist: "Microsoft.SecurityInsights/watchlists",
  watchlistItem: "Microsoft.SecurityInsights/watchlists/watchlistItems",
  savedSearch: "Microsoft.OperationalInsights/workspaces/savedSearches",
  alertRule: "Microsoft.SecurityInsights/alertRules",
} as const;
export type ArmType = (typeof ARM_TYPES)[keyof typeof ARM_TYPES];

/** API versions whose request shapes the properties follow (the ones azure-native v3 uses, except NRT). */
export const API_VERSIONS = {
  securityInsights: "2024-09-01",
  securityInsightsNrt: "2025-04-01-preview",
  savedSearches: "2023-09-01",
} as const;
