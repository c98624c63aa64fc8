/**
 * KQL semantic validation of every query in the content, and the rule checks
 * that need a query's result schema. Queries are analyzed by Kusto.Language
 * against the table schemas, the project's functions and watchlists
 * (kql/analysisRunner.ts); this module turns the findings into diagnostics
 * at file:line:column and applies the levels users choose (--strict).
 */
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic";
import type { LoadedAnalyticsRule, LoadedContent } from "../content/load";
import { textPositions, yamlScalarPositions, type OffsetToPosition } from "../content/queryPosition";
import { formatDurationShort } from "../sentinel/duration";
import { LIMITS } from "../sentinel/limits";
import type { KqlFinding, QueryAnalysis } from "../kql/analyze";
import { analyzeAll, type RunnerStats } from "../kql/analysisRunner";
import type { KqlEnvironment } from "../kql/environment";
import { buildEnvironment } from "./queryEnvironment";
import { renderParameters } from "../sentinel/savedSearch";
import { isSentinelBuiltin } from "../sentinel/builtins";
import type { ProgressReporter } from "../util/progress";
import { didYouMean } from "../util/suggest";
import { FieldReporter } from "../diagnostics/fieldReporter";

export interface QueryValidationOptions {
  /** Unknown tables and functions become errors, and warnings fail the run. */
  strict?: boolean;
  useCache?: boolean;
  workers?: number;
  progress?: ProgressReporter;
}

export interface QueryValidation {
  diagnostics: Diagnostic[];
  stats: RunnerStats;
  /** What the queries were checked against (rule tests' rows are checked against its tables). */
  environment: KqlEnvironment;
}

const TYPE_HINTS: Record<string, string> = {
  KS145: "Both sides of a join need the join column; project or rename it on the side that lacks it, or join on $left.A == $right.B.",
  KS109: "This operator takes column names, not expressions (e.g. project-rename); compute the value with extend first.",
  KS249: "The table passed to the function lacks columns its parameter declares; project or rename them first.",
  KS160: "Use a KQL type name: string, int, long, real, bool, datetime, timespan, guid or dynamic.",
  default: "Compare and combine values of matching types; convert with tostring(), toint(), todatetime() ... where needed.",
};

/**
 * How to fix a lookback longer than queryPeriod. Raising queryPeriod helps only up to Azure's
 * maximum (14d): past it, the hint says so and offers only what works.
 */
function lookbackHint(lookbackMs: number, periodMs: number, reach: string, window: string): string {
  const max = LIMITS.queryPeriod.max;
  const maxText = formatDurationShort(max);
  const asWritten = `if ${window} is intended, write ago(${window}) so the query says what it does.`;
  const elsewhere =
    "keep long-lived reference data (e.g. threat indicators) in a watchlist, or summarize it into a custom table on a schedule (a summary rule or a Logic App), and join that";
  if (lookbackMs <= max) {
    return `Raise queryPeriod to ${reach} (at most ${maxText}; a period of 2d or more needs queryFrequency of at least 1h), or ${elsewhere}; ${asWritten}`;
  }
  const raise = periodMs < max ? ` Raising queryPeriod to ${maxText} covers ${maxText} of it.` : "";
  return `A scheduled rule cannot look back ${reach}: Azure accepts a queryPeriod of at most ${maxText}.${raise} To reach further, ${elsewhere}; ${asWritten}`;
}

/** Tolerance before a lookback counts as longer than queryPeriod (ago() is evaluated a little after the window starts). */
const LOOKBACK_TOLERANCE_MS = 60_000;
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

interface Target {
  file: string;
  /** Where the query sits, for messages about the query as a whole. */
  field?: string;
  text: string;
  positions: OffsetToPosition;
  rule?: LoadedAnalyticsRule;
}

