/**
 * The writes the stand-in serves, as the REST specs and Microsoft's docs
 * describe them (Microsoft.OperationalInsights 2025-07-01 SavedSearches.json,
 * Microsoft.SecurityInsights 2024-09-01 Watchlists.json, the Sentinel service
 * limits and "Manage watchlists" pages):
 *
 * - Saved searches: PUT creates or replaces. Replacing an existing one needs
 *   an etag, top-level or under `properties` (the form ARM templates use),
 *   that is `*` or the current one; without it the service answers 409. Each
 *   write gives the search a new etag. DELETE answers 200.
 * - Watchlists: PUT creates or updates; with `rawContent` (text/csv, at most
 *   3.8 MB, lines of at most 10,240 characters, a header with the search key
 *   and no row without one) it also adds one item per row with a
 *   service-made id, *appending* to the items there are and skipping rows
 *   whose every value equals an existing item's. The upload is processed
 *   after `uploadDelayMs` (uploadStatus InProgress, then Complete), and a
 *   watchlist cannot be deleted or re-uploaded while InProgress. DELETE removes
 *   the watchlist with its items.
 * - Watchlist items: PUT creates or replaces one item by id; DELETE removes it.
 *
 * Alert rules stay read-only (405): nothing here writes them.
 */
import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import {
  renderContext,
  renderSavedSearch,
  renderWatchlistBody,
  renderWatchlistItem,
  savedSearchEtag,
  type ArmResourceBody,
  type RenderedWorkspace,
} from "./armResources";
import type { StandInResource, StandInState, StandInWatchlist } from "./state";

export interface WriteReply {
  status: number;
  body: unknown;
  /** ARM error code of an error reply. */
  error?: string;
}

/** Largest rawContent a watchlist PUT accepts (Sentinel service limits: 3.8 MB per local file). */
export const RAW_CONTENT_LIMIT_BYTES = Math.floor(3.8 * 1024 * 1024);
/** Longest CSV line of a watchlist upload (Sentinel service limits). */
export const RAW_CONTENT_LINE_LIMIT = 10_240;

const SAVED_SEARCH_FIELDS = ["category", "displayName", "query", "functionAlias", "functionParameters", "version", "tags"];
const WATCHLIST_WRITE_ONLY = new Set(["rawContent", "contentType", "numberOfLinesToSkip"]);
const WATCHLIST_READ_ONLY = new Set([
  "watchlistId",
  "created",
  "updated",
  "createdBy",
  "updatedBy",
  "watchlistType",
  "isDeleted",
  "tenantId",
  "uploadStatus",
]);

const fail = (status: number, code: string, message: string): WriteReply => ({ status, error: code, body: { error: { code, message } } });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function parseBody(text: string): Record<string, unknown> | WriteReply {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed)) return parsed;
  } catch {
    // answered below
  }
  return fail(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
}

export interface WriterOptions {
  /** How long a rawContent upload stays InProgress before its items appear. Default 0. */
  uploadDelayMs: number;
  /** Called when a delayed upload completes (for tests and timers). */
  schedule: (fn: () => void, ms: number) => void;
}

export class WorkspaceWriter {
  private lastEtagTime = 0;

  constructor(
    private readonly state: StandInState,
    private readonly rendered: RenderedWorkspace,
    private readonly options: WriterOptions,
  ) {}

  private context() {
    return renderContext(this.state, new Date());
  }

  /** A fresh saved-search etag, never equal to the previous one even within a millisecond. */
  private nextEtag(): string {
    this.lastEtagTime = Math.max(Date.now(), this.lastEtagTime + 1);
    return savedSearchEtag(new Date(this.lastEtagTime));
  }

  putSavedSearch(name: string, text: string): WriteReply {
    const body = parseBody(text);
    if ("status" in body && "body" in body) return body as WriteReply;
    const properties = body["properties"];
    if (!isObject(properties)) return fail(400, "BadRequest", "The saved search must have 'properties'.");
    for (const required of ["category", "displayName", "query"]) {
      if (typeof properties[required] !== "string" || properties[required] === "")
        return fail(400, "BadRequest", `The saved search property '${required}' is required.`);
    }
    const etag = typeof body["etag"] === "string" ? body["etag"] : typeof properties["etag"] === "string" ? properties["etag"] : undefined;
    const index = this.state.savedSearches.findIndex((s) => sameName(s.name, name));
    if (index >= 0) {
      const current = this.rendered.savedSearches.find((s) => sameName(s.name, name))?.etag;
      if (etag === undefined || (etag !== "*" && etag !== current)) {
        // What Log Analytics answers to an update of an existing saved search without its etag.
        return fail(409, "Conflict", "Newer data exists in the Customer Configuration Store. Send the current etag, or '*', to update it.");
      }
    }
    const stored: StandInResource = {
      name: index >= 0 ? this.state.savedSearches[index]!.name : name,
      etag: this.nextEtag(),
      properties: Object.fromEntries(SAVED_SEARCH_FIELDS.filter((k) => properties[k] !== undefined).map((k) => [k, properties[k]])),
    };
    const rendered = renderSavedSearch(this.context(), stored);
    if (index >= 0) {
      this.state.savedSearches[index] = stored;
      this.replaceRendered(this.rendered.savedSearches, name, rendered);
    } else {
      this.state.savedSearches.push(stored);
      this.rendered.savedSearches.push(rendered);
    }
    return { status: 200, body: rendered };
  }

