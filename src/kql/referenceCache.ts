/** Query references, computed once per distinct query text and kept in the content cache. */
import { createRequire } from "node:module";
import { cacheEnabled, contentCache, contentHash } from "../cache/contentCache";
import { QueryReferencesSchema } from "./cachedShapes";
import { extractReferences, type QueryReferences } from "./references";

/** Bump when extractReferences changes what it returns. */
const EXTRACTOR_VERSION = 1;
const KUSTO_VERSION = (createRequire(__filename)("@kusto/language-service-next/package.json") as { version: string }).version;

export interface ReferenceLookup {
  referencesOf(query: string): QueryReferences;
  /** Persists new results; call once after a run. */
  save(): void;
}

export function referenceLookup(useCache = cacheEnabled()): ReferenceLookup {
  if (!useCache) return { referencesOf: extractReferences, save: () => undefined };
  const cache = contentCache("kql-references", `${EXTRACTOR_VERSION}/${KUSTO_VERSION}`, QueryReferencesSchema);
  return {
    referencesOf(query): QueryReferences {
      const key = contentHash(query);
      const cached = cache.get(key);
      if (cached) return cached;
      const refs = extractReferences(query);
      cache.set(key, refs);
      return refs;
    },
    save: () => cache.save(),
  };
}
