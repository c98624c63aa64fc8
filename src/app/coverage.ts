/** ATT&CK coverage of the detections a stack deploys. */
import { coverageOf, type Coverage } from "../coverage/coverage";
import { buildDesiredState } from "../loader/desiredState";
import { applyStackSettings } from "../loader/stackSelection";
import { resolveStackContent } from "./stackContent";

export function coverageForStack(options: { content?: string; stack?: string; projectDir?: string }): Coverage {
  const { contentDir, settings } = resolveStackContent(options);
  return coverageOf(applyStackSettings(buildDesiredState(contentDir), settings).resources);
}
