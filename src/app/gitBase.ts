/**
 * The content as it was at a base ref, for `summarize --base` and `stacks
 * --base`, read with git alone: the merge base's tree goes into a temporary
 * index file and is checked out into a temporary folder, so neither the
 * working tree nor the real index is touched.
 *
 * The merge base, not the ref's tip: a pull request changes what its branch
 * changed since it left the base; comparing with a base branch that moved on
 * would report the base's own new commits as reverted by the pull request.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";

export class GitBaseError extends Error {}

function git(cwd: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Buffer {
  try {
    return execFileSync("git", args, {
      cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      // spawn says ENOENT for a missing working directory too: only blame git when the folder is there.
      if (!existsSync(cwd)) throw new GitBaseError(`${cwd} does not exist`);
      throw new GitBaseError("git is not installed (or not on PATH); --base needs it to read the base commit");
    }
    throw error;
  }
}

/** NUL-separated path lists: git quotes unusual names (non-ASCII, tabs, quotes) in its line output, never with -z. */
function gitPaths(cwd: string, args: string[]): string[] {
  return git(cwd, [...args, "-z"])
    .toString("utf8")
    .split("\0")
    .filter((p) => p !== "");
}

function gitText(cwd: string, args: string[]): string {
  return git(cwd, args).toString("utf8").trim();
}

export interface BaseCheckout {
  /** What the user asked for, e.g. origin/main. */
  ref: string;
  /** The merge base of `ref` and HEAD that was checked out. */
  commit: string;
  /** The content directory as it was at `commit`. */
  contentDir: string;
  /** The repository root as it was at `commit` (for Pulumi.<stack>.yaml files). */
  root: string;
  /** The working repository's root, which `root` mirrors. */
  repositoryRoot: string;
  dispose(): void;
}

function repositoryRoot(dir: string): string {
  try {
    return realpathSync(gitText(dir, ["rev-parse", "--show-toplevel"]));
  } catch (error) {
    if (error instanceof GitBaseError) throw error;
    throw new GitBaseError(`${dir} is not inside a git repository; --base compares with a commit, so run it in a clone`);
  }
}

/**
 * `dir` relative to the repository root, through symlinks (git reports real paths). `dir` need not
 * exist in the working tree (a folder the change moves or deletes still names a place at the
 * base): its nearest existing ancestor is resolved, and the rest is appended as written.
 */
export function pathInRepository(root: string, dir: string): string {
  let existing = resolve(dir);
  const missing: string[] = [];
  while (!existsSync(existing) && dirname(existing) !== existing) {
    missing.unshift(basename(existing));
    existing = dirname(existing);
  }
  const inside = relative(root, join(realpathSync(existing), ...missing))
    .split(sep)
    .join("/");
  if (inside.startsWith("..")) throw new GitBaseError(`${dir} is outside the git repository at ${root}`);
  return inside;
}

function resolveMergeBase(root: string, ref: string): string {
  try {
    gitText(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    throw new GitBaseError(
      `base ref '${ref}' is not in this clone. Fetch it first (git fetch origin <branch>); in GitHub Actions check out with fetch-depth: 0`,
    );
  }
  try {
    return gitText(root, ["merge-base", ref, "HEAD"]);
  } catch {
    throw new GitBaseError(
      `'${ref}' and HEAD have no common commit in this clone (a shallow clone?); fetch the full history (fetch-depth: 0) and run again`,
    );
  }
}

/** Files changed since `commit`: committed, staged, unstaged and untracked, relative to the repository root. */
function changedFilesSince(root: string, commit: string): string[] {
  const changed = new Set<string>();
  gitPaths(root, ["diff", "--name-only", "--no-renames", commit]).forEach((f) => changed.add(f));
  gitPaths(root, ["ls-files", "--others", "--exclude-standard"]).forEach((f) => changed.add(f));
  return [...changed].sort();
}

export interface ChangedFiles {
  ref: string;
  commit: string;
  /** The repository root. */
  root: string;
  /** Relative to the repository root, with forward slashes. */
  files: string[];
}

/** What changed in the repository holding `dir` since its merge base with `ref`, without checking anything out. */
export function changedSince(dir: string, ref: string): ChangedFiles {
  const root = repositoryRoot(resolve(dir));
  const commit = resolveMergeBase(root, ref);
  return { ref, commit, root, files: changedFilesSince(root, commit) };
}

/** Checks out the content at the merge base of `ref` and HEAD into a temporary folder. */
export function checkoutBase(contentDir: string, ref: string): BaseCheckout {
  const absolute = resolve(contentDir);
  const root = repositoryRoot(absolute);
  const commit = resolveMergeBase(root, ref);
  const contentPath = pathInRepository(root, absolute);
  const folder = mkdtempSync(join(tmpdir(), "sentinel-iac-base-"));
  const index = join(folder, ".index");
  const tree = join(folder, "tree");
  try {
    const env = { GIT_INDEX_FILE: index };
    git(root, ["read-tree", commit], { env });
    git(root, ["checkout-index", "--all", `--prefix=${tree}/`], { env });
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw new GitBaseError(`could not check out ${commit.slice(0, 12)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    ref,
    commit,
    contentDir: join(tree, contentPath),
    root: tree,
    repositoryRoot: root,
    dispose: () => rmSync(folder, { recursive: true, force: true }),
  };
}
