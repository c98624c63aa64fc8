/**
 * The desired-state model: every resource the content turns into, shaped as
 * Azure Resource Manager receives it, with its dependencies. The Pulumi
 * program, the CLI's plan, the live diff and the exporters all read this;
 * none of them re-reads the YAML.
 */
import type { Diagnostic } from "../diagnostics/diagnostic";
import type { ARM_TYPES, ArmType } from "../sentinel/arm";
import type { DurationMs } from "../sentinel/duration";

export type TriggerOperator = "GreaterThan" | "LessThan" | "Equal" | "NotEqual";
export type AlertSeverity = "High" | "Medium" | "Low" | "Informational";

export interface EntityMapping {
  entityType: string;
  fieldMappings: { identifier: string; columnName: string }[];
}

export interface AlertDetailsOverride {
  alertDisplayNameFormat?: string;
  alertDescriptionFormat?: string;
  alertTacticsColumnName?: string;
  alertSeverityColumnName?: string;
  alertDynamicProperties?: { alertProperty: string; value: string }[];
}

export interface IncidentConfiguration {
  createIncident: boolean;
  groupingConfiguration: {
    enabled: boolean;
    reopenClosedIncident: boolean;
    lookbackDuration: string;
    matchingMethod: "AllEntities" | "AnyAlert" | "Selected";
    groupByEntities: string[];
    groupByAlertDetails: ("DisplayName" | "Severity")[];
    groupByCustomDetails: string[];
  };
}

/** Properties shared by Scheduled and NRT rules, as the API takes them. */
export interface AlertRuleCommonProperties {
  displayName: string;
  description: string;
  enabled: boolean;
  severity: AlertSeverity;
  query: string;
  tactics: string[];
  techniques: string[];
  suppressionDuration: string;
  suppressionEnabled: boolean;
  incidentConfiguration: IncidentConfiguration;
  eventGroupingSettings: { aggregationKind: "SingleAlert" | "AlertPerResult" };
  entityMappings?: EntityMapping[];
  customDetails?: Record<string, string>;
  alertDetailsOverride?: AlertDetailsOverride;
  alertRuleTemplateName?: string;
  templateVersion?: string;
}

export interface ScheduledAlertRuleProperties extends AlertRuleCommonProperties {
  queryFrequency: string;
  queryPeriod: string;
  triggerOperator: TriggerOperator;
  triggerThreshold: number;
}

/** NRT rules exist only in preview API versions, which add these two fields. */
export interface NrtAlertRuleProperties extends AlertRuleCommonProperties {
  subTechniques?: string[];
  sentinelEntitiesMappings?: { columnName: string }[];
}

export interface SavedSearchProperties {
  category: string;
  displayName: string;
  query: string;
  version: number;
  functionAlias?: string;
  functionParameters?: string;
  tags?: { name: string; value: string }[];
}

export interface WatchlistProperties {
  displayName: string;
  provider: string;
  itemsSearchKey: string;
  description?: string;
  labels?: string[];
  defaultDuration?: string;
  source: string;
  sourceType: "Local";
}

export interface WatchlistItemProperties {
  itemsKeyValue: Record<string, string>;
}

/** Where a resource came from, for messages and plan output. */
export interface ResourceOrigin {
  /** Content file, relative to the content directory. */
  file: string;
  /** Line in the file (CSV row for watchlist items). */
  line?: number;
  /** The file holding the query when it is not `file`: a function's `.kql` body. */
  queryFile?: string;
}

interface ResourceBase<T extends ArmType, P> {
  /** Unique key of the resource in the model: `<ARM type>/<name>` (items: `.../<alias>/<itemId>`). */
  key: string;
  type: T;
  /** The ARM name (last segment of the resource id). */
  name: string;
  apiVersion: string;
  /** Exactly what the resource's `properties` must hold on a PUT. */
  properties: P;
  /** Keys of resources that must exist before this one. */
  dependsOn: string[];
  origin: ResourceOrigin;
}

