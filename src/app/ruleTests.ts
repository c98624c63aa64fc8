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
import { resolveStackContent } from "./stackContent";

export interface RuleTestsOptions {
  content?: string;
  projectDir?: string;
  filter?: string;
  onTest?: (index: number, total: number, name: string) => void;
}

export interface RuleTestsRun {
  contentDir: string;
  report: TestReport;
  /** Tests the content has, before the filter. */
  available: number;
}

export async function runContentTests(options: RuleTestsOptions): Promise<RuleTestsRun | ContentErrors> {
  const { contentDir } = resolveStackContent(options);
  const state = buildDesiredState(contentDir);
  const diagnostics: Diagnostic[] = [...state.diagnostics];
  const tables = loadTableSchemas(contentDir, diagnostics);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) return { contentDir, errors };
  const executor = new LocalEngineExecutor(engineSchema(state, tables));
  const report = await runRuleTests(state, tables, {
    executor,
    ...(options.filter !== undefined ? { filter: options.filter } : {}),
    ...(options.onTest ? { onTest: options.onTest } : {}),
  });
  return { contentDir, report, available: state.tests.reduce((n, s) => n + s.cases.length, 0) };
}
