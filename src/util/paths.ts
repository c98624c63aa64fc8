/**
 * Keeping paths inside a folder. A path written in content (`queryFile: ../../.git/config`), a
 * symbolic link in the content tree, or a file name built from a live resource's name must
 * never reach a file outside the folder it belongs to: that file's text would be read into a
 * pull-request comment, or overwritten. Containment is checked on the real path, after `..`
 * and symbolic links are resolved, because either one alone can be used to step outside.
 */
import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";

export type ContainedPath = { ok: true; path: string } | { ok: false; reason: string };

/** True when `path` is `root` or lies under it (both absolute and normalised). */
export function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/** The real path of `path`, or of its nearest existing ancestor with the rest appended. */
function realPathOf(path: string): string {
  let existing = path;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    rest.unshift(relative(parent, existing));
    existing = parent;
  }
  return resolve(realpathSync(existing), ...rest);
}

/**
 * Resolves `path` (relative to the folder `from`) and checks that it stays inside `root`, both
 * as written and once symbolic links are followed. The file need not exist: then its nearest
 * existing folder is checked, so a linked folder cannot carry a new file outside either.
 */
export function containedPath(root: string, from: string, path: string): ContainedPath {
  if (path.includes("\0")) return { ok: false, reason: "contains a NUL character" };
  if (isAbsolute(path)) return { ok: false, reason: "is an absolute path; paths must be relative and stay inside the folder" };
  const absoluteRoot = resolve(root);
  const target = resolve(from, path);
  if (!isWithin(absoluteRoot, target)) return { ok: false, reason: "points outside the folder" };
  const realRoot = realPathOf(absoluteRoot);
  const real = realPathOf(target);
  if (!isWithin(realRoot, real)) return { ok: false, reason: `resolves through a symbolic link to ${real}, outside the folder` };
  return { ok: true, path: target };
}
