/** IP functions (on ipaddr.js): cases from the documented examples of each function. */
import { describe, expect, it } from "vitest";
import { rows, value } from "./helpers";

describe("IPv4", () => {
  it("parse_ipv4 and parse_ipv4_mask give the address as a long, masked by a prefix", () => {
    expect(value(`parse_ipv4("127.0.0.1")`)).toBe(2130706433);
    expect(value(`parse_ipv4("192.1.168.1")`)).toBe(3221334017);
    expect(value(`parse_ipv4("192.1.168.2/24")`)).toBe(3221334016);
    expect(value(`parse_ipv4_mask("192.1.168.2", 24)`)).toBe(3221334016);
    expect(value(`parse_ipv4("not an address")`)).toBe(null);
    expect(value(`parse_ipv4("10.0.0.0/99")`)).toBe(null);
  });

  it("ipv4_is_in_range and ipv4_is_in_any_range", () => {
    expect(value(`ipv4_is_in_range("192.168.1.6", "192.168.1.1/24")`)).toBe(true);
    expect(value(`ipv4_is_in_range("192.168.1.1", "192.168.2.1/24")`)).toBe(false);
    expect(value(`ipv4_is_in_range("192.168.1.1", "192.168.1.255")`)).toBe(false);
    expect(value(`ipv4_is_in_range("x", "192.168.1.1/24")`)).toBe(null);
    expect(value(`ipv4_is_in_any_range("192.168.1.6", "127.0.0.1/24", "192.168.1.1/24")`)).toBe(true);
    expect(value(`ipv4_is_in_any_range("192.168.1.6", dynamic(["127.0.0.1/24", "10.0.0.0/8"]))`)).toBe(false);
    expect(value(`ipv4_is_in_any_range("192.168.1.6", dynamic([]))`)).toBe(false);
  });

  it("ipv4_is_private, ipv4_compare and ipv4_is_match", () => {
    expect(value(`ipv4_is_private("192.168.1.1/24")`)).toBe(true);
    expect(value(`ipv4_is_private("10.1.2.3/24")`)).toBe(true);
    expect(value(`ipv4_is_private("172.16.1.1")`)).toBe(true);
    expect(value(`ipv4_is_private("202.1.2.3")`)).toBe(false);
    expect(value(`ipv4_is_private("127.0.0.1")`)).toBe(false);
    expect(value(`ipv4_compare("127.0.0.1", "127.0.0.1")`)).toBe(0);
    expect(value(`ipv4_compare("192.168.1.1", "192.168.1.255")`)).toBe(-1);
    expect(value(`ipv4_compare("192.168.1.255", "192.168.1.1")`)).toBe(1);
    expect(value(`ipv4_compare("192.168.1.1/24", "192.168.1.255/24")`)).toBe(0);
    expect(value(`ipv4_compare("192.168.1.1", "192.168.1.255", 24)`)).toBe(0);
    expect(value(`ipv4_is_match("192.168.1.1/24", "192.168.1.255/24")`)).toBe(true);
    expect(value(`ipv4_is_match("192.168.1.1", "192.168.1.255")`)).toBe(false);
  });

  it("format_ipv4, format_ipv4_mask and the has_ipv4 family", () => {
    expect(value(`format_ipv4("192.168.1.255", 24)`)).toBe("192.168.1.0");
    expect(value(`format_ipv4(3232236031, 24)`)).toBe("192.168.1.0");
    expect(value(`format_ipv4_mask("192.168.1.255", 24)`)).toBe("192.168.1.0/24");
    expect(value(`has_ipv4("05:04:54 127.0.0.1 GET /favicon.ico 404", "127.0.0.1")`)).toBe(true);
    expect(value(`has_ipv4("05:04:54 127.0.0.12 GET", "127.0.0.1")`)).toBe(false);
    expect(value(`has_ipv4_prefix("05:04:54 127.0.0.1 GET", "127.0.")`)).toBe(true);
    expect(value(`has_any_ipv4("05:04:54 127.0.0.1 GET", dynamic(["127.0.0.1", "127.0.0.2"]))`)).toBe(true);
  });
});

describe("IPv6", () => {
  it("parse_ipv6 gives the canonical form; IPv4 becomes IPv4-mapped; a prefix masks", () => {
    expect(value(`parse_ipv6("127.0.0.1")`)).toBe("0000:0000:0000:0000:0000:ffff:7f00:0001");
    expect(value(`parse_ipv6("fe80::85d:e82c:9446:7994")`)).toBe("fe80:0000:0000:0000:085d:e82c:9446:7994");
    expect(value(`parse_ipv6("fe80::85d:e82c:9446:7994/120")`)).toBe("fe80:0000:0000:0000:085d:e82c:9446:7900");
    expect(value(`parse_ipv6_mask("127.0.0.1", 24)`)).toBe("0000:0000:0000:0000:0000:ffff:7f00:0000");
    expect(value(`parse_ipv6("2001:db8::zz")`)).toBe("");
  });

  it("ipv6_compare and ipv6_is_match", () => {
    expect(value(`ipv6_compare("::ffff:7f00:1", "127.0.0.1")`)).toBe(0);
    expect(value(`ipv6_compare("fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7995")`)).toBe(-1);
    expect(value(`ipv6_compare("fe80::85d:e82c:9446:7994/127", "fe80::85d:e82c:9446:7995/127")`)).toBe(0);
    expect(value(`ipv6_compare("fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7995", 127)`)).toBe(0);
    expect(value(`ipv6_compare("fe80::85d:e82c:9446:7994", "not an address")`)).toBe(null);
    expect(value(`ipv6_is_match("::ffff:7f00:1", "127.0.0.1")`)).toBe(true);
  });

  it("ipv6_is_in_range and ipv6_is_in_any_range", () => {
    expect(
      rows(`let LocalNetworks = dynamic(["a5e:f127:8a9d:146d:e102:b5d3:c755:f6cd/112", "0:0:0:0:0:ffff:c0a8:ac/60"]);
        datatable(IP:string)["a5e:f127:8a9d:146d:e102:b5d3:c755:abcd", "a5e:f127:8a9d:146d:e102:b5d3:c756:abd1"]
        | extend IsLocal = ipv6_is_in_any_range(IP, LocalNetworks)`),
    ).toEqual([
      { IP: "a5e:f127:8a9d:146d:e102:b5d3:c755:abcd", IsLocal: true },
      { IP: "a5e:f127:8a9d:146d:e102:b5d3:c756:abd1", IsLocal: false },
    ]);
    expect(value(`ipv6_is_in_range("2001:db8::1", "2001:db8::/32")`)).toBe(true);
    expect(value(`ipv6_is_in_range("2001:db9::1", "2001:db8::/32")`)).toBe(false);
    expect(value(`ipv6_is_in_any_range("2001:db8::1", "2001:db8::/32", "bad")`)).toBe(null);
  });
});
