/**
 * Runs the desired state's rule tests: each test's sample rows, watchlists
 * and run time go to an executor (the local KQL engine by default); the result
 * is checked against what the test expects. A scheduled rule runs the way
 * Sentinel runs it: every table shows only the rows whose TimeGenerated falls
 * inside the rule's queryPeriod ending at the run time, whatever ago() the
 * query asks for; NRT rules see the last minute.
 */
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
  run?: { now: string; window?: { start: string; end: string }; rows: number; alert?: boolean; trigger?: string };
  durationMs: number;
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

/** The latest TimeGenerated among the test's rows, in ms, if any row has one. */
function latestTimeGenerated(test: RuleTestCase): number | undefined {
  let latest: number | undefined;
  for (const rows of Object.values(test.tables))
    for (const row of rows.rows) {
      const v = row.values["TimeGenerated"];
      const ms = typeof v === "string" ? Date.parse(v) : v instanceof Date ? v.getTime() : NaN;
      if (!Number.isNaN(ms)) latest = Math.max(latest ?? ms, ms);
    }
  return latest;
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
      mismatches: [] as Mismatch[],
      problems: [] as TestOutcome["problems"],
    };
    const finish = (o: Omit<TestOutcome, keyof typeof base | "durationMs"> & Partial<typeof base>): void => {
      outcomes.push({ ...base, ...o, durationMs: performance.now() - begin });
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
    const result = await options.executor.run({
      query: test.query ?? target.properties.query,
      now,
      ...(window ? { timeRange: window } : {}),
      tables: new Map(Object.entries(test.tables).map(([name, rows]) => [name, rows.rows.map((r) => r.values)])),
      watchlists: watchlists(state, test),
    });
    const run = {
      now: now.toISOString(),
      ...(window ? { window: { start: window.start.toISOString(), end: window.end.toISOString() } } : {}),
    };
    if (!result.ok) {
      finish({
        status: "broken",
        message: `the query could not run on the ${options.executor.name}`,
        problems: result.problems.map((p) => ({ message: p.line !== undefined ? `query line ${p.line}: ${p.message}` : p.message })),
        run: { ...run, rows: 0 },
      });
      continue;
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
    finish({
      status: mismatches.length === 0 ? "passed" : "failed",
      message:
        mismatches.length === 0
          ? `${countText(result.rows.length)}${decision ? (decision.alert ? ", alert" : ", no alert") : ""}`
          : `${mismatches[0]!.expected}; ${mismatches[0]!.actual}`,
      mismatches,
      run: { ...run, rows: result.rows.length, ...(decision ? { alert: decision.alert, trigger: decision.trigger } : {}) },
    });
  }
  const passed = outcomes.filter((o) => o.status === "passed").length;
  return { executor: options.executor.name, outcomes, passed, failed: outcomes.length - passed };
}
