/**
 * Hunting query YAML -> Log Analytics saved search, with the tags Microsoft's
 * current solution packager writes (description, tactics, techniques).
 */
import type { Loaded } from "../content/load";
import type { HuntingQueryDoc } from "../schema/huntingQuery";
import { resourceKey, type HuntingQueryResource } from "../model/types";
import { API_VERSIONS, ARM_TYPES } from "../sentinel/arm";
import { HUNTING_CATEGORY, SAVED_SEARCH_VERSION } from "../sentinel/savedSearch";
import { cleanDescription } from "./text";

export function convertHuntingQuery(query: Loaded<HuntingQueryDoc>): HuntingQueryResource {
  const doc = query.doc;
  const name = doc.id.toLowerCase();
  const tags: { name: string; value: string }[] = [{ name: "description", value: cleanDescription(doc.description) }];
  if (doc.tactics && doc.tactics.length > 0) tags.push({ name: "tactics", value: doc.tactics.join(",") });
  if (doc.relevantTechniques && doc.relevantTechniques.length > 0)
    tags.push({ name: "techniques", value: doc.relevantTechniques.join(",") });
  return {
    key: resourceKey(ARM_TYPES.savedSearch, name),
    type: ARM_TYPES.savedSearch,
    name,
    apiVersion: API_VERSIONS.savedSearches,
    content: "huntingQuery",
    dependsOn: [],
    origin: { file: query.file, line: 1 },
    properties: {
      category: HUNTING_CATEGORY,
      displayName: doc.name,
      query: doc.query,
      version: SAVED_SEARCH_VERSION,
      tags,
    },
  };
}
