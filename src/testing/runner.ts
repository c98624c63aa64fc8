/**
 * Runs the desired state's rule tests: each test's sample rows, watchlists
 * and run time go to an executor (the local KQL engine by default); the result
 * is checked against what the test expects. A scheduled rule runs the way
 * Sentinel runs it: every table shows only the rows whose TimeGenerated falls
 * inside the rule's queryPeriod ending at the run time, whatever ago() the
 * query asks for; NRT rules see the last minute.
 */
import { valueFromJson } from "../engine";
import type { TableSchema } from "../kql/environment";
import type { DesiredResource, DesiredState, RuleTestCase } from "../model/types";
import { checkTestData } from "../validate/ruleTestData";
import type { ExecutionRequest, TestExecutor } from "./executor";
import { watchlistData } from "./contentData";
import { checkExpectation, columnsToShow, someRows, type Mismatch } from "./expectations";
import { triggerDecision } from "./trigger";

export type TestStatus = "passed" | "failed" | "broken";

export interface TestOutcome {
  /** The tests file and the line of the test's name. */
  file: string;
  line?: number;
  name: string;
  target: { content: "analyticsRule" | "huntingQuery" | "function"; name: string; displayName: string; file: string };
  status: TestStatus;
  /** One sentence: why it failed or broke, or what passed. */
  message: string;
  mismatches: Mismatch[];
  /** Why a broken test could not run: bad sample data, or a query the executor refused. */
  problems: { message: string; file?: string; line?: number }[];
  /** What the run saw and returned. */
  run?: {
    now: string;
    window?: { start: string; end: string };
    /** Failed tests of scheduled and NRT rules: per table, the sample rows the window hid from the query. */
    hidden?: HiddenRows[];
    rows: number;
    alert?: boolean;
    trigger?: string;
  };
  durationMs: number;
}

/** Sample rows of one table the query did not see because of the rule's time window. */
export interface HiddenRows {
  table: string;
  /** Rows whose TimeGenerated is before the window's start or after its end. */
  outside: number;
  /** Rows without a TimeGenerated (an omitted column is empty, and the window drops empty times). */
  withoutTime: number;
  /** Rows the test gave for the table. */
  of: number;
}

export interface TestReport {
  executor: string;
  outcomes: TestOutcome[];
  passed: number;
  failed: number;
}

export interface RunOptions {
  executor: TestExecutor;
  /** Only tests whose name, file or target display name contains this text (case-insensitive). */
  filter?: string;
  /** Told before each test starts, for progress reports. */
  onTest?: (index: number, total: number, name: string) => void;
}

/** NRT rules run every minute over the minute before (Microsoft's NRT documentation). */
const NRT_WINDOW_MS = 60_000;
/** Without `now`, a test runs one minute after its latest TimeGenerated. */
const DEFAULT_NOW_AFTER_MS = 60_000;

type Target = Extract<DesiredResource, { content: "analyticsRule" | "huntingQuery" | "function" }>;

function selectedCases(state: DesiredState, filter: string | undefined): { case: RuleTestCase; target: Target; file: string }[] {
  const byKey = new Map(state.resources.map((r) => [r.key, r]));
  const needle = filter?.toLowerCase();
  const out: { case: RuleTestCase; target: Target; file: string }[] = [];
  for (const suite of state.tests) {
    const target = byKey.get(suite.targetKey);
    if (!target || (target.content !== "analyticsRule" && target.content !== "huntingQuery" && target.content !== "function")) continue;
    for (const c of suite.cases) {
      const haystack = `${c.name}\n${suite.file}\n${target.properties.displayName}`.toLowerCase();
      if (needle === undefined || haystack.includes(needle)) out.push({ case: c, target, file: suite.file });
    }
  }
  return out;
}

const TICKS_PER_MS = 10_000n;

/**
 * A sample row's TimeGenerated in ms since 1970, read the way the engine reads it (text without
 * a zone is UTC, whatever the machine's time zone); null when absent or not a time.
 */
