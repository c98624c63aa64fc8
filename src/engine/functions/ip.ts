/**
 * IP functions on ipaddr.js. Addresses become bigints (32 bits for IPv4, 128 for IPv6; IPv4
 * given to an IPv6 function is the IPv4-mapped ::ffff:a.b.c.d), optionally with a
 * `/prefix`. Text that is not an address makes the function return null (parse_ipv6, whose
 * type is string, returns the empty string: KQL strings cannot be null).
 */
import ipaddr from "ipaddr.js";
import { argAs, stringArg, type FunctionTable, type RowFn, type ScalarFunction } from "./types";
import type { Compiled } from "../eval/context";
import type { Dyn, Row, Value } from "../values/types";

interface Net {
  value: bigint;
  prefix: number;
}

const V4_BITS = 32;
const V6_BITS = 128;

function mask(value: bigint, prefix: number, bits: number): bigint {
  const width = BigInt(bits - prefix);
  return (value >> width) << width;
}

function bytesToBigint(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function splitPrefix(text: string): [string, number | undefined] | null {
  const t = text.trim();
  const slash = t.indexOf("/");
  if (slash < 0) return [t, undefined];
  const prefixText = t.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  return [t.slice(0, slash).trim(), Number(prefixText)];
}

/** An IPv4 address with an optional /prefix (0-32); null when malformed. */
export function parseV4(text: string, extraPrefix?: number): Net | null {
  const parts = splitPrefix(text);
  if (!parts) return null;
  const [addr, prefix = V4_BITS] = parts;
  if (!ipaddr.IPv4.isValidFourPartDecimal(addr) || prefix > V4_BITS) return null;
  const p = Math.min(prefix, extraPrefix ?? V4_BITS);
  if (p < 0) return null;
  return { value: mask(bytesToBigint(ipaddr.IPv4.parse(addr).toByteArray()), p, V4_BITS), prefix: p };
}

/** An IPv6 (or IPv4, mapped) address with an optional /prefix; null when malformed. */
export function parseV6(text: string, extraPrefix?: number): Net | null {
  const parts = splitPrefix(text);
  if (!parts) return null;
  const [addr, given] = parts;
  let value: bigint;
  let prefix: number;
  if (ipaddr.IPv4.isValidFourPartDecimal(addr)) {
    if (given !== undefined && given > V4_BITS) return null;
    value = bytesToBigint(ipaddr.IPv4.parse(addr).toIPv4MappedAddress().toByteArray());
    prefix = given === undefined ? V6_BITS : given + 96;
  } else if (addr.includes(":") && ipaddr.IPv6.isValid(addr) && !addr.includes("%")) {
    if (given !== undefined && given > V6_BITS) return null;
    value = bytesToBigint(ipaddr.IPv6.parse(addr).toByteArray());
    prefix = given ?? V6_BITS;
  } else return null;
  const p = Math.min(prefix, extraPrefix ?? V6_BITS);
  if (p < 0) return null;
  return { value: mask(value, p, V6_BITS), prefix: p };
}

function inRange(ip: Net, range: Net, bits: number): boolean {
  return mask(ip.value, range.prefix, bits) === range.value;
}

function v6Text(value: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16).padStart(4, "0"));
  return groups.join(":");
}

function v4Text(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join(".");
}

type Parser = (text: string, extraPrefix?: number) => Net | null;

/** The ranges given as several string arguments or as one dynamic array. */
function rangesArg(args: readonly Compiled[]): (row: Row) => Value[] {
  const fs = args.map((a) => a.fn);
  const types = args.map((a) => a.type);
  return (row) => {
    const out: Value[] = [];
    fs.forEach((f, i) => {
      const v = f(row);
      // a loop, not push(...v): spreading a large array overflows the call stack
      if (types[i] === "dynamic" && Array.isArray(v)) for (const x of v as Dyn[]) out.push(x);
      else out.push(v);
    });
    return out;
  };
}

function inAnyRange(parse: Parser, bits: number): ScalarFunction {
  return {
    build([ip, ...ranges]) {
      const fip = stringArg(ip!);
      const franges = rangesArg(ranges);
      return (row) => {
        const address = parse(fip(row));
        if (!address) return null;
        let found = false;
        for (const r of franges(row)) {
          const range = typeof r === "string" ? parse(r) : null;
          if (!range) return null; // a range that does not convert makes the result null, as documented
          if (!found && inRange(address, range, bits)) found = true;
        }
        return found;
      };
    },
  };
}

function inOneRange(parse: Parser, bits: number): ScalarFunction {
  return {
    build([ip, range]) {
      const fip = stringArg(ip!);
      const fr = stringArg(range!);
      return (row) => {
        const a = parse(fip(row));
        const r = parse(fr(row));
        return a && r ? inRange(a, r, bits) : null;
      };
    },
  };
}

function prefixArg(c: Compiled | undefined): RowFn | undefined {
  return c ? argAs(c, "long") : undefined;
}

/** ipv4_compare/ipv6_compare: -1, 0 or 1 after masking both with the smaller prefix. */
function compare(parse: Parser, bits: number): ScalarFunction {
  return {
    build([a, b, p]) {
      const fa = stringArg(a!);
      const fb = stringArg(b!);
      const fp = prefixArg(p);
      return (row) => {
        const extra = fp ? (fp(row) as bigint | null) : undefined;
        if (extra === null) return null;
        const x = parse(fa(row), extra === undefined ? undefined : Number(extra));
        const y = parse(fb(row), extra === undefined ? undefined : Number(extra));
        if (!x || !y) return null;
        const prefix = Math.min(x.prefix, y.prefix);
        const mx = mask(x.value, prefix, bits);
        const my = mask(y.value, prefix, bits);
        return mx < my ? -1n : mx > my ? 1n : 0n;
      };
    },
  };
}

