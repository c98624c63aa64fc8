/** Where a command's content and stack settings come from: flags, or a Pulumi stack's config file (flags win). */
import { resolve } from "node:path";
import { readStackFile, type StackFile } from "../config/stackFile";
import { DEFAULT_STACK_SETTINGS, type StackSettings } from "../model/stack";

export interface StackContent {
  projectDir: string;
  contentDir: string;
  settings: StackSettings;
  /** The stack file, when a stack was named. */
  stackFile?: StackFile;
}

export function resolveStackContent(flags: { projectDir?: string; content?: string; stack?: string }): StackContent {
  const projectDir = resolve(flags.projectDir ?? ".");
  if (!flags.stack) return { projectDir, contentDir: resolve(flags.content ?? projectDir), settings: DEFAULT_STACK_SETTINGS };
  const stackFile = readStackFile(projectDir, flags.stack);
  const contentDir = flags.content !== undefined ? resolve(flags.content) : resolve(projectDir, stackFile.settings.contentDir);
  return { projectDir, contentDir, settings: stackFile.settings.stack, stackFile };
}