export async function validateQueries(content: LoadedContent, options: QueryValidationOptions = {}): Promise<QueryValidation> {
  const diagnostics: Diagnostic[] = [];
  const env = buildEnvironment(content, diagnostics);
  const targets: Target[] = [];
  const inputs: { text: string; functionParameters?: string }[] = [];
  for (const rule of content.analyticsRules) {
    targets.push({
      file: rule.file,
      field: "query",
      text: rule.doc.query,
      positions: yamlScalarPositions(rule.source, ["query"], rule.doc.query),
      rule,
    });
    inputs.push({ text: rule.doc.query });
  }
  for (const hunt of content.huntingQueries) {
    targets.push({
      file: hunt.file,
      field: "query",
      text: hunt.doc.query,
      positions: yamlScalarPositions(hunt.source, ["query"], hunt.doc.query),
    });
    inputs.push({ text: hunt.doc.query });
  }
  for (const fn of content.functions) {
    targets.push({ file: fn.queryFile, text: fn.query, positions: textPositions(fn.query) });
    inputs.push({ text: fn.query, functionParameters: renderParameters(fn.doc.parameters ?? []) });
  }
  // A rule test's own query (e.g. datatable(...) | invoke F()) is KQL like any other.
  for (const tests of content.ruleTests) {
    tests.doc.tests.forEach((test, i) => {
      if (test.query === undefined) return;
      const path = ["tests", i, "query"];
      targets.push({
        file: tests.file,
        field: `tests[${i}].query`,
        text: test.query,
        positions: yamlScalarPositions(tests.source, path, test.query),
      });
      inputs.push({ text: test.query });
    });
  }
  const { results, stats } = await analyzeAll(inputs, env, {
    useCache: options.useCache,
    workers: options.workers,
    ...(options.progress ? { progress: options.progress } : {}),
  });
  const knownFunctions = env.functions.map((f) => f.name);
  const knownTables = env.tables.map((t) => t.name);
  const knownWatchlists = env.watchlists.map((w) => w.alias);
  const advancedHuntingOnly = new Set(env.tables.filter((t) => t.advancedHuntingOnly).map((t) => t.name));
  const unloaded = new Map(content.unloadedFunctions.map((f) => [f.alias.toLowerCase(), f.file]));
  targets.forEach((target, i) => {
    const analysis = results[i]!;
    for (const finding of withoutUnloadedFunctions(target, analysis.findings, unloaded, diagnostics))
      diagnostics.push(findingDiagnostic(target, finding, options.strict === true, knownTables, knownFunctions, knownWatchlists));
    if (target.rule) {
      checkRuleAgainstResult(target.rule, analysis, target, diagnostics);
      checkWorkspaceTables(target, analysis, advancedHuntingOnly, diagnostics);
    }
  });
  return { diagnostics, stats, environment: env };
}

/**
 * A call of a content function whose body did not load is reported once, as not checked: its
 * own file already has the error. Kusto.Language sees an unknown function there, so every column
 * and type after the call would otherwise be reported too, burying the one real cause.
 */
function withoutUnloadedFunctions(
  target: Target,
  findings: readonly KqlFinding[],
  unloaded: ReadonlyMap<string, string>,
  diagnostics: Diagnostic[],
): readonly KqlFinding[] {
  const call = findings.find((f) => f.kind === "unknown-function" && unloaded.has((f.name ?? "").toLowerCase()));
  if (!call) return findings;
  const name = call.name ?? "";
  diagnostics.push({
    severity: "info",
    code: "kql/function-not-loaded",
    file: target.file,
    position: target.positions(call.start),
    end: target.positions(call.start + Math.max(call.length, 1)),
    ...(target.field ? { field: target.field } : {}),
    message: `function '${name}' (${unloaded.get(name.toLowerCase())}) did not load because of the errors reported on it, so this query is not checked after the call`,
    hint: "Fix the function first; this query is checked again once it loads.",
  });
  return findings.filter((f) => f !== call && !(f.start > call.start && (f.kind === "unknown-column" || f.kind === "type")));
}