function isMatch(parse: Parser, bits: number): ScalarFunction {
  const cmp = compare(parse, bits);
  return {
    build(args, site) {
      const f = cmp.build(args, site);
      return (row) => {
        const c = f(row);
        return c === null ? null : c === 0n;
      };
    },
  };
}

const PRIVATE_V4 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((r) => parseV4(r)!);

const parseIpv4: ScalarFunction = {
  build([ip, p]) {
    const fip = stringArg(ip!);
    const fp = prefixArg(p);
    return (row) => {
      const extra = fp ? (fp(row) as bigint | null) : undefined;
      if (extra === null) return null;
      return parseV4(fip(row), extra === undefined ? undefined : Number(extra))?.value ?? null;
    };
  },
};

const parseIpv6: ScalarFunction = {
  build([ip, p]) {
    const fip = stringArg(ip!);
    const fp = prefixArg(p);
    return (row) => {
      const extra = fp ? (fp(row) as bigint | null) : undefined;
      if (extra === null) return "";
      const net = parseV6(fip(row), extra === undefined ? undefined : Number(extra) + (ipaddr.IPv4.isValidFourPartDecimal(fip(row).split("/")[0]!.trim()) ? 96 : 0));
      return net ? v6Text(net.value) : "";
    };
  },
};

/** format_ipv4(ip[, prefix]) where ip is text or a long. */
function formatV4(withMask: boolean): ScalarFunction {
  return {
    build([ip, p]) {
      const f = ip!.fn;
      const type = ip!.type;
      const fp = prefixArg(p);
      return (row) => {
        const v = f(row);
        const extra = fp ? (fp(row) as bigint | null) : undefined;
        if (v === null || extra === null) return "";
        let net: Net | null;
        if (type === "long" || type === "int") {
          const n = BigInt(v as bigint | number);
          if (n < 0n || n > 0xffffffffn) return "";
          const prefix = extra === undefined ? V4_BITS : Number(extra);
          net = prefix < 0 || prefix > V4_BITS ? null : { value: mask(n, prefix, V4_BITS), prefix };
        } else net = parseV4(String(v), extra === undefined ? undefined : Number(extra));
        if (!net) return "";
        return withMask ? `${v4Text(net.value)}/${net.prefix}` : v4Text(net.value);
      };
    },
  };
}

/** has_ipv4 family: the address appears in the text, not glued to other digits or dots. */
function findIpv4(text: string, ip: string, prefixOnly: boolean): boolean {
  for (let at = text.indexOf(ip); at >= 0; at = text.indexOf(ip, at + 1)) {
    const before = at > 0 ? text[at - 1]! : "";
    const after = text[at + ip.length] ?? "";
    const okBefore = !/[0-9A-Za-z.]/.test(before);
    const okAfter = prefixOnly ? true : !/[0-9A-Za-z]/.test(after) && !(after === "." && /[0-9]/.test(text[at + ip.length + 1] ?? ""));
    if (okBefore && okAfter) return true;
  }
  return false;
}

function hasIpv4(prefixOnly: boolean, any: boolean): ScalarFunction {
  return {
    build([src, ...ips]) {
      const fs = stringArg(src!);
      const fips = rangesArg(ips);
      return (row) => {
        const text = fs(row);
        const wanted = fips(row).map((x) => (typeof x === "string" ? x.trim() : ""));
        if (!any && wanted.length === 1 && !prefixOnly && !parseV4(wanted[0]!)) return false;
        return wanted.some((ip) => ip !== "" && findIpv4(text, ip, prefixOnly));
      };
    },
  };
}

export const IP_FUNCTIONS: FunctionTable = {
  parse_ipv4: parseIpv4,
  parse_ipv4_mask: parseIpv4,
  parse_ipv6: parseIpv6,
  parse_ipv6_mask: parseIpv6,
  ipv4_is_in_range: inOneRange(parseV4, V4_BITS),
  ipv4_is_in_any_range: inAnyRange(parseV4, V4_BITS),
  ipv6_is_in_range: inOneRange(parseV6, V6_BITS),
  ipv6_is_in_any_range: inAnyRange(parseV6, V6_BITS),
  ipv4_compare: compare(parseV4, V4_BITS),
  ipv6_compare: compare(parseV6, V6_BITS),
  ipv4_is_match: isMatch(parseV4, V4_BITS),
  ipv6_is_match: isMatch(parseV6, V6_BITS),
  ipv4_is_private: {
    build([ip]) {
      const f = stringArg(ip!);
      return (row) => {
        const net = parseV4(f(row));
        if (!net) return null;
        return PRIVATE_V4.some((r) => net.prefix >= r.prefix && inRange(net, r, V4_BITS));
      };
    },
  },
  format_ipv4: formatV4(false),
  format_ipv4_mask: formatV4(true),
  has_ipv4: hasIpv4(false, false),
  has_ipv4_prefix: hasIpv4(true, false),
  has_any_ipv4: hasIpv4(false, true),
  has_any_ipv4_prefix: hasIpv4(true, true),
};