export type ScheduledRuleResource = ResourceBase<typeof ARM_TYPES.alertRule, ScheduledAlertRuleProperties> & {
  kind: "Scheduled";
  content: "analyticsRule";
  /** The schedule as durations, parsed once by the loader (the properties hold Azure's ISO-8601 text). */
  schedule: { queryFrequency: DurationMs; queryPeriod: DurationMs };
};
export type NrtRuleResource = ResourceBase<typeof ARM_TYPES.alertRule, NrtAlertRuleProperties> & {
  kind: "NRT";
  content: "analyticsRule";
};
export type HuntingQueryResource = ResourceBase<typeof ARM_TYPES.savedSearch, SavedSearchProperties> & {
  content: "huntingQuery";
};
export type FunctionResource = ResourceBase<typeof ARM_TYPES.savedSearch, SavedSearchProperties> & {
  content: "function";
};
export type WatchlistResource = ResourceBase<typeof ARM_TYPES.watchlist, WatchlistProperties> & {
  content: "watchlist";
  /** The CSV's columns in order: what `_GetWatchlist()` returns besides its own columns. */
  columns: string[];
};
export type WatchlistItemResource = ResourceBase<typeof ARM_TYPES.watchlistItem, WatchlistItemProperties> & {
  content: "watchlistItem";
  /** Alias of the parent watchlist (the ARM parent name). */
  watchlistAlias: string;
  /** Model key of the parent watchlist. */
  watchlistKey: string;
};

export type AlertRuleResource = ScheduledRuleResource | NrtRuleResource;
export type DesiredResource =
  ScheduledRuleResource | NrtRuleResource | HuntingQueryResource | FunctionResource | WatchlistResource | WatchlistItemResource;

export type ContentKind = DesiredResource["content"];

/** A detection removed on purpose: an entry of `retired.yaml`. */
export interface RetiredDetection {
  /** The analytics rule's or hunting query's id, or the function's alias, lower-case. */
  id: string;
  /** The stacks it leaves, when it stays in the repository for others; absent: retired everywhere. */
  stacks?: string[];
  name?: string;
  reason: string;
  date?: string;
  ticket?: string;
  origin: ResourceOrigin;
}

/** Sample rows of one table or watchlist in a rule test, and where they were written. */
export interface TestRows {
  /** The file the rows came from (the tests file or a sample file), relative to the content directory. */
  file: string;
  rows: { line?: number; values: Record<string, unknown> }[];
}

export interface TestExpectation {
  /** Analytics rules: whether the result passes the rule's trigger. */
  alert?: boolean;
  rows?: number;
  includes?: Record<string, unknown>[];
  excludes?: Record<string, unknown>[];
}

/** One test of a rule, hunting query or function: sample events in, expected result out. */
export interface RuleTestCase {
  name: string;
  origin: ResourceOrigin;
  /** The run time, ISO-8601, as written; absent: the runner's documented default. */
  now?: string;
  tables: Record<string, TestRows>;
  /** Rows that replace a watchlist's CSV for this test, by alias as written. */
  watchlists: Record<string, TestRows>;
  /** A query to run instead of the target's own. */
  query?: string;
  /** The tests file's line of each line of `query` (1-based), for problems found in it. */
  queryLines?: number[];
  expect: TestExpectation;
}

/** The tests of one rule, hunting query or function (`<name>.tests.yaml` beside it). */
export interface RuleTestSuite {
  file: string;
  /** Model key of the resource tested. */
  targetKey: string;
  cases: RuleTestCase[];
}

export interface DesiredState {
  /** Resources in dependency order: every resource comes after the ones it depends on. */
  resources: DesiredResource[];
  diagnostics: Diagnostic[];
  /** Content files read, relative to the content directory. */
  files: string[];
  /** Detections acknowledged as removed (`retired.yaml`). */
  retired: RetiredDetection[];
  /** Rule tests, each linked to the resource it tests (`sentinel-iac test` runs them). */
  tests: RuleTestSuite[];
}

export function resourceKey(type: ArmType, ...names: string[]): string {
  return `${type}/${names.join("/")}`;
}
