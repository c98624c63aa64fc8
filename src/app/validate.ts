/**
 * `validate`: every check, KQL included, of the content folder, and with a stack the checks
 * that depend on it (its selection, NRT handling, disabledRules), exactly as `plan --stack`
 * runs them. Without a stack those checks cannot run, and the result says so.
 */
import { listStacks } from "../config/stackFile";
import { applyStackSettings } from "../loader/stackSelection";
import { buildValidatedState, failsValidation, type ValidatedState } from "../loader/validatedState";
import type { ProgressReporter } from "../util/progress";
import { requireContent } from "../loader/contentFolder";
import { resolveStackContent } from "./stackContent";

export interface ValidateOptions {
  content?: string;
  /** Apply this stack's settings too (Pulumi.<stack>.yaml). */
  stack?: string;
  strict?: boolean;
  /** false: ignore and do not update the analysis cache. */
  cache?: boolean;
  workers?: number;
  /** An empty content folder passes instead of failing. */
  allowEmpty?: boolean;
  projectDir?: string;
  progress?: ProgressReporter;
}

export interface Validation {
  contentDir: string;
  state: ValidatedState;
  /** Checks that did not run, each with what would run it. */
  skipped: string[];
  failed: boolean;
}

/** The stack-dependent checks, for the note that says they were skipped. */
export const STACK_CHECKS =
  "the stack's selection (include/exclude), NRT handling (nrtRules), disabledRules and the workspace's rule limits";

export async function validateContent(options: ValidateOptions): Promise<Validation> {
  const { projectDir, contentDir, settings } = resolveStackContent(options);
  // --no-cache turns the cache off; otherwise SENTINEL_IAC_CACHE decides.
  const built = await buildValidatedState(contentDir, {
    strict: options.strict,
    useCache: options.cache === false ? false : undefined,
    workers: options.workers,
    ...(options.progress ? { progress: options.progress } : {}),
  });
  requireContent(contentDir, built.files, options.allowEmpty);
  const state: ValidatedState = options.stack ? { ...applyStackSettings(built, settings), queryStats: built.queryStats } : built;
  const skipped: string[] = [];
  if (!options.stack) {
    const stacks = listStacks(projectDir);
    skipped.push(
      `${STACK_CHECKS}: pass --stack ${stacks.length === 1 ? stacks[0] : "<name>"}${stacks.length > 1 ? ` (stacks: ${stacks.join(", ")})` : ""} to run them as plan --stack does`,
    );
  }
  return { contentDir, state, skipped, failed: failsValidation(state, options.strict === true) };
}
