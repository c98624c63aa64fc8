/** What every command shares: where it writes, how paths are shown, and how a failed Azure read ends a run. */
import { statSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { shownPath } from "../loader/contentFolder";
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

/** Why a live comparison refuses content with errors (diff, export). */
export const PARTLY_LOADED_DIFF = "a diff of partly loaded content would report the rest as unmanaged";

/** Content errors that stop a command, on `err`, with why the command needs the content whole. */
export function writeContentErrors(errors: readonly Diagnostic[], contentDir: string, err: Output, why = PARTLY_LOADED_DIFF): void {
  err.write(`${renderDiagnosticsByFile([...errors], displayPath(contentDir)).join("\n")}\n`);
  err.write(`error: the content has ${errors.length} error(s); fix them first, since ${why}.\n`);
}

/** "1 file", "3 files", "1,200 queries": a count with the noun that agrees with it. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}

/** A file flag (--output, --layer, --import-file) names a place that cannot be written. */
export class OutputPathError extends Error {}

/**
 * Checks, before any work, that the folder a file flag writes into exists, so a typo in
 * `--output reports/drift.md` is one line up front, not an error after a long read.
 */
export function requireOutputFolder(flag: string, file: string | undefined): void {
  if (file === undefined) return;
  const folder = dirname(resolve(file));
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw new OutputPathError(`${flag} ${file}: the folder ${shownPath(folder)} does not exist; create it first or choose another path`);
  }
  if (!isFolder) throw new OutputPathError(`${flag} ${file}: ${shownPath(folder)} is a file, not a folder`);
}
