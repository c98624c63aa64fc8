/**
 * The project's stacks (one Pulumi.<stack>.yaml per workspace) and, with a
 * base ref, which of them a change affects, so a pull request previews only those.
 */
import { resolve } from "node:path";
import picomatch from "picomatch";
import { listStacks, readStackFile } from "../config/stackFile";
import { CONTENT_FOLDERS } from "../content/layout";
import { loadContent } from "../content/load";
import { changedSince, pathInRepository } from "./gitBase";

export interface StackInfo {
  stack: string;
  resourceGroupName?: string;
  workspaceName?: string;
  affected?: boolean;
  /** Why it is affected (with --base): the first ten, then "and N more". */
  reasons?: string[];
  /** How many reasons there are in all. */
  reasonCount?: number;
}

const REASONS_SHOWN = 10;

/** Files whose change affects every stack: the program, its dependencies and the reference data. */
const PROGRAM_FILES = picomatch(["index.ts", "Pulumi.yaml", "package.json", "package-lock.json", "src/**", "data/**"]);

/** Companion files (a function's .kql, a watchlist's .csv) -> the YAML that names them, relative to the content directory. */
function companionsOf(contentDir: string): Map<string, string> {
  const content = loadContent(contentDir);
  return new Map([
    ...content.functions.map((f) => [f.queryFile, f.file] as const),
    ...content.watchlists.map((w) => [w.itemsFile, w.file] as const),
  ]);
}

export function stacksAffected(projectDir: string, base: string | undefined): StackInfo[] {
  const stacks = listStacks(projectDir);
  const changes = base ? changedSince(projectDir, base) : undefined;
  const companions = new Map<string, Map<string, string>>();
  return stacks.map((stack) => {
    const file = readStackFile(projectDir, stack);
    const info: StackInfo = {
      stack,
      ...(file.settings.resourceGroupName ? { resourceGroupName: file.settings.resourceGroupName } : {}),
      ...(file.settings.workspaceName ? { workspaceName: file.settings.workspaceName } : {}),
    };
    if (!changes) return info;
    const fromRoot = (p: string) => pathInRepository(changes.root, resolve(projectDir, p));
    const contentRoot = fromRoot(file.settings.contentDir);
    const project = fromRoot(".");
    const included = file.settings.stack.include.length > 0 ? picomatch(file.settings.stack.include, { dot: true }) : () => true;
    const excluded = file.settings.stack.exclude.length > 0 ? picomatch(file.settings.stack.exclude, { dot: true }) : () => false;
    const reasons: string[] = [];
    for (const changed of changes.files) {
      const inProject = project === "" ? changed : changed.startsWith(`${project}/`) ? changed.slice(project.length + 1) : undefined;
      if (inProject === `Pulumi.${stack}.yaml`) reasons.push(`${changed} (its stack settings)`);
      else if (inProject !== undefined && PROGRAM_FILES(inProject)) reasons.push(`${changed} (the program)`);
      const inContent =
        contentRoot === "" ? changed : changed.startsWith(`${contentRoot}/`) ? changed.slice(contentRoot.length + 1) : undefined;
      if (inContent === undefined) continue;
      if (inContent === "retired.yaml" || inContent.startsWith("schemas/")) reasons.push(changed);
      if (!Object.values(CONTENT_FOLDERS).some((f) => inContent.startsWith(`${f}/`))) continue;
      // A function's .kql and a watchlist's .csv follow the selection of the YAML that names them.
      const dir = resolve(projectDir, file.settings.contentDir);
      if (!companions.has(dir)) companions.set(dir, companionsOf(dir));
      const owner = companions.get(dir)?.get(inContent);
      const selected = (path: string) => included(path) && !excluded(path);
      if (selected(inContent) || (owner !== undefined && selected(owner))) reasons.push(changed);
    }
    const unique = [...new Set(reasons)];
    const shown = unique.length > REASONS_SHOWN ? [...unique.slice(0, REASONS_SHOWN), `and ${unique.length - REASONS_SHOWN} more`] : unique;
    return { ...info, affected: unique.length > 0, reasons: shown, reasonCount: unique.length };
  });
}
