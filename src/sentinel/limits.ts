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
