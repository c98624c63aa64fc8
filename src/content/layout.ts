/** Where each kind of content lives under the content directory. */
export const CONTENT_FOLDERS = {
  analyticsRule: "rules/analytics",
  huntingQuery: "rules/hunting",
  function: "functions",
  watchlist: "watchlists",
} as const;

export type ContentFolderKind = keyof typeof CONTENT_FOLDERS;

export const YAML_EXTENSIONS = [".yaml", ".yml"] as const;

/** Rule tests sit beside what they test: `<name>.tests.yaml` next to `<name>.yaml`. */
export const TESTS_SUFFIXES = [".tests.yaml", ".tests.yml"] as const;

export function isTestsFile(path: string): boolean {
  const lower = path.toLowerCase();
  return TESTS_SUFFIXES.some((s) => lower.endsWith(s));
}

/** `rules/analytics/X.tests.yaml` -> `rules/analytics/X` (the stem its rule, query or function file shares). */
export function testsStem(path: string): string {
  const lower = path.toLowerCase();
  const suffix = TESTS_SUFFIXES.find((s) => lower.endsWith(s)) ?? "";
  return path.slice(0, path.length - suffix.length);
}
