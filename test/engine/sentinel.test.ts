/** Sentinel built-ins: _GetWatchlist rows, saved functions, and the scheduled rule's time range. */
import { describe, expect, it } from "vitest";
import { KqlEngine, tableToJson } from "../../src/engine";

const SIGNINS: [string, string][] = [
  ["TimeGenerated", "datetime"],
  ["UserPrincipalName", "string"],
  ["IPAddress", "string"],
];

function engine() {
  return new KqlEngine({
    tables: [
      { name: "Signins", columns: SIGNINS },
      { name: "Heartbeat", columns: [["Computer", "string"]] },
    ],
    functions: [{ name: "OnlyUser", parameters: "T:(UserPrincipalName:string), upn:string", body: "T | where UserPrincipalName == upn" }],
    watchlists: [{ alias: "VIPs", columns: ["Upn", "Team"] }],
  });
}

const NOW = "2026-11-20T12:00:00Z";
const signins = [
  { TimeGenerated: "2026-11-20T11:30:00Z", UserPrincipalName: "a@x.com", IPAddress: "1.1.1.1" },
  { TimeGenerated: "2026-11-19T11:30:00Z", UserPrincipalName: "b@x.com", IPAddress: "2.2.2.2" },
  { TimeGenerated: "2026-11-01T00:00:00Z", UserPrincipalName: "c@x.com", IPAddress: "3.3.3.3" },
];

function run(text: string, extra: Partial<Parameters<KqlEngine["run"]>[1]> = {}) {
  const r = engine().run(text, { now: NOW, tables: { Signins: signins }, ...extra });
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join("\n"));
  return tableToJson({ columns: r.columns, rows: r.rows });
}

describe("_GetWatchlist", () => {
  it("returns Sentinel's columns: _DTItemId, LastUpdatedTimeUTC, SearchKey, WatchlistItem, then one string column per CSV column", () => {
    const r = run(`_GetWatchlist('VIPs')`, { watchlists: { VIPs: { searchKey: "Upn", rows: [{ Upn: "a@x.com", Team: "Red" }] } } });
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      "_DTItemId:string",
      "LastUpdatedTimeUTC:datetime",
      "SearchKey:string",
      "WatchlistItem:dynamic",
      "Upn:string",
      "Team:string",
    ]);
    expect(r.rows[0]).toMatchObject({
      LastUpdatedTimeUTC: NOW,
      SearchKey: "a@x.com",
      WatchlistItem: { Upn: "a@x.com", Team: "Red" },
      Upn: "a@x.com",
      Team: "Red",
    });
    expect(r.rows[0]!["_DTItemId"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("is empty, with its columns, when the test gives no rows; the alias is case-insensitive", () => {
    expect(run(`_GetWatchlist('vips') | count`).rows).toEqual([{ Count: 0 }]);
  });

  it("joins like any table", () => {
    const r = run(`Signins | where UserPrincipalName in ((_GetWatchlist('VIPs') | project SearchKey)) | project UserPrincipalName`, {
      watchlists: { VIPs: { searchKey: "Upn", rows: [{ Upn: "b@x.com", Team: "Blue" }] } },
    });
    expect(r.rows).toEqual([{ UserPrincipalName: "b@x.com" }]);
  });

  it("rejects a watchlist row with a column the watchlist does not have", () => {
    const r = engine().run(`_GetWatchlist('VIPs')`, {
      now: NOW,
      watchlists: { VIPs: { searchKey: "Upn", rows: [{ Upn: "a", Nope: "x" }] } },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toContain("there is no column 'Nope'");
  });
});

describe("saved functions", () => {
  it("runs the project's functions with their parameters", () => {
    expect(run(`Signins | invoke OnlyUser("b@x.com") | project IPAddress`).rows).toEqual([{ IPAddress: "2.2.2.2" }]);
    expect(run(`OnlyUser(Signins, "a@x.com") | count`).rows).toEqual([{ Count: 1 }]);
  });

  it("reports a function the environment does not define, by name", () => {
    const r = engine().run(`Signins | invoke Missing()`, { now: NOW });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toContain("Missing");
  });
});

describe("the scheduled rule's time range", () => {
  it("shows each table only the rows whose TimeGenerated is inside [start, end], whatever ago() asks", () => {
    const r = run(`Signins | where TimeGenerated > ago(30d) | project UserPrincipalName`, {
      timeRange: { start: "2026-11-20T11:00:00Z", end: NOW },
    });
    expect(r.rows).toEqual([{ UserPrincipalName: "a@x.com" }]);
  });

  it("leaves tables without TimeGenerated whole", () => {
    const r = engine().run(`Heartbeat | count`, {
      now: NOW,
      tables: { Heartbeat: [{ Computer: "a" }, { Computer: "b" }] },
      timeRange: { start: NOW, end: NOW },
    });
    expect(r.ok && r.rows).toEqual([[2n]]);
  });
});
