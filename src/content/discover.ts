/** Finds content files under the content directory. */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
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

/** Every YAML file in the four content folders, in a stable order. Hidden folders are skipped. */
export function discoverContent(contentDir: string): ContentFile[] {
  const found: ContentFile[] = [];
  for (const [kind, folder] of Object.entries(CONTENT_FOLDERS) as [ContentFolderKind, string][]) {
    const root = join(contentDir, folder);
    if (!existsSync(root) || !statSync(root).isDirectory()) continue;
    for (const absolutePath of walk(root)) {
      if (YAML_EXTENSIONS.some((ext) => absolutePath.toLowerCase().endsWith(ext))) {
        const testsFile = isTestsFile(absolutePath) && kind !== "watchlist";
        found.push({ kind: testsFile ? "ruleTests" : kind, file: toContentPath(contentDir, absolutePath), absolutePath });
      }
    }
  }
  return found.sort((a, b) => a.file.localeCompare(b.file));
}

function* walk(dir: string): Generator<string> {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}