function timeGeneratedMs(row: Record<string, unknown>): number | null {
  try {
    const ticks = valueFromJson(row["TimeGenerated"], "datetime");
    return typeof ticks === "bigint" ? Number(ticks / TICKS_PER_MS) : null;
  } catch {
    return null; // not a time: checkTestData reports it before the run
  }
}

/** The latest TimeGenerated among the test's rows, in ms, if any row has one. */
function latestTimeGenerated(test: RuleTestCase): number | undefined {
  let latest: number | undefined;
  for (const rows of Object.values(test.tables))
    for (const row of rows.rows) {
      const ms = timeGeneratedMs(row.values);
      if (ms !== null) latest = Math.max(latest ?? ms, ms);
    }
  return latest;
}

/** Per table with a TimeGenerated column, the rows the window hides (tables where it hides none are left out). */
function hiddenRows(test: RuleTestCase, tables: readonly TableSchema[], window: { start: Date; end: Date }): HiddenRows[] {
  const timed = new Set(
    tables.filter((t) => t.columns.some(([c, type]) => c === "TimeGenerated" && type === "datetime")).map((t) => t.name.toLowerCase()),
  );
  const out: HiddenRows[] = [];
  for (const [table, rows] of Object.entries(test.tables)) {
    if (!timed.has(table.toLowerCase())) continue;
    let outside = 0;
    let withoutTime = 0;
    for (const row of rows.rows) {
      const ms = timeGeneratedMs(row.values);
      if (ms === null) withoutTime++;
      else if (ms < window.start.getTime() || ms > window.end.getTime()) outside++;
    }
    if (outside + withoutTime > 0) out.push({ table, outside, withoutTime, of: rows.rows.length });
  }
  return out;
}

function runTime(test: RuleTestCase, started: Date): Date {
  if (test.now !== undefined) return new Date(test.now);
  const latest = latestTimeGenerated(test);
  return latest === undefined ? started : new Date(latest + DEFAULT_NOW_AFTER_MS);
}

function timeWindow(target: Target, now: Date): { start: Date; end: Date } | undefined {
  if (target.content !== "analyticsRule") return undefined;
  const span = target.kind === "NRT" ? NRT_WINDOW_MS : target.schedule.queryPeriod;
  return { start: new Date(now.getTime() - span), end: now };
}

/** The content's watchlists, with a test's own rows where it gives some (aliases are case-insensitive). */
function watchlists(state: DesiredState, test: RuleTestCase): ExecutionRequest["watchlists"] {
  const overrides = new Map(Object.entries(test.watchlists).map(([alias, rows]) => [alias.toLowerCase(), rows.rows.map((r) => r.values)]));
  const replace = new Map(
    state.resources.flatMap((r) =>
      r.content === "watchlist" && overrides.has(r.name.toLowerCase()) ? [[r.key, overrides.get(r.name.toLowerCase())!] as const] : [],
    ),
  );
  return watchlistData(state, replace);
}

function countText(n: number): string {
  return `${n} row${n === 1 ? "" : "s"}`;
}

/** A problem the executor found in the query, placed in the file that holds it when that is known. */
function queryProblem(test: RuleTestCase, target: Target, p: { message: string; line?: number }): TestOutcome["problems"][number] {
  if (p.line === undefined) return { message: p.message };
  const fileLine = test.query !== undefined ? test.queryLines?.[p.line - 1] : undefined;
  // the engine's own "(line N)" counts query lines; the file's line replaces it
  if (fileLine !== undefined) return { message: p.message.replace(/ \(line \d+\)$/, ""), file: test.origin.file, line: fileLine };
  return {
    message: `${test.query !== undefined ? "the test's query" : `the ${target.content === "function" ? "function" : "rule"}'s query`}, line ${p.line}: ${p.message}`,
  };
}

type OutcomeParts = Pick<TestOutcome, "status" | "message"> & Partial<Pick<TestOutcome, "mismatches" | "problems" | "run">>;

