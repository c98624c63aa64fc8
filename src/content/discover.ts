/**
 * Finds content files under the content directory.
 *
 * Symbolic links are followed when they resolve inside the content directory (a shared rule
 * linked into two folders is content like any other) and refused with an error otherwise: a
 * link to a file outside would put that file's text into plans and pull-request comments.
 * Either way a link is never skipped silently.
 */
import { existsSync, readdirSync, realpathSync, statSync, type Stats } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic";
import { isWithin } from "../util/paths";
import { hiddenPart, hiddenReason } from "./hiddenPath";
import { CONTENT_FOLDERS, isTestsFile, YAML_EXTENSIONS, type ContentFolderKind } from "./layout";

export interface ContentFile {
  /** The folder's kind of content, or `ruleTests` for a `.tests.yaml` file beside a rule, query or function. */
  kind: ContentFolderKind | "ruleTests";
  /** Path relative to the content directory, with forward slashes. */
  file: string;
  absolutePath: string;
}

export function toContentPath(contentDir: string, absolutePath: string): string {
  return relative(contentDir, absolutePath).split(sep).join("/");
}

/**
 * Every YAML file in the four content folders, in a stable order. Hidden folders are skipped.
 * Links that leave the content directory, and broken links, are reported into `diagnostics`.
 */
export function discoverContent(contentDir: string, diagnostics: Diagnostic[] = []): ContentFile[] {
  const found: ContentFile[] = [];
  const realRoot = realpathSync(contentDir);
  const walker = new Walker(contentDir, realRoot, diagnostics);
  for (const [kind, folder] of Object.entries(CONTENT_FOLDERS) as [ContentFolderKind, string][]) {
    const root = join(contentDir, folder);
    if (!existsSync(root) || !statSync(root).isDirectory()) continue;
    for (const absolutePath of walker.folder(root)) {
      if (!isYaml(absolutePath)) continue;
      const testsFile = isTestsFile(absolutePath) && kind !== "watchlist";
      found.push({ kind: testsFile ? "ruleTests" : kind, file: toContentPath(contentDir, absolutePath), absolutePath });
    }
  }
  return found.sort((a, b) => a.file.localeCompare(b.file));
}

const isYaml = (path: string) => YAML_EXTENSIONS.some((ext) => path.toLowerCase().endsWith(ext));

function statIfExists(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

class Walker {
  /** Real paths of the folders entered, so a link back up the tree cannot loop. */
  private readonly entered = new Set<string>();

  constructor(
    private readonly contentDir: string,
    private readonly realRoot: string,
    private readonly diagnostics: Diagnostic[],
  ) {}

  /** The files under `dir` (which may itself be a link), after checking where it really is. */
  *folder(dir: string): Generator<string> {
    const real = this.resolve(dir);
    if (real === undefined || this.entered.has(real)) return;
    this.entered.add(real);
    yield* this.walk(dir);
  }

  private *walk(dir: string): Generator<string> {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) yield* this.folder(full);
      else if (entry.isFile()) yield full;
      else if (entry.isSymbolicLink()) yield* this.link(full);
    }
  }

  /**
   * A linked folder is walked and a linked YAML file returned, once checked. Other linked
   * files (a function's .kql, a watchlist's CSV) are checked by the YAML that names them.
   */
  private *link(full: string): Generator<string> {
    const target = statIfExists(full);
    if (target?.isDirectory()) yield* this.folder(full);
    else if (isYaml(full) && this.resolve(full) !== undefined) yield full;
  }

  /** The real path of a folder or link inside the content directory; reported and undefined otherwise. */
  private resolve(path: string): string | undefined {
    const file = toContentPath(this.contentDir, path);
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      this.diagnostics.push({
        severity: "error",
        code: "content/broken-link",
        file,
        message: `'${file}' is a symbolic link to nothing; it was not loaded`,
        hint: "Point the link at a file inside the content folder, or delete it.",
      });
      return undefined;
    }
    if (!isWithin(this.realRoot, real)) {
      this.diagnostics.push({
        severity: "error",
        code: "content/link-outside",
        file,
        message: `'${file}' is a symbolic link to ${real}, outside the content folder; it was not loaded`,
        hint: "Content must live inside the content folder: copy the file in, or link only to files inside the folder.",
      });
      return undefined;
    }
    const hidden = hiddenPart(this.realRoot, real);
    if (hidden !== undefined) {
      this.diagnostics.push({
        severity: "error",
        code: "content/path-hidden",
        file,
        message: `'${file}' is a symbolic link to ${toContentPath(this.realRoot, real)} and ${hiddenReason(hidden)}; it was not loaded`,
        hint: "Link only to visible files of the content folder, or copy the content in.",
      });
      return undefined;
    }
    return real;
  }
}
