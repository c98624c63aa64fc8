/**
 * Compares the desired state with the live workspace, resource by resource
 * and field by field, and classifies each resource:
 * - create: in Git, not live;
 * - update: in both, different;
 * - unchanged: in both, equal after normalisation;
 * - unmanaged: live only (made in the portal, installed from Content Hub, or removed from Git);
 * - elsewhere: live, and in Git, but outside this comparison's selection (another stack deploys
 *   it, or this stack's include/exclude leaves it out): not drift here, and never exported;
 * - retired: live, and listed in retired.yaml: Git removed it on purpose; never exported back.
 */
import { createTwoFilesPatch } from "diff";
import picomatch from "picomatch";
import type { LiveResource, LiveWatchlist, LiveWorkspace } from "../azure/liveWorkspace";
import type { DesiredResource, ResourceOrigin } from "../model/types";
import { ARM_TYPES, type ArmType } from "../sentinel/arm";
import { HUNTING_CATEGORY } from "../sentinel/savedSearch";
import { searchKeyIdentity } from "../sentinel/watchlistItem";
import { watchlistRoutes } from "../model/watchlistRoutes";
import { canonicalAlertRule, canonicalSavedSearch, canonicalWatchlist, canonicalWatchlistItem, type Canonical } from "./normalize";

export type Classification = "create" | "update" | "unchanged" | "unmanaged" | "elsewhere" | "retired";

/** What Git defines outside the resources being compared, so a live copy is not called unmanaged. */
export interface GitElsewhere {
  /** `<kind>/<lower-case name>` (kinds alertRule, huntingQuery, function, watchlist) -> where Git defines it. */
  resources: ReadonlyMap<string, ResourceOrigin>;
  /** Lower-case ids retired.yaml lists -> its reason. */
  retired: ReadonlyMap<string, string>;
}

export interface FieldChange {
  field: string;
  /** Value in Git (undefined: Git does not set it). */
  git?: unknown;
  /** Value in the workspace (undefined: not set live). */
  live?: unknown;
  /** For queries: a unified diff from the live text to the Git text. */
  textDiff?: string;
}

export type DriftKind = "alertRule" | "huntingQuery" | "function" | "watchlist" | "watchlistItem";

export interface ResourceDrift {
  kind: DriftKind;
  type: ArmType;
  name: string;
  displayName?: string;
  classification: Classification;
  changes: FieldChange[];
  /** Where Git holds it. */
  origin?: ResourceOrigin;
  /** The live resource id. */
  liveId?: string;
  /** Parent watchlist alias, for items. */
  watchlist?: string;
  notes: string[];
}

export interface DriftReport {
  resources: ResourceDrift[];
  /** Live saved searches that are neither hunting queries nor functions (never compared). */
  otherSavedSearches: number;
  /**
   * Live alert rules of kinds that are not content as code (Fusion, Microsoft incident
   * creation, ML behaviour analytics, threat intelligence), by kind: every workspace has
   * some, so they are counted, never reported as drift.
   */
  otherAlertRules: Record<string, number>;
  /** Live-only resources the stack's ignoreUnmanaged globs leave alone. */
  ignoredUnmanaged: number;
  drift: boolean;
}

/** Alert rule kinds that are content as code; the others are configured in the portal. */
export const CONTENT_RULE_KINDS = new Set(["scheduled", "nrt"]);

const KIND_ORDER: DriftKind[] = ["watchlist", "watchlistItem", "function", "alertRule", "huntingQuery"];
const CLASS_ORDER: Classification[] = ["update", "create", "retired", "unmanaged", "elsewhere", "unchanged"];
/** Classifications that are not drift: the workspace already matches, or another selection owns the resource. */
const NOT_DRIFT = new Set<Classification>(["unchanged", "elsewhere"]);

/** Names for the two sides in query diffs: `diff` compares live with Git, `summarize` base with head. */
export interface SideLabels {
  live: string;
  git: string;
}

const DEFAULT_LABELS: SideLabels = { live: "live", git: "git" };

