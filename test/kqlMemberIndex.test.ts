/** The database's name index (kql/memberIndex.ts) finds exactly what Kusto.Language's member scan finds. */
import { describe, expect, it } from "vitest";
import { loadKusto, type KSymbol } from "../src/kql/kusto";
import { indexMembersByName } from "../src/kql/memberIndex";

type GetMembers = (name: string | null, match: number, symbols: { add(s: KSymbol): void; Count: number }, ignoreCase?: boolean) => void;
interface Lookup {
  GetMembers$1: GetMembers;
}

describe("database member index", () => {
  it("returns the scan's members, in the scan's order, for every name and kind", () => {
    const K = loadKusto();
    const Sy = K.Symbols;
    const string = Sy.ScalarTypes.String;
    const table = (name: string) => new Sy.TableSymbol.$ctor4(name, [new Sy.ColumnSymbol("A", string, null, null, null, null)]);
    const fn = (name: string) => new Sy.FunctionSymbol.$ctor16(name, "()", "{ print 1 }", null);
    // Same names in different kinds and cases, and names the scan's localeCompare equates with others.
    const members: KSymbol[] = [
      table("SigninLogs"),
      fn("SigninLogs"),
      table("Signinlogs"),
      table("Heartbeat"),
      fn("Heartbeat"),
      table("Foo\u200b"),
      table("Foo"),
      table("Caf\u00e9"),
      fn("Cafe\u0301"),
      table("Ctrl\u0001"),
      table("Ctrl"),
    ];
    const make = () => new Sy.DatabaseSymbol.ctor("db", members);
    const indexed = make();
    indexMembersByName(indexed, (s, n, m, i) => Sy.SymbolMatchExtensions.Matches$1(s, n, m, i));
    const plain = make();
    expect((indexed as unknown as Lookup).GetMembers$1).not.toBe((plain as unknown as Lookup).GetMembers$1);

    const lookup = (db: object, name: string | null, match: number, ignoreCase: boolean): KSymbol[] => {
      const found: KSymbol[] = [];
      const list = {
        add: (s: KSymbol) => void found.push(s),
        get Count() {
          return found.length;
        },
      };
      (db as Lookup).GetMembers$1(name, match, list, ignoreCase);
      return found;
    };
    const SymbolMatch = (globalThis as unknown as { Kusto: { Language: { Symbols: { SymbolMatch: Record<string, number> } } } }).Kusto
      .Language.Symbols.SymbolMatch;
    const matches = [
      SymbolMatch["Table"]!,
      SymbolMatch["Function"]!,
      SymbolMatch["Table"]! | SymbolMatch["Function"]!,
      SymbolMatch["Default"]!,
      24,
    ];
    const names = [null, ...members.map((m) => m.Name), "signinlogs", "Foo", "Café", "Nope", "", "Ctrl"];
    let compared = 0;
    for (const name of names)
      for (const match of matches)
        for (const ignoreCase of [false, true]) {
          const expected = lookup(plain, name, match, ignoreCase);
          // Identity: the index must hand out the database's own symbols (the binder compares them by reference).
          expect(lookup(indexed, name, match, ignoreCase).map((s) => members.indexOf(s))).toEqual(expected.map((s) => members.indexOf(s)));
          compared += expected.length;
        }
    expect(compared).toBeGreaterThan(50);
  });
});
