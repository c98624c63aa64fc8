/**
 * One case (at least) for every scalar function and aggregate the engine registers, from the
 * Kusto documentation's examples where it gives them, and a guard that fails when a function is
 * registered without a case in test/engine/. Families with their own files (functions, scalar,
 * ip, aggregates, literals) hold most cases; this file holds the rest.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SCALAR_FUNCTIONS } from "../../src/engine/functions/registry";
import { AGGREGATE_NAMES } from "../../src/engine/aggregates/aggregates";
import { rows, value } from "./helpers";

/** [expression, expected JSON value] */
type Case = [string, unknown];

const SCALAR_CASES: Record<string, Case[]> = {
  conversion: [
    [`todecimal("123.45678")`, 123.45678],
    [`toboolean("true")`, true],
    [`toboolean("false")`, false],
    [`totime("1.00:00:00")`, "1.00:00:00"],
    [`toobject('{"a": 1}')`, { a: 1 }],
    [`parsejson('[1, "x"]')`, [1, "x"]],
    // gettype's documented table
    [`gettype("a")`, "string"],
    [`gettype(111)`, "long"],
    [`gettype(1 == 1)`, "bool"],
    [`gettype(now())`, "datetime"],
    [`gettype(1s)`, "timespan"],
    [`gettype(parse_json('1'))`, "int"],
    [`gettype(parse_json(' "abc" '))`, "string"],
    [`gettype(parse_json(' {"abc":1} '))`, "dictionary"],
    [`gettype(parse_json(' [1, 2, 3] '))`, "array"],
    [`gettype(123.45)`, "real"],
    [`gettype(guid(12e8b78d-55b4-46ae-b068-26d7a0080254))`, "guid"],
    [`gettype(parse_json(''))`, "null"],
  ],
  strings: [
    [`reverse("ABCD")`, "DCBA"],
    [`strrep("ABC", 3)`, "ABCABCABC"],
    [`strrep("ABC", 2, ".")`, "ABC.ABC"],
    [`translate("krasp", "otsku", "spark")`, "kusto"],
    [`translate("abc", "x", "abc")`, "xxx"],
    [`array_strcat(dynamic([1, 2, 3]), "->")`, "1->2->3"],
    [`base64_encodestring("Kusto")`, "S3VzdG8="],
    [`base64_decodestring("S3VzdG8=")`, "Kusto"],
    [`base64_decode_toarray("S3VzdG8=")`, [75, 117, 115, 116, 111]],
    [`url_encode("https://www.bing.com/hello world")`, "https%3a%2f%2fwww.bing.com%2fhello+world"],
    [`url_encode_component("https://www.bing.com/hello world")`, "https%3a%2f%2fwww.bing.com%2fhello%20world"],
    [`hash_sha1("World")`, "70c07ec18ef89c5309bbb0937f3a6342411e1fdd"],
    [`hash_sha256("World")`, "78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524"],
    [`isascii("some ascii text")`, true],
    [`isascii("Ä")`, false],
    [`isutf8("some text")`, true],
    [`make_string(75, 117, 115, 116, 111)`, "Kusto"],
    [`make_string(dynamic([75, 117, 115, 116, 111]))`, "Kusto"],
    [`unicode_codepoints_from_string("KQL")`, [75, 81, 76]],
  ],
  math: [
    [`bin_at(6.5, 2.5, 7)`, 4.5],
    [`bin_at(time(1h), 1d, 12h)`, "-12:00:00"],
    [`bin_at(datetime(2017-05-15 10:20:00.0), 1d, datetime(1970-01-01 12:00:00.0))`, "2017-05-14T12:00:00Z"],
    [`bin_at(datetime(2017-05-17 10:20:00.0), 7d, datetime(2017-06-04 00:00:00.0))`, "2017-05-14T00:00:00Z"],
    [`exp(1)`, Math.E],
    [`exp2(3)`, 8],
    [`exp10(2)`, 100],
    [`log(1)`, 0],
    [`log2(8)`, 3],
    [`sqrt(4)`, 2],
    [`sign(-42)`, -1],
    [`sign(0)`, 0],
    [`sign(11.2)`, 1],
    [`isfinite(1.0 / 0.0)`, false],
    [`isfinite(1.5)`, true],
    [`pi()`, Math.PI],
    [`binary_not(100)`, -101],
    [`binary_shift_left(1, 2)`, 4],
    [`binary_shift_right(16, 2)`, 4],
  ],
  datetime: [
    [`endofweek(datetime(2017-01-01 10:10:17))`, "2017-01-07T23:59:59.9999999Z"],
    [`endofyear(datetime(2017-01-01 10:10:17))`, "2017-12-31T23:59:59.9999999Z"],
    [`datepart("Day", datetime(2015-12-14))`, 14],
    [`dayofyear(datetime(2015-12-14))`, 348],
    [`monthofyear(datetime(2015-12-14))`, 12],
    [`weekofyear(datetime(2020-12-31))`, 53],
    [`unixtime_microseconds_todatetime(1546300800000000)`, "2019-01-01T00:00:00Z"],
    [`unixtime_nanoseconds_todatetime(1546300800000000000)`, "2019-01-01T00:00:00Z"],
    [`make_timespan(12, 30, 55)`, "12:30:55"],
    [`make_timespan(1, 12, 30, 55)`, "1.12:30:55"],
  ],
  dynamic: [
    [`pack_dictionary("a", 1, "b", "x")`, { a: 1, b: "x" }],
    [`array_reverse(dynamic(["this", "is", "an", "example"]))`, ["example", "an", "is", "this"]],
  ],
  commandLine: [
    // the docs' example, then CommandLineToArgvW's quoting and backslash rules
    [`parse_command_line("echo \\"hello world!\\"", "windows")`, ["echo", "hello world!"]],
    [`parse_command_line("cmd.exe  /c   whoami", "windows")`, ["cmd.exe", "/c", "whoami"]],
    [
      `parse_command_line(@"""C:\\Program Files\\x.exe"" -a ""b c"" d\\""e f\\\\""g h"" i\\\\\\j", "windows")`,
      ["C:\\Program Files\\x.exe", "-a", "b c", 'd"e', "f\\g h", "i\\\\\\j"],
    ],
    [`parse_command_line("", "windows")`, []],
  ],
  ip: [
    [`has_any_ipv4_prefix("this is 127.0.0.1", dynamic(["127.0.", "192.168."]))`, true],
    [`has_any_ipv4_prefix("This is a test", dynamic(["127.0.", "192.168."]))`, false],
  ],
};