function diffCanonical(git: Canonical, live: Canonical, labels: SideLabels): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, g] of git) {
    const l = live.get(field);
    if (l && (l.key === g.key || (g.semanticKey && l.semanticKey && g.semanticKey() === l.semanticKey()))) continue;
    const change: FieldChange = { field, git: g.shown, live: l?.shown };
    if (g.text !== undefined) {
      // Drop the patch's "=====" banner; keep the ---/+++ header and the hunks.
      change.textDiff = createTwoFilesPatch(labels.live, labels.git, l?.text ?? "", g.text, undefined, undefined, { context: 3 })
        .split("\n")
        .filter((line) => !/^=+$/.test(line))
        .map((line) => (/^(---|\+\+\+) /.test(line) ? line.trimEnd() : line))
        .join("\n")
        .trimEnd();
    }
    changes.push(change);
  }
  return changes;
}

const key = (name: string) => name.toLowerCase();

function isFunction(p: Record<string, unknown>): boolean {
  return typeof p["functionAlias"] === "string" && p["functionAlias"] !== "";
}

function displayNameOf(r: LiveResource): string | undefined {
  return typeof r.properties["displayName"] === "string" ? r.properties["displayName"] : undefined;
}

export interface CompareOptions {
  labels?: SideLabels;
  /** Globs (case-insensitive) of live-only resources to leave out, by name or display name (a stack's ignoreUnmanaged). */
  ignoreUnmanaged?: readonly string[];
  /** What Git defines beyond `desired` (other stacks' selections, retired.yaml): reported as such, not as unmanaged. */
  gitElsewhere?: GitElsewhere;
}

