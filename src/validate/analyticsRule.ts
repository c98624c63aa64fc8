/**
 * Checks an analytics rule against what Azure accepts and what Microsoft's
 * detection validator enforces, beyond the shape the schema already checked.
 */
import type { Diagnostic } from "../diagnostics/diagnostic";
import type { RuleTiming } from "../content/durations";
import type { LoadedAnalyticsRule } from "../content/load";
import type { AnalyticsRuleDoc } from "../schema/analyticsRule";
import { formatDurationShort } from "../sentinel/duration";
import { ENTITY_TYPES, ENTITY_TYPE_NAMES } from "../sentinel/reference";
import { didYouMean } from "../util/suggest";
import { LIMITS } from "../sentinel/limits";
import { checkTechniques } from "./mitre";
import { FieldReporter } from "../diagnostics/fieldReporter";

const SCHEDULED_ONLY = ["queryFrequency", "queryPeriod", "triggerOperator", "triggerThreshold"] as const;
const CUSTOM_DETAIL_KEY = /^[a-zA-Z]+\w*$/;
const COLUMN_NAME = /^[a-zA-Z_]+\w*$/;
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

export function checkAnalyticsRule(rule: LoadedAnalyticsRule, sink: Diagnostic[]): void {
  const report = new FieldReporter(rule.source, sink);
  const doc = rule.doc;

  const timing = rule.timing;
  if (doc.kind === "Scheduled") {
    checkSchedule(report, doc, timing);
  } else {
    for (const key of SCHEDULED_ONLY) {
      if (doc[key] !== undefined) {
        report.warning(
          [key],
          "nrt/ignored-field",
          `'${key}' is ignored for NRT rules, which run about every minute`,
          `Remove '${key}', or set kind: Scheduled.`,
          "key",
        );
      }
    }
  }

  checkSuppression(report, doc, timing);
  checkMitre(report, doc);
  checkEntityMappings(report, doc);
  checkCustomDetails(report, doc);
  checkAlertDetailsOverride(report, doc);
  checkIncidentConfiguration(report, doc, timing);

  if (doc.kind === "Scheduled" && doc.sentinelEntitiesMappings !== undefined) {
    report.warning(
      ["sentinelEntitiesMappings"],
      "rule/preview-only-field",
      "sentinelEntitiesMappings exists only in preview API versions; Scheduled rules are deployed with the stable API, so it is not deployed",
      "Map the columns with entityMappings instead, or remove the key.",
      "key",
    );
  }
}

function checkRange(
  report: FieldReporter,
  path: (string | number)[],
  text: string,
  ms: number,
  range: { min?: number; max: number },
  code: string,
  hint: string,
): boolean {
  const tooLong = ms > range.max;
  const tooShort = range.min !== undefined && ms < range.min;
  if (!tooLong && !tooShort) return true;
  const limits =
    range.min === undefined
      ? `at most ${formatDurationShort(range.max)}`
      : `between ${formatDurationShort(range.min)} and ${formatDurationShort(range.max)}`;
  const written = formatDurationShort(ms) === text ? text : `${text} (${formatDurationShort(ms)})`;
  report.error(path, code, `is ${written}; Azure accepts ${limits}`, hint);
  return false;
}

function checkSchedule(report: FieldReporter, doc: AnalyticsRuleDoc, timing: RuleTiming): void {
  const frequency = timing.queryFrequency;
  const period = timing.queryPeriod;
  let inRange = true;
  if (frequency !== undefined) {
    inRange =
      checkRange(
        report,
        ["queryFrequency"],
        doc.queryFrequency!,
        frequency,
        LIMITS.queryFrequency,
        "limits/query-frequency",
        "Set queryFrequency between 5m and 14d.",
      ) && inRange;
  }
  if (period !== undefined) {
    inRange =
      checkRange(
        report,
        ["queryPeriod"],
        doc.queryPeriod!,
        period,
        LIMITS.queryPeriod,
        "limits/query-period",
        period > LIMITS.queryPeriod.max
          ? "Set queryPeriod to 14d (P14D) or less. If the rule needs a longer baseline, shorten its lookback or keep the baseline elsewhere (e.g. a watchlist or summary table) and join it."
          : "Set queryPeriod between 5m and 14d.",
      ) && inRange;
  }
  if (frequency === undefined || period === undefined || !inRange) return;
  if (frequency > period) {
    report.error(
      ["queryFrequency"],
      "limits/frequency-exceeds-period",
      `queryFrequency (${formatDurationShort(frequency)}) is longer than queryPeriod (${formatDurationShort(period)}); runs would leave gaps no query sees`,
      "Make queryPeriod at least as long as queryFrequency.",
    );
  }
  if (period >= LIMITS.longPeriod && frequency < LIMITS.longPeriodMinFrequency) {
    report.error(
      ["queryFrequency"],
      "limits/long-period-frequency",
      `queryFrequency is ${formatDurationShort(frequency)}, but Azure requires at least 1h when queryPeriod is 2d or more (it is ${formatDurationShort(period)})`,
      "Raise queryFrequency to 1h or more, or shorten queryPeriod below 2d.",
    );
  }
}

