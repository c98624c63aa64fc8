/**
 * The identity of a watchlist item. It decides every item's Azure resource
 * name, so changing anything here deletes and recreates every watchlist item
 * in every workspace: the conversion, the live diff and the exporter all use
 * these functions and nothing else.
 */
import { v5 as uuidv5 } from "uuid";

/** Search keys identify rows ignoring case and surrounding whitespace, as Sentinel matches them. */
export function searchKeyIdentity(value: string): string {
  return value.trim().toLowerCase();
}

/** Namespace of item ids: UUIDv5(namespace, alias + search key), so a row always maps to the same item. Never change it. */
export const WATCHLIST_ITEM_NAMESPACE = "4dc7541e-a8a8-4000-b098-0580a3563eab";

export function watchlistItemId(alias: string, searchKey: string): string {
  return uuidv5(`${alias.toLowerCase()}\n${searchKeyIdentity(searchKey)}`, WATCHLIST_ITEM_NAMESPACE);
}
