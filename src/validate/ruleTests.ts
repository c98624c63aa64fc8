/**
 * Checks of a tests file that need no table schemas: it belongs to a rule,
 * hunting query or function; each test expects something it can fail on; a
 * trigger is expected of analytics rules only; function tests say what to run;
 * `now` is a time; watchlists are the content's.
 */
import type { LoadedRuleTests } from "../content/load";
import type { Diagnostic } from "../diagnostics/diagnostic";
import { FieldReporter } from "../diagnostics/fieldReporter";
import { didYouMean } from "../util/suggest";

export type TestTargetKind = "analyticsRule" | "huntingQuery" | "function";

export function checkRuleTests(
  loaded: LoadedRuleTests,
  target: TestTargetKind,
  watchlistAliases: readonly string[],
  sink: Diagnostic[],
): void {
  const report = new FieldReporter(loaded.source, sink);
  const known = new Map(watchlistAliases.map((a) => [a.toLowerCase(), a]));
  loaded.doc.tests.forEach((test, i) => {
    const at = (...path: (string | number)[]) => ["tests", i, ...path];
    const expect = test.expect;
    if (expect.alert === undefined && expect.rows === undefined && expect.includes === undefined && expect.excludes === undefined) {
      report.error(
        at("expect"),
        "tests/expects-nothing",
        `test '${test.name}' expects nothing, so it can never fail`,
        "Say what the query must return: alert (analytics rules), rows, includes or excludes.",
      );
    }
    if (expect.alert !== undefined && target !== "analyticsRule") {
      report.error(
        at("expect", "alert"),
        "tests/alert-without-trigger",
        `a ${target === "function" ? "function" : "hunting query"} has no trigger, so 'alert' cannot be checked`,
        "Use rows, includes or excludes; alert is for analytics rules.",
        "key",
      );
    }
    if (target === "function" && test.query === undefined) {
      report.error(
        at(),
        "tests/function-without-query",
        `test '${test.name}' of a function needs a query that calls it`,
        "Add query:, e.g. datatable(IPAddress:string)['203.0.113.7'] | invoke MyFunction().",
        "key",
      );
    }
    if (test.now !== undefined && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(test.now.trim())) {
      report.error(
        at("now"),
        "tests/invalid-now",
        `'${test.now}' is not an ISO-8601 time with a zone`,
        "Write it like 2026-11-20T12:00:00Z.",
      );
    }
    for (const alias of Object.keys(test.watchlists ?? {})) {
      if (known.has(alias.toLowerCase())) continue;
      report.error(
        at("watchlists", alias),
        "tests/unknown-watchlist",
        `no watchlist with alias '${alias}' in the content`,
        `${didYouMean(alias, [...known.values()])}Tests replace the rows of the content's watchlists; add the watchlist under watchlists/ first.`,
        "key",
      );
    }
  });
}