function checkSuppression(report: FieldReporter, doc: AnalyticsRuleDoc, timing: RuleTiming): void {
  const ms = timing.suppressionDuration;
  if (ms === undefined) return;
  if (ms === 0) {
    report.error(
      ["suppressionDuration"],
      "limits/suppression",
      "must be longer than zero",
      "Set e.g. `suppressionDuration: 1h`, or remove it (default 1h).",
    );
    return;
  }
  checkRange(
    report,
    ["suppressionDuration"],
    doc.suppressionDuration!,
    ms,
    LIMITS.suppressionDuration,
    "limits/suppression",
    "Set suppressionDuration to 24h or less.",
  );
}

function checkMitre(report: FieldReporter, doc: AnalyticsRuleDoc): void {
  const tactics = doc.tactics ?? [];
  const seen = new Set<string>();
  tactics.forEach((t, i) => {
    if (seen.has(t)) report.warning(["tactics", i], "mitre/duplicate", `tactic '${t}' is listed twice`, "Remove the duplicate.");
    seen.add(t);
  });
  if (doc.techniques !== undefined && doc.techniques.length > 0) {
    if (doc.relevantTechniques !== undefined && doc.relevantTechniques.length > 0) {
      report.error(
        ["techniques"],
        "rule/conflicting-keys",
        "both 'techniques' and 'relevantTechniques' are set",
        "Keep only relevantTechniques.",
        "key",
      );
    } else {
      report.warning(
        ["techniques"],
        "rule/deprecated-key",
        "'techniques' is read as 'relevantTechniques'",
        "Rename the key to relevantTechniques.",
        "key",
      );
    }
  }
  const [field, techniques] =
    doc.relevantTechniques !== undefined && doc.relevantTechniques.length > 0
      ? (["relevantTechniques", doc.relevantTechniques] as const)
      : (["techniques", doc.techniques ?? []] as const);
  checkTechniques(report, field, techniques, tactics, "error");
}

function checkEntityMappings(report: FieldReporter, doc: AnalyticsRuleDoc): void {
  const mappings = doc.entityMappings ?? [];
  if (doc.entityMappings !== undefined && mappings.length === 0) {
    report.error(["entityMappings"], "entities/empty", "entityMappings is empty", "Map at least one entity, or remove the key.", "key");
  }
  mappings.forEach((mapping, i) => {
    const spec = ENTITY_TYPES[mapping.entityType];
    if (!spec) {
      report.error(
        ["entityMappings", i, "entityType"],
        "entities/unknown-type",
        `'${mapping.entityType}' is not an entity type`,
        `${didYouMean(mapping.entityType, ENTITY_TYPE_NAMES)}Valid types: ${ENTITY_TYPE_NAMES.join(", ")}.`,
      );
    }
    if (mapping.fieldMappings.length > LIMITS.fieldMappingsPerEntity) {
      report.error(
        ["entityMappings", i, "fieldMappings"],
        "limits/field-mappings",
        `maps ${mapping.fieldMappings.length} identifiers; Azure accepts at most ${LIMITS.fieldMappingsPerEntity} per entity`,
        "Keep the identifiers that identify the entity best (see the required combinations), or split into two mappings.",
        "key",
      );
    }
    const used = new Set<string>();
    mapping.fieldMappings.forEach((fm, j) => {
      const path = ["entityMappings", i, "fieldMappings", j];
      if (spec && !spec.identifiers.includes(fm.identifier)) {
        report.error(
          [...path, "identifier"],
          "entities/invalid-identifier",
          `'${fm.identifier}' is not an identifier of ${mapping.entityType}`,
          `${didYouMean(fm.identifier, spec.identifiers)}${mapping.entityType} identifiers: ${spec.identifiers.join(", ")}.`,
        );
      }
      if (used.has(fm.identifier)) {
        report.error(
          [...path, "identifier"],
          "entities/duplicate-identifier",
          `identifier '${fm.identifier}' is mapped twice in this entity`,
          "Map each identifier once.",
        );
      }
      used.add(fm.identifier);
      if (!COLUMN_NAME.test(fm.columnName) || fm.columnName.length > 500) {
        report.error(
          [...path, "columnName"],
          "entities/invalid-column",
          `'${fm.columnName}' is not a valid column name`,
          "Use a result column name: letters, digits and underscores, not starting with a digit.",
        );
      }
    });
    if (spec && !spec.requiredAnyOf.some((combo) => combo.every((id) => used.has(id)))) {
      report.error(
        ["entityMappings", i, "fieldMappings"],
        "entities/missing-required-identifier",
        `the ${mapping.entityType} mapping lacks an identifier Sentinel needs to identify the entity`,
        `Map at least one of: ${spec.requiredAnyOf.map((c) => c.join(" + ")).join("; ")}.`,
        "key",
      );
    }
  });
}

