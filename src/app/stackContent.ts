/** Where a command's content and stack settings come from: flags, or a Pulumi stack's config file (flags win). */
import { resolve } from "node:path";
import { readStackFile, type StackFile } from "../config/stackFile";
import { DEFAULT_STACK_SETTINGS, type StackSettings } from "../model/stack";
import { requireContentFolder } from "../loader/contentFolder";

export interface StackContent {
  projectDir: string;
  contentDir: string;
  settings: StackSettings;
  /** The stack file, when a stack was named. */
  stackFile?: StackFile;
}

/** The content folder and stack settings; a ContentFolderError when the folder does not exist. */
export function resolveStackContent(flags: { projectDir?: string; content?: string; stack?: string }): StackContent {
  const projectDir = resolve(flags.projectDir ?? ".");
  if (!flags.stack) {
    const contentDir = resolve(flags.content ?? projectDir);
    requireContentFolder(contentDir);
    return { projectDir, contentDir, settings: DEFAULT_STACK_SETTINGS };
  }
  const stackFile = readStackFile(projectDir, flags.stack);
  const fromFlag = flags.content !== undefined;
  const contentDir = fromFlag ? resolve(flags.content as string) : resolve(projectDir, stackFile.settings.contentDir);
  requireContentFolder(contentDir, fromFlag ? "--content" : `sentinel-iac:contentDir of stack ${flags.stack}`);
  return { projectDir, contentDir, settings: stackFile.settings.stack, stackFile };
}
