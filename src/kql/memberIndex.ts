/**
 * Looks up a database's members by name through an index instead of a scan.
 *
 * Kusto.Language resolves a name that is not a column or a local (every table reference,
 * every function call) by walking all members of the database and comparing each name;
 * with every table bundled that is ~750 members per lookup, about a tenth of binding time.
 * Its table symbols already look columns up in a map; this gives our database symbol the
 * same, with results identical to the scan's:
 * - the index is by exact name; the scan compares names with `localeCompare`, which also
 *   equates some distinct strings (ignorable or composed characters), so members whose
 *   names are not plain printable ASCII are always checked as the scan would, and a name
 *   that is not plain ASCII, a case-insensitive lookup or a lookup of all members takes the scan;
 * - the candidates are filtered by the library's own match test, in member order.
 * One known difference: under a locale whose collation ignores punctuation (th_TH, for one),
 * the scan's `localeCompare` finds `My_Table` when a query writes `MyTable`; the index does
 * not. Kusto matches names exactly, so the index is the faithful one there; in the default
 * and English locales the two agree.
 */
import type { BridgeList, KDatabaseSymbol, KSymbol } from "./kusto";

type GetMembers = (name: string | null, match: number, symbols: { add(symbol: KSymbol): void }, ignoreCase?: boolean) => void;

interface IndexableDatabase {
  readonly Members: BridgeList<KSymbol>;
  GetMembers$1: GetMembers;
}

/** The library's test of one member against a name and kind, as the scan uses it. */
export type MemberMatches = (symbol: KSymbol, name: string, match: number, ignoreCase: boolean) => boolean;

const PLAIN = /^[\x20-\x7e]*$/;

export function indexMembersByName(database: KDatabaseSymbol, matches: MemberMatches): void {
  const db = database as unknown as IndexableDatabase;
  const scan = db.GetMembers$1;
  if (typeof scan !== "function" || typeof db.Members?.getItem !== "function") return;
  const byName = new Map<string, number[]>();
  const unusual: number[] = [];
  const members: KSymbol[] = [];
  for (let i = 0; i < db.Members.Count; i++) {
    const member = db.Members.getItem(i);
    members.push(member);
    if (!PLAIN.test(member.Name)) unusual.push(i);
    else {
      const same = byName.get(member.Name);
      if (same) same.push(i);
      else byName.set(member.Name, [i]);
    }
  }
  db.GetMembers$1 = function (this: IndexableDatabase, name, match, symbols, ignoreCase = false) {
    if (name === null || name === undefined || ignoreCase || !PLAIN.test(name)) {
      scan.call(this, name, match, symbols, ignoreCase);
      return;
    }
    const named = byName.get(name);
    const candidates = unusual.length === 0 ? (named ?? []) : [...(named ?? []), ...unusual].sort((a, b) => a - b);
    for (const i of candidates) if (matches(members[i]!, name, match, false)) symbols.add(members[i]!);
  };
}