describe("scalar functions without a case elsewhere", () => {
  for (const [family, cases] of Object.entries(SCALAR_CASES))
    it(family, () => {
      for (const [expr, expected] of cases) expect(value(expr), expr).toEqual(expected);
    });

  it("column_ifexists and prev over a serialized table", () => {
    expect(
      rows(
        `range x from 1 to 3 step 1 | serialize | extend p = prev(x), q = prev(x, 2, -1), c = column_ifexists("x", 0), d = column_ifexists("nope", "dflt"), e = columnifexists("nope", 7)`,
      ),
    ).toEqual([
      { x: 1, p: null, q: -1, c: 1, d: "dflt", e: 7 },
      { x: 2, p: 1, q: -1, c: 2, d: "dflt", e: 7 },
      { x: 3, p: 2, q: 1, c: 3, d: "dflt", e: 7 },
    ]);
  });

  it("row_number with a start and a restart condition (the docs' example)", () => {
    const text = `datatable (Airport:string, Airline:string, Departures:long)["TLV", "LH", 1, "TLV", "LY", 100, "SEA", "LH", 1, "SEA", "BA", 2, "SEA", "LY", 0]
      | sort by Airport asc, Departures desc
      | extend Rank = row_number(1, prev(Airport) != Airport)
      | project Airport, Airline, Rank`;
    expect(rows(text)).toEqual([
      { Airport: "SEA", Airline: "BA", Rank: 1 },
      { Airport: "SEA", Airline: "LH", Rank: 2 },
      { Airport: "SEA", Airline: "LY", Rank: 3 },
      { Airport: "TLV", Airline: "LY", Rank: 1 },
      { Airport: "TLV", Airline: "LH", Rank: 2 },
    ]);
  });

  it("series_decompose with a period: the seasonal median per phase first, then the trend of the rest (the docs' order)", () => {
    // phase 0: 1, 2, 3, 2 (median 2); phase 1: 10, 11, 12, 11 (median 11); the rest averages 0
    expect(rows(`print (baseline, seasonal, trend, residual) = series_decompose(dynamic([1, 10, 2, 11, 3, 12, 2, 11]), 2)`)).toEqual([
      {
        baseline: [2, 11, 2, 11, 2, 11, 2, 11],
        seasonal: [2, 11, 2, 11, 2, 11, 2, 11],
        trend: [0, 0, 0, 0, 0, 0, 0, 0],
        residual: [-1, -1, 0, 0, 1, 1, 0, 0],
      },
    ]);
  });

  it("series_decompose: the avg trend (the default) and no seasonality for a straight line", () => {
    expect(rows(`print (baseline, seasonal, trend, residual) = series_decompose(dynamic([1, 2, 3, 4, 5, 6]))`)).toEqual([
      {
        baseline: [3.5, 3.5, 3.5, 3.5, 3.5, 3.5],
        seasonal: [0, 0, 0, 0, 0, 0],
        trend: [3.5, 3.5, 3.5, 3.5, 3.5, 3.5],
        residual: [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5],
      },
    ]);
  });
});

