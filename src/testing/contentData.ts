/** The desired state's functions and watchlists as the engine takes them: one place, for tests and ad-hoc queries alike. */
import type { EngineSchema, WatchlistData } from "../engine";
import type { TableSchema } from "../kql/environment";
import type { DesiredState, FunctionResource, WatchlistItemResource, WatchlistResource } from "../model/types";

export function engineSchema(state: DesiredState, tables: readonly TableSchema[]): EngineSchema {
  return {
    tables,
    functions: state.resources
      .filter((r): r is FunctionResource => r.content === "function")
      .map((f) => ({
        name: f.properties.functionAlias ?? f.name,
        parameters: f.properties.functionParameters ?? "",
        body: f.properties.query,
      })),
    watchlists: state.resources
      .filter((r): r is WatchlistResource => r.content === "watchlist")
      .map((w) => ({ alias: w.name, columns: w.columns })),
  };
}

/** Every watchlist's rows, by alias: its items, or the rows `replace` gives for its model key. */
export function watchlistData(
  state: DesiredState,
  replace: ReadonlyMap<string, readonly Record<string, unknown>[]> = new Map(),
): Map<string, WatchlistData & { searchKey: string; columns: readonly string[] }> {
  const items = new Map<string, Record<string, unknown>[]>();
  for (const r of state.resources)
    if (r.content === "watchlistItem")
      items.set(r.watchlistKey, [...(items.get(r.watchlistKey) ?? []), (r as WatchlistItemResource).properties.itemsKeyValue]);
  return new Map(
    state.resources
      .filter((r): r is WatchlistResource => r.content === "watchlist")
      .map((w) => [
        w.name,
        { searchKey: w.properties.itemsSearchKey, columns: w.columns, rows: replace.get(w.key) ?? items.get(w.key) ?? [] },
      ]),
  );
}
