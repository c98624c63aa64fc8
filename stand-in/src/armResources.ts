/**
 * Turns the stand-in state into the bodies Azure returns for GET: the user's properties plus
 * the fields Azure adds itself, shaped like the 2024-09-01 examples in azure-rest-api-specs
 * (GetScheduledAlertRule.json, GetWatchlistByAlias.json, GetWatchlistItemById.json,
 * WorkspacesSavedSearchesGet.json) and the Tables model of @azure/arm-operationalinsights.
 *
 * Everything is rendered once per state, so a list request only slices and serialises.
 * Generated values are derived from the content (etag) or from the render time (timestamps),
 * so two GETs of the same state return identical bodies.
 */
import { createHash } from "node:crypto";
import { v5 as uuidv5 } from "uuid";
import type { LiveResource } from "../../src/azure/liveWorkspace";
import { workspaceId } from "../../src/azure/armId";
import type { StandInResource, StandInState, StandInWatchlist } from "./state";

/** A resource as a GET returns it: the same shape the live reader hands on. */
export type ArmResourceBody = LiveResource;

export interface RenderedWatchlist {
  body: ArmResourceBody;
  items: ArmResourceBody[];
}

export interface RenderedWorkspace {
  /** ARM id of the workspace, with the casing of the state. */
  workspaceId: string;
  alertRules: ArmResourceBody[];
  watchlists: RenderedWatchlist[];
  savedSearches: ArmResourceBody[];
  tables: ArmResourceBody[];
}

/** The tenant the stand-in uses when the state names none. */
export const DEFAULT_STAND_IN_TENANT_ID = "72f988bf-0000-4000-8000-00000000c0de";
// Fixed namespace so a watchlist alias always gets the same watchlistId.
const WATCHLIST_ID_NAMESPACE = "0d7a4f3e-5b8c-4c39-9f4e-2a1e6b7c8d90";
const STAND_IN_USER = { objectId: "00000000-0000-4000-8000-000000005717", email: "stand-in@example.com", name: "sentinel-iac stand-in" };

/** `2024-05-13T09:57:44.1230000Z`: Sentinel's timestamps carry seven fractional digits. */
function sentinelTime(date: Date, offsetStyle: "Z" | "+00:00"): string {
  const iso = date.toISOString().replace(/\.(\d{3})Z$/, ".$10000");
  return offsetStyle === "Z" ? `${iso}Z` : `${iso}+00:00`;
}

/** A quoted, GUID-shaped etag that changes when the resource changes, like Sentinel's. */
function contentEtag(resource: { name: string; kind?: string; properties: Record<string, unknown> }): string {
  const hex = createHash("sha256")
    .update(`${resource.name}\n${resource.kind ?? ""}\n${JSON.stringify(resource.properties)}`)
    .digest("hex");
  return `"${hex.slice(0, 8)}-0000-0000-0000-${hex.slice(8, 20)}"`;
}

/** Generated values first, then the state's, so the state always wins. */
function withDefaults(defaults: Record<string, unknown>, properties: Record<string, unknown>): Record<string, unknown> {
  return { ...defaults, ...properties };
}

function tableDefaults(name: string): Record<string, unknown> {
  return {
    retentionInDays: 90,
    totalRetentionInDays: 90,
    archiveRetentionInDays: 0,
    plan: "Analytics",
    provisioningState: "Succeeded",
    retentionInDaysAsDefault: true,
    totalRetentionInDaysAsDefault: true,
    ...(name.endsWith("_CL") ? {} : { lastPlanModifiedDate: "2024-01-01T00:00:00Z" }),
  };
}

function resourceBody(
  id: string,
  type: string,
  resource: StandInResource,
  properties: Record<string, unknown>,
  etag: string | undefined,
): ArmResourceBody {
  const servedEtag = resource.etag ?? etag;
  return {
    id,
    name: resource.name,
    type,
    ...(resource.kind !== undefined ? { kind: resource.kind } : {}),
    ...(servedEtag !== undefined ? { etag: servedEtag } : {}),
    properties,
  };
}

/** What every rendered body of one workspace shares: its ids, tenant and the render time. */
export interface RenderContext {
  tenantId: string;
  workspace: string;
  sentinel: string;
  modified: string;
  created: string;
  now: Date;
}

