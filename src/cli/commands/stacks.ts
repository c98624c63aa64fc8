/**
 * `sentinel-iac stacks [--base <ref>]`: the project's stacks (one
 * Pulumi.<stack>.yaml per workspace) and, with a base ref, which of them a
 * change affects, so a pull request previews only those.
 */
import { resolve } from "node:path";
import { GitBaseError } from "../../app/gitBase";
import { stacksAffected, type StackInfo } from "../../app/stacksAffected";
import type { Output } from "../output";

export interface StacksOptions {
  base?: string;
  format: "text" | "json";
  projectDir?: string;
}

const REASONS_SHOWN = 3;

/** "a, b, c and 12 more": the count says how many lines were cut. */
function affectedBy(s: StackInfo): string {
  const reasons = (s.reasons ?? []).filter((r) => !/^and \d+ more$/.test(r));
  const total = s.reasonCount ?? reasons.length;
  const shown = reasons.slice(0, REASONS_SHOWN).join(", ");
  return total > REASONS_SHOWN ? `${shown} and ${total - REASONS_SHOWN} more (see --format json)` : shown;
}

export function runStacks(options: StacksOptions, out: Output, err: Output): number {
  let stacks: StackInfo[];
  try {
    stacks = stacksAffected(resolve(options.projectDir ?? "."), options.base);
  } catch (error) {
    if (!(error instanceof GitBaseError)) throw error;
    err.write(`error: ${error.message}\n`);
    return 1;
  }
  if (options.format === "json") {
    out.write(`${JSON.stringify(stacks)}\n`);
    return 0;
  }
  if (stacks.length === 0) out.write("No stacks: create one with `pulumi stack init <name>` (it writes Pulumi.<name>.yaml).\n");
  for (const s of stacks) {
    const where = s.workspaceName ? `  workspace ${s.workspaceName} (resource group ${s.resourceGroupName ?? "?"})` : "";
    const affected = s.affected === undefined ? "" : s.affected ? `  affected: ${affectedBy(s)}` : "  not affected";
    out.write(`${s.stack}${where}${affected}\n`);
  }
  return 0;
}
