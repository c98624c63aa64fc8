/**
 * Everything Git defines for a project, beyond one stack's selection: the content of every
 * stack's content folder (stacks may deploy different parts of one workspace) and retired.yaml.
 * A live comparison uses it so a stack's include/exclude never turns Git content into
 * "unmanaged", and export never writes a file for something Git already holds.
 */
import { resolve } from "node:path";
import { listStacks, readStackFile } from "../config/stackFile";
import { ConfigError } from "../config/settings";
import type { DriftKind, GitElsewhere } from "../diff/compare";
import { buildDesiredState } from "../loader/desiredState";
import type { DesiredResource, DesiredState, ResourceOrigin } from "../model/types";

export interface GitDefinitions extends GitElsewhere {
  /** Every function alias Git defines (any stack) -> its file: export never adopts a second saved search under one. */
  functionAliases: ReadonlyMap<string, string>;
}

function driftKind(r: DesiredResource): DriftKind | undefined {
  switch (r.content) {
    case "analyticsRule":
      return "alertRule";
    case "huntingQuery":
    case "function":
    case "watchlist":
      return r.content;
    default:
      return undefined;
  }
}

/** The content folders of the project's stacks, besides `contentDir`: each read once. A stack file that cannot be read is left out. */
function otherContentDirs(projectDir: string, contentDir: string): string[] {
  const dirs = new Set<string>();
  for (const stack of listStacks(projectDir)) {
    try {
      const dir = resolve(projectDir, readStackFile(projectDir, stack).settings.contentDir);
      if (dir !== contentDir) dirs.add(dir);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
    }
  }
  return [...dirs];
}

/**
 * What Git defines outside `selected`: `all` is the content folder's whole desired state, before
 * the stack's selection; the other stacks' content folders are read here.
 */
export function gitDefinitions(projectDir: string, contentDir: string, all: DesiredState, selected: DesiredState): GitDefinitions {
  const inSelection = new Set(selected.resources.map((r) => r.key));
  const resources = new Map<string, ResourceOrigin>();
  const retired = new Map<string, string>();
  const functionAliases = new Map<string, string>();
  const states = [all, ...otherContentDirs(projectDir, contentDir).map((dir) => buildDesiredState(dir))];
  for (const state of states) {
    for (const r of state.resources) {
      if (r.content === "function" && r.properties.functionAlias) functionAliases.set(r.properties.functionAlias, r.origin.file);
      const kind = driftKind(r);
      const id = `${kind}/${r.name.toLowerCase()}`;
      if (kind && !inSelection.has(r.key) && !resources.has(id)) resources.set(id, r.origin);
    }
    for (const r of state.retired) if (!retired.has(r.id)) retired.set(r.id, r.reason);
  }
  // What the stack deploys is compared, not "elsewhere", even when another stack defines it too.
  for (const r of selected.resources) {
    const kind = driftKind(r);
    if (kind) resources.delete(`${kind}/${r.name.toLowerCase()}`);
  }
  return { resources, retired, functionAliases };
}