export function renderContext(state: StandInState, now = new Date()): RenderContext {
  const workspace = workspaceId(state);
  return {
    tenantId: state.tenantId ?? DEFAULT_STAND_IN_TENANT_ID,
    workspace,
    sentinel: `${workspace}/providers/Microsoft.SecurityInsights`,
    modified: sentinelTime(now, "Z"),
    created: sentinelTime(now, "+00:00"),
    now,
  };
}

export function renderAlertRule(c: RenderContext, rule: StandInResource): ArmResourceBody {
  return resourceBody(
    `${c.sentinel}/alertRules/${rule.name}`,
    "Microsoft.SecurityInsights/alertRules",
    rule,
    // Azure returns alertRuleTemplateName: null for rules not made from a template.
    withDefaults({ alertRuleTemplateName: null, lastModifiedUtc: c.modified }, rule.properties),
    contentEtag(rule),
  );
}

export function renderWatchlistBody(c: RenderContext, watchlist: StandInWatchlist): ArmResourceBody {
  const properties = withDefaults(
    {
      watchlistId: uuidv5(watchlist.name.toLowerCase(), WATCHLIST_ID_NAMESPACE),
      sourceType: "Local",
      created: c.created,
      updated: c.created,
      createdBy: STAND_IN_USER,
      updatedBy: STAND_IN_USER,
      watchlistType: "watchlist",
      watchlistAlias: watchlist.name,
      isDeleted: false,
      tenantId: c.tenantId,
    },
    watchlist.properties,
  );
  return resourceBody(
    `${c.sentinel}/watchlists/${watchlist.name}`,
    "Microsoft.SecurityInsights/Watchlists",
    { name: watchlist.name, properties: watchlist.properties },
    properties,
    watchlist.etag ?? contentEtag(watchlist),
  );
}

export function renderWatchlistItem(c: RenderContext, watchlist: { name: string }, item: StandInResource): ArmResourceBody {
  return resourceBody(
    // Azure writes Watchlists/WatchlistItems with capitals in item ids (GetWatchlistItemById.json).
    `${c.sentinel}/Watchlists/${watchlist.name}/WatchlistItems/${item.name}`,
    "Microsoft.SecurityInsights/Watchlists/WatchlistItems",
    item,
    withDefaults(
      {
        watchlistItemType: "watchlist-item",
        watchlistItemId: item.name,
        tenantId: c.tenantId,
        isDeleted: false,
        created: c.created,
        updated: c.created,
        createdBy: STAND_IN_USER,
        updatedBy: STAND_IN_USER,
        entityMapping: {},
      },
      item.properties,
    ),
    contentEtag(item),
  );
}

export function renderWatchlist(c: RenderContext, watchlist: StandInWatchlist): RenderedWatchlist {
  return { body: renderWatchlistBody(c, watchlist), items: watchlist.items.map((item) => renderWatchlistItem(c, watchlist, item)) };
}

export function renderSavedSearch(c: RenderContext, search: StandInResource): ArmResourceBody {
  return resourceBody(
    `${c.workspace}/savedSearches/${search.name}`,
    "Microsoft.OperationalInsights/savedSearches",
    search,
    search.properties,
    savedSearchEtag(c.now),
  );
}

export function renderTable(c: RenderContext, table: StandInResource): ArmResourceBody {
  return resourceBody(
    `${c.workspace}/tables/${table.name}`,
    "Microsoft.OperationalInsights/workspaces/tables",
    table,
    withDefaults(tableDefaults(table.name), table.properties),
    // Tables are proxy resources without an etag.
    undefined,
  );
}

/** Log Analytics saved searches use a weak datetime etag; a write gives the search a new one. */
export function savedSearchEtag(date: Date): string {
  return `W/"datetime'${encodeURIComponent(sentinelTime(date, "Z"))}'"`;
}

export function renderWorkspace(state: StandInState, now = new Date()): RenderedWorkspace {
  const c = renderContext(state, now);
  return {
    workspaceId: c.workspace,
    alertRules: state.alertRules.map((rule) => renderAlertRule(c, rule)),
    watchlists: state.watchlists.map((watchlist) => renderWatchlist(c, watchlist)),
    savedSearches: state.savedSearches.map((search) => renderSavedSearch(c, search)),
    tables: state.tables.map((table) => renderTable(c, table)),
  };
}
