/** Removed detections a change does not acknowledge in retired.yaml, as plan diagnostics. */
import { RETIRED_FILE } from "../content/load";
import type { Diagnostic } from "../diagnostics/diagnostic";
import type { DesiredState } from "../model/types";
import { removalDiagnostics as asDiagnostics } from "../summary/removals";
import type { ChangeLoader } from "./baseContent";

/**
 * A detection that leaves the whole content or any stack's selection since the base, without
 * a retired.yaml entry, is an error. `built` is the working tree's whole content as the plan
 * built it (validated), so it is not loaded twice.
 */
export function removalDiagnostics(loader: ChangeLoader, contentDir: string, built: DesiredState): Diagnostic[] {
  loader.head(contentDir, built);
  return asDiagnostics(loader.removals(contentDir), RETIRED_FILE);
}
