/**
 * Facts about Microsoft Sentinel used by validation: tactics, techniques and
 * entity identifiers. The data lives in data/sentinel/ (see its sources there).
 */
import tacticsData from "../../data/sentinel/attack-tactics.json";
import techniquesData from "../../data/sentinel/attack-techniques.json";
import entityData from "../../data/sentinel/entity-types.json";

export const ATTACK_TACTICS: readonly string[] = tacticsData.tactics;

const techniqueTactics: Readonly<Record<string, readonly string[] | undefined>> = techniquesData.techniques;

/** Tactics the validator maps a technique (parent id, without `.NNN`) to; undefined if unknown. */
export function tacticsOfTechnique(technique: string): readonly string[] | undefined {
  return techniqueTactics[technique];
}

export interface EntityTypeSpec {
  identifiers: readonly string[];
  /** At least one of these combinations must be fully mapped. */
  requiredAnyOf: readonly (readonly string[])[];
  /** Listed in the stable 2024-09-01 API enum (IoTDevice is not, but the service accepts strings). */
  inStableApiEnum: boolean;
}

export const ENTITY_TYPES: Readonly<Record<string, EntityTypeSpec | undefined>> = entityData.entityTypes;
export const ENTITY_TYPE_NAMES: readonly string[] = Object.keys(entityData.entityTypes);

export const SEVERITIES = ["Informational", "Low", "Medium", "High"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Upstream YAML spellings and the API enum names they stand for. */
export const TRIGGER_OPERATORS = {
  gt: "GreaterThan",
  lt: "LessThan",
  eq: "Equal",
  ne: "NotEqual",
  GreaterThan: "GreaterThan",
  LessThan: "LessThan",
  Equal: "Equal",
  NotEqual: "NotEqual",
} as const;
export type TriggerOperatorSpelling = keyof typeof TRIGGER_OPERATORS;
export const TRIGGER_OPERATOR_SPELLINGS = [
  "gt",
  "lt",
  "eq",
  "ne",
  "GreaterThan",
  "LessThan",
  "Equal",
  "NotEqual",
] as const satisfies readonly TriggerOperatorSpelling[];
export type TriggerOperator = (typeof TRIGGER_OPERATORS)[TriggerOperatorSpelling];

export const AGGREGATION_KINDS = ["SingleAlert", "AlertPerResult"] as const;
export const MATCHING_METHODS = ["AllEntities", "AnyAlert", "Selected"] as const;
export const ALERT_DETAILS = ["DisplayName", "Severity"] as const;
/** AlertProperty enum of the stable 2024-09-01 API (the preview adds SubTechniques). */
export const ALERT_PROPERTIES = [
  "AlertLink",
  "ConfidenceLevel",
  "ConfidenceScore",
  "ExtendedLinks",
  "ProductName",
  "ProviderName",
  "ProductComponentName",
  "RemediationSteps",
  "Techniques",
] as const;
