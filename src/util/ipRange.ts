/**
 * IP address / CIDR / `a-b` range entries, as allowlists hold them.
 * Parsing and prefix math come from ipaddr.js; this module only classifies
 * an entry and expresses it as a first..last interval for comparisons.
 */
import ipaddr from "ipaddr.js";

export type IpFamily = "ipv4" | "ipv6";

export interface IpRange {
  text: string;
  family: IpFamily;
  kind: "address" | "cidr" | "range";
  first: bigint;
  last: bigint;
  /** Prefix length for CIDRs (and /32, /128 for single addresses). */
  prefixLength?: number;
}

export type IpRangeParse = { ok: true; range: IpRange; note?: string } | { ok: false; reason: string };

function toBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return address.toByteArray().reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
}

function bits(family: IpFamily): number {
  return family === "ipv4" ? 32 : 128;
}

/** Strict single address: dotted-quad IPv4 (no `127.1` shorthands) or IPv6. */
export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const t = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(t)) return ipaddr.IPv4.parse(t);
  if (t.includes(":") && ipaddr.IPv6.isValid(t)) return ipaddr.IPv6.parse(t);
  return undefined;
}

export function familyOf(address: ipaddr.IPv4 | ipaddr.IPv6): IpFamily {
  return address.kind() === "ipv4" ? "ipv4" : "ipv6";
}

/** Parses one entry: an address, a CIDR, or an `a-b` range of the same family. */
export function parseIpRangeEntry(raw: string): IpRangeParse {
  const text = raw.trim();
  if (text === "") return { ok: false, reason: "is empty" };
  if (text.includes("/")) {
    const [addrText, prefixText, ...rest] = text.split("/");
    const address = parseAddress(addrText ?? "");
    if (!address || rest.length > 0 || !/^\d{1,3}$/.test(prefixText ?? "")) {
      return { ok: false, reason: "is not a valid CIDR (write e.g. 192.0.2.0/24 or 2001:db8::/32)" };
    }
    const family = familyOf(address);
    const prefix = Number(prefixText);
    if (prefix > bits(family)) return { ok: false, reason: `has prefix /${prefix}, but ${family} prefixes go up to /${bits(family)}` };
    const width = BigInt(bits(family) - prefix);
    const value = toBigInt(address);
    const first = (value >> width) << width;
    const last = first + (1n << width) - 1n;
    const note =
      first !== value
        ? `has host bits set; it covers the network ${ipaddr.fromByteArray(bigIntToBytes(first, family)).toString()}/${prefix}`
        : undefined;
    return { ok: true, range: { text, family, kind: "cidr", first, last, prefixLength: prefix }, ...(note ? { note } : {}) };
  }
  if (text.includes("-")) {
    const parts = text.split("-");
    if (parts.length !== 2) return { ok: false, reason: "is not an IP address, CIDR or a-b range" };
    const lo = parseAddress(parts[0]!);
    const hi = parseAddress(parts[1]!);
    if (!lo || !hi) return { ok: false, reason: "is not a valid range: both ends must be IP addresses (write e.g. 192.0.2.10-192.0.2.20)" };
    if (familyOf(lo) !== familyOf(hi)) return { ok: false, reason: "mixes IPv4 and IPv6 ends" };
    const first = toBigInt(lo);
    const last = toBigInt(hi);
    if (first > last) return { ok: false, reason: "starts after it ends; write the lower address first" };
    return { ok: true, range: { text, family: familyOf(lo), kind: "range", first, last } };
  }
  const address = parseAddress(text);
  if (!address) return { ok: false, reason: "is not an IP address, CIDR or a-b range" };
  const family = familyOf(address);
  const value = toBigInt(address);
  return { ok: true, range: { text, family, kind: "address", first: value, last: value, prefixLength: bits(family) } };
}

function bigIntToBytes(value: bigint, family: IpFamily): number[] {
  const n = bits(family) / 8;
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return out;
}

/** Number of addresses an entry covers. */
export function rangeSize(range: IpRange): bigint {
  return range.last - range.first + 1n;
}

type Subnet = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** ipaddr.js's table of special-purpose (non-public) ranges, as subnets. */
function specialSubnets(address: ipaddr.IPv4 | ipaddr.IPv6): Subnet[] {
  // The table is on the prototype but not in ipaddr.js's typings; each entry is one subnet or a list of them.
  const table = (address as unknown as { SpecialRanges: Record<string, Subnet | Subnet[]> }).SpecialRanges;
  return Object.entries(table)
    .filter(([name]) => name !== "unicast")
    .flatMap(([, v]) => (Array.isArray(v[0]) ? (v as Subnet[]) : [v as Subnet]));
}

/**
 * Whether a range reaches the public internet: it does unless both ends lie in one
 * special-purpose subnet (private, documentation, loopback, ...). Checking the ends alone
 * would call 192.0.2.255-192.168.0.0 private while it spans millions of public addresses.
 */
function reachesPublicSpace(range: IpRange): boolean {
  const first = ipaddr.fromByteArray(bigIntToBytes(range.first, range.family));
  const last = ipaddr.fromByteArray(bigIntToBytes(range.last, range.family));
  return !specialSubnets(first).some(([subnet, bits]) => first.match(subnet, bits) && last.match(subnet, bits));
}

export interface Breadth {
  severity: "error" | "warning";
  /** What the entry covers, for messages: "every IPv4 address", "16,777,216 public addresses". */
  covers: string;
}

/**
 * Flags allowlist entries too broad to be meant: anything wider than a /8 (IPv4) or a /16
 * (IPv6) is an error, as is a public /8 or a public IPv6 prefix wider than /32 (a whole
 * provider). Public ranges wider than a /16 (IPv4) or a /48 (IPv6) are warnings. Private,
 * documentation and other reserved space is judged by size alone.
 */
export function entryBreadth(range: IpRange): Breadth | undefined {
  const size = rangeSize(range);
  const width = bits(range.family);
  const all = 1n << BigInt(width);
  const publicEnds = reachesPublicSpace(range);
  const scope = publicEnds ? " public" : "";
  // IPv6 counts are unreadable; say which prefix the entry is as wide as.
  const count = (n: bigint) =>
    range.family === "ipv4"
      ? `${n.toLocaleString("en-US")}${scope} addresses`
      : `as much${scope} address space as a /${width - (n.toString(2).length - 1)}`;
  const label = range.family === "ipv4" ? "IPv4" : "IPv6";
  if (size === all) return { severity: "error", covers: `every ${label} address` };
  const [hugeBits, publicErrorBits, publicWarningBits] = range.family === "ipv4" ? [24n, 24n, 16n] : [112n, 96n, 80n];
  if (size > 1n << hugeBits) return { severity: "error", covers: count(size) };
  if (publicEnds && size >= 1n << publicErrorBits) return { severity: "error", covers: count(size) };
  if (publicEnds && size > 1n << publicWarningBits) return { severity: "warning", covers: count(size) };
  return undefined;
}

/** How many distinct addresses a set of entries covers (overlaps counted once; IPv4 and IPv6 apart). */
export function coveredAddresses(ranges: readonly IpRange[]): bigint {
  let total = 0n;
  for (const family of ["ipv4", "ipv6"] as const) {
    const sorted = ranges.filter((r) => r.family === family).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    let start: bigint | undefined;
    let end = 0n;
    for (const r of sorted) {
      if (start === undefined || r.first > end + 1n) {
        if (start !== undefined) total += end - start + 1n;
        start = r.first;
        end = r.last;
      } else if (r.last > end) {
        end = r.last;
      }
    }
    if (start !== undefined) total += end - start + 1n;
  }
  return total;
}
