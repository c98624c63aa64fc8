/**
 * Large watchlists: the rows route writes only the difference between the CSV and the live
 * items, against the local stand-in over HTTPS with the real Azure SDK. The CSV stays
 * authoritative (removed rows are removed), unchanged rows are never written, and the
 * moves between the per-row route and this one keep every row present.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deployClients } from "../src/azure/deployClients";
import type { DeployConnection } from "../src/azure/deployConnection";
import { standInConnection } from "./helpers/standInConnection";
import { bulkItemId, csvUploads, WatchlistRowsWriter, type Row } from "../src/azure/watchlistRowsWriter";
import type { WatchlistProperties } from "../src/model/types";
import { packRows, rowsHash, watchlistRowsProvider, type WatchlistRowsInputs } from "../src/pulumi/watchlistRows";
import { watchlistItemId } from "../src/sentinel/watchlistItem";
import { startStandIn, type StandIn } from "../stand-in/src/standIn";
import type { StandInState } from "../stand-in/src/state";

const SUB = "00000000-0000-4000-8000-0000000000a1";
const SCOPE = { resourceGroupName: "rg-soc", workspaceName: "law-soc", watchlistAlias: "BigList", itemsSearchKey: "IPOrRange" };
const COLUMNS = ["IPOrRange", "Description", "Owner"];
const WATCHLIST: WatchlistProperties = {
  displayName: "Big list",
  provider: "Security Operations",
  itemsSearchKey: "IPOrRange",
  source: "BigList.csv",
  sourceType: "Local",
};

const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const rowsOf = (n: number, from = 0): Row[] =>
  Array.from({ length: n }, (_, k) => ({ IPOrRange: ip(from + k), Description: `Row ${from + k}`, Owner: "NetEng" }));

function workspace(items: StandInState["watchlists"][number]["items"] = []): StandInState {
  return {
    subscriptionId: SUB,
    resourceGroupName: SCOPE.resourceGroupName,
    workspaceName: SCOPE.workspaceName,
    alertRules: [],
    // The watchlist itself is azure-native's resource, created before its rows.
    watchlists: [{ name: "BigList", properties: { ...WATCHLIST }, items }],
    savedSearches: [],
    tables: [],
  };
}

let standIn: StandIn;
let connection: DeployConnection;

beforeAll(async () => {
  standIn = await startStandIn({ state: workspace(), pageSize: { watchlistItems: 200 }, watchlistUploadDelayMs: 150 });
  connection = await standInConnection(standIn, SUB);
});
afterAll(() => standIn.close());
beforeEach(() => {
  standIn.setState(workspace());
  standIn.setFaults([]);
  standIn.clearRequests();
});

const liveItems = () => standIn.currentState().watchlists[0]!.items;
const liveRows = () => liveItems().map((i) => i.properties["itemsKeyValue"] as Row);
const sortRows = (rows: Row[]) => [...rows].sort((a, b) => (a.IPOrRange! < b.IPOrRange! ? -1 : 1));
const writes = () => standIn.writes().map((w) => `${w.method} ${w.route}`);
const writer = (options = {}) => new WatchlistRowsWriter(connection, { pollMs: 50, ...options });

describe("the rows route against the stand-in", () => {
  it("uploads a new list of 2,500 rows in one request and waits until the upload is processed", async () => {
    const rows = rowsOf(2_500);
    const result = await writer().reconcile(SCOPE, WATCHLIST, COLUMNS, rows);
    expect(result).toMatchObject({ added: 2_500, updated: 0, deleted: 0, uploads: 1 });
    expect(writes()).toEqual(["PUT watchlist"]);
    expect(sortRows(liveRows())).toEqual(sortRows(rows));
    expect(standIn.currentState().watchlists[0]!.properties["uploadStatus"]).toBe("Complete");
  });

  it("writes only the difference: removed rows are deleted, changed ones updated in place, the rest untouched", async () => {
    const rows = rowsOf(1_500);
    await writer().reconcile(SCOPE, WATCHLIST, COLUMNS, rows);
    const idsBefore = new Map(liveItems().map((i) => [(i.properties["itemsKeyValue"] as Row).IPOrRange, i.name]));
    standIn.clearRequests();
    const next = [
      ...rows.slice(10, 1_495).map((r, k) => (k < 5 ? { ...r, Owner: "Changed" } : r)), // 10 removed at the start, 5 changed
      ...rowsOf(7, 5_000), // 7 added: below the upload threshold, one PUT each
    ];
    const result = await writer().reconcile(SCOPE, WATCHLIST, COLUMNS, next);
    expect(result).toMatchObject({ added: 7, updated: 5, deleted: 15, unchanged: 1_480, uploads: 0 });
    expect(writes().filter((w) => w === "DELETE watchlistItem")).toHaveLength(15);
    expect(writes().filter((w) => w === "PUT watchlistItem")).toHaveLength(12);
    expect(writes()).not.toContain("PUT watchlist");
    expect(sortRows(liveRows())).toEqual(sortRows(next));
    // Unchanged rows kept their items: a query over the list never lost them.
    for (const item of liveItems()) {
      const key = (item.properties["itemsKeyValue"] as Row).IPOrRange!;
      if (idsBefore.has(key)) expect(item.name).toBe(idsBefore.get(key));
    }
  });

  it("adds many rows with an upload, split under the size limit, and removes a portal-made duplicate of a key", async () => {
    await writer().reconcile(SCOPE, WATCHLIST, COLUMNS, rowsOf(100));
    const portal = { name: "portal-made", properties: { itemsKeyValue: { IPOrRange: ip(3), Description: "dup", Owner: "x" } } };
    standIn.setState({
      ...standIn.currentState(),
      watchlists: [{ ...standIn.currentState().watchlists[0]!, items: [...liveItems(), portal] }],
    });
    standIn.clearRequests();
    const next = rowsOf(400);
    const result = await writer({ uploadBytes: 4_000 }).reconcile(SCOPE, WATCHLIST, COLUMNS, next);
    expect(result.uploads).toBeGreaterThan(1);
    expect(result.deleted).toBe(1);
    expect(sortRows(liveRows())).toEqual(sortRows(next));
  });

  it("never splits a row, and every upload carries the header", () => {
    const uploads = csvUploads(COLUMNS, rowsOf(50), 300);
    expect(uploads.length).toBeGreaterThan(3);
    for (const u of uploads) {
      expect(u.startsWith("IPOrRange,Description,Owner\n")).toBe(true);
      expect(Buffer.byteLength(u)).toBeLessThanOrEqual(300);
    }
    expect(uploads.flatMap((u) => u.trim().split("\n").slice(1))).toHaveLength(50);
  });

  it("moving from the per-row route: adds its own copies one by one (an upload would merge them away), leaving the per-row items for Pulumi to delete", async () => {
    const rows = rowsOf(1_001);
    const perRow = rows.map((r) => ({ name: watchlistItemId("BigList", r.IPOrRange!), properties: { itemsKeyValue: { ...r } } }));
    standIn.setState(workspace(perRow));
    const result = await writer({ concurrency: 8 }).reconcile(SCOPE, WATCHLIST, COLUMNS, rows);
    expect(result).toMatchObject({ added: 1_001, uploads: 0, perRowItems: 1_001 });
    expect(liveItems()).toHaveLength(2_002);
    // What the end of the same deploy does: Pulumi deletes the per-row WatchlistItems.
    standIn.setState({
      ...standIn.currentState(),
      watchlists: [{ ...standIn.currentState().watchlists[0]!, items: liveItems().filter((i) => !perRow.some((p) => p.name === i.name)) }],
    });
    expect(sortRows(liveRows())).toEqual(sortRows(rows));
    expect(liveItems().every((i) => i.name === bulkItemId("BigList", (i.properties["itemsKeyValue"] as Row).IPOrRange!))).toBe(true);
  });

  it("moving back to the per-row route: release deletes its own items and keeps the per-row ones", async () => {
    await writer().reconcile(SCOPE, WATCHLIST, COLUMNS, rowsOf(300));
    const perRow = rowsOf(300).map((r) => ({ name: watchlistItemId("BigList", r.IPOrRange!), properties: { itemsKeyValue: { ...r } } }));
    standIn.setState({
      ...standIn.currentState(),
      watchlists: [{ ...standIn.currentState().watchlists[0]!, items: [...liveItems(), ...perRow] }],
    });
    expect(await writer().release(SCOPE)).toBe(300);
    expect(
      liveItems()
        .map((i) => i.name)
        .sort(),
    ).toEqual(perRow.map((p) => p.name).sort());
  });

  it("gives up, with what to do, when an upload stays InProgress too long", async () => {
    standIn.setState(workspace());
    await expect(writer({ uploadTimeoutMs: 50 }).reconcile(SCOPE, WATCHLIST, COLUMNS, rowsOf(500))).rejects.toThrow(
      /uploading rows to watchlist 'BigList' .* failed: the upload was still 'InProgress' after 0 s; run `pulumi up` again/,
    );
  });

  it("an upload still processing from an interrupted deploy is waited for before the items are read", async () => {
    // The last run's upload was accepted, then the run stopped: Sentinel is still adding its rows.
    const rows = rowsOf(30);
    await deployClients(connection).sentinel.watchlists.createOrUpdate(SCOPE.resourceGroupName, SCOPE.workspaceName, "BigList", {
      ...WATCHLIST,
      rawContent: csvUploads(COLUMNS, rows, 1_000_000)[0]!,
      contentType: "text/csv",
      numberOfLinesToSkip: 0,
    });
    expect(standIn.currentState().watchlists[0]!.properties["uploadStatus"]).toBe("InProgress");
    standIn.clearRequests();
    // Fewer than bulkFrom missing rows would be PUT one by one under new ids, duplicating the upload's.
    expect(await writer({ bulkFrom: 1_000 }).reconcile(SCOPE, WATCHLIST, COLUMNS, rows)).toMatchObject({ added: 0, unchanged: 30 });
    expect(writes()).toEqual([]);
    expect(liveItems()).toHaveLength(30);
  });

  it("release waits for an upload still processing, so it deletes every item the route wrote", async () => {
    await deployClients(connection).sentinel.watchlists.createOrUpdate(SCOPE.resourceGroupName, SCOPE.workspaceName, "BigList", {
      ...WATCHLIST,
      rawContent: csvUploads(COLUMNS, rowsOf(30), 1_000_000)[0]!,
      contentType: "text/csv",
      numberOfLinesToSkip: 0,
    });
    expect(await writer().release(SCOPE)).toBe(30);
    expect(liveItems()).toEqual([]);
  });

  it("fails clearly when the watchlist is gone", async () => {
    standIn.setState({ ...workspace(), watchlists: [] });
    await expect(writer().reconcile(SCOPE, WATCHLIST, COLUMNS, rowsOf(3))).rejects.toThrow(
      /watchlist 'BigList' of workspace 'law-soc' .* does not exist/,
    );
  });
});

describe("a service that normalises cells (Sentinel's behaviour is unknown; the stand-in stores them verbatim)", () => {
  it("verify says which value came back different, so a permanent failure can be diagnosed", async () => {
    // This stand-in trims every item's cells after each write, as a normalising service would.
    const trimming: StandIn = await startStandIn({
      state: workspace(),
      onRequest: (request) => {
        if (request.method !== "PUT" || request.route !== "watchlistItem") return;
        const state = trimming.currentState();
        for (const item of state.watchlists[0]!.items) {
          const values = item.properties["itemsKeyValue"] as Row;
          for (const k of Object.keys(values)) values[k] = values[k]!.trim();
        }
        trimming.setState(state);
      },
    });
    try {
      const c = await standInConnection(trimming, SUB);
      const rows = [{ IPOrRange: "10.0.0.1", Description: "Padded ", Owner: "NetEng" }];
      await expect(new WatchlistRowsWriter(c, { pollMs: 10 }).reconcile(SCOPE, WATCHLIST, COLUMNS, rows)).rejects.toThrow(
        `row '10.0.0.1' column Description reads back as "Padded", not "Padded "; run \`pulumi up\` again`,
      );
    } finally {
      await trimming.close();
    }
  });
});

describe("the WatchlistRows dynamic provider against the stand-in", () => {
  const inputs = (rows: Row[]): WatchlistRowsInputs => ({
    ...SCOPE,
    watchlist: WATCHLIST,
    columns: COLUMNS,
    rowCount: rows.length,
    rowsHash: rowsHash("IPOrRange", rows),
    rows: packRows(COLUMNS, rows),
  });
  const provider = () => {
    const p = watchlistRowsProvider(() => Promise.resolve(connection));
    p.connectWith({ get: () => undefined });
    return p;
  };

  it("a state without the fields this version writes is a replacement, not a crash; a refresh without outputs reads nothing", async () => {
    const p = provider();
    const olds = { rowsHash: "x", itemsSearchKey: "IPOrRange" } as never;
    expect(await p.diff!("BigList/rows", olds, inputs(rowsOf(3)))).toMatchObject({ changes: true, replaces: ["watchlistAlias"] });
    expect(await p.read!("BigList/rows")).toEqual({});
    expect(standIn.requests).toEqual([]);
  });

  it("creates, diffs by hash, updates, refreshes a portal edit, and deletes only its own items", async () => {
    const p = provider();
    const rows = rowsOf(1_200);
    const created = await p.create(inputs(rows));
    expect(created.outs).toMatchObject({ rowCount: 1_200, added: 1_200, rowsHash: inputs(rows).rowsHash });
    expect(created.outs).not.toHaveProperty("rows");
    expect(await p.diff!(created.id, created.outs!, inputs([...rows].reverse()))).toMatchObject({ changes: false });
    const fewer = rows.slice(0, 1_100);
    expect(await p.diff!(created.id, created.outs!, inputs(fewer))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const updated = await p.update!(created.id, created.outs!, inputs(fewer));
    expect(updated.outs).toMatchObject({ deleted: 100, added: 0 });
    expect(liveItems()).toHaveLength(1_100);

    // A row added in the portal: refresh sees a different hash, and the next update removes it.
    const state = standIn.currentState();
    const portalRow = { name: "portal", properties: { itemsKeyValue: { IPOrRange: "203.0.113.9", Description: "portal", Owner: "x" } } };
    standIn.setState({ ...state, watchlists: [{ ...state.watchlists[0]!, items: [...state.watchlists[0]!.items, portalRow] }] });
    const read = await p.read!(created.id, updated.outs!);
    expect(read.props?.rowCount).toBe(1_101);
    expect(await p.diff!(created.id, read.props!, inputs(fewer))).toMatchObject({ changes: true });
    await p.update!(created.id, read.props!, inputs(fewer));
    expect(liveItems()).toHaveLength(1_100);

    await p.delete!(created.id, updated.outs!);
    expect(liveItems()).toEqual([]);
    expect(standIn.currentState().watchlists).toHaveLength(1);
  });

  it("a new alias or workspace is a replacement", async () => {
    const p = provider();
    const outs = { ...inputs(rowsOf(2)) };
    expect(await p.diff!("id", outs, { ...inputs(rowsOf(2)), watchlistAlias: "Other" })).toMatchObject({ replaces: ["watchlistAlias"] });
  });
});
