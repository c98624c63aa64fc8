/**
 * `sentinel-iac test`: runs every rule test (`<name>.tests.yaml`) on the
 * local KQL engine. Exit 1 on any failed or broken test, on content errors,
 * and when there is no test to run.
 */
import { writeFileSync } from "node:fs";
import { runContentTests, type RuleTestsOptions } from "../../app/ruleTests";
import { displayPath, requireOutputFolder, writeContentErrors, type Output } from "../output";
import { renderTestJson, renderTestJunit, renderTestText } from "../render/testReport";

export type TestFormat = "text" | "json" | "junit";

export interface TestOptions extends RuleTestsOptions {
  format: TestFormat;
  /** Also write the report to this file, in the same format. */
  output?: string;
  /** Also write JUnit XML to this file, whatever the format on stdout (for CI test reports). */
  junit?: string;
}

export async function runTests(options: TestOptions, out: Output, err: Output): Promise<number> {
  requireOutputFolder("--output", options.output);
  requireOutputFolder("--junit", options.junit);
  const run = await runContentTests(options);
  if ("errors" in run) {
    writeContentErrors(run.errors, run.contentDir, err, "the tests run the content's own queries, functions and watchlists");
    return 1;
  }
  if (run.report.outcomes.length === 0 && !(options.allowEmpty && run.available === 0)) {
    const where = displayPath(run.contentDir) || ".";
    err.write(
      run.available === 0
        ? `error: no rule tests found under ${where}: write <name>.tests.yaml beside a rule, hunting query or function (see docs/testing.md)\n`
        : `error: none of the ${run.available} tests under ${where} matches --filter '${options.filter ?? ""}'\n`,
    );
    return 1;
  }
  const text =
    options.format === "json"
      ? renderTestJson(run.report)
      : options.format === "junit"
        ? renderTestJunit(run.report)
        : renderTestText(run.report);
  out.write(text);
  if (options.output) writeFileSync(options.output, text);
  if (options.junit) writeFileSync(options.junit, options.format === "junit" ? text : renderTestJunit(run.report));
  return run.report.failed > 0 ? 1 : 0;
}
