/**
 * Watchlist YAML + CSV -> one watchlist and one watchlist item per CSV row.
 *
 * Azure's bulk CSV upload (`rawContent`) only ever appends rows, so a row
 * deleted from the CSV would live on in Azure. Managing each row as its own
 * item makes the CSV authoritative: a removed row is a deleted item.
 */
import { basename } from "node:path";
import { v5 as uuidv5 } from "uuid";
import type { LoadedWatchlist } from "../content/load";
import { API_VERSIONS, ARM_TYPES, resourceKey, type WatchlistItemResource, type WatchlistResource } from "../model/types";
import { searchKeyIdentity } from "../validate/watchlist";
import { parseDuration, toIsoDuration } from "./duration";

/**
 * Namespace for watchlist item ids. Item ids are UUIDv5(namespace, alias + search key),
 * so the same row always maps to the same item. Changing this value would
 * delete and recreate every item in every workspace: never change it.
 */
export const WATCHLIST_ITEM_NAMESPACE = "4dc7541e-a8a8-4000-b098-0580a3563eab";

export function watchlistItemId(alias: string, searchKey: string): string {
  return uuidv5(`${alias.toLowerCase()}\n${searchKeyIdentity(searchKey)}`, WATCHLIST_ITEM_NAMESPACE);
}

export function convertWatchlist(watchlist: LoadedWatchlist): [WatchlistResource, ...WatchlistItemResource[]] {
  const doc = watchlist.doc;
  const alias = doc.alias;
  const watchlistKey = resourceKey(ARM_TYPES.watchlist, alias.toLowerCase());
  const duration = doc.defaultDuration === undefined ? undefined : parseDuration(doc.defaultDuration);
  const list: WatchlistResource = {
    key: watchlistKey,
    type: ARM_TYPES.watchlist,
    name: alias,
    apiVersion: API_VERSIONS.securityInsights,
    content: "watchlist",
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
      ...(duration?.ok ? { defaultDuration: toIsoDuration(duration.ms) } : {}),
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
      dependsOn: [watchlistKey],
      origin: { file: watchlist.itemsFile, line: row.line },
      properties: { itemsKeyValue: { ...row.values } },
    });
  }
  return [list, ...items];
}
