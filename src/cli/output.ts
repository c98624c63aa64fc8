/** What every command shares: where it writes, how paths are shown, and how a failed Azure read ends a run. */
import { relative } from "node:path";
import { AzureReadError } from "../azure/readError";
import type { Diagnostic } from "../diagnostics/diagnostic";
import { renderDiagnosticsByFile } from "./render/diagnosticsText";

export interface Output {
  write(text: string): unknown;
}

/** The content directory as the user would type it from here ("" for the working directory). */
export function displayPath(dir: string): string {
  return relative(process.cwd(), dir);
}

/** Runs a live command, turning a failed Azure read into its message on `err` and exit code 1. */
export async function reportingReadErrors(err: Output, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof AzureReadError)) throw error;
    err.write(`error: ${error.message}\n`);
    return 1;
  }
}

/** Content errors that stop a live command, on `err`. */
export function writeContentErrors(errors: readonly Diagnostic[], contentDir: string, err: Output): void {
  err.write(`${renderDiagnosticsByFile([...errors], displayPath(contentDir)).join("\n")}\n`);
  err.write(
    `error: the content has ${errors.length} error(s); fix them first, since a diff of partly loaded content would report the rest as unmanaged.\n`,
  );
}
