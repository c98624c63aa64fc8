/**
 * Two content files must never name one Azure resource: Azure would hold one of them, and
 * which one would depend on the order of a deploy. Every such pair is an error on the file
 * that introduced the duplicate, naming the other; the other file's resource stays in the model
 * (for the plan), the duplicate's is left out, and the error stops any deploy.
 *
 * Identities follow Azure's rules, where names ignore case:
 * - an analytics rule's or hunting query's `id` (one namespace: retired.yaml and summaries key detections by it);
 * - a saved search's name, shared by hunting queries (their id) and functions (savedSearchId, else alias);
 * - a function's alias, which queries call it by and which the workspace keeps unique;
 * - a watchlist's alias.
 *
 * Which file introduced the duplicate: with a git base (`summarize`, `plan --base`), the file
 * that did not hold the identity at the base. Without one, or when neither did, the file whose
 * path sorts later (so the report is stable from run to run).
 */
import type { Loaded } from "../content/load";
import type { Diagnostic } from "../diagnostics/diagnostic";
import { FieldReporter } from "../diagnostics/fieldReporter";
import type { FieldPath } from "../diagnostics/source";
import type { DesiredResource } from "../model/types";

/** For each identity (see `identitiesOf`), the file that held it at the git base. */
export type EstablishedIdentities = ReadonlyMap<string, string>;

interface Claim {
  identity: string;
  /** What the identity is, for messages: `id`, `function alias`, ... */
  what: string;
  /** The name as this file writes it. */
  name: string;
  field: FieldPath;
  file: string;
  kind: string;
}

const KIND: Record<string, string> = {
  analyticsRule: "the analytics rule",
  huntingQuery: "the hunting query",
  function: "the function",
  watchlist: "the watchlist",
};

/** `doc`: the file's YAML, for names as written (the model lower-cases detection ids). */
function claimsOf(r: DesiredResource, doc?: { id?: unknown; savedSearchId?: unknown }): Claim[] {
  const written = typeof doc?.id === "string" ? doc.id : r.name;
  const base = { file: r.origin.file, kind: KIND[r.content] ?? r.content };
  const claim = (prefix: string, what: string, name: string, field: string): Claim => ({
    ...base,
    identity: `${prefix}:${name.toLowerCase()}`,
    what,
    name,
    field: [field],
  });
  switch (r.content) {
    case "analyticsRule":
      return [claim("detection", "id", written, "id")];
    case "huntingQuery":
      return [claim("detection", "id", written, "id"), claim("savedSearch", "saved-search id", written, "id")];
    case "function":
      return [
        claim("savedSearch", "saved-search id", r.name, doc?.savedSearchId !== undefined ? "savedSearchId" : "alias"),
        claim("functionAlias", "function alias", r.properties.functionAlias ?? r.name, "alias"),
      ];
    case "watchlist":
      return [claim("watchlist", "watchlist alias", r.name, "alias")];
    default:
      return [];
  }
}

const CODES: Record<string, string> = {
  detection: "content/duplicate-id",
  savedSearch: "content/duplicate-saved-search",
  functionAlias: "content/duplicate-alias",
  watchlist: "content/duplicate-alias",
};

const HINTS: Record<string, string> = {
  detection: "Generate a new GUID for one of them (e.g. with `uuidgen`).",
  savedSearch: "Give one of them another name: a hunting query a new GUID, a function another alias or savedSearchId.",
  functionAlias: "Rename one of the functions.",
  watchlist: "Rename one of the watchlists.",
};

function duplicateMessage(duplicate: Claim, kept: Claim, detection: boolean): string {
  const spelled = duplicate.name !== kept.name ? ` as '${kept.name}' (Azure names ignore case)` : "";
  if (detection) return `${duplicate.what} '${duplicate.name}' is already used by ${kept.file}${spelled}`;
  return `${duplicate.what} '${duplicate.name}' is already used by ${kept.kind} in ${kept.file}${spelled}: both would be one resource in Azure, and one would silently replace the other`;
}

/** The identities a state's resources hold, with the file holding each: what a git base establishes. */
export function identitiesOf(resources: readonly DesiredResource[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of resources) for (const c of claimsOf(r)) if (!out.has(c.identity)) out.set(c.identity, c.file);
  return out;
}

/**
 * Reports every duplicate identity and returns the resources without the duplicates' ones
 * (a watchlist's items go with it). `sources` gives each YAML file's parsed document, for positions.
 */
export function withoutDuplicates(
  resources: readonly DesiredResource[],
  sources: ReadonlyMap<string, Loaded<unknown> & { itemsFile?: string }>,
  diagnostics: Diagnostic[],
  established: EstablishedIdentities = new Map(),
): DesiredResource[] {
  const groups = new Map<string, Claim[]>();
  for (const r of resources) {
    const doc = sources.get(r.origin.file)?.doc as { id?: unknown; savedSearchId?: unknown } | undefined;
    for (const claim of claimsOf(r, doc)) {
      const group = groups.get(claim.identity) ?? [];
      // One file claims an identity once (a hunting query's id is both a detection id and a saved-search id).
      if (!group.some((c) => c.file === claim.file)) group.push(claim);
      groups.set(claim.identity, group);
    }
  }
  const dropped = new Set<string>();
  const reported = new Set<string>();
  for (const [identity, claims] of groups) {
    if (claims.length < 2) continue;
    const first = established.get(identity);
    const ordered = [...claims].sort((a, b) => Number(b.file === first) - Number(a.file === first) || a.file.localeCompare(b.file));
    const kept = ordered[0]!;
    const prefix = identity.slice(0, identity.indexOf(":"));
    for (const duplicate of ordered.slice(1)) {
      dropped.add(duplicate.file);
      // A pair of files is reported once, on its first shared identity.
      const pair = `${duplicate.file}\u0000${kept.file}`;
      if (reported.has(pair)) continue;
      reported.add(pair);
      const message = duplicateMessage(duplicate, kept, prefix === "detection");
      const code = CODES[prefix] ?? "content/duplicate-name";
      const source = sources.get(duplicate.file)?.source;
      if (source) new FieldReporter(source, diagnostics).error(duplicate.field, code, message, HINTS[prefix]);
      else diagnostics.push({ severity: "error", code, file: duplicate.file, message, ...(HINTS[prefix] ? { hint: HINTS[prefix] } : {}) });
    }
  }
  if (dropped.size === 0) return [...resources];
  // A dropped watchlist's rows go with it, unless the kept one reads the same CSV.
  const csvOf = (file: string) => sources.get(file)?.itemsFile;
  const keptCsv = new Set(
    resources.filter((r) => r.content === "watchlist" && !dropped.has(r.origin.file)).map((r) => csvOf(r.origin.file)),
  );
  const droppedCsv = new Set([...dropped].map(csvOf).filter((f): f is string => f !== undefined && !keptCsv.has(f)));
  const seen = new Set<string>();
  return resources.filter((r) => {
    if (dropped.has(r.origin.file) || (r.content === "watchlistItem" && droppedCsv.has(r.origin.file)) || seen.has(r.key)) return false;
    seen.add(r.key);
    return true;
  });
}