export function compareWorkspace(desired: readonly DesiredResource[], live: LiveWorkspace, options: CompareOptions = {}): DriftReport {
  const labels = options.labels ?? DEFAULT_LABELS;
  const ignored =
    options.ignoreUnmanaged && options.ignoreUnmanaged.length > 0 ? picomatch([...options.ignoreUnmanaged], { nocase: true }) : undefined;
  let ignoredUnmanaged = 0;
  const resources: ResourceDrift[] = [];
  const elsewhere = options.gitElsewhere;
  /** Records a live-only resource: Git's elsewhere, Git's retired, left alone by the stack, or unmanaged. */
  const addUnmanaged = (drift: ResourceDrift) => {
    const origin = drift.kind === "watchlistItem" ? undefined : elsewhere?.resources.get(`${drift.kind}/${key(drift.name)}`);
    const retired = drift.kind === "watchlistItem" ? undefined : elsewhere?.retired.get(key(drift.name));
    if (origin) {
      resources.push({ ...drift, classification: "elsewhere", origin });
    } else if (retired !== undefined) {
      resources.push({ ...drift, classification: "retired", notes: [...drift.notes, `retired.yaml: ${retired}`] });
    } else if (ignored && (ignored(drift.name) || (drift.displayName !== undefined && ignored(drift.displayName)))) {
      ignoredUnmanaged++;
    } else resources.push(drift);
  };
  const liveRules = new Map(live.alertRules.map((r) => [key(r.name), r]));
  const liveSearches = new Map(live.savedSearches.map((r) => [key(r.name), r]));
  const liveLists = new Map(live.watchlists.map((w) => [key(w.name), w]));
  const matched = new Set<LiveResource>();
  // Lists managed as a whole keep their live item ids: the note below is for per-row lists only.
  const bulkLists = new Set([...watchlistRoutes(desired).bulk.values()].map((items) => key(items[0]?.watchlistAlias ?? "")));
  const desiredSearchKeys = new Map(
    desired.flatMap((r) => (r.content === "watchlist" ? [[key(r.name), r.properties.itemsSearchKey] as const] : [])),
  );
  const items = new ItemMatcher(new Set(desired.filter((r) => r.content === "watchlistItem").map((r) => key(r.name))), matched);

  for (const r of desired) {
    const base = { type: r.type, name: r.name, origin: r.origin, notes: [] as string[] };
    switch (r.content) {
      case "analyticsRule": {
        const current = liveRules.get(key(r.name));
        const git = canonicalAlertRule(r.kind, r.properties as unknown as Record<string, unknown>, {
          templateFields: r.properties.alertRuleTemplateName !== undefined,
        });
        resources.push(
          classify(
            { ...base, kind: "alertRule", displayName: r.properties.displayName },
            git,
            current,
            (l) => canonicalAlertRule(l.kind, l.properties, { templateFields: r.properties.alertRuleTemplateName !== undefined }),
            matched,
            labels,
          ),
        );
        break;
      }
      case "huntingQuery":
      case "function": {
        const current = liveSearches.get(key(r.name));
        const drift = classify(
          { ...base, kind: r.content, displayName: r.properties.displayName },
          canonicalSavedSearch(r.properties as unknown as Record<string, unknown>),
          current,
          (l) => canonicalSavedSearch(l.properties),
          matched,
          labels,
        );
        if (!current && r.content === "function") {
          const sameAlias = live.savedSearches.find((s) => s.properties["functionAlias"] === r.properties.functionAlias);
          if (sameAlias) {
            drift.notes.push(
              `a live saved search '${sameAlias.name}' already defines function ${String(r.properties.functionAlias)}; creating another with the same alias will conflict. Adopt it with \`sentinel-iac export\`, or set savedSearchId: ${sameAlias.name} in the function's YAML.`,
            );
          }
        }
        resources.push(drift);
        break;
      }
      case "watchlist": {
        const current = liveLists.get(key(r.name));
        resources.push(
          classify(
            { ...base, kind: "watchlist", displayName: r.properties.displayName },
            canonicalWatchlist(r.properties as unknown as Record<string, unknown>),
            current,
            (l) => canonicalWatchlist(l.properties),
            matched,
            labels,
          ),
        );
        break;
      }
      case "watchlistItem": {
        const list = liveLists.get(key(r.watchlistAlias));
        const current = list ? items.match(list, r.name, r.properties.itemsKeyValue) : undefined;
        const drift = classify(
          {
            ...base,
            kind: "watchlistItem",
            watchlist: r.watchlistAlias,
            displayName:
              r.properties.itemsKeyValue[desiredSearchKeys.get(key(r.watchlistAlias)) ?? ""] ??
              searchKeyOf(r.properties.itemsKeyValue, list),
          },
          canonicalWatchlistItem(r.properties as unknown as Record<string, unknown>),
          current,
          (l) => canonicalWatchlistItem(l.properties),
          matched,
          labels,
        );
        if (current && key(current.name) !== key(r.name) && !bulkLists.has(key(r.watchlistAlias))) {
          drift.notes.push(
            `matched by its search key: the live item's id is ${current.name}; the next deploy re-creates it as ${r.name} (ids derive from the search key)`,
          );
        }
        resources.push(drift);
        break;
      }
    }
  }

  // Live resources Git does not hold.
  const otherAlertRules: Record<string, number> = {};
  for (const r of live.alertRules) {
    if (matched.has(r)) continue;
    if (CONTENT_RULE_KINDS.has((r.kind ?? "").toLowerCase())) addUnmanaged(unmanaged("alertRule", ARM_TYPES.alertRule, r));
    else otherAlertRules[r.kind ?? "unknown"] = (otherAlertRules[r.kind ?? "unknown"] ?? 0) + 1;
  }
  let otherSavedSearches = 0;
  for (const s of live.savedSearches) {
    if (matched.has(s)) continue;
    if (isFunction(s.properties)) addUnmanaged(unmanaged("function", ARM_TYPES.savedSearch, s));
    else if (s.properties["category"] === HUNTING_CATEGORY) addUnmanaged(unmanaged("huntingQuery", ARM_TYPES.savedSearch, s));
    else otherSavedSearches++;
  }
  const managedLists = new Set(desired.filter((r) => r.content === "watchlist").map((r) => key(r.name)));
  for (const w of live.watchlists) {
    if (!matched.has(w)) addUnmanaged({ ...unmanaged("watchlist", ARM_TYPES.watchlist, w), notes: [`${w.items.length} item(s)`] });
    // Items of a managed watchlist that the CSV does not hold stay in Azure until deleted.
    if (managedLists.has(key(w.name))) {
      for (const item of w.items) {
        if (!matched.has(item))
          addUnmanaged({
            ...unmanaged("watchlistItem", ARM_TYPES.watchlistItem, item),
            watchlist: w.name,
            displayName: searchKeyOf(item.properties["itemsKeyValue"], w),
          });
      }
    }
  }

  resources.sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      CLASS_ORDER.indexOf(a.classification) - CLASS_ORDER.indexOf(b.classification) ||
      (a.displayName ?? a.name).localeCompare(b.displayName ?? b.name),
  );
  return {
    resources,
    otherSavedSearches,
    otherAlertRules,
    ignoredUnmanaged,
    drift: resources.some((r) => !NOT_DRIFT.has(r.classification)),
  };
}

