/**
 * `sentinel-iac export`: adopt what the workspace already has. Writes content
 * files for its unmanaged rules, hunting queries, functions and watchlists,
 * and a `pulumi import` file, so the next `pulumi up` manages them instead of
 * creating duplicates. Read-only against Azure.
 */
import { exportWorkspace, type ExportOptions as ExportUseCaseOptions } from "../../app/export";
import { formatDiagnostic } from "../../diagnostics/format";
import { printable } from "../../util/printable";
import type { ExportResult } from "../../export/exportWorkspace";
import { displayPath, reportingReadErrors, writeContentErrors, type Output } from "../output";

export interface ExportOptions extends ExportUseCaseOptions {
  format: "text" | "json";
}

const KIND_LABEL: Record<string, string> = {
  alertRule: "analytics rule",
  huntingQuery: "hunting query",
  function: "function",
  watchlist: "watchlist",
  watchlistItem: "watchlist items",
};

function renderText(result: ExportResult, outDir: string, importFile: string, options: ExportOptions): string {
  const lines: string[] = [];
  const verb = options.dryRun ? "Would export" : "Exported";
  lines.push(`${verb} ${result.exported.length} resource(s) to ${displayPath(outDir) || "."}:`);
  for (const e of result.exported) {
    lines.push(`  + ${KIND_LABEL[e.kind]} "${e.displayName}" -> ${e.files.map((f) => f.path).join(", ")}`);
    for (const note of e.notes) lines.push(`      note: ${note}`);
  }
  if (result.skipped.length > 0) {
    lines.push("", `Not exported (${result.skipped.length}):`);
    for (const s of result.skipped) lines.push(`  - ${KIND_LABEL[s.kind]} "${s.displayName}" (${s.name}): ${s.reason}`);
  }
  if (result.itemsNotInCsv > 0) {
    lines.push(
      "",
      `${result.itemsNotInCsv} item(s) of watchlists Git already manages are not in their CSV; add the rows to the CSV to keep them (see \`sentinel-iac diff\`).`,
    );
  }
  if (result.mismatches.length > 0) {
    lines.push("", "warning: these exports would not reproduce the live resource exactly; the next deploy would change them:");
    for (const m of result.mismatches) lines.push(`  ~ ${KIND_LABEL[m.kind]} ${m.name}: ${m.changes.map((c) => c.field).join(", ")}`);
  }
  const problems = result.diagnostics.filter((d) => d.severity !== "info");
  if (problems.length > 0) {
    lines.push("", "The exported content does not pass validation as it is; fix these before deploying:");
    for (const d of problems) lines.push(`  ${formatDiagnostic(d)}`);
  }
  if (result.exported.length > 0 || result.importFile.resources.length > 0) {
    lines.push(
      "",
      `${options.dryRun ? "Would write" : "Wrote"} ${result.importFile.resources.length} import entr${result.importFile.resources.length === 1 ? "y" : "ies"} to ${displayPath(importFile)}.`,
    );
    if (result.rekeyedItems > 0) {
      lines.push(
        `${result.rekeyedItems} watchlist item(s) get new ids derived from their search key: the first \`pulumi up\` after the import replaces them (same rows, new ids).`,
      );
    }
    lines.push(
      "",
      "Next:",
      "  1. Review and commit the files.",
      `  2. pulumi import --file ${displayPath(importFile)} --generate-code=false --protect=false${options.stack ? ` --stack ${options.stack}` : ""}`,
      "  3. pulumi preview: the adopted resources should show no creates.",
    );
    if (result.exported.some((e) => e.kind === "function")) {
      lines.push("  Functions are not in the import file: the first pulumi up adopts them in place (same saved-search id).");
    }
  }
  return printable(`${lines.join("\n")}\n`);
}

export function runExport(options: ExportOptions, out: Output, err: Output): Promise<number> {
  return reportingReadErrors(err, () => exportCommand(options, out, err));
}

async function exportCommand(options: ExportOptions, out: Output, err: Output): Promise<number> {
  const exported = await exportWorkspace(options);
  if ("errors" in exported) {
    writeContentErrors(exported.errors, exported.contentDir, err);
    return 1;
  }
  const { outDir, importFile, result } = exported;
  if (options.format === "json") {
    out.write(
      `${JSON.stringify(
        {
          formatVersion: 1,
          dryRun: options.dryRun === true,
          outDir,
          importFile,
          exported: result.exported.map((e) => ({
            kind: e.kind,
            name: e.name,
            displayName: e.displayName,
            files: e.files.map((f) => f.path),
            notes: e.notes,
          })),
          skipped: result.skipped,
          mismatches: result.mismatches,
          diagnostics: result.diagnostics,
          itemsNotInCsv: result.itemsNotInCsv,
          rekeyedItems: result.rekeyedItems,
          import: result.importFile,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    out.write(renderText(result, outDir, importFile, options));
  }
  return 0;
}