/** Runs one test on the executor and judges its result against what the test expects. */
async function runOne(
  test: RuleTestCase,
  target: Target,
  run: { now: Date; window: { start: Date; end: Date } | undefined; shown: NonNullable<TestOutcome["run"]> },
  state: DesiredState,
  tables: readonly TableSchema[],
  executor: TestExecutor,
): Promise<OutcomeParts> {
  const result = await executor.run({
    query: test.query ?? target.properties.query,
    now: run.now,
    ...(run.window ? { timeRange: run.window } : {}),
    tables: new Map(Object.entries(test.tables).map(([name, rows]) => [name, rows.rows.map((r) => r.values)])),
    watchlists: watchlists(state, test),
  });
  if (!result.ok) {
    return {
      status: "broken",
      message: `the query could not run on the ${executor.name}`,
      problems: result.problems.map((p) => queryProblem(test, target, p)),
      run: run.shown,
    };
  }
  const mismatches = checkExpectation(test.expect, result);
  let decision: ReturnType<typeof triggerDecision> | undefined;
  if (test.expect.alert !== undefined && target.content === "analyticsRule") {
    decision = triggerDecision(target, result.rows.length);
    if (decision.alert !== test.expect.alert) {
      mismatches.unshift({
        expected: test.expect.alert
          ? `an alert (the rule alerts on ${decision.trigger})`
          : `no alert (the rule alerts on ${decision.trigger})`,
        actual: `the query returned ${countText(result.rows.length)}, so ${decision.alert ? "it alerts" : "it does not alert"}`,
        ...(result.rows.length > 0 ? { rows: someRows(result, columnsToShow(test.expect, result), 5) } : {}),
      });
    }
  }
  const hidden = mismatches.length > 0 && run.window ? hiddenRows(test, tables, run.window) : [];
  return {
    status: mismatches.length === 0 ? "passed" : "failed",
    message:
      mismatches.length === 0
        ? `${countText(result.rows.length)}${decision ? (decision.alert ? ", alert" : ", no alert") : ""}`
        : `${mismatches[0]!.expected}; ${mismatches[0]!.actual}`,
    mismatches,
    run: {
      ...run.shown,
      ...(hidden.length > 0 ? { hidden } : {}),
      rows: result.rows.length,
      ...(decision ? { alert: decision.alert, trigger: decision.trigger } : {}),
    },
  };
}

export async function runRuleTests(state: DesiredState, tables: readonly TableSchema[], options: RunOptions): Promise<TestReport> {
  const cases = selectedCases(state, options.filter);
  const started = new Date();
  const outcomes: TestOutcome[] = [];
  for (const [index, { case: test, target, file }] of cases.entries()) {
    options.onTest?.(index, cases.length, test.name);
    const begin = performance.now();
    const base = {
      file,
      ...(test.origin.line !== undefined ? { line: test.origin.line } : {}),
      name: test.name,
      target: { content: target.content, name: target.name, displayName: target.properties.displayName, file: target.origin.file },
    };
    const finish = (o: OutcomeParts): void => {
      outcomes.push({ ...base, mismatches: [], problems: [], ...o, durationMs: performance.now() - begin });
    };
    const dataProblems = checkTestData(test, tables);
    if (dataProblems.length > 0) {
      finish({
        status: "broken",
        message: `the test's rows do not fit their tables (${dataProblems.length} problem${dataProblems.length === 1 ? "" : "s"})`,
        problems: dataProblems.map((p) => ({ message: p.message, file: p.file, ...(p.line !== undefined ? { line: p.line } : {}) })),
      });
      continue;
    }
    const now = runTime(test, started);
    const window = timeWindow(target, now);
    const shown = {
      now: now.toISOString(),
      ...(window ? { window: { start: window.start.toISOString(), end: window.end.toISOString() } } : {}),
      rows: 0,
    };
    try {
      finish(await runOne(test, target, { now, window, shown }, state, tables, options.executor));
    } catch (error) {
      // a defect of the executor (the engine) breaks this test, not the run: the others still run and report
      const message = `internal error in the ${options.executor.name}: ${error instanceof Error ? error.message : String(error)}`;
      finish({ status: "broken", message, problems: [{ message }], run: shown });
    }
  }
  const passed = outcomes.filter((o) => o.status === "passed").length;
  return { executor: options.executor.name, outcomes, passed, failed: outcomes.length - passed };
}