  deleteSavedSearch(name: string): WriteReply {
    this.state.savedSearches = this.state.savedSearches.filter((s) => !sameName(s.name, name));
    this.rendered.savedSearches = this.rendered.savedSearches.filter((s) => !sameName(s.name, name));
    return { status: 200, body: null };
  }

  putWatchlist(alias: string, text: string): WriteReply {
    const body = parseBody(text);
    if ("status" in body && "body" in body) return body as WriteReply;
    const properties = body["properties"];
    if (!isObject(properties)) return fail(400, "BadRequest", "The watchlist must have 'properties'.");
    for (const required of ["displayName", "provider", "itemsSearchKey"]) {
      if (typeof properties[required] !== "string" || properties[required] === "")
        return fail(400, "BadRequest", `The watchlist property '${required}' is required.`);
    }
    const existing = this.state.watchlists.find((w) => sameName(w.name, alias));
    if (existing?.properties["uploadStatus"] === "InProgress") {
      return fail(409, "Conflict", `Watchlist '${alias}' is still processing an upload; try again when its uploadStatus is Complete.`);
    }
    let rows: Record<string, string>[] = [];
    if (properties["rawContent"] !== undefined) {
      const parsed = parseRawContent(properties, String(properties["itemsSearchKey"]));
      if ("status" in parsed) return parsed;
      rows = parsed.rows;
    }
    const kept = Object.fromEntries(
      Object.entries(properties).filter(([k]) => !WATCHLIST_WRITE_ONLY.has(k) && !WATCHLIST_READ_ONLY.has(k) && k !== "watchlistAlias"),
    );
    const watchlist: StandInWatchlist = existing ?? { name: alias, properties: {}, items: [] };
    watchlist.properties = { ...kept, uploadStatus: rows.length > 0 && this.options.uploadDelayMs > 0 ? "InProgress" : "Complete" };
    if (!existing) this.state.watchlists.push(watchlist);
    this.renderWatchlistBody(watchlist);
    if (rows.length > 0) {
      const apply = () => {
        this.appendRows(watchlist, rows);
        watchlist.properties["uploadStatus"] = "Complete";
        this.renderWatchlistBody(watchlist);
      };
      if (this.options.uploadDelayMs > 0) this.options.schedule(apply, this.options.uploadDelayMs);
      else apply();
    }
    return { status: existing ? 200 : 201, body: this.renderedWatchlist(alias)?.body };
  }

  deleteWatchlist(alias: string): WriteReply {
    const existing = this.state.watchlists.find((w) => sameName(w.name, alias));
    if (!existing) return { status: 204, body: null };
    if (existing.properties["uploadStatus"] === "InProgress") {
      return fail(409, "Conflict", `Watchlist '${alias}' cannot be deleted while its upload is InProgress.`);
    }
    this.state.watchlists = this.state.watchlists.filter((w) => w !== existing);
    this.rendered.watchlists = this.rendered.watchlists.filter((w) => !sameName(w.body.name, alias));
    return { status: 200, body: null };
  }

  putItem(alias: string, id: string, text: string): WriteReply {
    const watchlist = this.state.watchlists.find((w) => sameName(w.name, alias));
    if (!watchlist) return fail(404, "NotFound", `Watchlist '${alias}' was not found.`);
    const body = parseBody(text);
    if ("status" in body && "body" in body) return body as WriteReply;
    const properties = body["properties"];
    const values = isObject(properties) ? properties["itemsKeyValue"] : undefined;
    if (!isObject(values)) return fail(400, "BadRequest", "The watchlist item property 'itemsKeyValue' is required.");
    const searchKey = String(watchlist.properties["itemsSearchKey"] ?? "");
    if (searchKey !== "" && (values[searchKey] === undefined || values[searchKey] === "")) {
      return fail(400, "BadRequest", `The watchlist item must have a value for the search key '${searchKey}'.`);
    }
    const index = watchlist.items.findIndex((i) => sameName(i.name, id));
    const item: StandInResource = { name: index >= 0 ? watchlist.items[index]!.name : id, properties: { itemsKeyValue: { ...values } } };
    const rendered = renderWatchlistItem(this.context(), watchlist, item);
    const target = this.renderedWatchlist(alias)!;
    if (index >= 0) {
      watchlist.items[index] = item;
      this.replaceRendered(target.items, id, rendered);
    } else {
      watchlist.items.push(item);
      target.items.push(rendered);
    }
    return { status: index >= 0 ? 200 : 201, body: rendered };
  }

