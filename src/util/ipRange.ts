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

/** Whitespace and invisible characters (zero-width, soft hyphen, byte-order mark) a reader cannot see. */
const INVISIBLE = /[\s\u00AD\u180E\u200B-\u200F\u2028-\u202F\u205F-\u2064\uFEFF]/gu;

/**
 * An entry as some consumer might read it: compatibility forms folded (full-width digits and
 * slashes), whitespace and invisible characters removed, and leading zeros dropped from IPv4
 * octets and prefix lengths (`010.0.0.0/08` is 10.0.0.0/8 to Kusto's parse_ipv4 and to most
 * parsers). The breadth guard judges this reading, so spelling cannot hide a broad entry.
 */
export function normalizeIpText(raw: string): string {
  return raw
    .normalize("NFKC")
    .replace(INVISIBLE, "")
    .replace(/(^|[^0-9A-Fa-f:.])0+(?=\d)/g, "$1")
    .replace(/(\.)0+(?=\d)/g, "$1");
}

/** Parses an entry read leniently (see normalizeIpText): for judging breadth, never for accepting a value. */
export function parseIpRangeLenient(raw: string): IpRangeParse {
  return parseIpRangeEntry(normalizeIpText(raw));
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

export interface Breadth {
  severity: "error" | "warning";
  /** What the entry covers, for messages: "every IPv4 address", "16,777,216 public addresses". */
  covers: string;
}

type Interval = readonly [bigint, bigint];
const V4_MASK = (1n << 32n) - 1n;

/**
 * IPv6 blocks that carry IPv4 addresses, and where: an allowlist entry in one of them covers
 * the IPv4 hosts they embed. Kusto's IPv6 functions read an IPv4 string as its IPv4-mapped
 * form (`ipv6_is_match('::ffff:7f00:1', '127.0.0.1')` is true), and NAT64, 6to4 and Teredo
 * gateways log IPv4 hosts under the others.
 */
const IPV4_EMBEDDING: readonly { name: string; cidr: string; v4: (first: bigint, last: bigint) => Interval[] }[] = [
  { name: "IPv4-compatible IPv6 (::/96)", cidr: "::/96", v4: lowBits },
  { name: "IPv4-mapped IPv6 (::ffff:0:0/96)", cidr: "::ffff:0:0/96", v4: lowBits },
  { name: "IPv4-translated IPv6 (::ffff:0:0:0/96)", cidr: "::ffff:0:0:0/96", v4: lowBits },
  { name: "NAT64 (64:ff9b::/96)", cidr: "64:ff9b::/96", v4: lowBits },
  { name: "local-use NAT64 (64:ff9b:1::/48)", cidr: "64:ff9b:1::/48", v4: lowBits },
  { name: "6to4 (2002::/16)", cidr: "2002::/16", v4: (a, b) => [[(a >> 80n) & V4_MASK, (b >> 80n) & V4_MASK]] },
  // Teredo: the client's address is the last 32 bits, inverted.
  {
    name: "Teredo (2001::/32)",
    cidr: "2001::/32",
    v4: (a, b) => lowBits(a, b).map(([lo, hi]) => [~hi & V4_MASK, ~lo & V4_MASK] as const),
  },
];

/** The values of the last 32 bits over [a, b]: one interval, two when it wraps, all of them from 2^32 addresses on. */
function lowBits(a: bigint, b: bigint): Interval[] {
  if (b - a >= V4_MASK) return [[0n, V4_MASK]];
  const [lo, hi] = [a & V4_MASK, b & V4_MASK];
  return lo <= hi
    ? [[lo, hi]]
    : [
        [lo, V4_MASK],
        [0n, hi],
      ];
}

const embeddingBlocks = IPV4_EMBEDDING.map((e) => {
  const parsed = parseIpRangeEntry(e.cidr);
  if (!parsed.ok) throw new Error(`bad embedding block ${e.cidr}`);
  return { ...e, first: parsed.range.first, last: parsed.range.last };
});

/** The IPv4 addresses an IPv6 entry covers through the blocks that embed IPv4, per block. */
export function embeddedIpv4(range: IpRange): { block: string; intervals: Interval[] }[] {
  if (range.family !== "ipv6") return [];
  const out: { block: string; intervals: Interval[] }[] = [];
  for (const block of embeddingBlocks) {
    const first = range.first > block.first ? range.first : block.first;
    const last = range.last < block.last ? range.last : block.last;
    if (first <= last) out.push({ block: block.name, intervals: block.v4(first, last) });
  }
  return out;
}

/** Merged, sorted intervals. */
function merge(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last && a <= last[1] + 1n) {
      if (b > last[1]) last[1] = b;
    } else out.push([a, b]);
  }
  return out;
}

const sizeOf = (intervals: readonly Interval[]) => intervals.reduce((n, [a, b]) => n + (b - a + 1n), 0n);

/** Addresses two merged interval lists share. */
function overlap(x: readonly Interval[], y: readonly Interval[]): bigint {
  let total = 0n;
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const [a1, b1] = x[i]!;
    const [a2, b2] = y[j]!;
    const lo = a1 > a2 ? a1 : a2;
    const hi = b1 < b2 ? b1 : b2;
    if (lo <= hi) total += hi - lo + 1n;
    if (b1 < b2) i++;
    else j++;
  }
  return total;
}

