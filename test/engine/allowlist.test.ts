/**
 * The seed fixture's ExcludeAllowlistedIPs_AADNI() (test/fixtures/seed-project) run by the engine against
 * NetworkAllowlist rows: single addresses, CIDRs and a-b ranges of both families, the
 * addresses just outside them, malformed entries, an empty watchlist and an empty IPAddress.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { KqlEngine } from "../../src/engine";
import { projectEngine } from "./project";

let engine: KqlEngine;
beforeAll(() => {
  engine = projectEngine();
});

/** The addresses the function keeps out of `addresses`, with the allowlist `entries`. */
function kept(entries: string[], addresses: string[]): string[] {
  const list = addresses.map((a) => JSON.stringify(a)).join(", ");
  const r = engine.run(`datatable(IPAddress:string)[${list}] | invoke ExcludeAllowlistedIPs_AADNI()`, {
    now: "2026-11-20T12:00:00Z",
    watchlists: { NetworkAllowlist: { searchKey: "IPOrRange", rows: entries.map((e) => ({ IPOrRange: e, Description: "", Owner: "" })) } },
  });
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join("\n"));
  return r.rows.map((row) => row[0] as string);
}

describe("ExcludeAllowlistedIPs_AADNI", () => {
  it("drops a single IPv4 address and keeps its neighbours", () => {
    expect(kept(["198.51.100.25"], ["198.51.100.24", "198.51.100.25", "198.51.100.26"])).toEqual(["198.51.100.24", "198.51.100.26"]);
  });

  it("drops an IPv4 CIDR's addresses and keeps the first one outside", () => {
    expect(kept(["192.0.2.0/28"], ["192.0.2.0", "192.0.2.15", "192.0.2.16", "192.0.1.255"])).toEqual(["192.0.2.16", "192.0.1.255"]);
  });

  it("drops an IPv4 a-b range inclusive of both ends and keeps the addresses just outside", () => {
    expect(kept(["203.0.113.10-203.0.113.20"], ["203.0.113.9", "203.0.113.10", "203.0.113.15", "203.0.113.20", "203.0.113.21"])).toEqual([
      "203.0.113.9",
      "203.0.113.21",
    ]);
  });

  it("drops a single IPv6 address, whatever its spelling, and keeps its neighbour", () => {
    expect(kept(["2001:db8:ffff::5"], ["2001:db8:ffff::5", "2001:DB8:FFFF:0:0:0:0:5", "2001:db8:ffff::6"])).toEqual(["2001:db8:ffff::6"]);
  });

  it("drops an IPv6 CIDR's addresses and keeps the first one outside", () => {
    expect(kept(["2001:db8:10::/48"], ["2001:db8:10::1", "2001:db8:10:ffff:ffff:ffff:ffff:ffff", "2001:db8:11::"])).toEqual([
      "2001:db8:11::",
    ]);
  });

  it("drops an IPv6 a-b range inclusive of both ends and keeps the addresses just outside", () => {
    expect(kept(["2001:db8::10-2001:db8::20"], ["2001:db8::f", "2001:db8::10", "2001:db8::1a", "2001:db8::20", "2001:db8::21"])).toEqual([
      "2001:db8::f",
      "2001:db8::21",
    ]);
  });

  it("ignores malformed entries without disabling the good ones", () => {
    const entries = ["not-an-ip", "10.0.0.0/99", "1.2.3.4-", "198.51.100.25", "203.0.113.10-203.0.113.20", "2001:db8:10::/48"];
    expect(kept(entries, ["198.51.100.25", "203.0.113.11", "2001:db8:10::1", "10.0.0.1", "1.2.3.4", "8.8.8.8"])).toEqual([
      "10.0.0.1",
      "1.2.3.4",
      "8.8.8.8",
    ]);
  });

  it("drops nothing with an empty watchlist", () => {
    expect(kept([], ["198.51.100.25", "2001:db8::1"])).toEqual(["198.51.100.25", "2001:db8::1"]);
  });

  it("keeps rows whose IPAddress is empty", () => {
    expect(kept(["198.51.100.25"], ["", "198.51.100.25"])).toEqual([""]);
  });

  it("trims whitespace around entries and addresses", () => {
    expect(kept([" 198.51.100.25 "], ["198.51.100.25 "])).toEqual([]);
  });

  it("keeps the input's other columns and their order", () => {
    const r = engine.run(
      `datatable(User:string, IPAddress:string)["a", "198.51.100.25", "b", "8.8.8.8"] | invoke ExcludeAllowlistedIPs_AADNI()`,
      {
        now: "2026-11-20T12:00:00Z",
        watchlists: { NetworkAllowlist: { searchKey: "IPOrRange", rows: [{ IPOrRange: "198.51.100.25", Description: "", Owner: "" }] } },
      },
    );
    expect(r.ok && r.columns.map((c) => c.name)).toEqual(["User", "IPAddress"]);
    expect(r.ok && r.rows).toEqual([["b", "8.8.8.8"]]);
  });

  // The seed as first written tested isnotnull(parse_ipv6(Entry)); parse_ipv6() returns an empty
  // string, never null, for text that is not an address, and ipv6_is_in_any_range() is null when
  // one of its ranges does not convert: so one malformed IPv6-looking entry disables every IPv6
  // entry. The shipped function tests isnotempty() (its .tests.yaml shows both).
  it("reproduces the original function's defect: a malformed IPv6 entry disables the good IPv6 entries", () => {
    expect(kept(["2001:db8::zz", "2001:db8:ffff::5"], ["2001:db8:ffff::5", "2001:db8::1"])).toEqual(["2001:db8:ffff::5", "2001:db8::1"]);
    expect(kept(["2001:db8:ffff::5"], ["2001:db8:ffff::5", "2001:db8::1"])).toEqual(["2001:db8::1"]);
  });
});
