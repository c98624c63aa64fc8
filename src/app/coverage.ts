/** ATT&CK coverage of the detections a stack deploys. */
import { coverageOf, type Coverage } from "../coverage/coverage";
import { buildDesiredState } from "../loader/desiredState";
import { applyStackSettings } from "../loader/stackSelection";
import { requireContent } from "../loader/contentFolder";
import { resolveStackContent } from "./stackContent";

export function coverageForStack(options: { content?: string; stack?: string; projectDir?: string; allowEmpty?: boolean }): Coverage {
  const { contentDir, settings } = resolveStackContent(options);
  const state = buildDesiredState(contentDir);
  requireContent(contentDir, state.files, options.allowEmpty);
  return coverageOf(applyStackSettings(state, settings).resources);
}
