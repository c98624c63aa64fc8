/**
 * Pulls the workspace's real table schemas (custom `_CL` tables included)
 * into the content's `schemas/pulled/` folder, so validation checks queries
 * against what that workspace has. Hand-written files in `schemas/` are never
 * written to, and keep precedence. Read-only against Azure.
 */
import { join } from "node:path";
import picomatch from "picomatch";
import { OPERATIONAL_INSIGHTS_API_VERSION, readTables, type LiveReadOptions, type LiveResource } from "../azure/liveWorkspace";
import { AzureReadError } from "../azure/readError";
import type { AzureTarget } from "../azure/target";
import { PROJECT_SCHEMAS_FOLDER, PULLED_SCHEMAS_FOLDER } from "../kql/environment";
import { PULL_SOURCE_MARK, writePulledSchemas, type PullResult, type WorkspaceTable } from "../kql/pulledSchemas";
import { didYouMean } from "../util/suggest";
import { requireTarget, resolveTarget, type TargetFlags } from "./target";

export interface SchemasPullOptions extends TargetFlags {
  /** Globs of table names to pull (default: all). */
  tables?: string[];
  connection?: LiveReadOptions;
}

export interface SchemasPull {
  target: AzureTarget;
  /** The folder written to: schemas/pulled/. */
  dir: string;
  /** The schemas/ folder of hand-written files, never written to. */
  handDir: string;
  /** The two folders relative to the content directory, for messages. */
  folders: { hand: string; pulled: string };
  tables: WorkspaceTable[];
  result: PullResult;
}

/** `--table` globs that match none of the workspace's tables: nothing was written. */
export interface NothingMatched {
  target: AzureTarget;
  /** One line per glob that matched nothing, with a suggestion when one is close. */
  unmatched: string[];
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

/** Each glob that selects no table, explained: a typo must not pass as "0 written". */
function unmatchedGlobs(globs: readonly string[], tables: readonly WorkspaceTable[]): string[] {
  const names = tables.map((t) => t.name);
  return globs
    .filter((glob) => {
      const matches = picomatch(glob, { nocase: true });
      return !names.some((name) => matches(name));
    })
    .map((glob) => `--table '${glob}' matches none of the workspace's ${names.length} tables. ${didYouMean(glob, names)}`.trim());
}

export async function pullSchemas(options: SchemasPullOptions): Promise<SchemasPull | NothingMatched> {
  const resolved = resolveTarget(options);
  const target = requireTarget(resolved, "schemas pull");
  const tables = (await readTables(target, options.connection ?? {})).map(workspaceTable);
  const unmatched = unmatchedGlobs(options.tables ?? [], tables);
  if (unmatched.length > 0) return { target, unmatched };
  const handDir = join(resolved.contentDir, PROJECT_SCHEMAS_FOLDER);
  const dir = join(handDir, PULLED_SCHEMAS_FOLDER);
  const source = `Tables API (${OPERATIONAL_INSIGHTS_API_VERSION}) of workspace ${target.workspaceName}, ${PULL_SOURCE_MARK}`;
  const folders = { hand: PROJECT_SCHEMAS_FOLDER, pulled: `${PROJECT_SCHEMAS_FOLDER}/${PULLED_SCHEMAS_FOLDER}` };
  return { target, dir, handDir, folders, tables, result: writePulledSchemas(dir, handDir, tables, source, options.tables ?? []) };
}
