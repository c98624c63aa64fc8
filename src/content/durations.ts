/**
 * Durations in content are parsed here, once, as the files load: everything
 * downstream (checks, conversion, the plan) works with milliseconds.
 */
import type { Diagnostic } from "../diagnostics/diagnostic";
import { FieldReporter } from "../diagnostics/fieldReporter";
import type { FieldPath, SourceDocument } from "../diagnostics/source";
import { parseDuration, type DurationMs } from "../sentinel/duration";
import type { AnalyticsRuleDoc } from "../schema/analyticsRule";

/** A rule's durations, parsed once here; conversion and checks use these, never the text. */
export interface RuleTiming {
  queryFrequency?: DurationMs;
  queryPeriod?: DurationMs;
  suppressionDuration?: DurationMs;
  /** incidentConfiguration.groupingConfiguration.lookbackDuration */
  groupingLookback?: DurationMs;
}

/** The duration at `path`, or undefined when absent or invalid (reported). */
export function readDuration(
  source: SourceDocument,
  path: FieldPath,
  text: string | undefined,
  sink: Diagnostic[],
): DurationMs | undefined {
  if (text === undefined) return undefined;
  const parsed = parseDuration(text);
  if (parsed.ok) return parsed.ms;
  new FieldReporter(source, sink).error(
    path,
    "schema/invalid-duration",
    `'${text}' ${parsed.reason}`,
    "Write durations like 5m, 1h, 1h30m, 1d, or ISO-8601 PT1H, P1D.",
  );
  return undefined;
}

export function ruleTiming(source: SourceDocument, doc: AnalyticsRuleDoc, sink: Diagnostic[]): RuleTiming {
  const grouping = ["incidentConfiguration", "groupingConfiguration", "lookbackDuration"];
  const timing: RuleTiming = {};
  const set = (key: keyof RuleTiming, ms: DurationMs | undefined) => {
    if (ms !== undefined) timing[key] = ms;
  };
  set("queryFrequency", readDuration(source, ["queryFrequency"], doc.queryFrequency, sink));
  set("queryPeriod", readDuration(source, ["queryPeriod"], doc.queryPeriod, sink));
  set("suppressionDuration", readDuration(source, ["suppressionDuration"], doc.suppressionDuration, sink));
  set("groupingLookback", readDuration(source, grouping, doc.incidentConfiguration?.groupingConfiguration?.lookbackDuration, sink));
  return timing;
}
