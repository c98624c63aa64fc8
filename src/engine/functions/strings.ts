/**
 * String functions. Regular expressions are RE2 (values/regex.ts); URLs are read with the
 * WHATWG URL parser Node ships; hashes come from node:crypto.
 */
import { createHash } from "node:crypto";
import { argAs, constantArg, fn1, fn3, stringArg, type FunctionTable, type RowFn, type ScalarFunction } from "./types";
import { compileRegex, regexAllMatches, regexFirstMatch, regexReplace } from "../values/regex";
import { convertValue, toStringValue } from "../values/convert";
import { newBag } from "../values/dynamic";
import type { Dyn, KqlType, Row } from "../values/types";
import type { RE2JS } from "re2js";
import { NO_ROW, type Compiled } from "../eval/context";

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/** A regex argument: compiled once when constant, else per row. */
function regexArg(c: { fn: RowFn; rowFree: boolean; type: KqlType }): (row: Row) => RE2JS {
  const text = stringArg(c);
  if (c.rowFree) {
    const re = compileRegex(text(NO_ROW));
    return () => re;
  }
  return (row) => compileRegex(text(row));
}

const strcat: ScalarFunction = {
  build(args) {
    const fs = args.map(stringArg);
    if (fs.length === 2) {
      const [a, b] = fs as [(r: Row) => string, (r: Row) => string];
      return (row) => a(row) + b(row);
    }
    return (row) => {
      let s = "";
      for (const f of fs) s += f(row);
      return s;
    };
  },
};

const strcatDelim: ScalarFunction = {
  build([delim, ...args]) {
    const fd = stringArg(delim!);
    const fs = args.map(stringArg);
    return (row) => fs.map((f) => f(row)).join(fd(row));
  },
};

const SURROGATE = /[\uD800-\uDFFF]/;

/** Positions count code points, as strlen() does: a character outside the BMP is one, never half of one. */
function substring(s: string, start: number, length?: number): string {
  const from = Math.max(0, start);
  const end = length === undefined ? undefined : from + Math.max(0, length);
  return SURROGATE.test(s) ? Array.from(s).slice(from, end).join("") : s.slice(from, end);
}

/** The UTF-16 offset of code point `n` of s (its length when n is past the end). */
function unitOffset(s: string, n: number): number {
  let units = 0;
  for (let k = 0; k < n && units < s.length; k++) units += (s.codePointAt(units) ?? 0) > 0xffff ? 2 : 1;
  return units;
}

const substringFn: ScalarFunction = {
  build([src, start, len]) {
    const fs = stringArg(src!);
    const fst = argAs(start!, "long");
    const fl = len ? argAs(len, "long") : undefined;
    return (row) => {
      const st = fst(row) as bigint | null;
      if (st === null) return null;
      if (!fl) return substring(fs(row), Number(st));
      const l = fl(row) as bigint | null;
      return l === null ? null : substring(fs(row), Number(st), Number(l));
    };
  },
};

const indexof: ScalarFunction = {
  build([src, lookup, start, length, occurrence]) {
    const fs = stringArg(src!);
    const fl = stringArg(lookup!);
    const fst = start ? argAs(start, "long") : () => 0n;
    const flen = length ? argAs(length, "long") : () => -1n;
    const focc = occurrence ? argAs(occurrence, "long") : () => 1n;
    return (row) => {
      const s = fs(row);
      const l = fl(row);
      // positions in code points (as strlen and substring count them); UTF-16 offsets inside
      const wide = SURROGATE.test(s);
      const size = wide ? codePointLength(s) : s.length;
      let from = Number((fst(row) as bigint | null) ?? 0n);
      const len = Number((flen(row) as bigint | null) ?? -1n);
      const occ = Number((focc(row) as bigint | null) ?? 1n);
      if (from < 0) from = Math.max(0, size + from);
      if (from > size) return null;
      const endPoint = len < 0 ? size : Math.min(size, from + len);
      const start = wide ? unitOffset(s, from) : from;
      const end = wide ? unitOffset(s, endPoint) : endPoint;
      let at = start - 1;
      for (let k = 0; k < occ; k++) {
        at = s.indexOf(l, at + 1);
        if (at < 0 || at + l.length > end) return -1n;
      }
      return BigInt(wide ? codePointLength(s.slice(0, at)) : at);
    };
  },
};

const split: ScalarFunction = {
  build([src, delim, index]) {
    const fs = stringArg(src!);
    const fd = stringArg(delim!);
    const fi = index ? argAs(index, "long") : undefined;
    return (row) => {
      const parts: Dyn[] = fs(row).split(fd(row));
      if (!fi) return parts;
      const i = fi(row) as bigint | null;
      if (i === null) return null;
      const n = Number(i);
      const at = n < 0 ? parts.length + n : n;
      return at >= 0 && at < parts.length ? [parts[at]!] : [];
    };
  },
};

/** trim(): the longest run of matches at the start and at the end, each found by one anchored regex. */
const trimmers = new Map<string, { lead: RE2JS; trail: RE2JS }>();

