/**
 * Watchlist YAML + CSV -> one watchlist and one watchlist item per CSV row.
 *
 * Azure's bulk CSV upload (`rawContent`) only ever appends rows, so a row
 * deleted from the CSV would live on in Azure. Managing each row as its own
 * item makes the CSV authoritative: a removed row is a deleted item.
 */
import { basename } from "node:path";
import type { LoadedWatchlist } from "../content/load";
import { resourceKey, type WatchlistItemResource, type WatchlistResource } from "../model/types";
import { API_VERSIONS, ARM_TYPES } from "../sentinel/arm";
import { toIsoDuration } from "../sentinel/duration";
import { searchKeyIdentity, watchlistItemId } from "../sentinel/watchlistItem";

export function convertWatchlist(watchlist: LoadedWatchlist): [WatchlistResource, ...WatchlistItemResource[]] {
  const doc = watchlist.doc;
  const alias = doc.alias;
  const watchlistKey = resourceKey(ARM_TYPES.watchlist, alias.toLowerCase());
  const list: WatchlistResource = {
    key: watchlistKey,
    type: ARM_TYPES.watchlist,
    name: alias,
    apiVersion: API_VERSIONS.securityInsights,
    content: "watchlist",
    columns: [...watchlist.table.columns],
    dependsOn: [],
    origin: { file: watchlist.file, line: 1 },
    properties: {
      displayName: doc.displayName,
      provider: doc.provider,
      itemsSearchKey: doc.itemsSearchKey,
      source: basename(watchlist.itemsFile),
      sourceType: "Local",
      ...(doc.description !== undefined ? { description: doc.description.trimEnd() } : {}),
      ...(doc.labels !== undefined ? { labels: [...doc.labels] } : {}),
      ...(watchlist.defaultDuration !== undefined ? { defaultDuration: toIsoDuration(watchlist.defaultDuration) } : {}),
    },
  };
  const seen = new Set<string>();
  const items: WatchlistItemResource[] = [];
  for (const row of watchlist.table.rows) {
    const key = row.values[doc.itemsSearchKey] ?? "";
    // Rows without a key, or repeating one, were reported by validation; skip them here.
    if (key === "" || seen.has(searchKeyIdentity(key))) continue;
    seen.add(searchKeyIdentity(key));
    const id = watchlistItemId(alias, key);
    items.push({
      key: resourceKey(ARM_TYPES.watchlistItem, alias.toLowerCase(), id),
      type: ARM_TYPES.watchlistItem,
      name: id,
      apiVersion: API_VERSIONS.securityInsights,
      content: "watchlistItem",
      watchlistAlias: alias,
      watchlistKey,
      dependsOn: [watchlistKey],
      origin: { file: watchlist.itemsFile, line: row.line },
      properties: { itemsKeyValue: { ...row.values } },
    });
  }
  return [list, ...items];
}