  deleteItem(alias: string, id: string): WriteReply {
    const watchlist = this.state.watchlists.find((w) => sameName(w.name, alias));
    if (!watchlist) return fail(404, "NotFound", `Watchlist '${alias}' was not found.`);
    const index = watchlist.items.findIndex((i) => sameName(i.name, id));
    if (index < 0) return { status: 204, body: null };
    watchlist.items.splice(index, 1);
    const target = this.renderedWatchlist(alias)!;
    const at = target.items.findIndex((i) => sameName(i.name, id));
    if (at >= 0) target.items.splice(at, 1);
    return { status: 200, body: null };
  }

  private appendRows(watchlist: StandInWatchlist, rows: Record<string, string>[]): void {
    const c = this.context();
    const target = this.renderedWatchlist(watchlist.name)!;
    const existing = new Set(watchlist.items.map((i) => rowIdentity(i.properties["itemsKeyValue"])));
    for (const row of rows) {
      const identity = rowIdentity(row);
      // A bulk upload appends, then de-duplicates items whose every value matches.
      if (existing.has(identity)) continue;
      existing.add(identity);
      const item: StandInResource = { name: randomUUID(), properties: { itemsKeyValue: row } };
      watchlist.items.push(item);
      target.items.push(renderWatchlistItem(c, watchlist, item));
    }
  }

  private renderedWatchlist(alias: string) {
    return this.rendered.watchlists.find((w) => sameName(w.body.name, alias));
  }

  private renderWatchlistBody(watchlist: StandInWatchlist): void {
    const body = renderWatchlistBody(this.context(), watchlist);
    const target = this.renderedWatchlist(watchlist.name);
    if (target) target.body = body;
    else this.rendered.watchlists.push({ body, items: [] });
  }

  private replaceRendered(list: ArmResourceBody[], name: string, body: ArmResourceBody): void {
    const at = list.findIndex((r) => sameName(r.name, name));
    if (at >= 0) list[at] = body;
    else list.push(body);
  }
}

function rowIdentity(values: unknown): string {
  const record = isObject(values) ? values : {};
  return JSON.stringify(
    Object.keys(record)
      .sort()
      .map((k) => [k, String(record[k])]),
  );
}

function parseRawContent(properties: Record<string, unknown>, searchKey: string): { rows: Record<string, string>[] } | WriteReply {
  if (properties["contentType"] !== "text/csv")
    return fail(400, "BadRequest", "The watchlist contentType must be 'text/csv' for rawContent.");
  const raw = String(properties["rawContent"]);
  if (Buffer.byteLength(raw, "utf8") > RAW_CONTENT_LIMIT_BYTES) {
    return fail(
      400,
      "BadRequest",
      `The watchlist file is larger than ${RAW_CONTENT_LIMIT_BYTES} bytes; large watchlists must be uploaded from Azure Storage.`,
    );
  }
  const skip = Number(properties["numberOfLinesToSkip"] ?? 0);
  const lines = raw.split(/\r?\n/);
  if (lines.some((l) => l.length > RAW_CONTENT_LINE_LIMIT)) {
    return fail(400, "BadRequest", `A line of the watchlist file is longer than ${RAW_CONTENT_LINE_LIMIT} characters.`);
  }
  let records: Record<string, string>[];
  try {
    records = parse(lines.slice(skip).join("\n"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  } catch (error) {
    return fail(400, "BadRequest", `The watchlist file is not valid CSV: ${(error as Error).message}`);
  }
  if (records.length > 0 && !(searchKey in records[0]!)) {
    return fail(400, "BadRequest", `The watchlist file has no column '${searchKey}', the watchlist's search key.`);
  }
  if (records.some((r) => (r[searchKey] ?? "") === "")) {
    return fail(400, "BadRequest", `Every row of the watchlist file needs a value for the search key '${searchKey}'.`);
  }
  return { rows: records };
}
