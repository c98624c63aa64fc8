/**
 * Adopts what the workspace already has: content files for its unmanaged
 * rules, hunting queries, functions and watchlists, and a `pulumi import`
 * file. Read-only against Azure.
 */
import { join, resolve } from "node:path";
import type { LiveReadOptions } from "../azure/liveWorkspace";
import { planExport, writeExport, type ExportResult } from "../export/exportWorkspace";
import { compareLive, type ContentErrors } from "./liveComparison";
import type { TargetFlags } from "./target";

export interface ExportOptions extends TargetFlags {
  /** Where to write the files (default: the content directory). */
  out?: string;
  /** Where to write the `pulumi import` file (default: pulumi-import.json in the working directory). */
  importFile?: string;
  dryRun?: boolean;
  /** Overwrite files that already exist (the import file included); without it, export refuses. */
  force?: boolean;
  /** Also list the Git-defined NRT rules the workspace has (moving off nrtRules: genericResource). */
  adoptNrtRules?: boolean;
  connection?: LiveReadOptions;
}

export interface WorkspaceExport {
  outDir: string;
  importFile: string;
  result: ExportResult;
}

export async function exportWorkspace(options: ExportOptions): Promise<WorkspaceExport | ContentErrors> {
  const comparison = await compareLive(options, "export");
  if ("errors" in comparison) return comparison;
  const outDir = resolve(options.out ?? comparison.contentDir);
  const importFile = resolve(options.importFile ?? join(".", "pulumi-import.json"));
  const result = planExport(comparison.desired, comparison.live, comparison.report, {
    scope: comparison.target,
    contentDir: outDir,
    nrtRules: comparison.nrtRules,
    gitFunctionAliases: comparison.git.functionAliases,
    ...(comparison.selection ? { selection: comparison.selection } : {}),
    ...(options.adoptNrtRules ? { adoptManagedNrtRules: true } : {}),
  });
  if (!options.dryRun && (result.exported.length > 0 || result.importFile.resources.length > 0))
    writeExport(result, outDir, importFile, options.force === true);
  return { outDir, importFile, result };
}
