/**
 * Per-stack settings: which content a stack deploys, rule enablement
 * overrides, and how NRT rules are deployed (applied by loader/stackSelection.ts).
 */

import { WORKSPACE_RULE_LIMITS } from "../sentinel/limits";

export const RULES_ENABLED = ["asDeclared", "allDisabled", "allEnabled"] as const;
export type RulesEnabled = (typeof RULES_ENABLED)[number];

/**
 * How NRT rules deploy: `deploy` registers them as azure-native's typed NRT rule at the preview
 * API version (a parameterized package), `skip` leaves them out, `error` refuses them, and
 * `genericResource` keeps the earlier route through azure-native's generic resource for stacks
 * whose state already holds NRT rules that way (docs/azure-behaviours.md §3 has the migration).
 */
export const NRT_MODES = ["deploy", "skip", "error", "genericResource"] as const;
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
  /** How NRT rules are deployed (they exist only in preview API versions). */
  nrtRules: NrtMode;
  /**
   * The most enabled rules of each kind the stack may deploy: the workspace's limits. A
   * comparison (live diff, change summary) sets them to Infinity, because it reports what is
   * there rather than deploying it.
   */
  ruleLimits: { enabledScheduled: number; enabledNrt: number };
}

export const DEFAULT_STACK_SETTINGS: StackSettings = {
  ruleLimits: { enabledScheduled: WORKSPACE_RULE_LIMITS.enabledScheduledRules, enabledNrt: WORKSPACE_RULE_LIMITS.enabledNrtRules },
  include: [],
  exclude: [],
  rulesEnabled: "asDeclared",
  disabledRules: [],
  ignoreUnmanaged: [],
  nrtRules: "deploy",
};
