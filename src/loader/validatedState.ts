/**
 * The desired state with every check: the structural checks of the loader and
 * the KQL semantic checks. `sentinel-iac validate`, `plan` and the Pulumi
 * program all build it through here.
 */
import { loadContent } from "../content/load";
import { usePlacementCache } from "../content/placementCache";
import type { RunnerStats } from "../kql/analysisRunner";
import { validateQueries, type QueryValidationOptions } from "../validate/kql";
import { testDataDiagnostics, timelessRowDiagnostics } from "../validate/ruleTestData";
import { buildFromContent, type BuildOptions } from "./desiredState";
import type { DesiredState } from "../model/types";

export interface ValidationOptions extends QueryValidationOptions, BuildOptions {
  /** Run the KQL semantic checks (default true). */
  queries?: boolean;
}

export interface ValidatedState extends DesiredState {
  /** What the KQL checks analyzed, or undefined when they did not run. */
  queryStats?: RunnerStats;
}

export async function buildValidatedState(contentDir: string, options: ValidationOptions = {}): Promise<ValidatedState> {
  options.progress?.phase("Reading content files");
  // Where findings sit in their files is kept in the same cache as the analysis (content/placementCache.ts).
  usePlacementCache(options.useCache);
  const content = loadContent(contentDir);
  // Start the KQL analysis first: its worker threads load Kusto.Language while this thread checks and converts.
  const queries = options.queries === false ? undefined : validateQueries(content, options);
  const state = buildFromContent(content, options);
  if (!queries) return state;
  const { diagnostics, stats, environment } = await queries;
  const testData = testDataDiagnostics(
    state.tests.flatMap((s) => s.cases),
    environment.tables,
  );
  const timeless = timelessRowDiagnostics(state, environment.tables);
  return { ...state, diagnostics: [...state.diagnostics, ...diagnostics, ...testData, ...timeless], queryStats: stats };
}

/** Errors fail a run; with `strict`, warnings do too. */
export function failsValidation(state: DesiredState, strict: boolean): boolean {
  return state.diagnostics.some((d) => d.severity === "error" || (strict && d.severity === "warning"));
}
