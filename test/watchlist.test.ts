/** Watchlists: the CSV is the truth, rows are validated, item ids never change for the same row. */
import { describe, expect, it } from "vitest";
import { buildDesiredState } from "../src/loader/desiredState";
import { watchlistItemId } from "../src/sentinel/watchlistItem";
import { parseIpRangeEntry, rangeSize } from "../src/util/ipRange";
import { errorsOf, writeContent } from "./helpers/content";

const YAML = "alias: Allow\ndisplayName: Allow\nprovider: Team\nitemsSearchKey: IPOrRange\ncolumns:\n  IPOrRange:\n    type: ip-range\n";

function build(csv: string, yaml = YAML) {
  return buildDesiredState(writeContent({ "watchlists/Allow.yaml": yaml, "watchlists/Allow.csv": csv }));
}

describe("watchlist items", () => {
  it("derives item ids from the alias and search key only, so edits to other columns update in place", () => {
    expect(watchlistItemId("Allow", "192.0.2.0/24")).toBe(watchlistItemId("allow", " 192.0.2.0/24 "));
    expect(watchlistItemId("Allow", "192.0.2.0/24")).not.toBe(watchlistItemId("Allow", "192.0.2.0/25"));
    expect(watchlistItemId("Allow", "2001:DB8::1")).toBe(watchlistItemId("Allow", "2001:db8::1"));
    const a = build("IPOrRange,Owner\n192.0.2.0/24,Alice\n").resources.find((r) => r.content === "watchlistItem");
    const b = build("IPOrRange,Owner\n192.0.2.0/24,Bob\n").resources.find((r) => r.content === "watchlistItem");
    expect(a?.name).toBe(b?.name);
    expect(a?.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("warns on a cell with leading or trailing whitespace, which a service that trims would turn into a change on every deploy", () => {
    const state = build('IPOrRange,Owner\n192.0.2.1,"Alice "\n192.0.2.2,Bob\n');
    expect(
      state.diagnostics.filter((d) => d.code === "watchlist/padded-cell").map((d) => [d.severity, d.position?.line, d.message]),
    ).toEqual([["warning", 2, expect.stringContaining("Owner 'Alice ' has leading or trailing whitespace")]]);
  });

  it("a row removed from the CSV is no longer in the desired state", () => {
    const before = build("IPOrRange\n192.0.2.1\n192.0.2.2\n").resources.filter((r) => r.content === "watchlistItem");
    const after = build("IPOrRange\n192.0.2.2\n").resources.filter((r) => r.content === "watchlistItem");
    expect(before).toHaveLength(2);
    expect(after.map((r) => r.name)).toEqual([before[1]?.name]);
  });

  it("an empty CSV (header only) is a valid, empty watchlist", () => {
    const state = build("IPOrRange,Description\n");
    expect(errorsOf(state.diagnostics)).toEqual([]);
    expect(state.resources.map((r) => r.content)).toEqual(["watchlist"]);
  });

  it("reads quoted fields with commas, CRLF and a BOM", () => {
    const state = build('\uFEFFIPOrRange,Description\r\n192.0.2.1,"Office, floor 2"\r\n');
    const item = state.resources.find((r) => r.content === "watchlistItem");
    expect(item?.properties).toEqual({ itemsKeyValue: { IPOrRange: "192.0.2.1", Description: "Office, floor 2" } });
  });
});

describe("allowlist entries that switch rules off", () => {
  const breadth = (csv: string, yaml = YAML) =>
    build(csv, yaml)
      .diagnostics.filter((d) => d.code === "watchlist/ip-range-too-broad")
      .map((d) => [d.severity, d.position?.line, d.message.split(": ")[0]]);

  it("rejects an entry covering everything, a public /8 or a whole IPv6 provider block; warns on large public ranges", () => {
    expect(breadth("IPOrRange\n0.0.0.0/0\n::/0\n11.0.0.0/8\n1.0.0.0-1.255.255.255\n2600::/12\n52.0.0.0/10\n2600:1f00::/40\n")).toEqual([
      ["error", 2, "IPOrRange '0.0.0.0/0' covers every IPv4 address"],
      ["error", 3, "IPOrRange '::/0' covers every IPv6 address"],
      ["error", 4, "IPOrRange '11.0.0.0/8' covers 16,777,216 public addresses"],
      ["error", 5, "IPOrRange '1.0.0.0-1.255.255.255' covers 16,777,216 public addresses"],
      ["error", 6, "IPOrRange '2600::/12' covers as much public address space as a /12"],
      ["warning", 7, "IPOrRange '52.0.0.0/10' covers 4,194,304 public addresses"],
      ["warning", 8, "IPOrRange '2600:1f00::/40' covers as much public address space as a /40"],
    ]);
  });

  it("judges a range by all it spans, not by its ends", () => {
    // Both ends are in reserved space; the addresses between them are public.
    expect(breadth("IPOrRange\n192.0.2.255-192.168.0.0\n2001::-2001:db8::\n")).toEqual([
      ["warning", 2, "IPOrRange '192.0.2.255-192.168.0.0' covers 11,008,512 public addresses"],
      ["error", 3, "IPOrRange '2001::-2001:db8::' covers as much public address space as a /21"],
    ]);
  });

  it("accepts private and documentation ranges, and ordinary public networks", () => {
    expect(breadth("IPOrRange\n10.0.0.0/8\n100.64.0.0/10\n192.0.2.0/24\n2001:db8::/32\n52.1.0.0/16\n2600:1f00::/48\n")).toEqual([]);
  });

  it("checks columns declared as plain strings too", () => {
    const yaml = "alias: Allow\ndisplayName: Allow\nprovider: Team\nitemsSearchKey: Key\ncolumns:\n  Range:\n    type: string\n";
    expect(build("Key,Range\nvpn,::/0\n", yaml).diagnostics.filter((d) => d.code === "watchlist/ip-range-too-broad")).toHaveLength(1);
  });

  it("checks columns that do not declare a type, too, and says why it matters", () => {
    const d = build(
      "Key,Range\nvpn,0.0.0.0/0\nday,2024-01-01\n",
      "alias: Allow\ndisplayName: Allow\nprovider: Team\nitemsSearchKey: Key\n",
    ).diagnostics.filter((x) => x.code === "watchlist/ip-range-too-broad");
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: "error", file: "watchlists/Allow.csv", position: { line: 2 } });
    expect(d[0]?.message).toContain("silently switches off every rule that excludes what this watchlist lists");
    expect(d[0]?.hint).toContain("List only the networks you own or trust");
  });
});

describe("watchlist validation", () => {
  it("rejects a search key that is not a CSV column, suggesting the right one", () => {
    const state = build("IPorRange\n192.0.2.1\n");
    const d = state.diagnostics.find((x) => x.code === "watchlist/search-key-column");
    expect(d).toMatchObject({ severity: "error", file: "watchlists/Allow.yaml", field: "itemsSearchKey", position: { line: 4 } });
    expect(d?.hint).toContain("Did you mean 'IPorRange'?");
  });

  it("rejects duplicate and empty search keys, pointing at the CSV line", () => {
    const state = build("IPOrRange,Owner\n192.0.2.1,a\n,b\n192.0.2.1,c\n");
    expect(errorsOf(state.diagnostics).map((d) => [d.code, d.file, d.position?.line])).toEqual([
      ["watchlist/empty-search-key", "watchlists/Allow.csv", 3],
      ["watchlist/duplicate-search-key", "watchlists/Allow.csv", 4],
    ]);
  });

  it("rejects malformed IP entries in ip-range columns", () => {
    const state = build("IPOrRange\n192.0.2.1\n10.0.0.0/33\n192.0.2.20-192.0.2.10\n300.1.1.1\n192.0.2.1-2001:db8::1\nnot-an-ip\n");
    expect(errorsOf(state.diagnostics).map((d) => [d.position?.line, d.message])).toEqual([
      [3, "IPOrRange '10.0.0.0/33' has prefix /33, but ipv4 prefixes go up to /32"],
      [4, "IPOrRange '192.0.2.20-192.0.2.10' starts after it ends; write the lower address first"],
      [5, "IPOrRange '300.1.1.1' is not an IP address, CIDR or a-b range"],
      [6, "IPOrRange '192.0.2.1-2001:db8::1' mixes IPv4 and IPv6 ends"],
      [7, "IPOrRange 'not-an-ip' is not an IP address, CIDR or a-b range"],
    ]);
  });

  it("warns when a CIDR has host bits set", () => {
    const state = build("IPOrRange\n192.0.2.5/24\n");
    expect(state.diagnostics.find((d) => d.code === "watchlist/ip-range-host-bits")?.message).toBe(
      "IPOrRange '192.0.2.5/24' has host bits set; it covers the network 192.0.2.0/24",
    );
  });

  it("rejects rows with the wrong number of fields", () => {
    const state = build("IPOrRange,Owner\n192.0.2.1,a,extra\n");
    expect(state.diagnostics[0]).toMatchObject({ code: "csv/syntax", file: "watchlists/Allow.csv", position: { line: 2 } });
  });

  it("puts a quote that is never closed on the row that opens it, and still reads the rows after it", () => {
    const state = build('IPOrRange,Owner\n192.0.2.1,a\n192.0.2.2,"b\n192.0.2.3,c\n\n192.0.2.4,d\n');
    expect(errorsOf(state.diagnostics).map((d) => [d.code, d.position?.line])).toEqual([["csv/syntax", 3]]);
    expect(errorsOf(state.diagnostics)[0]?.message).toContain("never closed");
    const items = state.resources.filter((r) => r.content === "watchlistItem");
    expect(items.map((r) => [r.origin.line, (r.properties as { itemsKeyValue: Record<string, string> }).itemsKeyValue.IPOrRange])).toEqual([
      [2, "192.0.2.1"],
      [4, "192.0.2.3"],
      [6, "192.0.2.4"],
    ]);
  });

  it("keeps the watchlist and its readable rows when one row is broken, so nothing else reports it missing", () => {
    const state = build("IPOrRange,Owner\n192.0.2.1,a\n192.0.2.2,b,extra\n192.0.2.3,c\n");
    expect(errorsOf(state.diagnostics).map((d) => [d.code, d.file, d.position?.line])).toEqual([["csv/syntax", "watchlists/Allow.csv", 3]]);
    const items = state.resources.filter((r) => r.content === "watchlistItem");
    expect(items.map((r) => (r.properties as { itemsKeyValue: Record<string, string> }).itemsKeyValue.IPOrRange)).toEqual([
      "192.0.2.1",
      "192.0.2.3",
    ]);
  });
});

describe("IP entries", () => {
  it.each([
    ["192.0.2.7", "ipv4", "address", 1n],
    ["192.0.2.0/24", "ipv4", "cidr", 256n],
    ["203.0.113.10-203.0.113.20", "ipv4", "range", 11n],
    ["2001:db8::/32", "ipv6", "cidr", 1n << 96n],
    ["2001:db8::5", "ipv6", "address", 1n],
    ["2001:db8::1-2001:db8::ff", "ipv6", "range", 255n],
    ["0.0.0.0/0", "ipv4", "cidr", 1n << 32n],
  ])("%s is an %s %s covering %d addresses", (text, family, kind, size) => {
    const parsed = parseIpRangeEntry(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.range).toMatchObject({ family, kind });
      expect(rangeSize(parsed.range)).toBe(size);
    }
  });

  it("refuses shorthand IPv4 forms that KQL would not parse", () => {
    expect(parseIpRangeEntry("127.1").ok).toBe(false);
    expect(parseIpRangeEntry("0x7f.0.0.1").ok).toBe(false);
  });
});
