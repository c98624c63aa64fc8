/**
 * `sentinel-iac test`: every rule test of the content, run on the local KQL
 * engine against the bundled and the content's table schemas.
 */
import type { Diagnostic } from "../diagnostics/diagnostic";
import { loadTableSchemas } from "../kql/environment";
import { buildDesiredState } from "../loader/desiredState";
import { engineSchema } from "../testing/contentData";
import { LocalEngineExecutor } from "../testing/executor";
import { runRuleTests, type TestReport } from "../testing/runner";
import type { ContentErrors } from "./liveComparison";
import { NO_PROGRESS, type ProgressReporter } from "../util/progress";
import { requireContent } from "../loader/contentFolder";
import { resolveStackContent } from "./stackContent";

export interface RuleTestsOptions {
  content?: string;
  projectDir?: string;
  filter?: string;
  /** Run on a folder with no content (and so no tests) without failing. */
  allowEmpty?: boolean;
  progress?: ProgressReporter;
}

export interface RuleTestsRun {
  contentDir: string;
  report: TestReport;
  /** Tests the content has, before the filter. */
  available: number;
}

export async function runContentTests(options: RuleTestsOptions): Promise<RuleTestsRun | ContentErrors> {
  const { contentDir } = resolveStackContent(options);
  const progress = options.progress ?? NO_PROGRESS;
  progress.phase("Reading content files");
  const state = buildDesiredState(contentDir);
  requireContent(contentDir, state.files, options.allowEmpty);
  const diagnostics: Diagnostic[] = [...state.diagnostics];
  const tables = loadTableSchemas(contentDir, diagnostics);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) return { contentDir, errors };
  const executor = new LocalEngineExecutor(engineSchema(state, tables));
  const report = await runRuleTests(state, tables, {
    executor,
    ...(options.filter !== undefined ? { filter: options.filter } : {}),
    onTest: (index, total) => {
      if (index === 0) progress.phase("Running rule tests", total);
      progress.advance(index);
    },
  });
  return { contentDir, report, available: state.tests.reduce((n, s) => n + s.cases.length, 0) };
}
