/**
 * Issue 11, items 5 and 6: the allowlist guard sees through IPv6 blocks that carry IPv4,
 * through spelling (leading zeros, spaces, invisible characters) in every column it reads, and
 * through many rows that add up to a public /8; CSV cells that a spreadsheet would run as a
 * formula are flagged, in content and on export.
 */
import { describe, expect, it } from "vitest";
import { exportWatchlist } from "../../src/export/watchlist";
import { buildDesiredState } from "../../src/loader/desiredState";
import { combinedBreadth, embeddedIpv4, entryBreadth, parseIpRangeEntry, parseIpRangeLenient } from "../../src/util/ipRange";
import { writeContent } from "../helpers/content";

const TYPED = "alias: Allow\ndisplayName: Allow\nprovider: Team\nitemsSearchKey: IPOrRange\ncolumns:\n  IPOrRange:\n    type: ip-range\n";
const UNTYPED = "alias: Allow\ndisplayName: Allow\nprovider: Team\nitemsSearchKey: Name\n";

function findings(csv: string, yaml = TYPED) {
  return buildDesiredState(writeContent({ "watchlists/Allow.yaml": yaml, "watchlists/Allow.csv": csv }))
    .diagnostics.filter((d) => d.code.startsWith("watchlist/ip-range"))
    .map((d) => [d.severity, d.position?.line, d.message.replace(/: as broad as .*|: an entry this broad .*/, "")]);
}

describe("IPv6 blocks that embed IPv4", () => {
  it.each([
    ["::ffff:0:0/96", "every IPv4 address as IPv4-mapped IPv6 (::ffff:0:0/96)"],
    ["::ffff:0.0.0.0/96", "every IPv4 address as IPv4-mapped IPv6 (::ffff:0:0/96)"],
    ["64:ff9b::/96", "every IPv4 address as NAT64 (64:ff9b::/96)"],
    ["2002::/16", "every IPv4 address as 6to4 (2002::/16)"],
    ["::/96", "every IPv4 address as IPv4-compatible IPv6 (::/96)"],
    ["::ffff:1.0.0.0/104", "16,777,216 public IPv4 addresses as IPv4-mapped IPv6 (::ffff:0:0/96)"],
    ["2002:0b00::/24", "16,777,216 public IPv4 addresses as 6to4 (2002::/16)"],
  ])("%s is refused: it covers %s", (entry, covers) => {
    expect(findings(`IPOrRange\n${entry}\n`)).toEqual([["error", 2, `IPOrRange '${entry}' covers ${covers}`]]);
  });

  it("a mapped private or documentation block is judged like the IPv4 block it carries", () => {
    expect(findings("IPOrRange\n::ffff:10.0.0.0/104\n::ffff:192.0.2.0/120\n64:ff9b::c000:200/120\n")).toEqual([]);
    const teredo = parseIpRangeEntry("2001:0:4136:e378:8000:63bf:3fff:fdd2/128");
    expect(teredo.ok && embeddedIpv4(teredo.range)).toEqual([{ block: "Teredo (2001::/32)", intervals: [[0xc000022dn, 0xc000022dn]] }]);
  });
});

describe("spelling cannot hide a broad entry", () => {
  it.each([
    ["leading zeros", "001.000.000.000/8"],
    ["a leading-zero prefix", "1.0.0.0/08"],
    ["spaces around the slash", "1.0.0.0 / 8"],
    ["a zero-width space", "1.0.0.0/\u200b8"],
    ["a non-breaking space", "1.0.0.0\u00a0/8"],
    ["full-width digits", "\uff11.0.0.0/8"],
    ["a spaced range", "1.0.0.0 - 1.255.255.255"],
  ])("%s in a column without a declared type", (_what, entry) => {
    const found = findings(`Name,Range\nvpn,"${entry}"\n`, UNTYPED);
    expect(found.map(([severity, line]) => [severity, line])).toEqual([["error", 2]]);
    expect(found[0]?.[2]).toContain("covers 16,777,216 public addresses");
  });

  it("a typed ip-range column refuses such spellings outright", () => {
    const found = buildDesiredState(
      writeContent({ "watchlists/Allow.yaml": TYPED, "watchlists/Allow.csv": "IPOrRange\n001.0.0.0/8\n1.0.0.0/\u200b8\n" }),
    ).diagnostics.filter((d) => d.severity === "error");
    expect(found.map((d) => [d.code, d.position?.line])).toEqual([
      ["watchlist/invalid-ip-range", 2],
      ["watchlist/invalid-ip-range", 3],
    ]);
    // The invisible character is shown, so the reader can find it.
    expect(found[1]?.message).toContain("1.0.0.0/\\u{200B}8");
  });

  it("lenient reading only ever judges breadth; it does not make a value valid", () => {
    expect(parseIpRangeEntry("001.0.0.0/8").ok).toBe(false);
    const lenient = parseIpRangeLenient("001.0.0.0/8");
    expect(lenient.ok && entryBreadth(lenient.range)?.severity).toBe("error");
  });
});