function snippet(text: string, start: number, length: number): string {
  const raw = length > 0 ? text.slice(start, start + length) : (/^[^\n]{0,20}/.exec(text.slice(start))?.[0] ?? "");
  const oneLine = raw.replace(/\s+/g, " ").trim();
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

function findingDiagnostic(
  target: Target,
  f: KqlFinding,
  strict: boolean,
  tables: string[],
  functions: string[],
  watchlists: string[],
): Diagnostic {
  const position: SourcePosition = target.positions(f.start);
  const end: SourcePosition = target.positions(f.start + Math.max(f.length, 1));
  const quoted = snippet(target.text, f.start, f.length);
  const at = quoted && !f.message.includes(`'${quoted}'`) ? ` (at '${quoted}')` : "";
  const base = { file: target.file, position, end, ...(target.field ? { field: target.field } : {}) };
  const ks = f.code.startsWith("KS") ? ` [${f.code}]` : "";
  switch (f.kind) {
    case "unknown-table":
    case "unknown-function": {
      const name = f.name ?? quoted;
      if (isSentinelBuiltin(name)) {
        return {
          ...base,
          severity: "info",
          code: "kql/sentinel-builtin",
          message: `'${name}' is a Sentinel ASIM parser; its schema is not bundled, so columns after it are not checked`,
          hint: "Add its schema to schemas/ (e.g. with `sentinel-iac schemas pull`) to check them.",
        };
      }
      const isTable = f.kind === "unknown-table";
      return {
        ...base,
        severity: strict ? "error" : "warning",
        code: isTable ? "kql/unknown-table" : "kql/unknown-function",
        message: `${isTable ? "table or function" : "function"} '${name}' is not known to the validator${ks}`,
        hint:
          `${didYouMean(name, isTable ? tables : functions)}` +
          (isTable
            ? "If the workspace has it (a custom _CL table, or one the bundled schemas lack), add its schema to schemas/ or run `sentinel-iac schemas pull`."
            : "If the workspace has it, add it under functions/ so its signature is checked; otherwise fix the name."),
      };
    }
    case "fuzzy-table":
      return {
        ...base,
        severity: "info",
        code: "kql/fuzzy-table",
        message: `${f.message}${ks}`,
        hint: "union isfuzzy=true tolerates it; add its schema to schemas/ to check its columns.",
      };
    case "unknown-column":
      return {
        ...base,
        severity: "error",
        code: "kql/unknown-column",
        message: `${f.message}${ks}`,
        hint: "Fix the column name. If the column does exist in your workspace (bundled schemas can lag behind new columns), add it to that table's schema in schemas/ or run `sentinel-iac schemas pull`.",
      };
    case "syntax":
      return {
        ...base,
        severity: "error",
        code: "kql/syntax",
        message: `${f.message}${at}${ks}`,
        hint: "Fix the KQL syntax at this position.",
      };
    case "type":
      return {
        ...base,
        severity: "error",
        code: "kql/type",
        message: `${f.message}${at}${ks}`,
        hint: TYPE_HINTS[f.code] ?? TYPE_HINTS["default"],
      };
    case "unknown-watchlist":
      return {
        ...base,
        severity: "error",
        code: "kql/unknown-watchlist",
        message: f.message,
        hint: `${didYouMean(f.name ?? quoted, watchlists)}Use the alias of a watchlist under watchlists/ (aliases are case-insensitive), or add the watchlist there.`,
      };
    case "dynamic-watchlist":
      return {
        ...base,
        severity: "warning",
        code: "kql/dynamic-watchlist",
        message: f.message,
        hint: "Pass the alias as a string literal, e.g. _GetWatchlist('NetworkAllowlist').",
      };
    case "implicit-conversion":
      return {
        ...base,
        severity: "info",
        code: "kql/implicit-conversion",
        message: `${f.message}: '${quoted}'`,
        hint: 'Compare with a value of the column\'s own type (e.g. ResultType == "0") to say what is meant.',
      };
    default:
      return { ...base, severity: f.severity, code: "kql/other", message: `${f.message}${at}${ks}` };
  }
}

/**
 * An analytics rule runs on the Log Analytics workspace, which has no Defender XDR
 * advanced-hunting-only table (hunting queries may be run in the Defender portal, where it exists).
 */
function checkWorkspaceTables(target: Target, analysis: QueryAnalysis, advancedHuntingOnly: ReadonlySet<string>, sink: Diagnostic[]): void {
  for (const table of analysis.tables) {
    if (!advancedHuntingOnly.has(table)) continue;
    const at = target.text.search(new RegExp(`\\b${table}\\b`));
    sink.push({
      severity: "warning",
      code: "kql/advanced-hunting-only-table",
      file: target.file,
      ...(at >= 0 ? { position: target.positions(at), end: target.positions(at + table.length) } : {}),
      field: "query",
      message: `'${table}' is a Defender XDR advanced-hunting table that a Log Analytics workspace does not have; an analytics rule runs on the workspace, so Azure refuses the query or it never matches`,
      hint: "Use the workspace's own table (the Defender XDR connector streams Device*, Email*, Identity* and Alert* tables to it), or write this as a Defender XDR custom detection or a hunting query.",
    });
  }
}

/** Checks of an analytics rule that need its query's output columns and lookbacks. */
function checkRuleAgainstResult(rule: LoadedAnalyticsRule, analysis: QueryAnalysis, target: Target, sink: Diagnostic[]): void {
  const report = new FieldReporter(rule.source, sink);
  const doc = rule.doc;
  const references: { path: (string | number)[]; column: string; what: string }[] = [];
  (doc.entityMappings ?? []).forEach((m, i) =>
    m.fieldMappings.forEach((f, j) =>
      references.push({
        path: ["entityMappings", i, "fieldMappings", j, "columnName"],
        column: f.columnName,
        what: `${m.entityType} ${f.identifier}`,
      }),
    ),
  );
  for (const [key, column] of Object.entries(doc.customDetails ?? {}))
    references.push({ path: ["customDetails", key], column, what: `custom detail ${key}` });
  const override = doc.alertDetailsOverride;
  for (const key of ["alertDisplayNameFormat", "alertDescriptionFormat"] as const) {
    for (const m of (override?.[key] ?? "").matchAll(PLACEHOLDER))
      references.push({ path: ["alertDetailsOverride", key], column: m[1]!.trim(), what: `placeholder {{${m[1]!.trim()}}}` });
  }
  (override?.alertDynamicProperties ?? []).forEach((p, i) =>
    references.push({
      path: ["alertDetailsOverride", "alertDynamicProperties", i, "value"],
      column: p.value,
      what: `alert property ${p.alertProperty}`,
    }),
  );
  for (const key of ["alertSeverityColumnName", "alertTacticsColumnName"] as const) {
    const column = override?.[key];
    if (column) references.push({ path: ["alertDetailsOverride", key], column, what: key });
  }

  if (references.length > 0) {
    const columns = (analysis.resultColumns ?? []).map((c) => c.name);
    const have = new Set(columns);
    const absent = references.filter((ref) => !have.has(ref.column));
    if (analysis.resultComplete && analysis.resultColumns) {
      for (const ref of absent) {
        const listed = columns.length > 12 ? `${columns.slice(0, 12).join(", ")}, ... (${columns.length} columns)` : columns.join(", ");
        report.error(
          ref.path,
          "rule/missing-column",
          `${ref.what} uses column '${ref.column}', which the query's output does not have`,
          `${didYouMean(ref.column, columns)}The output has: ${listed}. Project or extend '${ref.column}' at the end of the query, or use an output column.`,
        );
      }
    } else if (absent.length > 0) {
      // The output is only partly known: columns found in it are verified, the others cannot be judged.
      const cause = analysis.findings.find((f) => f.kind === "unknown-table" || f.kind === "unknown-function" || f.kind === "fuzzy-table");
      const unverified = [...new Set(absent.map((ref) => ref.column))];
      report.info(
        absent[0]!.path.slice(0, 1),
        "rule/columns-unchecked",
        `column${unverified.length === 1 ? "" : "s"} ${unverified.map((c) => `'${c}'`).join(", ")} used by entity mappings, custom details or alert overrides could not be checked: ` +
          (cause?.name
            ? `the query's output is not fully known ('${cause.name}' has no bundled schema)`
            : "the query's output is not fully known (a table whose columns are not fixed, such as AzureDiagnostics, or an operator such as bag_unpack adds columns the validator cannot see)"),
        cause?.name ? `Add the schema of '${cause.name}' to schemas/ (e.g. with \`sentinel-iac schemas pull\`) to check them.` : undefined,
      );
    }
  }

  const grouping = doc.incidentConfiguration?.groupingConfiguration;
  if (grouping) {
    const mapped = new Set((doc.entityMappings ?? []).map((m) => m.entityType));
    (grouping.groupByEntities ?? []).forEach((entity, i) => {
      if (!mapped.has(entity)) {
        report.warning(
          ["incidentConfiguration", "groupingConfiguration", "groupByEntities", i],
          "incidents/group-by-unmapped-entity",
          `groups by ${entity}, but the rule maps no ${entity} entity, so there is nothing to group on`,
          `Map a ${entity} entity in entityMappings, or remove it from groupByEntities.`,
        );
      }
    });
    const details = Object.keys(doc.customDetails ?? {});
    (grouping.groupByCustomDetails ?? []).forEach((key, i) => {
      if (!details.includes(key)) {
        report.warning(
          ["incidentConfiguration", "groupingConfiguration", "groupByCustomDetails", i],
          "incidents/group-by-unknown-detail",
          `groups by custom detail '${key}', which the rule does not define`,
          `${didYouMean(key, details)}Use a key of customDetails${details.length > 0 ? `: ${details.join(", ")}` : " (the rule has none)"}.`,
        );
      }
    });
  }

  const period = rule.timing.queryPeriod;
  if (doc.kind === "Scheduled" && period !== undefined) {
    for (const lookback of analysis.lookbacks) {
      if (lookback.ms <= period + LOOKBACK_TOLERANCE_MS) continue;
      const reach = formatDurationShort(lookback.ms);
      const window = formatDurationShort(period);
      const on = lookback.table ? ` on ${lookback.table}` : "";
      sink.push({
        severity: "warning",
        code: "rule/lookback-exceeds-period",
        file: target.file,
        position: target.positions(lookback.start),
        end: target.positions(lookback.start + lookback.length),
        field: "query",
        message:
          `the query looks back ${reach}${on} ('${snippet(target.text, lookback.start, lookback.length)}'), but a scheduled rule only sees its queryPeriod (${window}) of data: ` +
          `rows older than ${window} never reach the query, so this filter silently covers ${window}, not ${reach}`,
        hint: lookbackHint(lookback.ms, period, reach, window),
      });
    }
  }
}
