/** What index.ts runs: config -> desired state -> Pulumi resources. */
import * as pulumi from "@pulumi/pulumi";
import { countDiagnostics, hasErrors, type Diagnostic } from "../diagnostics/diagnostic";
import { formatDiagnostic } from "../diagnostics/format";
import { ContentFolderError, requireContent, requireContentFolder } from "../loader/contentFolder";
import { buildValidatedState } from "../loader/validatedState";
import { applyStackSettings } from "../loader/stackSelection";
import type { DesiredState } from "../model/types";
import { registerDesiredState } from "./register";
import { readProgramConfig } from "./stackConfig";

/** Stack outputs: what this stack deploys, by content kind. */
export interface DeployedSummary {
  analyticsRules: number;
  enabledRules: number;
  huntingQueries: number;
  functions: number;
  watchlists: number;
  watchlistItems: number;
}

function summarize(state: DesiredState): DeployedSummary {
  const count = (content: string) => state.resources.filter((r) => r.content === content).length;
  return {
    analyticsRules: count("analyticsRule"),
    enabledRules: state.resources.filter((r) => r.content === "analyticsRule" && r.properties.enabled).length,
    huntingQueries: count("huntingQuery"),
    functions: count("function"),
    watchlists: count("watchlist"),
    watchlistItems: count("watchlistItem"),
  };
}

/** Warnings shown in `pulumi up` output; the rest are counted (the plan shows them all). */
export const WARNINGS_SHOWN = 20;

function report(diagnostics: readonly Diagnostic[], contentDir: string): void {
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === "error") pulumi.log.error(formatDiagnostic(d, contentDir));
    else if (d.severity === "warning" && ++warnings <= WARNINGS_SHOWN) pulumi.log.warn(formatDiagnostic(d, contentDir));
  }
  if (warnings > WARNINGS_SHOWN) {
    pulumi.log.warn(`${warnings - WARNINGS_SHOWN} more warnings not shown; run \`npx sentinel-iac plan\` to see them all.`);
  }
}

export interface Deployment {
  summary: DeployedSummary;
  /** The registered resources by model key. */
  resources: Map<string, pulumi.CustomResource>;
}

/**
 * A wrong contentDir (a typo, a pipeline started in the wrong folder) would otherwise be a
 * program that declares nothing, and `pulumi up` would delete everything the stack deployed.
 */
const PROGRAM_FIXES = {
  pointAt: "set sentinel-iac:contentDir (relative to the project) to",
  allowEmpty: "set sentinel-iac:allowEmptyContent to true (it removes everything this stack deployed)",
};

/** Runs a content-folder check, turning its error into the program's own (no stack trace). */
function asRunError(check: () => void): void {
  try {
    check();
  } catch (error) {
    if (!(error instanceof ContentFolderError)) throw error;
    throw new pulumi.RunError(`${error.message}; nothing was deployed.`);
  }
}

export async function deploy(projectDir: string): Promise<Deployment> {
  const config = readProgramConfig(projectDir);
  asRunError(() => requireContentFolder(config.contentDir, "sentinel-iac:contentDir", PROGRAM_FIXES));
  const built = await buildValidatedState(config.contentDir, { queries: config.validateQueries });
  asRunError(() => requireContent(config.contentDir, built.files, config.allowEmptyContent, PROGRAM_FIXES));
  const state = applyStackSettings(built, config.settings);
  report(state.diagnostics, config.contentDir);
  if (hasErrors(state.diagnostics)) {
    const { error } = countDiagnostics(state.diagnostics);
    // RunError ends the program without a stack trace; the errors were logged above.
    throw new pulumi.RunError(
      `${error} error${error === 1 ? "" : "s"} in the content; nothing was deployed. Run \`npx sentinel-iac plan\` to see them with the plan.`,
    );
  }
  const resources = await registerDesiredState(state, {
    target: config.target,
    propagationWaitSeconds: config.propagationWaitSeconds,
    protectRules: config.protectRules,
    nrtRules: config.settings.nrtRules,
  });
  return { summary: summarize(state), resources };
}
