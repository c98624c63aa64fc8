/**
 * A live KQL function (a saved search with a function alias) -> function YAML
 * plus its `.kql` body, with the parameter list read back into structured
 * parameters by the Kusto parser.
 */
import type { LiveResource } from "../azure/liveWorkspace";
import { parseFunctionParameters } from "../kql/functionParameters";
import { KQL_IDENTIFIER_PATTERN } from "../schema/common";
import { savedSearchTags } from "./huntingQuery";
import { asString, type ExportOutcome } from "./types";
import { toYamlText } from "./yamlText";

export function exportSavedFunction(search: LiveResource, paths: { yaml: string; kql: string }, header: string[]): ExportOutcome {
  const p = search.properties;
  const alias = asString(p["functionAlias"]) ?? "";
  const displayName = asString(p["displayName"]) ?? alias;
  const base = { kind: "function" as const, name: search.name, displayName };
  if (!new RegExp(KQL_IDENTIFIER_PATTERN).test(alias)) {
    return { ...base, ok: false, reason: `its function alias '${alias}' is not a KQL identifier function YAML accepts` };
  }
  const parameters = parseFunctionParameters(asString(p["functionParameters"]) ?? "");
  if (!parameters.ok) {
    return {
      ...base,
      ok: false,
      reason: `its parameters '${String(p["functionParameters"])}' cannot be written as function YAML: ${parameters.reason}`,
    };
  }
  const query = asString(p["query"]) ?? "";
  if (query === "") return { ...base, ok: false, reason: "it has no body" };

  const tags = savedSearchTags(p);
  const doc: Record<string, unknown> = { alias };
  if (search.name !== alias) doc["savedSearchId"] = search.name;
  if (displayName !== alias) doc["displayName"] = displayName;
  doc["category"] = asString(p["category"]) ?? "";
  const description = tags.get("description");
  if (description !== undefined) doc["description"] = description;
  if (parameters.parameters.length > 0) doc["parameters"] = parameters.parameters;
  const notes: string[] = [];
  const extra = [...tags.keys()].filter((k) => k !== "description");
  if (extra.length > 0) notes.push(`tags ${extra.join(", ")} are not part of function YAML and will be removed on the next deploy`);
  return {
    ...base,
    ok: true,
    files: [
      { path: paths.yaml, text: toYamlText(doc, { header }) },
      // A text file ends with a newline; the loader drops it again, so the round trip is exact.
      { path: paths.kql, text: `${query.trimEnd()}\n` },
    ],
    notes,
  };
}
