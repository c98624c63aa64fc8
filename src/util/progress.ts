/**
 * Progress of long work (a cold validation, reading a slow or throttled workspace), told by
 * library code that does not know where it goes. The CLI passes a terminal implementation;
 * everything else gets NO_PROGRESS, so the Pulumi program, tests and machine formats stay quiet.
 */
export interface ProgressReporter {
  /** A new phase starts, e.g. "Analyzing queries", with how many units it has when that is known. */
  phase(name: string, total?: number): void;
  /** `done` units of the current phase are finished (a running count, not an increment). */
  advance(done: number): void;
  /** A wait the user should know about, e.g. "throttled by Azure, retrying in 20 s (2/5)"; shown until the next advance or phase. */
  wait(message: string): void;
}

export const NO_PROGRESS: ProgressReporter = { phase() {}, advance() {}, wait() {} };
