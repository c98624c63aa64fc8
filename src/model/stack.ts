/**
 * Per-stack settings: which content a stack deploys, rule enablement
 * overrides, and how NRT rules are deployed (applied by loader/stackSelection.ts).
 */

export const RULES_ENABLED = ["asDeclared", "allDisabled", "allEnabled"] as const;
export type RulesEnabled = (typeof RULES_ENABLED)[number];

export const NRT_MODES = ["error", "skip", "genericResource"] as const;
export type NrtMode = (typeof NRT_MODES)[number];

export interface StackSettings {
  /** Globs (relative to the content directory) of content files to deploy; empty or absent means all. */
  include: string[];
  /** Globs of content files not to deploy. */
  exclude: string[];
  /** Override every rule's `enabled` for a staged rollout. */
  rulesEnabled: RulesEnabled;
  /** Rule ids deployed disabled whatever their YAML says. */
  disabledRules: string[];
  /**
   * Globs (case-insensitive) of live resources this stack leaves alone: matched against a
   * live-only resource's name (rule id, saved-search id, alias) and its display name, e.g.
   * Content Hub solutions' hunting queries. `diff` counts them but never reports them as drift.
   */
  ignoreUnmanaged: string[];
  /** How NRT rules are deployed (azure-native v3 has no NRT resource). */
  nrtRules: NrtMode;
}

export const DEFAULT_STACK_SETTINGS: StackSettings = {
  include: [],
  exclude: [],
  rulesEnabled: "asDeclared",
  disabledRules: [],
  ignoreUnmanaged: [],
  nrtRules: "error",
};
