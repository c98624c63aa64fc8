/**
 * The rows of a watchlist too large for one Pulumi resource per row
 * (more than PER_ROW_WATCHLIST_LIMIT): one dynamic resource, a child of its
 * watchlist, that makes the live items equal the CSV by writing only the
 * difference (src/azure/watchlistRowsWriter.ts, docs/azure-behaviours.md §4).
 *
 * - Its inputs are the rows (compressed, and passed as a secret so previews
 *   show `[secret]` rather than a blob) and their hash; a preview shows one
 *   change when any row changes, and nothing otherwise. Pulumi keeps inputs
 *   in the state, so the state holds the rows too, compressed and encrypted;
 *   only the outputs leave them out.
 * - It signs in as azure-native does, when the dynamic provider starts.
 * - `pulumi refresh` reads the live rows: an item added or edited in the
 *   portal changes the hash, and the next `pulumi up` writes Git's rows back.
 * - Deleted with its watchlist (`deletedWith`): deleting a watchlist deletes
 *   its items, so no item is deleted one by one. Deleted on its own (the list
 *   went back under the limit and its rows are Pulumi resources again), it
 *   removes the items it wrote, after those resources were created.
 */
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import * as pulumi from "@pulumi/pulumi";
import type { DeployConnection } from "../azure/deployConnection";
import { rowValues, WatchlistRowsWriter, type Row, type WatchlistRowsScope } from "../azure/watchlistRowsWriter";
import type { WatchlistProperties } from "../model/types";
import { searchKeyIdentity } from "../sentinel/watchlistItem";
import { dynamicProviderShim } from "./dynamicProviderShim";
import { connectionFromConfig, movedTo, writerSlot, type ProviderConfig } from "./providerConnection";

export interface WatchlistRowsInputs extends WatchlistRowsScope {
  /** The watchlist as the program declares it: a bulk upload PUTs it whole. */
  watchlist: WatchlistProperties;
  /** The CSV's columns, in order. */
  columns: string[];
  rowCount: number;
  /** rowsHash(searchKey, rows): what the diff compares. */
  rowsHash: string;
  /** The rows, packed with packRows. */
  rows: string;
}

/** The outputs: everything but the rows themselves (which the state still holds among the inputs). */
export type WatchlistRowsOutputs = Omit<WatchlistRowsInputs, "rows"> & { added?: number; updated?: number; deleted?: number };

/** Identifies a set of rows regardless of their order, the case of their keys, or empty cells. */
export function rowsHash(itemsSearchKey: string, rows: readonly Row[]): string {
  const canonical = rows
    .map((r) => [searchKeyIdentity(r[itemsSearchKey] ?? ""), JSON.stringify(rowValues(r))] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, values]) => values);
  return createHash("sha256").update(itemsSearchKey).update("\n").update(canonical.join("\n")).digest("hex");
}

/** Rows as gzip + base64 of their values in column order: about a fifth of the JSON. */
export function packRows(columns: readonly string[], rows: readonly Row[]): string {
  return gzipSync(JSON.stringify(rows.map((r) => columns.map((c) => r[c] ?? ""))), { level: 9 }).toString("base64");
}

export function unpackRows(columns: readonly string[], packed: string): Row[] {
  const values = JSON.parse(gunzipSync(Buffer.from(packed, "base64")).toString("utf8")) as string[][];
  return values.map((cells) => Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ""])));
}

const scopeOf = (i: WatchlistRowsScope): WatchlistRowsScope => ({
  resourceGroupName: i.resourceGroupName,
  workspaceName: i.workspaceName,
  watchlistAlias: i.watchlistAlias,
  itemsSearchKey: i.itemsSearchKey,
});

export function watchlistRowsProvider(
  connect: (config: ProviderConfig) => Promise<DeployConnection> = connectionFromConfig,
): pulumi.dynamic.ResourceProvider<WatchlistRowsInputs, WatchlistRowsOutputs> & { connectWith(config: ProviderConfig): void } {
  const slot = writerSlot("watchlist-rows", connect, (connection) => new WatchlistRowsWriter(connection));
  const writerOf = slot.writer;
  const write = async (inputs: WatchlistRowsInputs): Promise<WatchlistRowsOutputs> => {
    const rows = unpackRows(inputs.columns, inputs.rows);
    const result = await (await writerOf()).reconcile(scopeOf(inputs), inputs.watchlist, inputs.columns, rows);
    const { rows: _packed, ...outs } = inputs;
    return { ...outs, added: result.added, updated: result.updated, deleted: result.deleted };
  };
  return {
    connectWith: slot.connectWith,
    configure: slot.configure,
    async diff(_id, olds, news) {
      const moved = movedTo(olds as unknown as Record<string, unknown>, news as unknown as Record<string, string>, "watchlistAlias");
      const changed = olds.rowsHash !== news.rowsHash || olds.itemsSearchKey !== news.itemsSearchKey;
      return { changes: moved || changed, replaces: moved ? ["watchlistAlias"] : [], deleteBeforeReplace: false };
    },
    async create(inputs) {
      const outs = await write(inputs);
      return { id: `${inputs.watchlistAlias}/rows`, outs };
    },
    async update(_id, _olds, news) {
      return { outs: await write(news) };
    },
    async read(id, props) {
      // The engine passes the state's outputs on refresh; without them there is nothing to read.
      if (!props) return {};
      const rows = await (await writerOf()).readRows(scopeOf(props));
      if (!rows) return {};
      return { id, props: { ...props, rowCount: rows.length, rowsHash: rowsHash(props.itemsSearchKey, rows) } };
    },
    async delete(_id, props) {
      await (await writerOf()).release(scopeOf(props));
    },
  };
}

/** What the state stores: a shim that loads watchlistRowsProvider where it runs. */
const WATCHLIST_ROWS_SHIM = dynamicProviderShim("watchlistRows");

export class WatchlistRows extends pulumi.dynamic.Resource {
  constructor(name: string, inputs: WatchlistRowsInputs, opts?: pulumi.CustomResourceOptions) {
    super(
      WATCHLIST_ROWS_SHIM,
      name,
      // A compressed blob means nothing in a preview: shown as [secret], and encrypted in the state.
      { ...inputs, rows: pulumi.secret(inputs.rows), added: undefined, updated: undefined, deleted: undefined },
      opts,
      "sentinel-iac",
      "WatchlistRows",
    );
  }
}