/**
 * Finds the live item for a desired one: by id, else by search key. Ids derive from the
 * search key for items this project created, but an item made in the portal or adopted
 * with `export` has a random id; the row is still the same row, so it compares by content
 * (the first deploy after adoption re-creates it under the derived id).
 */
class ItemMatcher {
  private readonly index = new Map<LiveWatchlist, { byId: Map<string, LiveResource>; byKey: Map<string, LiveResource> }>();

  constructor(
    private readonly desiredIds: ReadonlySet<string>,
    private readonly matched: ReadonlySet<LiveResource>,
  ) {}

  private indexOf(list: LiveWatchlist) {
    let entry = this.index.get(list);
    if (!entry) {
      const searchKey = String(list.properties["itemsSearchKey"] ?? "");
      entry = { byId: new Map(), byKey: new Map() };
      for (const item of list.items) {
        entry.byId.set(key(item.name), item);
        const values = item.properties["itemsKeyValue"];
        const k = typeof values === "object" && values !== null ? (values as Record<string, unknown>)[searchKey] : undefined;
        // Items another desired item claims by id are never matched by key.
        if (k !== undefined && !this.desiredIds.has(key(item.name))) entry.byKey.set(searchKeyIdentity(String(k)), item);
      }
      this.index.set(list, entry);
    }
    return entry;
  }

  match(list: LiveWatchlist, id: string, values: Record<string, string>): LiveResource | undefined {
    const { byId, byKey } = this.indexOf(list);
    const byIdMatch = byId.get(key(id));
    if (byIdMatch) return byIdMatch;
    const searchKey = String(list.properties["itemsSearchKey"] ?? "");
    const candidate = byKey.get(searchKeyIdentity(values[searchKey] ?? ""));
    return candidate && !this.matched.has(candidate) ? candidate : undefined;
  }
}

function searchKeyOf(values: unknown, list: LiveResource | undefined): string | undefined {
  const searchKey = list?.properties["itemsSearchKey"];
  if (typeof values !== "object" || values === null) return undefined;
  const v = typeof searchKey === "string" ? (values as Record<string, unknown>)[searchKey] : undefined;
  return v === undefined ? undefined : String(v);
}

function classify(
  base: Omit<ResourceDrift, "classification" | "changes">,
  git: Canonical,
  current: LiveResource | undefined,
  canonicalLive: (l: LiveResource) => Canonical,
  matched: Set<LiveResource>,
  labels: SideLabels,
): ResourceDrift {
  if (!current) return { ...base, classification: "create", changes: [] };
  matched.add(current);
  const changes = diffCanonical(git, canonicalLive(current), labels);
  return { ...base, liveId: current.id, classification: changes.length > 0 ? "update" : "unchanged", changes };
}

function unmanaged(kind: DriftKind, type: ArmType, r: LiveResource): ResourceDrift {
  return { kind, type, name: r.name, displayName: displayNameOf(r), classification: "unmanaged", changes: [], liveId: r.id, notes: [] };
}
