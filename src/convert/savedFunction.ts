/** Function YAML + `.kql` body -> Log Analytics saved search with a function alias. */
import type { LoadedFunction } from "../content/load";
import { resourceKey, type FunctionResource } from "../model/types";
import { API_VERSIONS, ARM_TYPES } from "../sentinel/arm";
import { functionResourceName, renderParameters, SAVED_SEARCH_VERSION } from "../sentinel/savedSearch";

export function convertSavedFunction(fn: LoadedFunction): FunctionResource {
  const doc = fn.doc;
  const name = functionResourceName(doc);
  const params = doc.parameters ?? [];
  return {
    key: resourceKey(ARM_TYPES.savedSearch, name.toLowerCase()),
    type: ARM_TYPES.savedSearch,
    name,
    apiVersion: API_VERSIONS.savedSearches,
    content: "function",
    dependsOn: [],
    origin: { file: fn.file, line: 1, queryFile: fn.queryFile },
    properties: {
      category: doc.category,
      displayName: doc.displayName ?? doc.alias,
      query: fn.query,
      version: SAVED_SEARCH_VERSION,
      functionAlias: doc.alias,
      ...(params.length > 0 ? { functionParameters: renderParameters(params) } : {}),
      ...(doc.description !== undefined ? { tags: [{ name: "description", value: doc.description.trimEnd() }] } : {}),
    },
  };
}
