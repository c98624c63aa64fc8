/** Kusto.Language symbols for a KQL environment: one database with the tables, functions and _GetWatchlist. */
import {
  loadKusto,
  type KColumnSymbol,
  type KCustomReturnTypeContext,
  type KFunctionSymbol,
  type KGlobalState,
  type KSymbol,
  type KTableSymbol,
  type KTypeSymbol,
} from "./kusto";
import type { KqlEnvironment } from "./environment";
import { WATCHLIST_FUNCTION } from "./references";
import { indexMembersByName } from "./memberIndex";

/** Columns every `_GetWatchlist()` result has, whatever the watchlist. */
export const WATCHLIST_BASE_COLUMNS: readonly [string, string][] = [
  ["_DTItemId", "string"],
  ["LastUpdatedTimeUTC", "datetime"],
  ["SearchKey", "string"],
  ["WatchlistItem", "dynamic"],
];

export interface BuiltGlobals {
  globals: KGlobalState;
  /** The symbol bound to `_GetWatchlist` calls (compare with a node's ReferencedSymbol). */
  watchlistFunction: KFunctionSymbol;
  /** Lower-cased alias -> alias, for the watchlists the project defines. */
  watchlistAliases: ReadonlyMap<string, string>;
}

export function buildGlobals(env: KqlEnvironment): BuiltGlobals {
  const K = loadKusto();
  const Sy = K.Symbols;
  const scalar = (type: string, where: string): KTypeSymbol => {
    const t = Sy.ScalarSymbol.From(type);
    if (!t) throw new Error(`${where}: unknown KQL type '${type}'`);
    return t;
  };
  const columns = (defs: readonly (readonly [string, string])[], where: string): KColumnSymbol[] =>
    defs.map(([name, type]) => new Sy.ColumnSymbol(name, scalar(type, `${where}.${name}`), null, null, null, null));
  const table = (name: string, defs: readonly (readonly [string, string])[]): KTableSymbol =>
    new Sy.TableSymbol.$ctor4(name, columns(defs, name));

  const members: KSymbol[] = env.tables.map((t) => (t.open ? table(t.name, t.columns).WithIsOpen(true) : table(t.name, t.columns)));

  // _GetWatchlist(alias) returns the base columns plus one string column per CSV column of
  // that watchlist: its result type depends on the alias *value*, so it is computed per call site.
  const perAlias = new Map<string, KTableSymbol>();
  const aliases = new Map<string, string>();
  for (const w of env.watchlists) {
    aliases.set(w.alias.toLowerCase(), w.alias);
    const extra = w.columns.filter((c) => !WATCHLIST_BASE_COLUMNS.some(([b]) => b === c)).map((c) => [c, "string"] as const);
    perAlias.set(w.alias.toLowerCase(), table(`Watchlist_${w.alias}`, [...WATCHLIST_BASE_COLUMNS, ...extra]));
  }
  const base = table("Watchlist", WATCHLIST_BASE_COLUMNS);
  const watchlistFunction = new Sy.FunctionSymbol.ctor(
    WATCHLIST_FUNCTION,
    (ctx: KCustomReturnTypeContext): KTypeSymbol => {
      // Must never throw: an exception here would escape ParseAndAnalyze.
      try {
        const arg = ctx.GetArgument$1("watchlistAlias");
        const alias = arg && arg.IsConstant && typeof arg.ConstantValue === "string" ? arg.ConstantValue : undefined;
        return (alias !== undefined && perAlias.get(alias.toLowerCase())) || base;
      } catch {
        return base;
      }
    },
    Sy.Tabularity.Tabular,
    [new Sy.Parameter.$ctor2("watchlistAlias", Sy.ScalarTypes.String)],
  );
  members.push(watchlistFunction);
  for (const f of env.functions) members.push(new Sy.FunctionSymbol.$ctor16(f.name, `(${f.parameters})`, `{\n${f.body}\n}`, null));

  const database = new Sy.DatabaseSymbol.ctor("workspace", members);
  indexMembersByName(database, (symbol, name, match, ignoreCase) => Sy.SymbolMatchExtensions.Matches$1(symbol, name, match, ignoreCase));
  return {
    // With its own cache: Binder.TryBind adds one to a state that has none, which makes every query
    // rebuild the state's lookup maps (functions, operators, the reverse map of all ~750 tables) and
    // lose the bound bodies of called functions. Measured in docs/performance.md.
    globals: K.GlobalState.Default.WithDatabase(database).WithCache(),
    watchlistFunction,
    watchlistAliases: aliases,
  };
}
