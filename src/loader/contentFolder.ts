/**
 * The content folder a command works on must exist and hold something to check: a wrong
 * `--content` or a job started in the wrong directory would otherwise pass with "0 errors".
 * Every command that checks content (validate, plan, coverage, summarize, test) asks here.
 */
import { statSync } from "node:fs";
import { isAbsolute, relative } from "node:path";
import { isTestsFile } from "../content/layout";
import { RETIRED_FILE } from "../content/load";

/** The content folder is missing, not a folder, or (without allowEmpty) holds no content. */
export class ContentFolderError extends Error {}

/** `dir` as the user would type it from here: relative below the working directory, absolute elsewhere. */
export function shownPath(dir: string): string {
  const rel = relative(process.cwd(), dir);
  if (rel === "") return ".";
  return rel.startsWith("..") || isAbsolute(rel) ? dir : rel;
}

/** How the user points at the content and allows an empty folder: CLI flags, or the Pulumi program's settings. */
export interface ContentFolderFixes {
  /** e.g. "pass --content with" or "set sentinel-iac:contentDir to" */
  pointAt: string;
  /** e.g. "pass --allow-empty" */
  allowEmpty: string;
}

export const CLI_FIXES: ContentFolderFixes = { pointAt: "pass --content with", allowEmpty: "pass --allow-empty" };

/** Throws a ContentFolderError unless `dir` is an existing folder; `source` says where the path came from. */
export function requireContentFolder(dir: string, source = "--content", fixes: ContentFolderFixes = CLI_FIXES): void {
  let isFolder: boolean;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch {
    throw new ContentFolderError(
      `content folder ${shownPath(dir)} does not exist (from ${source}); ${fixes.pointAt} the folder that holds rules/, functions/ and watchlists/`,
    );
  }
  if (!isFolder) {
    throw new ContentFolderError(
      `${shownPath(dir)} is a file, not a content folder (from ${source}); ${fixes.pointAt} the folder that holds rules/, functions/ and watchlists/`,
    );
  }
}

/**
 * True when `files` (as loaded, relative to the content folder) hold a rule, hunting query,
 * function or watchlist: retired.yaml and tests files alone deploy nothing.
 */
export function hasContent(files: readonly string[]): boolean {
  return files.some((f) => f !== RETIRED_FILE && !isTestsFile(f));
}

/**
 * Throws a ContentFolderError when nothing was found to check, unless an empty folder is
 * what the user meant (`--allow-empty`).
 */
export function requireContent(
  dir: string,
  files: readonly string[],
  allowEmpty: boolean | undefined,
  fixes: ContentFolderFixes = CLI_FIXES,
): void {
  if (allowEmpty || hasContent(files)) return;
  const check = fixes === CLI_FIXES ? "check --content (or the stack's sentinel-iac:contentDir)" : "check sentinel-iac:contentDir";
  throw new ContentFolderError(
    `no rules, functions or watchlists were found under ${shownPath(dir)}; ${check}, or ${fixes.allowEmpty} if an empty folder is meant`,
  );
}
