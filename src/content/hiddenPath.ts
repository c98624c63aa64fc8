/**
 * Hidden files and folders (`.git`, `.env`) are never content: discovery skips them, and no
 * path written in content, nor a symbolic link, may reach into them either. The content folder
 * is the repository root by default, so it holds `.git/config` (where `actions/checkout` keeps
 * its auth header) and any `.env`; read as a function body, a watchlist or a sample, their text
 * would reach plans and pull-request comments although it never left the content folder.
 */
import { existsSync, realpathSync } from "node:fs";
import { relative, sep } from "node:path";

/**
 * The hidden file or folder on the way from `root` to `path` (both absolute, `path` inside
 * `root`), as written or once symbolic links are resolved; undefined when there is none.
 */
export function hiddenPart(root: string, path: string): string | undefined {
  const written = firstHidden(relative(root, path));
  if (written !== undefined || !existsSync(path)) return written;
  return firstHidden(relative(realpathSync(root), realpathSync(path)));
}

function firstHidden(pathFromRoot: string): string | undefined {
  return pathFromRoot.split(sep).find((part) => part.startsWith(".") && part !== "." && part !== "..");
}

/** The reason given when a path reaches a hidden file or folder. */
export function hiddenReason(hidden: string): string {
  return `reaches into '${hidden}', a hidden file or folder of the content folder, which is never content`;
}
