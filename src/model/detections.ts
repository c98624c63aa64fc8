/**
 * What counts as a detection for safe deletes, and the names retired.yaml may give it: an
 * analytics rule or hunting query by its id, a function by its alias or its saved-search id.
 * All lower-case, since Azure names ignore case.
 */
import type { DesiredResource } from "./types";

export const TRACKED_CONTENT = ["analyticsRule", "huntingQuery", "function"] as const;

/** The names a retired.yaml entry may use for this resource (none for content that is not tracked). */
export function detectionNames(r: DesiredResource): string[] {
  switch (r.content) {
    case "analyticsRule":
    case "huntingQuery":
      return [r.name.toLowerCase()];
    case "function": {
      const alias = (r.properties.functionAlias ?? r.name).toLowerCase();
      return alias === r.name.toLowerCase() ? [alias] : [alias, r.name.toLowerCase()];
    }
    default:
      return [];
  }
}

/**
 * The one name a detection is compared by for safe deletes: the name of its Pulumi resource and
 * of its Azure resource, so a function by its saved-search id (a new id is a new saved search,
 * and the old one is deleted; a new alias under the same id is updated in place).
 */
export function detectionKey(r: DesiredResource): string | undefined {
  return TRACKED_CONTENT.includes(r.content as (typeof TRACKED_CONTENT)[number]) ? r.name.toLowerCase() : undefined;
}
