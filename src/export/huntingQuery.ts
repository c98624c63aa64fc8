/**
 * A live hunting query (a saved search in the "Hunting Queries" category) ->
 * hunting query YAML. Its tags carry the description, tactics and techniques,
 * as Microsoft's packager writes them.
 */
import type { LiveResource } from "../azure/liveWorkspace";
import { GUID_PATTERN } from "../schema/common";
import { asString, descriptionForYaml, isObject, type ExportOutcome } from "./types";
import { toYamlText } from "./yamlText";

/** The saved search's tags as a name -> value map. */
export function savedSearchTags(properties: Record<string, unknown>): Map<string, string> {
  const tags = new Map<string, string>();
  for (const t of Array.isArray(properties["tags"]) ? properties["tags"] : []) {
    if (isObject(t) && typeof t["name"] === "string") tags.set(t["name"], String(t["value"] ?? ""));
  }
  return tags;
}

const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

export function huntingQueryDocument(search: LiveResource): Record<string, unknown> {
  const p = search.properties;
  const tags = savedSearchTags(p);
  const doc: Record<string, unknown> = {
    id: search.name,
    name: asString(p["displayName"]) ?? search.name,
    description: descriptionForYaml(tags.get("description") ?? ""),
    requiredDataConnectors: [],
  };
  const tactics = list(tags.get("tactics"));
  if (tactics.length > 0) doc["tactics"] = tactics;
  const techniques = list(tags.get("techniques"));
  if (techniques.length > 0) doc["relevantTechniques"] = techniques;
  doc["query"] = p["query"];
  return doc;
}

export function exportHuntingQuery(search: LiveResource, path: string, header: string[]): ExportOutcome {
  const displayName = asString(search.properties["displayName"]) ?? search.name;
  const base = { kind: "huntingQuery" as const, name: search.name, displayName };
  if (!new RegExp(GUID_PATTERN).test(search.name)) {
    return {
      ...base,
      ok: false,
      reason: `its saved-search id '${search.name}' is not a GUID, and a hunting query's YAML id (which becomes that id) must be one; copy its query into a new hunting query YAML and delete this one after deploying`,
    };
  }
  const notes: string[] = [];
  const extra = [...savedSearchTags(search.properties).keys()].filter((k) => !["description", "tactics", "techniques"].includes(k));
  if (extra.length > 0) notes.push(`tags ${extra.join(", ")} are not part of hunting query YAML and will be removed on the next deploy`);
  const text = toYamlText(huntingQueryDocument(search), { header, blockKeys: ["description", "query"] });
  return { ...base, ok: true, files: [{ path, text }], notes };
}