describe("many rows that add up", () => {
  it("256 public /16s are as broad as a public /8", () => {
    const rows = Array.from({ length: 256 }, (_, i) => `11.${i}.0.0/16`);
    const found = findings(`IPOrRange\n${rows.join("\n")}\n`);
    // No row alone is broad enough to mention; together they are an error.
    expect(found).toEqual([["error", 1, "the rows of watchlists/Allow.csv together cover 16,777,216 public addresses"]]);
  });

  it("counts IPv4 hosts embedded in IPv6 rows with the IPv4 rows, and overlaps once", () => {
    const ranges = ["11.0.0.0/9", "::ffff:11.128.0.0/105", "11.0.0.0/10"].map((e) => {
      const p = parseIpRangeEntry(e);
      if (!p.ok) throw new Error(e);
      return p.range;
    });
    expect(combinedBreadth(ranges)?.breadth).toEqual({ severity: "error", covers: "16,777,216 public addresses" });
    expect(combinedBreadth(ranges.slice(0, 1))).toBeUndefined();
  });

  it("private space adds up without complaint", () => {
    const rows = [...Array.from({ length: 256 }, (_, i) => `10.${i}.0.0/16`), "172.16.0.0/12", "192.168.0.0/16"];
    expect(findings(`IPOrRange\n${rows.join("\n")}\n`)).toEqual([]);
  });
});

describe("spreadsheet formulas in CSV cells", () => {
  it.each(['=HYPERLINK("https://evil.example","open")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\t=1+1"])(
    "%j gets a warning naming its line",
    (cell) => {
      const d = buildDesiredState(
        writeContent({
          "watchlists/Allow.yaml": UNTYPED,
          "watchlists/Allow.csv": `Name,Note\nvpn,"${cell.replace(/"/g, '""')}"\n`,
        }),
      ).diagnostics.filter((x) => x.code === "watchlist/formula-cell");
      expect(d).toEqual([expect.objectContaining({ severity: "warning", file: "watchlists/Allow.csv", position: { line: 2, column: 1 } })]);
    },
  );

  it("plain numbers and ordinary text are left alone", () => {
    const d = buildDesiredState(
      writeContent({ "watchlists/Allow.yaml": UNTYPED, "watchlists/Allow.csv": "Name,Note\nvpn,-5\nx,+3.5\ny,a=b\nz,2001:db8::1\n" }),
    ).diagnostics.filter((x) => x.code === "watchlist/formula-cell");
    expect(d).toEqual([]);
  });
});

describe("spreadsheet formulas on export", () => {
  it("an exported watchlist whose live items hold formulas says so", () => {
    const item = (name: string, note: string) => ({
      id: `/x/${name}`,
      name,
      type: "Microsoft.SecurityInsights/watchlists/watchlistItems",
      properties: { itemsKeyValue: { Name: name, Note: note } },
    });
    const outcome = exportWatchlist(
      {
        id: "/x/Allow",
        name: "Allow",
        type: "Microsoft.SecurityInsights/watchlists",
        properties: { displayName: "Allow", provider: "Team", itemsSearchKey: "Name", source: "Allow.csv" },
        items: [item("a", '=HYPERLINK("https://evil.example")'), item("b", "fine")],
      },
      "watchlists/Allow",
      [],
    );
    expect(outcome.ok && outcome.notes).toContainEqual(expect.stringContaining("1 row(s) have a cell starting with =, +, - or @"));
  });
});
