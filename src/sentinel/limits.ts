/** Limits Azure enforces on analytics rules (see data/sentinel and docs/validation.md). */
import { days, hours, minutes } from "./duration";

export const LIMITS = {
  queryFrequency: { min: minutes(5), max: days(14) },
  queryPeriod: { min: minutes(5), max: days(14) },
  /** When queryPeriod is at least this long, queryFrequency must be at least `longPeriodMinFrequency`. */
  longPeriod: days(2),
  longPeriodMinFrequency: hours(1),
  suppressionDuration: { max: hours(24) },
  groupingLookback: { min: minutes(5), max: days(7) },
  entityMappings: 10,
  fieldMappingsPerEntity: 3,
  customDetails: 20,
  customDetailKeyLength: 20,
  customDetailValueLength: 500,
  placeholdersPerFormat: 3,
} as const;

/**
 * Enabled analytics rules one workspace accepts, counted separately for scheduled and NRT rules
 * (Microsoft Sentinel service limits, "Analytics rule limits"). Sentinel refuses the rule that
 * goes over the limit when it is written, so a deploy would stop halfway. A workspace on a
 * dedicated Log Analytics cluster can have the scheduled limit raised to 1,024 through a support
 * request, which `sentinel-iac:maxEnabledScheduledRules` lets a stack declare.
 */
export const WORKSPACE_RULE_LIMITS = {
  enabledScheduledRules: 512,
  enabledScheduledRulesDedicatedCluster: 1024,
  enabledNrtRules: 50,
} as const;

/**
 * The most rows of one watchlist the deploy manages as one Pulumi resource (and one Azure
 * write) per row; a larger list is managed as a whole (docs/azure-behaviours.md §4). Why 1,000:
 * - Azure Resource Manager allows each principal bursts of 200 writes, refilled at 10 a
 *   second: 1,000 rows take about 80 s to create, 10,000 about 17 minutes;
 * - each row's state holds its outputs, the deployer's identity included (about 1.5 kB),
 *   and the state is rewritten after every step of a `pulumi up`;
 * - a preview lists every row, which buries the rest of a change.
 * Above it, a change writes only the rows that differ, and a first upload is one request
 * per 3.8 MB of CSV.
 */
export const PER_ROW_WATCHLIST_LIMIT = 1000;

/**
 * The most rows of all per-row watchlists of one stack together; past it, the largest lists are
 * managed as a whole too (model/watchlistRoutes.ts). The reasons above add up per stack: twenty
 * lists of 900 rows would be 18,000 Pulumi resources, about 27 MB of state and 54,000 ARM calls
 * on a first deploy. At 2,000 rows the per-row route stays under 3 MB of state and about 4
 * minutes of ARM writes on a first deploy.
 */
export const PER_ROW_STACK_LIMIT = 2000;
