/**
 * Makes a watchlist's items equal a CSV's rows, writing only the difference:
 * the route for watchlists too large to manage one Pulumi resource per row
 * (docs/azure-behaviours.md §4).
 *
 * - It reads the live items (paged), matches them to rows by search key (as
 *   Sentinel does: trimmed, case-insensitive), and then
 *   - adds missing rows: many at once with a `rawContent` upload (Sentinel's
 *     bulk update, which appends; split into uploads under the 3.8 MB limit),
 *     a few with one PUT each;
 *   - updates changed rows in place, by the live item's id;
 *   - deletes items whose row is gone, and duplicates of a key.
 *   Unchanged rows are never written, so `_GetWatchlist('<alias>')` keeps
 *   returning them throughout, and Sentinel's monthly budget of item changes
 *   is spent only on real changes.
 * - Items whose id is the per-row route's id for their key (a Pulumi
 *   WatchlistItem) are left alone and not counted as present: when a list
 *   grows past the limit, Pulumi deletes those at the end of the same deploy,
 *   after this has added its own copies. A bulk upload would merge a row into
 *   an identical item, so rows whose key such an item holds are added one by
 *   one instead.
 * - An upload is asynchronous: this waits for the watchlist's uploadStatus to
 *   be Complete (bounded), and finally re-reads the items to verify that they
 *   are exactly the rows.
 */
import { stringify } from "csv-stringify/sync";
import { v5 as uuidv5 } from "uuid";
import type { WatchlistProperties } from "../model/types";
import { searchKeyIdentity, watchlistItemId } from "../sentinel/watchlistItem";
import { AzureWriteError, deployClients, statusOf, writeError, type DeployClients, type WriteClientOptions } from "./deployClients";
import type { DeployConnection } from "./deployConnection";
import { recordRead } from "./pipeline";

export interface WatchlistRowsScope {
  resourceGroupName: string;
  workspaceName: string;
  watchlistAlias: string;
  itemsSearchKey: string;
}

/** One CSV row: column -> value. */
export type Row = Record<string, string>;

export interface ReconcileResult {
  added: number;
  updated: number;
  deleted: number;
  unchanged: number;
  /** rawContent uploads made. */
  uploads: number;
  /** Items of the per-row route left for Pulumi to delete. */
  perRowItems: number;
}

export interface ReconcileOptions extends WriteClientOptions {
  /** Below this many rows to add, each is PUT on its own; from here on they are uploaded. Default 20. */
  bulkFrom?: number;
  /** Largest rawContent in bytes. Default: Sentinel's 3.8 MB, less a margin for the rest of the request. */
  uploadBytes?: number;
  /** Writes in flight at once. Default 4. */
  concurrency?: number;
  /** How long an upload may stay InProgress. Default 15 minutes. */
  uploadTimeoutMs?: number;
  /** First wait between uploadStatus reads, doubled up to 15 s. Default 1,000 ms. */
  pollMs?: number;
}

/** Namespace of the ids this route gives rows it PUTs one by one: never the per-row route's ids. */
export const BULK_ITEM_NAMESPACE = "a4f8d1c2-6b3e-4f57-9a0d-2e8c7b1f5a64";

export function bulkItemId(alias: string, key: string): string {
  return uuidv5(`${alias.toLowerCase()}\n${searchKeyIdentity(key)}`, BULK_ITEM_NAMESPACE);
}

/** The values that make a row: empty cells are absent (Sentinel keeps no empty value apart). */
export function rowValues(values: Record<string, unknown>): Row {
  const out: Row = {};
  for (const k of Object.keys(values).sort()) {
    const v = values[k];
    if (v !== undefined && v !== null && v !== "") out[k] = String(v);
  }
  return out;
}

const sameRow = (a: Row, b: Row) => JSON.stringify(rowValues(a)) === JSON.stringify(rowValues(b));

interface LiveItem {
  id: string;
  values: Row;
}

const DEFAULTS = {
  bulkFrom: 20,
  uploadBytes: Math.floor(3.8 * 1024 * 1024) - 64 * 1024,
  concurrency: 4,
  uploadTimeoutMs: 15 * 60_000,
  pollMs: 1_000,
};

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (next < items.length && failure === undefined) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}

function describe(scope: WatchlistRowsScope): string {
  return `watchlist '${scope.watchlistAlias}' of workspace '${scope.workspaceName}' (resource group '${scope.resourceGroupName}')`;
}

/** rawContent bodies of at most `limit` bytes each, every one with the header. */
export function csvUploads(columns: readonly string[], rows: readonly Row[], limit: number): string[] {
  const header = stringify([columns as string[]]);
  const uploads: string[] = [];
  let current = header;
  for (const row of rows) {
    const line = stringify([columns.map((c) => row[c] ?? "")]);
    if (current !== header && Buffer.byteLength(current) + Buffer.byteLength(line) > limit) {
      uploads.push(current);
      current = header;
    }
    if (Buffer.byteLength(header) + Buffer.byteLength(line) > limit) throw new Error("a single row is larger than an upload may be");
    current += line;
  }
  if (current !== header) uploads.push(current);
  return uploads;
}