function trimmerFor(pattern: string): { lead: RE2JS; trail: RE2JS } {
  let t = trimmers.get(pattern);
  if (!t) {
    compileRegex(pattern); // reports an invalid pattern as the pattern itself
    t = { lead: compileRegex(`^(?:${pattern})+`), trail: compileRegex(`(?:${pattern})+$`) };
    if (trimmers.size > 1000) trimmers.clear();
    trimmers.set(pattern, t);
  }
  return t;
}

function trimWith(pattern: string, s: string, leading: boolean, trailing: boolean): string {
  const { lead, trail } = trimmerFor(pattern);
  let out = s;
  if (leading) {
    const m = lead.matcher(out);
    if (m.lookingAt()) out = out.slice(m.end());
  }
  if (trailing && out !== "") {
    // leftmost start of a run of matches that reaches the end: the longest suffix
    const m = trail.matcher(out);
    if (m.find()) out = out.slice(0, m.start());
  }
  return out;
}

function trimFn(leading: boolean, trailing: boolean): ScalarFunction {
  return {
    build([pattern, src]) {
      const fp = stringArg(pattern!);
      const fs = stringArg(src!);
      if (pattern!.rowFree) {
        const p = fp(NO_ROW);
        return (row) => trimWith(p, fs(row), leading, trailing);
      }
      return (row) => trimWith(fp(row), fs(row), leading, trailing);
    },
  };
}

const extract: ScalarFunction = {
  build([pattern, group, src], site) {
    const fr = regexArg(pattern!);
    const fg = argAs(group!, "long");
    const fs = stringArg(src!);
    const type = site.resultType;
    return (row) => {
      const g = fg(row) as bigint | null;
      if (g === null) return null;
      const m = regexFirstMatch(fr(row), fs(row));
      const text = m ? m[Number(g)] : undefined;
      if (text === undefined || text === null) return type === "string" ? "" : null;
      return type === "string" ? text : convertValue(text, "string", type);
    };
  },
};

const extractAll: ScalarFunction = {
  build(args) {
    const [pattern, second, third] = args;
    const fr = regexArg(pattern!);
    const groupsArg = third ? second : undefined;
    const fs = stringArg((third ?? second)!);
    const fgroups = groupsArg ? groupsArg.fn : undefined;
    return (row) => {
      const re = fr(row);
      const matches = regexAllMatches(re, fs(row));
      if (matches.length === 0) return null;
      const wanted = fgroups ? (fgroups(row) as Dyn) : null;
      const groupIndexes = Array.isArray(wanted) ? wanted.map((x) => Number(x)) : null;
      const count = re.groupCount();
      return matches.map((m) => {
        if (groupIndexes) return groupIndexes.map((i) => m[i] ?? "") as Dyn;
        if (count <= 1) return (m[count] ?? "") as Dyn;
        return m.slice(1).map((x) => x ?? "") as Dyn;
      });
    };
  },
};

function replaceWith(src: Compiled, pattern: Compiled, rewrite: Compiled): RowFn {
  const fs = stringArg(src);
  const fr = regexArg(pattern);
  const fw = stringArg(rewrite);
  return (row) => regexReplace(fr(row), fs(row), fw(row));
}

const replaceRegex: ScalarFunction = { build: ([src, pattern, rewrite]) => replaceWith(src!, pattern!, rewrite!) };

/** Legacy replace(regex, rewrite, text). */
const replaceLegacy: ScalarFunction = { build: ([pattern, rewrite, src]) => replaceWith(src!, pattern!, rewrite!) };

const countof: ScalarFunction = {
  build([src, search, kind]) {
    const fs = stringArg(src!);
    const fsearch = stringArg(search!);
    const isRegex = kind ? constantArg(kind) === "regex" : false;
    return (row) => {
      const s = fs(row);
      const needle = fsearch(row);
      if (isRegex) return BigInt(regexAllMatches(compileRegex(needle), s).length);
      if (needle === "") return 0n;
      let n = 0;
      for (let at = s.indexOf(needle); at >= 0; at = s.indexOf(needle, at + 1)) n++;
      return BigInt(n);
    };
  },
};

function base64Bytes(s: string): Buffer | null {
  const t = s.trim();
  if (t === "") return Buffer.alloc(0);
  const buf = Buffer.from(t, "base64");
  return buf.length === 0 ? null : buf;
}

function parseUrl(text: string): Dyn {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return newBag();
  }
  const query = newBag();
  for (const [k, v] of url.searchParams) query[k] = v;
  const bag = newBag();
  bag["Scheme"] = url.protocol.replace(/:$/, "");
  bag["Host"] = url.hostname;
  bag["Port"] = url.port;
  bag["Path"] = url.pathname;
  bag["Username"] = decodeURIComponent(url.username);
  bag["Password"] = decodeURIComponent(url.password);
  bag["Query Parameters"] = query;
  bag["Fragment"] = url.hash.replace(/^#/, "");
  return bag;
}

