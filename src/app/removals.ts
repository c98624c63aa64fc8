/** Removed detections a change does not acknowledge in retired.yaml. */
import { RETIRED_FILE } from "../content/load";
import type { Diagnostic } from "../diagnostics/diagnostic";
import type { StackSettings } from "../model/stack";
import type { DesiredState } from "../model/types";
import { detectionIds, summarizeChanges } from "../summary/summarize";
import { loadBase } from "./baseContent";

/**
 * A detection that was in the base and is gone, without a retired.yaml entry, is an error.
 * `all` is the whole content (every stack's detections), `head` the stack's selection of it.
 */
export function removalDiagnostics(
  base: string,
  projectDir: string,
  resolved: { contentDir: string; settings: StackSettings },
  stack: string | undefined,
  all: DesiredState,
  head: DesiredState,
): Diagnostic[] {
  // A GitBaseError (no git, unknown ref) reaches the caller like any other.
  const before = loadBase(base, projectDir, resolved.contentDir, stack, resolved.settings);
  const repositoryDetections = detectionIds(all);
  return summarizeChanges(before.base, head, before.ref, { ...(stack ? { stack } : {}), repositoryDetections })
    .findings.filter((f) => f.code === "unacknowledged-removal")
    .map((f) => ({
      severity: "error" as const,
      code: "plan/unacknowledged-removal",
      file: f.subject?.file ?? RETIRED_FILE,
      message: f.message,
      hint: `Add { id: ${f.subject?.name ?? "<id>"}, reason: ... } to ${RETIRED_FILE} to retire it, or restore the file.`,
    }));
}
