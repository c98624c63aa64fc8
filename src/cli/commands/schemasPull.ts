/**
 * `sentinel-iac schemas pull`: writes the workspace's real table schemas
 * (custom `_CL` tables included) into the content's `schemas/pulled/` folder, so
 * `validate` checks queries against what that workspace has. Read-only
 * against Azure.
 */
import { pullSchemas, type SchemasPullOptions } from "../../app/schemasPull";
import { displayPath, reportingReadErrors, type Output } from "../output";

export function runSchemasPull(options: SchemasPullOptions, out: Output, err: Output): Promise<number> {
  return reportingReadErrors(err, async () => {
    const pulled = await pullSchemas(options);
    if ("unmatched" in pulled) {
      for (const line of pulled.unmatched) err.write(`error: ${line}\n`);
      err.write(`Nothing was written. Check the table names (they are matched case-insensitively as globs, e.g. '*_CL').\n`);
      return 1;
    }
    const { target, dir, folders, tables, result } = pulled;
    const shown = displayPath(dir) || ".";
    out.write(
      `Pulled ${tables.length - result.filteredOut} table schema(s) of workspace ${target.workspaceName} into ${shown}: ${result.written.length} written, ${result.unchanged.length} unchanged${result.filteredOut > 0 ? `, ${result.filteredOut} not selected` : ""}.\n`,
    );
    for (const file of result.written) out.write(`  wrote ${shown}/${file}\n`);
    if (result.unknownTypes.length > 0) {
      out.write(`warning: columns of unknown type were written as dynamic: ${result.unknownTypes.join(", ")}\n`);
    }
    for (const s of result.shadowed) {
      const what = s.earlierPull ? "was written by an earlier `schemas pull`" : "is hand-written";
      const lacks =
        s.missingColumns.length === 0
          ? "it lists every pulled column"
          : `it lacks ${s.missingColumns.length} pulled column(s): ${s.missingColumns.slice(0, 10).join(", ")}${s.missingColumns.length > 10 ? ", ..." : ""}`;
      const fix = s.earlierPull
        ? `delete it to use ${folders.pulled}/${s.table}.json`
        : s.missingColumns.length > 0
          ? "add those columns to it, or delete it to use the pulled file"
          : "delete it if it adds nothing";
      out.write(`note: ${folders.hand}/${s.file} ${what} and replaces ${folders.pulled}/${s.table}.json; ${lacks}; ${fix}.\n`);
    }
    if (result.written.length > 0) out.write("Run `sentinel-iac validate` to check the queries against them.\n");
    return 0;
  });
}