export class WatchlistRowsWriter {
  private readonly clients: DeployClients;
  private readonly settings: typeof DEFAULTS;

  constructor(connection: DeployConnection, options: ReconcileOptions = {}) {
    this.clients = deployClients(connection, options);
    this.settings = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([k, v]) => k in DEFAULTS && v !== undefined)) };
  }

  /**
   * The live items, split into this route's (by key) and the per-row route's. The pages are read
   * under their own recording, so the paging guard follows each link once, stops on a page that
   * repeats items, and stops at the page cap (guardedClients.ts).
   */
  async readItems(scope: WatchlistRowsScope): Promise<{ ours: LiveItem[]; perRow: LiveItem[] } | undefined> {
    const ours: LiveItem[] = [];
    const perRow: LiveItem[] = [];
    const { error } = await recordRead(async () => {
      for await (const item of this.clients.sentinel.watchlistItems.list(
        scope.resourceGroupName,
        scope.workspaceName,
        scope.watchlistAlias,
      )) {
        const values = rowValues(item.itemsKeyValue ?? {});
        const id = item.name ?? item.watchlistItemId ?? "";
        const key = values[scope.itemsSearchKey] ?? "";
        (id.toLowerCase() === watchlistItemId(scope.watchlistAlias, key) ? perRow : ours).push({ id, values });
      }
    });
    if (error !== undefined) {
      if (statusOf(error) === 404) return undefined;
      throw writeError(`reading the items of ${describe(scope)}`, error);
    }
    return { ours, perRow };
  }

  /** The rows the watchlist holds through this route (for refresh), or undefined when it is gone. */
  async readRows(scope: WatchlistRowsScope): Promise<Row[] | undefined> {
    return (await this.readItems(scope))?.ours.map((i) => i.values);
  }

  /** Writes the difference between the live items and `rows`. */
  async reconcile(
    scope: WatchlistRowsScope,
    watchlist: WatchlistProperties,
    columns: readonly string[],
    rows: readonly Row[],
  ): Promise<ReconcileResult> {
    // An upload of an interrupted run may still be adding items: read them once it is done.
    await this.waitForUpload(scope, `writing the rows of ${describe(scope)}`);
    const live = await this.readItems(scope);
    if (!live)
      throw new AzureWriteError(
        `${describe(scope)} does not exist; it is created before its rows, so a deploy must have removed it meanwhile`,
      );
    const key = (values: Row) => searchKeyIdentity(values[scope.itemsSearchKey] ?? "");
    const desired = new Map(rows.map((r) => [key(r), r]));
    const byKey = new Map<string, LiveItem>();
    const deletes: LiveItem[] = [];
    for (const item of live.ours) {
      const k = key(item.values);
      if (byKey.has(k) || !desired.has(k)) deletes.push(item);
      else byKey.set(k, item);
    }
    const perRowKeys = new Set(live.perRow.map((i) => key(i.values)));
    const updates: { item: LiveItem; row: Row }[] = [];
    const adds: Row[] = [];
    let unchanged = 0;
    for (const [k, row] of desired) {
      const item = byKey.get(k);
      if (!item) adds.push(row);
      else if (!sameRow(item.values, row)) updates.push({ item, row });
      else unchanged++;
    }
    // An upload merges a row into an item with the same values; a per-row item may be one.
    const single = adds.filter((r) => perRowKeys.has(key(r)));
    const bulk = adds.filter((r) => !perRowKeys.has(key(r)));
    let uploads = 0;
    if (bulk.length >= this.settings.bulkFrom) {
      for (const content of csvUploads(columns, bulk, this.settings.uploadBytes)) {
        await this.upload(scope, watchlist, content);
        uploads++;
      }
    } else {
      single.push(...bulk);
    }
    const items = this.clients.sentinel.watchlistItems;
    const { resourceGroupName: rg, workspaceName: ws, watchlistAlias: alias } = scope;
    await eachLimited(single, this.settings.concurrency, async (row) => {
      const id = bulkItemId(alias, row[scope.itemsSearchKey] ?? "");
      await items.createOrUpdate(rg, ws, alias, id, { itemsKeyValue: row }).catch((e: unknown) => {
        throw writeError(`adding row '${row[scope.itemsSearchKey]}' to ${describe(scope)}`, e);
      });
    });
    await eachLimited(updates, this.settings.concurrency, async ({ item, row }) => {
      await items.createOrUpdate(rg, ws, alias, item.id, { itemsKeyValue: row }).catch((e: unknown) => {
        throw writeError(`updating row '${row[scope.itemsSearchKey]}' of ${describe(scope)}`, e);
      });
    });
    await eachLimited(deletes, this.settings.concurrency, async (item) => {
      await items.delete(rg, ws, alias, item.id).catch((e: unknown) => {
        if (statusOf(e) !== 404) throw writeError(`deleting row '${item.values[scope.itemsSearchKey]}' of ${describe(scope)}`, e);
      });
    });
    await this.verify(scope, rows);
    return { added: adds.length, updated: updates.length, deleted: deletes.length, unchanged, uploads, perRowItems: live.perRow.length };
  }

  /** Deletes this route's items, keeping the per-row route's: when a list goes back below the limit. */
  async release(scope: WatchlistRowsScope): Promise<number> {
    await this.waitForUpload(scope, `removing the rows of ${describe(scope)}`);
    const live = await this.readItems(scope);
    if (!live) return 0;
    const { resourceGroupName: rg, workspaceName: ws, watchlistAlias: alias } = scope;
    await eachLimited(live.ours, this.settings.concurrency, async (item) => {
      await this.clients.sentinel.watchlistItems.delete(rg, ws, alias, item.id).catch((e: unknown) => {
        if (statusOf(e) !== 404) throw writeError(`deleting row '${item.values[scope.itemsSearchKey]}' of ${describe(scope)}`, e);
      });
    });
    return live.ours.length;
  }

  /** One bulk update: PUT the watchlist as it is, with the rows as rawContent, and wait until it is processed. */
  private async upload(scope: WatchlistRowsScope, watchlist: WatchlistProperties, rawContent: string): Promise<void> {
    const operation = `uploading rows to ${describe(scope)}`;
    await this.waitForUpload(scope, operation);
    try {
      await this.clients.sentinel.watchlists.createOrUpdate(scope.resourceGroupName, scope.workspaceName, scope.watchlistAlias, {
        ...watchlist,
        rawContent,
        contentType: "text/csv",
        numberOfLinesToSkip: 0,
      });
    } catch (error) {
      throw writeError(operation, error);
    }
    await this.waitForUpload(scope, operation);
  }

  private async waitForUpload(scope: WatchlistRowsScope, operation: string): Promise<void> {
    const deadline = Date.now() + this.settings.uploadTimeoutMs;
    let wait = this.settings.pollMs;
    for (;;) {
      let status: string | undefined;
      try {
        status = (await this.clients.sentinel.watchlists.get(scope.resourceGroupName, scope.workspaceName, scope.watchlistAlias))
          .uploadStatus;
      } catch (error) {
        // No watchlist, no upload: the caller says what a missing watchlist means for it.
        if (statusOf(error) === 404) return;
        throw writeError(operation, error);
      }
      if (status === undefined || status === "Complete") return;
      if (Date.now() + wait > deadline) {
        throw new AzureWriteError(
          `${operation} failed: the upload was still '${status}' after ${Math.round(this.settings.uploadTimeoutMs / 1000)} s; run \`pulumi up\` again to finish the rows`,
        );
      }
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 15_000);
    }
  }

  /** Reads the items again and fails unless they are exactly the rows (an upload is processed out of sight). */
  private async verify(scope: WatchlistRowsScope, rows: readonly Row[]): Promise<void> {
    const live = await this.readItems(scope);
    const key = (values: Row) => searchKeyIdentity(values[scope.itemsSearchKey] ?? "");
    const have = new Map((live?.ours ?? []).map((i) => [key(i.values), i.values]));
    const wrong = rows.filter((r) => !have.has(key(r)) || !sameRow(have.get(key(r))!, r));
    const extra = (live?.ours.length ?? 0) - (rows.length - wrong.length);
    if (wrong.length > 0 || extra > 0) {
      const sample = wrong.slice(0, 3).map((r) => `'${r[scope.itemsSearchKey]}'`);
      // The first value that came back different, so a service-side normalisation is visible.
      const differs = wrong.map((r) => ({ r, got: have.get(key(r)) })).find((d) => d.got !== undefined);
      const column = differs && Object.keys({ ...differs.r, ...differs.got }).find((c) => (differs.r[c] ?? "") !== (differs.got![c] ?? ""));
      const detail =
        differs && column
          ? `; row '${differs.r[scope.itemsSearchKey]}' column ${column} reads back as ${JSON.stringify(differs.got![column] ?? "")}, not ${JSON.stringify(differs.r[column] ?? "")}`
          : "";
      throw new AzureWriteError(
        `writing the rows of ${describe(scope)} failed: after the writes, ${wrong.length} row(s) are missing or differ${sample.length ? ` (e.g. ${sample.join(", ")})` : ""} and ${Math.max(extra, 0)} item(s) are extra${detail}; run \`pulumi up\` again`,
      );
    }
  }
}
