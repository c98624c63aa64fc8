/** Where each kind of content lives under the content directory. */
export const CONTENT_FOLDERS = {
  analyticsRule: "rules/analytics",
  huntingQuery: "rules/hunting",
  function: "functions",
  watchlist: "watchlists",
} as const;

export type ContentFolderKind = keyof typeof CONTENT_FOLDERS;

export const YAML_EXTENSIONS = [".yaml", ".yml"] as const;