/** The special-purpose (non-public) space of a family, as merged intervals. */
const SPECIAL: Record<IpFamily, Interval[]> = {
  ipv4: merge(specialSubnets(ipaddr.IPv4.parse("0.0.0.0")).map(subnetInterval)),
  ipv6: merge(specialSubnets(ipaddr.IPv6.parse("::")).map(subnetInterval)),
};

function subnetInterval([address, prefix]: Subnet): Interval {
  const width = BigInt((address.kind() === "ipv4" ? 32 : 128) - prefix);
  const first = (toBigInt(address) >> width) << width;
  return [first, first + (1n << width) - 1n];
}

/** Public addresses in merged intervals of one family. */
function publicCount(intervals: readonly Interval[], family: IpFamily): bigint {
  return sizeOf(intervals) - overlap(intervals, SPECIAL[family]);
}

/** Thresholds: anything wider than a /8 (IPv4) or /16 (IPv6) is an error; public space from a /8 (/32) is an error, above a /16 (/48) a warning. */
const LIMITS: Record<IpFamily, { huge: bigint; publicError: bigint; publicWarning: bigint }> = {
  ipv4: { huge: 1n << 24n, publicError: 1n << 24n, publicWarning: 1n << 16n },
  ipv6: { huge: 1n << 112n, publicError: 1n << 96n, publicWarning: 1n << 80n },
};

/** `n` addresses for messages; `embedded` says they are IPv4 hosts carried in an IPv6 block. */
function describeCount(n: bigint, family: IpFamily, isPublic: boolean, embedded?: string): string {
  const scope = isPublic ? " public" : "";
  if (embedded) return `${n.toLocaleString("en-US")}${scope} IPv4 addresses as ${embedded}`;
  // IPv6 counts are unreadable; say which prefix the entry is as wide as.
  return family === "ipv4"
    ? `${n.toLocaleString("en-US")}${scope} addresses`
    : `as much${scope} address space as a /${128 - (n.toString(2).length - 1)}`;
}

/** Judges a set of addresses (merged intervals of one family) against the limits. */
function judge(intervals: readonly Interval[], family: IpFamily, embedded?: string): Breadth | undefined {
  const size = sizeOf(intervals);
  const all = 1n << BigInt(bits(family));
  if (size === all)
    return { severity: "error", covers: `every ${family === "ipv4" ? "IPv4" : "IPv6"} address${embedded ? ` as ${embedded}` : ""}` };
  const limits = LIMITS[family];
  const publicSize = publicCount(intervals, family);
  if (size > limits.huge) return { severity: "error", covers: describeCount(size, family, publicSize === size, embedded) };
  if (publicSize >= limits.publicError) return { severity: "error", covers: describeCount(publicSize, family, true, embedded) };
  if (publicSize > limits.publicWarning) return { severity: "warning", covers: describeCount(publicSize, family, true, embedded) };
  return undefined;
}

/** The more severe of two verdicts (the first on a tie). */
const worse = (a: Breadth | undefined, b: Breadth | undefined) =>
  !a ? b : !b ? a : a.severity === "error" || b.severity !== "error" ? a : b;

/**
 * Flags allowlist entries too broad to be meant: anything wider than a /8 (IPv4) or a /16
 * (IPv6) is an error, as is a public /8 or a public IPv6 prefix wider than /32 (a whole
 * provider). Public ranges wider than a /16 (IPv4) or a /48 (IPv6) are warnings. Private,
 * documentation and other reserved space is judged by size alone. An IPv6 entry in a block
 * that embeds IPv4 (mapped, NAT64, 6to4, ...) is judged by the IPv4 addresses it covers too.
 */
export function entryBreadth(range: IpRange): Breadth | undefined {
  let verdict = judge([[range.first, range.last]], range.family);
  for (const { block, intervals } of embeddedIpv4(range)) verdict = worse(verdict, judge(merge(intervals), "ipv4", block));
  return verdict;
}

/**
 * What many entries cover together: a list of 256 public /16s is as broad as a public /8. IPv4
 * counts the IPv4 hosts embedded in IPv6 entries too. Only public space counts here: listing
 * every private network (10/8, 172.16/12, 192.168/16) is a common, meant allowlist.
 * Undefined when within the limits.
 */
export function combinedBreadth(ranges: readonly IpRange[]): { family: IpFamily; breadth: Breadth } | undefined {
  const v4: Interval[] = [];
  const v6: Interval[] = [];
  for (const r of ranges) {
    (r.family === "ipv4" ? v4 : v6).push([r.first, r.last]);
    for (const e of embeddedIpv4(r)) v4.push(...e.intervals);
  }
  for (const [family, intervals] of [
    ["ipv4", v4],
    ["ipv6", v6],
  ] as const) {
    const publicSize = publicCount(merge(intervals), family);
    if (publicSize >= LIMITS[family].publicError)
      return { family, breadth: { severity: "error", covers: describeCount(publicSize, family, true) } };
  }
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