function parseUrlQuery(text: string): Dyn {
  const query = newBag();
  for (const [k, v] of new URLSearchParams(text.startsWith("?") ? text.slice(1) : text)) query[k] = v;
  const bag = newBag();
  bag["Query Parameters"] = query;
  return bag;
}

function hash(algorithm: string): ScalarFunction {
  return fn1("string", (s) => createHash(algorithm).update(s as string, "utf8").digest("hex"));
}

/**
 * Percent-encoding as .NET's HttpUtility.UrlEncode writes it (the docs' examples): lower-case hex
 * digits, and only letters, digits and - _ . ! * ( ) left as they are.
 */
function urlEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[~']/g, (c) => `%${c.charCodeAt(0).toString(16)}`)
    .replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
}

export const STRING_FUNCTIONS: FunctionTable = {
  strcat,
  strcat_delim: strcatDelim,
  strlen: fn1("string", (s) => BigInt(codePointLength(s as string))),
  tolower: fn1("string", (s) => (s as string).toLowerCase()),
  toupper: fn1("string", (s) => (s as string).toUpperCase()),
  substring: substringFn,
  indexof,
  split,
  trim: trimFn(true, true),
  trim_start: trimFn(true, false),
  trim_end: trimFn(false, true),
  extract,
  extract_all: extractAll,
  replace_regex: replaceRegex,
  replace: replaceLegacy,
  replace_string: fn3("string", "string", "string", (s, a, b) => (a === "" ? s : (s as string).split(a as string).join(b as string))),
  countof,
  reverse: fn1("string", (s) => [...(s as string)].reverse().join("")),
  strrep: {
    build([v, n, d]) {
      const fv = stringArg(v!);
      const fn = argAs(n!, "long");
      const fd = d ? stringArg(d) : () => "";
      return (row) => {
        const times = fn(row) as bigint | null;
        if (times === null) return null;
        return Array.from({ length: Math.max(0, Math.min(Number(times), 1024)) }, () => fv(row)).join(fd(row));
      };
    },
  },
  translate: fn3("string", "string", "string", (from, to, s) => {
    const f = [...(from as string)];
    const t = [...(to as string)];
    return [...(s as string)]
      .map((ch) => {
        const i = f.indexOf(ch);
        if (i < 0) return ch;
        return t.length === 0 ? "" : (t[Math.min(i, t.length - 1)] ?? "");
      })
      .join("");
  }),
  array_strcat: {
    build([arr, delim]) {
      const fa = argAs(arr!, "dynamic");
      const fd = stringArg(delim!);
      return (row) => {
        const a = fa(row);
        return Array.isArray(a) ? a.map((x) => toStringValue(x, "dynamic")).join(fd(row)) : "";
      };
    },
  },
  strcat_array: {
    build([arr, delim]) {
      const fa = argAs(arr!, "dynamic");
      const fd = stringArg(delim!);
      return (row) => {
        const a = fa(row);
        return Array.isArray(a) ? a.map((x) => toStringValue(x, "dynamic")).join(fd(row)) : "";
      };
    },
  },
  base64_decode_tostring: fn1("string", (s) => base64Bytes(s as string)?.toString("utf8") ?? ""),
  base64_encode_tostring: fn1("string", (s) => Buffer.from(s as string, "utf8").toString("base64")),
  base64_encodestring: fn1("string", (s) => Buffer.from(s as string, "utf8").toString("base64")),
  base64_decodestring: fn1("string", (s) => base64Bytes(s as string)?.toString("utf8") ?? ""),
  base64_decode_toarray: fn1("string", (s) => {
    const b = base64Bytes(s as string);
    return b ? [...b] : null;
  }),
  url_decode: fn1("string", (s) => {
    try {
      return decodeURIComponent((s as string).replace(/\+/g, " "));
    } catch {
      return null;
    }
  }),
  url_encode: fn1("string", (s) => urlEncode(s as string).replace(/%20/g, "+")),
  url_encode_component: fn1("string", (s) => urlEncode(s as string)),
  parse_url: fn1("string", (s) => parseUrl(s as string)),
  parse_urlquery: fn1("string", (s) => parseUrlQuery(s as string)),
  hash_md5: hash("md5"),
  hash_sha1: hash("sha1"),
  hash_sha256: hash("sha256"),
  isascii: fn1("string", (s) => /^[\x00-\x7f]*$/.test(s as string)),
  isutf8: fn1("string", () => true),
  make_string: {
    build(args) {
      const fs = args.map((a) => argAs(a, "dynamic"));
      return (row) => {
        let out = "";
        for (const f of fs) {
          const v = f(row);
          const codes = Array.isArray(v) ? v : [v];
          for (const c of codes) if (typeof c === "number") out += String.fromCodePoint(c);
        }
        return out;
      };
    },
  },
  unicode_codepoints_from_string: fn1("string", (s) => [...(s as string)].map((c) => c.codePointAt(0)!)),
};
