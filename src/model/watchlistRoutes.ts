/**
 * Which watchlists the deploy manages row by row (one Pulumi resource per row) and which as a
 * whole (one rows resource, docs/azure-behaviours.md §4). The Pulumi program, the live diff and
 * `export` all ask here, so they agree.
 *
 * A list over the per-list limit is managed as a whole. So are the largest of the others while
 * the per-row lists together hold more than the stack's budget: the costs of the per-row route
 * (state size, ARM writes, preview noise) add up over the stack, not per list.
 */
import { PER_ROW_STACK_LIMIT, PER_ROW_WATCHLIST_LIMIT } from "../sentinel/limits";
import type { DesiredResource, WatchlistItemResource } from "./types";

export interface PerRowLimits {
  /** Rows of one list. */
  perList: number;
  /** Rows of all per-row lists of one stack together. */
  perStack: number;
}

export const DEFAULT_PER_ROW_LIMITS: Readonly<PerRowLimits> = { perList: PER_ROW_WATCHLIST_LIMIT, perStack: PER_ROW_STACK_LIMIT };

export interface WatchlistRoutes {
  /** Every list's items, by the watchlist's model key. */
  items: Map<string, WatchlistItemResource[]>;
  /** The lists managed as a whole, by model key, with their items. */
  bulk: Map<string, WatchlistItemResource[]>;
}

export function watchlistRoutes(resources: readonly DesiredResource[], limits: PerRowLimits = DEFAULT_PER_ROW_LIMITS): WatchlistRoutes {
  const items = new Map<string, WatchlistItemResource[]>();
  for (const r of resources) {
    if (r.content !== "watchlistItem") continue;
    const list = items.get(r.watchlistKey);
    if (list) list.push(r);
    else items.set(r.watchlistKey, [r]);
  }
  const bulk = new Map<string, WatchlistItemResource[]>();
  const perRow: [string, WatchlistItemResource[]][] = [];
  for (const entry of items) entry[1].length > limits.perList ? bulk.set(...entry) : perRow.push(entry);
  // Largest first, then by key: the same content always takes the same routes.
  perRow.sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : a > b ? 1 : 0));
  let total = perRow.reduce((sum, [, rows]) => sum + rows.length, 0);
  for (const [key, rows] of perRow) {
    if (total <= limits.perStack) break;
    bulk.set(key, rows);
    total -= rows.length;
  }
  return { items, bulk };
}
