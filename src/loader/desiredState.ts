/**
 * The one loader: content files -> validated desired state. Every consumer
 * (Pulumi program, CLI, live diff, exporters) calls this and nothing else.
 */
import type { Diagnostic } from "../diagnostics/diagnostic";
import { loadContent, type Loaded, type LoadedContent } from "../content/load";
import { convertAnalyticsRule } from "../convert/analyticsRule";
import { convertHuntingQuery } from "../convert/huntingQuery";
import { convertSavedFunction } from "../convert/savedFunction";
import { convertWatchlist } from "../convert/watchlist";
import { referenceLookup } from "../kql/referenceCache";
import { checkAnalyticsRule } from "../validate/analyticsRule";
import { checkHuntingQuery } from "../validate/huntingQuery";
import { checkSavedFunction } from "../validate/savedFunction";
import { checkWatchlist } from "../validate/watchlist";
import { FieldReporter } from "../diagnostics/fieldReporter";
import { orderByDependencies } from "./order";
import { ruleTestSuites } from "./ruleTests";
import { withoutDuplicates, type EstablishedIdentities } from "./uniqueNames";
import { detectionKey } from "../model/detections";
import type { DesiredResource, DesiredState, FunctionResource, RetiredDetection, WatchlistResource } from "../model/types";

export interface BuildOptions {
  /** Identities each file held at a git base, so a duplicate is reported on the file that introduced it (see uniqueNames.ts). */
  established?: EstablishedIdentities;
}

export function buildDesiredState(contentDir: string, options: BuildOptions = {}): DesiredState {
  return buildFromContent(loadContent(contentDir), options);
}

export function buildFromContent(content: LoadedContent, options: BuildOptions = {}): DesiredState {
  const diagnostics: Diagnostic[] = [...content.diagnostics];
  for (const r of content.analyticsRules) checkAnalyticsRule(r, diagnostics);
  for (const q of content.huntingQueries) checkHuntingQuery(q, diagnostics);
  for (const f of content.functions) checkSavedFunction(f, diagnostics);
  for (const w of content.watchlists) checkWatchlist(w, diagnostics);

  const resources: DesiredResource[] = [
    ...content.watchlists.flatMap((w) => convertWatchlist(w)),
    ...content.functions.map(convertSavedFunction),
    ...content.analyticsRules.map(convertAnalyticsRule),
    ...content.huntingQueries.map(convertHuntingQuery),
  ];
  const sources = new Map<string, Loaded<unknown> & { itemsFile?: string }>(
    [...content.analyticsRules, ...content.huntingQueries, ...content.functions, ...content.watchlists].map((l) => [l.file, l]),
  );
  const unique = withoutDuplicates(resources, sources, diagnostics, options.established);
  linkDependencies(unique);
  const { ordered, diagnostics: orderDiagnostics } = orderByDependencies(unique);
  diagnostics.push(...orderDiagnostics);
  return {
    resources: ordered,
    diagnostics,
    files: content.files,
    retired: retiredDetections(content, ordered, diagnostics),
    tests: ruleTestSuites(content, ordered, diagnostics),
  };
}

/**
 * The retired list, checked: each id once, and an id retired everywhere defined by no file. A
 * retired id that a file defines again is an error, not a warning: the deploy unprotects every
 * retired rule, so a retired id back in the content would lose its protection, and a later
 * accidental removal would delete it without a word (docs/safe-deletes.md).
 */
function retiredDetections(content: LoadedContent, resources: readonly DesiredResource[], diagnostics: Diagnostic[]): RetiredDetection[] {
  const retired = content.retired;
  if (!retired) return [];
  const report = new FieldReporter(retired.source, diagnostics);
  const defined = new Map<string, string>();
  // By the name the detection deploys to: a function whose saved search moved under the same
  // alias retires the old saved-search id, which the alias may still spell.
  for (const r of resources) {
    const id = detectionKey(r);
    if (id !== undefined && !defined.has(id)) defined.set(id, r.origin.file);
  }
  const seen = new Set<string>();
  const out: RetiredDetection[] = [];
  retired.doc.retired.forEach((entry, i) => {
    const id = entry.id.trim().toLowerCase();
    if (seen.has(id)) {
      report.error(["retired", i, "id"], "retired/duplicate", `'${entry.id}' is listed twice`, "Keep one entry per retired detection.");
      return;
    }
    seen.add(id);
    const file = defined.get(id);
    if (file && entry.stacks === undefined) {
      report.error(
        ["retired", i, "id"],
        "retired/still-defined",
        `'${entry.id}' is listed as retired, but ${file} defines it`,
        `Delete ${file} to retire it, or remove this entry to keep it (a detection that comes back needs its retired entry removed). To take it out of some stacks only, list them under 'stacks'.`,
      );
    }
    const line = retired.source.locate(["retired", i])?.start.line;
    out.push({
      id,
      reason: entry.reason,
      ...(entry.stacks !== undefined ? { stacks: [...entry.stacks] } : {}),
      ...(entry.name !== undefined ? { name: entry.name } : {}),
      ...(entry.date !== undefined ? { date: entry.date } : {}),
      ...(entry.ticket !== undefined ? { ticket: entry.ticket } : {}),
      origin: { file: retired.file, ...(line !== undefined ? { line } : {}) },
    });
  });
  return out;
}

/**
 * Dependencies come from the queries: a function or rule that calls a function
 * from functions/ depends on it; one that reads `_GetWatchlist('<alias>')` of a
 * watchlist in watchlists/ depends on that watchlist.
 */
function linkDependencies(resources: DesiredResource[]): void {
  // KQL function names are case-sensitive; watchlist aliases are Azure resource names, which are not.
  const functions = new Map<string, FunctionResource>();
  const watchlists = new Map<string, WatchlistResource>();
  for (const r of resources) {
    if (r.content === "function" && r.properties.functionAlias) functions.set(r.properties.functionAlias, r);
    if (r.content === "watchlist") watchlists.set(r.name.toLowerCase(), r);
  }
  if (functions.size === 0 && watchlists.size === 0) return;
  const names = [...functions.keys()];
  const lookup = referenceLookup();
  for (const r of resources) {
    if (r.content !== "function" && r.content !== "analyticsRule" && r.content !== "huntingQuery") continue;
    // A query can only reference a name its text contains; skip the parse for the many that cannot.
    const query = r.properties.query;
    if (!query.includes("_GetWatchlist") && !names.some((n) => query.includes(n))) continue;
    const refs = lookup.referencesOf(query);
    const deps = new Set(r.dependsOn);
    for (const name of refs.functions) {
      const fn = functions.get(name);
      if (fn && fn !== r) deps.add(fn.key);
    }
    for (const alias of refs.watchlists) {
      const wl = watchlists.get(alias.toLowerCase());
      if (wl) deps.add(wl.key);
    }
    r.dependsOn = [...deps].sort();
  }
  lookup.save();
}