function checkCustomDetails(report: FieldReporter, doc: AnalyticsRuleDoc): void {
  const details = doc.customDetails;
  if (!details) return;
  const keys = Object.keys(details);
  if (keys.length > LIMITS.customDetails) {
    report.error(
      ["customDetails"],
      "limits/custom-details",
      `has ${keys.length} entries; Azure accepts at most ${LIMITS.customDetails}`,
      "Keep the 20 most useful details.",
      "key",
    );
  }
  for (const key of keys) {
    if (!CUSTOM_DETAIL_KEY.test(key) || key.length > LIMITS.customDetailKeyLength) {
      report.error(
        ["customDetails", key],
        "custom-details/invalid-key",
        `'${key}' is not a valid custom detail name`,
        `Use up to ${LIMITS.customDetailKeyLength} letters, digits and underscores, starting with a letter.`,
        "key",
      );
    }
    const column = details[key]!;
    if (!COLUMN_NAME.test(column) || column.length > LIMITS.customDetailValueLength) {
      report.error(
        ["customDetails", key],
        "custom-details/invalid-column",
        `'${column}' is not a valid column name`,
        "The value must name a result column: letters, digits and underscores, not starting with a digit.",
      );
    }
  }
}

function checkAlertDetailsOverride(report: FieldReporter, doc: AnalyticsRuleDoc): void {
  const override = doc.alertDetailsOverride;
  if (!override) return;
  for (const key of ["alertDisplayNameFormat", "alertDescriptionFormat"] as const) {
    const text = override[key];
    if (text === undefined) continue;
    const placeholders = [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!.trim());
    if (placeholders.length > LIMITS.placeholdersPerFormat) {
      report.error(
        ["alertDetailsOverride", key],
        "limits/placeholders",
        `uses ${placeholders.length} {{column}} placeholders; Azure accepts at most ${LIMITS.placeholdersPerFormat}`,
        "Keep three placeholders, or combine values into one column in the query (e.g. with strcat) and use that.",
      );
    }
    placeholders.forEach((p) => {
      if (!COLUMN_NAME.test(p)) {
        report.error(
          ["alertDetailsOverride", key],
          "alert-details/invalid-placeholder",
          `placeholder '{{${p}}}' does not name a column`,
          "Write placeholders as {{ColumnName}}.",
        );
      }
    });
  }
}

function checkIncidentConfiguration(report: FieldReporter, doc: AnalyticsRuleDoc, timing: RuleTiming): void {
  const grouping = doc.incidentConfiguration?.groupingConfiguration;
  if (!grouping) return;
  const base = ["incidentConfiguration", "groupingConfiguration"];
  if (grouping.lookbackDuration !== undefined) {
    const ms = timing.groupingLookback;
    if (ms !== undefined) {
      checkRange(
        report,
        [...base, "lookbackDuration"],
        grouping.lookbackDuration,
        ms,
        LIMITS.groupingLookback,
        "limits/grouping-lookback",
        "Set lookbackDuration between 5m and 7d.",
      );
    }
  }
  (grouping.groupByEntities ?? []).forEach((entity, i) => {
    if (!ENTITY_TYPES[entity]) {
      report.error(
        [...base, "groupByEntities", i],
        "entities/unknown-type",
        `'${entity}' is not an entity type`,
        `${didYouMean(entity, ENTITY_TYPE_NAMES)}Valid types: ${ENTITY_TYPE_NAMES.join(", ")}.`,
      );
    }
  });
  const groupBys =
    (grouping.groupByEntities?.length ?? 0) + (grouping.groupByAlertDetails?.length ?? 0) + (grouping.groupByCustomDetails?.length ?? 0);
  if (grouping.enabled && grouping.matchingMethod !== undefined && grouping.matchingMethod !== "Selected" && groupBys > 0) {
    const effect =
      grouping.matchingMethod === "AnyAlert"
        ? "every alert this rule raises within the lookback goes into one incident, whatever its entities"
        : "alerts are grouped only when all their entities match";
    report.warning(
      [...base, "matchingMethod"],
      "incidents/group-by-ignored",
      `the groupBy lists are ignored with matchingMethod ${grouping.matchingMethod}: ${effect}`,
      "To group by the listed entities or details, set matchingMethod: Selected; otherwise remove the groupBy lists.",
    );
  }
  if (grouping.enabled && grouping.matchingMethod === "Selected" && groupBys === 0) {
    report.warning(
      [...base, "matchingMethod"],
      "incidents/selected-without-fields",
      "matchingMethod is Selected but no groupByEntities, groupByAlertDetails or groupByCustomDetails are listed",
      "List what to group by, or use AllEntities / AnyAlert.",
    );
  }
}