describe("aggregates without a case elsewhere", () => {
  it("the -if forms, the deprecated aliases, weighted percentiles and make_list_with_nulls", () => {
    const t = `datatable(x:long, w:long)[1, 1, 2, 1, 3, 1, 4, 1, 5, 6]`;
    expect(
      rows(`${t} | summarize a = count_distinctif(x, x > 1), b = minif(x, x > 1), c = maxif(x, x < 5), d = avgif(x, x > 3), e = makeset(x), f = makelist(x),
        g = make_bag_if(bag_pack(tostring(x), w), x > 4), h = any(x), i = take_anyif(x, x > 4), j = anyif(x, x > 4)`),
    ).toEqual([{ a: 4, b: 2, c: 4, d: 4.5, e: [1, 2, 3, 4, 5], f: [1, 2, 3, 4, 5], g: { "5": 6 }, h: 1, i: 5, j: 5 }]);
    // nearest rank: 50% of 5 values is the 3rd, 90% the 5th; weighted, 50% of weight 10 falls in the value of weight 6
    expect(rows(`${t} | summarize percentiles(x, 50, 90)`)).toEqual([{ percentile_x_50: 3, percentile_x_90: 5 }]);
    expect(rows(`${t} | summarize p = percentilew(x, w, 50)`)).toEqual([{ p: 5 }]);
    expect(rows(`${t} | summarize percentilesw(x, w, 10, 50)`)).toEqual([{ percentile_x_10: 1, percentile_x_50: 5 }]);
    expect(rows(`datatable(x:long)[1, long(null), 3] | summarize a = make_list_with_nulls(x), b = make_list(x)`)).toEqual([
      { a: [1, null, 3], b: [1, 3] },
    ]);
  });
});

describe("coverage guard", () => {
  const dir = __dirname;
  const text = readdirSync(dir)
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => readFileSync(join(dir, f), "utf8"))
    .join("\n");
  const called = (name: string) => new RegExp(`\\b${name}\\s*\\(`).test(text);

  it("every registered scalar function is called by some engine test", () => {
    expect([...SCALAR_FUNCTIONS.keys()].filter((n) => !called(n))).toEqual([]);
  });

  it("every registered aggregate is called by some engine test", () => {
    expect([...AGGREGATE_NAMES].filter((n) => !called(n))).toEqual([]);
  });
});
