/**
 * The two sides of a change: the content at the merge base of a ref and
 * HEAD, and the working tree, each with its own stack settings.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readStackFile } from "../config/stackFile";
import { buildDesiredState } from "../loader/desiredState";
import { applyStackSettings, comparisonSettings } from "../loader/stackSelection";
import type { StackSettings } from "../model/stack";
import type { DesiredState } from "../model/types";
import { detectionIds, summarizeChanges, type ChangeSummary, type SummaryContext } from "../summary/summarize";
import { checkoutBase, pathInRepository } from "./gitBase";
import { resolveStackContent } from "./stackContent";

export interface ChangeSides {
  base: DesiredState;
  head: DesiredState;
  ref: { ref: string; commit: string };
  context: SummaryContext;
}

export interface ChangeOptions {
  base: string;
  content?: string;
  stack?: string;
  projectDir?: string;
}

/** The content at the merge base of `base` and HEAD, with the base's own stack settings. */
export function loadBase(
  base: string,
  projectDir: string,
  contentDir: string,
  stack: string | undefined,
  headSettings: StackSettings,
): Pick<ChangeSides, "base" | "ref"> {
  const checkout = checkoutBase(contentDir, base);
  try {
    // The base side uses the base's own stack file: a changed selection or override is part of the change.
    const baseProjectDir = join(checkout.root, pathInRepository(checkout.repositoryRoot, projectDir));
    // A stack created by this change is compared with its own selection at both ends.
    const settings =
      stack && existsSync(join(baseProjectDir, `Pulumi.${stack}.yaml`))
        ? readStackFile(baseProjectDir, stack).settings.stack
        : headSettings;
    return {
      base: applyStackSettings(buildDesiredState(checkout.contentDir), comparisonSettings(settings)),
      ref: { ref: checkout.ref, commit: checkout.commit },
    };
  } finally {
    checkout.dispose();
  }
}

/** The content at the base and in the working tree, each with its own stack settings. */
export function loadSides(options: ChangeOptions): ChangeSides {
  const { projectDir, contentDir, settings } = resolveStackContent(options);
  const { base, ref } = loadBase(options.base, projectDir, contentDir, options.stack, settings);
  const all = buildDesiredState(contentDir);
  const repositoryDetections = detectionIds(all);
  return {
    base,
    ref,
    head: applyStackSettings(all, comparisonSettings(settings)),
    context: { ...(options.stack ? { stack: options.stack } : {}), repositoryDetections },
  };
}

/** What a change does to the detections (`summarize --base`). */
export function summarizeChange(options: ChangeOptions): ChangeSummary {
  const sides = loadSides(options);
  return summarizeChanges(sides.base, sides.head, sides.ref, sides.context);
}
