/**
 * A desired state presented as if it were a live workspace, so the same
 * comparison (normalisation, field changes, query diffs) serves both
 * `diff` (live vs Git) and `summarize` (base commit vs working tree).
 */
import type { LiveResource, LiveWatchlist, LiveWorkspace } from "../azure/liveWorkspace";
import type { DesiredResource } from "../model/types";

function asLive(r: DesiredResource): LiveResource {
  return {
    id: r.key,
    name: r.name,
    type: r.type,
    ...("kind" in r ? { kind: r.kind } : {}),
    properties: r.properties as unknown as Record<string, unknown>,
  };
}

export function desiredAsLive(resources: readonly DesiredResource[]): LiveWorkspace {
  const lists = new Map<string, LiveWatchlist>();
  const out: LiveWorkspace = { alertRules: [], savedSearches: [], watchlists: [] };
  for (const r of resources) {
    if (r.content === "watchlist") {
      const list = { ...asLive(r), items: [] };
      lists.set(r.key, list);
      out.watchlists.push(list);
    }
  }
  for (const r of resources) {
    switch (r.content) {
      case "analyticsRule":
        out.alertRules.push(asLive(r));
        break;
      case "huntingQuery":
      case "function":
        out.savedSearches.push(asLive(r));
        break;
      case "watchlistItem":
        lists.get(r.watchlistKey)?.items.push(asLive(r));
        break;
      default:
        break;
    }
  }
  return out;
}
