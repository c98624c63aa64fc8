/**
 * `sentinel-iac schemas pull`: writes the workspace's real table schemas
 * (custom `_CL` tables included) into the content's `schemas/` folder, so
 * `validate` checks queries against what that workspace has. Read-only
 * against Azure.
 */
import { join } from "node:path";
import { readTables, type LiveReadOptions, type LiveResource } from "../../azure/liveWorkspace";
import { AzureReadError } from "../../azure/readError";
import { PROJECT_SCHEMAS_FOLDER } from "../../kql/environment";
import { writePulledSchemas, type WorkspaceTable } from "../../kql/pulledSchemas";
import { OPERATIONAL_INSIGHTS_API_VERSION } from "../../azure/liveWorkspace";
import { reportingReadErrors, type Output } from "./diff";
import { displayPath } from "./plan";
import { requireTarget, resolveTarget, type TargetFlags } from "./workspaceTarget";

export interface SchemasPullOptions extends TargetFlags {
  /** Globs of table names to pull (default: all). */
  tables?: string[];
  connection?: LiveReadOptions;
}

type Column = { name: string; type: string };

function columns(value: unknown, table: string, field: string): Column[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new AzureReadError(`table ${table}: schema.${field} is not a list; nothing was written.`, {
      operation: "Reading table schemas",
      kind: "malformed",
    });
  return value.map((c: unknown, i) => {
    const column = (typeof c === "object" && c !== null ? c : {}) as Record<string, unknown>;
    if (typeof column["name"] !== "string" || typeof column["type"] !== "string") {
      throw new AzureReadError(`table ${table}: schema.${field}[${i}] has no name or type; nothing was written.`, {
        operation: "Reading table schemas",
        kind: "malformed",
      });
    }
    return { name: column["name"], type: column["type"] };
  });
}

/** The Tables API resource -> the table and its columns. */
export function workspaceTable(resource: LiveResource): WorkspaceTable {
  const schema = resource.properties["schema"];
  const s = (typeof schema === "object" && schema !== null ? schema : {}) as Record<string, unknown>;
  return {
    name: typeof s["name"] === "string" ? s["name"] : resource.name,
    columns: columns(s["columns"], resource.name, "columns"),
    standardColumns: columns(s["standardColumns"], resource.name, "standardColumns"),
  };
}

export function runSchemasPull(options: SchemasPullOptions, out: Output, err: Output): Promise<number> {
  return reportingReadErrors(err, () => pullCommand(options, out));
}

async function pullCommand(options: SchemasPullOptions, out: Output): Promise<number> {
  const resolved = resolveTarget(options);
  const target = requireTarget(resolved, "schemas pull");
  const tables = (await readTables(target, options.connection ?? {})).map(workspaceTable);
  const dir = join(resolved.contentDir, PROJECT_SCHEMAS_FOLDER);
  const source = `Tables API (${OPERATIONAL_INSIGHTS_API_VERSION}) of workspace ${target.workspaceName}, via sentinel-iac schemas pull`;
  const result = writePulledSchemas(dir, tables, source, options.tables ?? []);
  const shown = displayPath(dir) || ".";
  out.write(
    `Pulled ${tables.length - result.filteredOut} table schema(s) of workspace ${target.workspaceName} into ${shown}: ${result.written.length} written, ${result.unchanged.length} unchanged${result.filteredOut > 0 ? `, ${result.filteredOut} not selected` : ""}.\n`,
  );
  for (const file of result.written) out.write(`  wrote ${shown}/${file}\n`);
  if (result.unknownTypes.length > 0) {
    out.write(`warning: columns of unknown type were written as dynamic: ${result.unknownTypes.join(", ")}\n`);
  }
  if (result.written.length > 0) out.write("Run `sentinel-iac validate` to check the queries against them.\n");
  return 0;
}
