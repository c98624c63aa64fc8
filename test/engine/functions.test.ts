/** Built-in scalar functions: cases from the documented examples of each function. */
import { describe, expect, it } from "vitest";
import { rows, value } from "./helpers";

describe("string functions", () => {
  it("strcat, strlen, tolower, toupper, substring, indexof", () => {
    expect(value(`strcat("hello", " ", "world")`)).toBe("hello world");
    expect(value(`strcat_delim("-", "a", "b", 1)`)).toBe("a-b-1");
    expect(value(`strlen("hello")`)).toBe(5);
    expect(value(`tolower("Hello")`)).toBe("hello");
    expect(value(`toupper("hello")`)).toBe("HELLO");
    expect(value(`substring("123456", 1, 3)`)).toBe("234");
    expect(value(`substring("123456", 2)`)).toBe("3456");
    expect(value(`substring("ABCD", 0, 2)`)).toBe("AB");
    expect(value(`indexof("abcdefg", "cde")`)).toBe(2);
    expect(value(`indexof("abcdefg", "cde", 1, 4)`)).toBe(2);
    expect(value(`indexof("abcdefg", "cde", 1, 2)`)).toBe(-1);
    expect(value(`indexof("abcdefg", "cde", 3, 4)`)).toBe(-1);
    expect(value(`indexof("abcdefg", "cde", -5)`)).toBe(2);
    expect(value(`indexof("abcdefg", "z")`)).toBe(-1);
  });

  it("counts positions in code points everywhere: a character outside the BMP is one", () => {
    expect(value(`strlen("😀")`)).toBe(1);
    expect(value(`substring("😀a", 1, 1)`)).toBe("a");
    expect(value(`substring("😀a", 0, 1)`)).toBe("😀");
    expect(value(`indexof("😀a😀b", "b")`)).toBe(3);
    expect(value(`indexof("😀a😀b", "😀", 1)`)).toBe(2);
  });

  it("tostring() of a real writes it as .NET does: E+nn beyond 1E+15, E-nn below 1E-04", () => {
    expect(value(`tostring(1e20)`)).toBe("1E+20");
    expect(value(`tostring(-1e20)`)).toBe("-1E+20");
    expect(value(`tostring(1e-7)`)).toBe("1E-07");
    expect(value(`tostring(0.00001)`)).toBe("1E-05");
    expect(value(`tostring(0.0001)`)).toBe("0.0001");
    expect(value(`tostring(123456789012345.0)`)).toBe("123456789012345");
    expect(value(`tostring(1234567890123456.0)`)).toBe("1.234567890123456E+15");
    expect(value(`tostring(0.1 + 0.2)`)).toBe("0.30000000000000004");
    expect(value(`strcat(2.5e-10)`)).toBe("2.5E-10");
  });

  it("split returns a dynamic array, or one element when asked", () => {
    expect(value(`split("aa_bb", "_")`)).toEqual(["aa", "bb"]);
    expect(value(`split("aaa_bbb_ccc", "_", 1)`)).toEqual(["bbb"]);
    expect(value(`split("", "_")`)).toEqual([""]);
    expect(value(`split("a__b", "_")`)).toEqual(["a", "", "b"]);
    expect(value(`split("aabbcc", "bb")`)).toEqual(["aa", "cc"]);
  });

  it("extract and extract_all use RE2 capture groups", () => {
    expect(value(`extract("x=([0-9.]+)", 1, "hello x=45.6|wo")`)).toBe("45.6");
    expect(value(`extract("x=([0-9.]+)", 1, "hello x=45.6|wo", typeof(real))`)).toBe(45.6);
    expect(value(`extract("x=([0-9.]+)", 1, "no match")`)).toBe("");
    expect(value(`extract_all(@"(\\d+)", "a1b22c333")`)).toEqual(["1", "22", "333"]);
    expect(value(`extract_all(@"(\\w)(\\d)", "a1 b2")`)).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
    expect(value(`extract_all(@"(\\d+)", "none")`)).toBe(null);
  });

  it("trims by regular expression", () => {
    expect(value(`trim("--", "--https://www.ubuntu.com--")`)).toBe("https://www.ubuntu.com");
    expect(value(`trim_start("https://", "https://bing.com")`)).toBe("bing.com");
    expect(value(`trim_end("bing", "microsoft")`)).toBe("microsoft");
    expect(value(`trim(@"\\s+", "  a b  ")`)).toBe("a b");
  });

  it("replaces strings and regular expressions", () => {
    expect(value(`replace_string("A magic trick can turn a cat into a dog", "cat", "hamster")`)).toBe(
      "A magic trick can turn a hamster into a dog",
    );
    expect(value(`replace_regex("Number is 1", @"is (\\d+)", @"was: \\1")`)).toBe("Number was: 1");
    expect(value(`replace(@"cat", "dog", "cat and cat")`)).toBe("dog and dog");
  });

  it("countof counts overlapping plain matches and non-overlapping regex matches", () => {
    expect(value(`countof("aaa", "a")`)).toBe(3);
    expect(value(`countof("aaaa", "aa")`)).toBe(3);
    expect(value(`countof("aaaa", "aa", "regex")`)).toBe(2);
    expect(value(`countof("abcd", "z")`)).toBe(0);
  });

  it("decodes base64 and URLs, parses URLs and hashes", () => {
    expect(value(`base64_decode_tostring("S3VzdG8=")`)).toBe("Kusto");
    expect(value(`base64_encode_tostring("Kusto")`)).toBe("S3VzdG8=");
    expect(value(`url_decode("https%3a%2f%2fwww.bing.com%2f")`)).toBe("https://www.bing.com/");
    expect(value(`parse_url("scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment")`)).toEqual({
      Scheme: "scheme",
      Host: "host",
      Port: "1234",
      Path: "/this/is/a/path",
      Username: "username",
      Password: "password",
      "Query Parameters": { k1: "v1", k2: "v2" },
      Fragment: "fragment",
    });
    expect(value(`parse_urlquery("k1=v1&k2=v2&k3=v3")`)).toEqual({ "Query Parameters": { k1: "v1", k2: "v2", k3: "v3" } });
    expect(value(`hash_md5("World")`)).toBe("f5a7924e621e84c9280a9a27e1bcb7f6");
  });

  it("converts with tostring/toint/tolong/toreal/tobool/todatetime/totimespan/toguid", () => {
    expect(value(`tostring(123)`)).toBe("123");
    expect(value(`toint("123")`)).toBe(123);
    expect(value(`toint(2.9)`)).toBe(2);
    expect(value(`toint("abc")`)).toBe(null);
    expect(value(`tolong("-12")`)).toBe(-12);
    expect(value(`toreal("1.5")`)).toBe(1.5);
    expect(value(`todouble("x")`)).toBe(null);
    expect(value(`tobool("true")`)).toBe(true);
    expect(value(`tobool("false")`)).toBe(false);
    expect(value(`todatetime("2015-12-24")`)).toBe("2015-12-24T00:00:00Z");
    expect(value(`todatetime("2015-12-24T10:01:02.1234567+02:00")`)).toBe("2015-12-24T08:01:02.1234567Z");
    expect(value(`todatetime("not a date")`)).toBe(null);
    expect(value(`totimespan("0.00:01:00")`)).toBe("00:01:00");
    expect(value(`totimespan("1.02:03:04.5")`)).toBe("1.02:03:04.5000000");
    expect(value(`toguid("74be27de-1e4e-49d9-b579-fe0b331d3642")`)).toBe("74be27de-1e4e-49d9-b579-fe0b331d3642");
    expect(value(`tostring(datetime(2024-01-02 03:04:05))`)).toBe("2024-01-02T03:04:05Z");
    expect(value(`tostring(1d)`)).toBe("1.00:00:00");
  });
});

describe("datetime functions", () => {
  it("startof/endof day, week, month and year", () => {
    expect(value(`startofday(datetime(2017-01-01 10:10:17))`)).toBe("2017-01-01T00:00:00Z");
    expect(value(`startofday(datetime(2017-01-01 10:10:17), -1)`)).toBe("2016-12-31T00:00:00Z");
    expect(value(`startofweek(datetime(2017-01-01 10:10:17))`)).toBe("2017-01-01T00:00:00Z");
    expect(value(`startofweek(datetime(2017-01-04 10:10:17))`)).toBe("2017-01-01T00:00:00Z");
    expect(value(`startofmonth(datetime(2017-01-01 10:10:17), 1)`)).toBe("2017-02-01T00:00:00Z");
    expect(value(`startofyear(datetime(2017-06-01 10:10:17))`)).toBe("2017-01-01T00:00:00Z");
    expect(value(`endofday(datetime(2017-01-01 10:10:17))`)).toBe("2017-01-01T23:59:59.9999999Z");
    expect(value(`endofmonth(datetime(2017-02-01 10:10:17))`)).toBe("2017-02-28T23:59:59.9999999Z");
  });

  it("datetime_diff, datetime_add and datetime_part", () => {
    expect(value(`datetime_diff('year', datetime(2017-01-01), datetime(2000-12-31))`)).toBe(17);
    expect(value(`datetime_diff('quarter', datetime(2017-07-01), datetime(2017-03-30))`)).toBe(2);
    expect(value(`datetime_diff('month', datetime(2017-01-01), datetime(2015-12-30))`)).toBe(13);
    expect(value(`datetime_diff('week', datetime(2017-10-29 00:00), datetime(2017-09-30 23:59))`)).toBe(5);
    expect(value(`datetime_diff('day', datetime(2017-10-29 00:00), datetime(2017-09-30 23:59))`)).toBe(29);
    expect(value(`datetime_diff('hour', datetime(2017-10-31 01:00), datetime(2017-10-30 23:59))`)).toBe(2);
    expect(value(`datetime_diff('minute', datetime(2017-10-30 23:05:01), datetime(2017-10-30 23:00:59))`)).toBe(5);
    expect(value(`datetime_diff('second', datetime(2017-10-30 23:00:10.100), datetime(2017-10-30 23:00:00.900))`)).toBe(10);
    expect(value(`datetime_add('month', 1, datetime(2017-01-31))`)).toBe("2017-02-28T00:00:00Z");
    expect(value(`datetime_add('day', -1, datetime(2017-01-01))`)).toBe("2016-12-31T00:00:00Z");
    expect(value(`datetime_part("hour", datetime(2017-10-30 01:02:03))`)).toBe(1);
  });

  it("dayofweek, dayofmonth, hourofday, getmonth, getyear and format_datetime", () => {
    expect(value(`dayofweek(datetime(1947-11-30 10:00:05))`)).toBe("00:00:00");
    expect(value(`dayofweek(datetime(1970-05-11))`)).toBe("1.00:00:00");
    expect(value(`dayofmonth(datetime(2015-12-14))`)).toBe(14);
    expect(value(`hourofday(datetime(2015-12-14 18:54:00))`)).toBe(18);
    expect(value(`getmonth(datetime(2015-10-12))`)).toBe(10);
    expect(value(`getyear(datetime(2015-10-12))`)).toBe(2015);
    expect(value(`format_datetime(datetime(2015-12-14 02:03:04.12345), 'y-M-d h:m:s.fffffff')`)).toBe("15-12-14 2:3:4.1234500");
    expect(value(`format_datetime(datetime(2015-12-14 02:03:04), 'yyyy-MM-dd [HH:mm:ss]')`)).toBe("2015-12-14 [02:03:04]");
    expect(value(`format_timespan(time(14.02:03:04.12345), 'h:m:s.fffffff')`)).toBe("2:3:4.1234500");
    expect(value(`unixtime_seconds_todatetime(1546300800)`)).toBe("2019-01-01T00:00:00Z");
    expect(value(`unixtime_milliseconds_todatetime(1546300800000)`)).toBe("2019-01-01T00:00:00Z");
    expect(value(`make_datetime(2017, 10, 1, 12, 10)`)).toBe("2017-10-01T12:10:00Z");
  });

  it("week_of_year is the ISO 8601 week (the docs' examples), also through datetime_part", () => {
    expect(value(`week_of_year(datetime(2020-12-31))`)).toBe(53);
    expect(value(`week_of_year(datetime(2020-06-15))`)).toBe(25);
    expect(value(`week_of_year(datetime(1970-01-01))`)).toBe(1);
    expect(value(`week_of_year(datetime(2000-01-01))`)).toBe(52);
    expect(value(`week_of_year(datetime(2021-01-04))`)).toBe(1);
    expect(value(`datetime_part("week_of_year", datetime(2020-12-31))`)).toBe(53);
  });
});

describe("dynamic functions", () => {
  it("bag_has_key and bag_remove_keys take JSONPath keys for nested slots (docs' examples)", () => {
    const bags = `datatable(input: dynamic)[dynamic({'key1': 123, 'key2': {'prop1' : 'abc', 'prop2': 'xyz'}}), dynamic({'key1': 123, 'key3': 'abc'})]`;
    expect(
      rows(
        `${bags} | project a = bag_has_key(input, 'key2'), b = bag_has_key(input, '$.key2.prop1'), c = bag_has_key(input, "$['key2']['prop2']"), d = bag_has_key(input, '$.key2.nope')`,
      ),
    ).toEqual([
      { a: true, b: true, c: true, d: false },
      { a: false, b: false, c: false, d: false },
    ]);
    expect(value(`bag_remove_keys(dynamic({'key1' : 123, 'key2': 'abc'}), dynamic(['key2', 'key4']))`)).toEqual({ key1: 123 });
    expect(
      value(
        `bag_remove_keys(dynamic({'key1': 123, 'key2': {'prop1' : 'abc', 'prop2': 'xyz'}, 'key3': [100, 200]}), dynamic(['$.key2.prop1', 'key3']))`,
      ),
    ).toEqual({ key1: 123, key2: { prop2: "xyz" } });
  });

  it("dynamic_to_json sorts property names at every depth", () => {
    expect(value(`dynamic_to_json(dynamic({"b": 1, "a": {"y": 2, "x": [{"d": 1, "c": 2}]}}))`)).toBe(
      '{"a":{"x":[{"c":2,"d":1}],"y":2},"b":1}',
    );
    expect(value(`dynamic_to_json(dynamic({"b":1,"a":2})) == dynamic_to_json(dynamic({"a":2,"b":1}))`)).toBe(true);
  });

  it("array_sort_asc and array_sort_desc: several arrays ordered like the first, nulls last by default (docs' examples)", () => {
    const arrays = `let array1 = dynamic([1,3,4,5,2]); let array2 = dynamic(["a","b","c","d","e"]);`;
    expect(rows(`${arrays} print array_sort_asc(array1, array2)`)).toEqual([
      { array1_sorted: [1, 2, 3, 4, 5], array2_sorted: ["a", "e", "b", "c", "d"] },
    ]);
    expect(rows(`${arrays} print array_sort_desc(array1, array2)`)).toEqual([
      { array1_sorted: [5, 4, 3, 2, 1], array2_sorted: ["d", "c", "b", "e", "a"] },
    ]);
    expect(rows(`${arrays} print (out1, out2) = array_sort_asc(array1, array2)`)).toEqual([
      { out1: [1, 2, 3, 4, 5], out2: ["a", "e", "b", "c", "d"] },
    ]);
    expect(value(`strcat_array(array_sort_asc(split("John,Paul,George,Ringo", ",")), ",")`)).toBe("George,John,Paul,Ringo");
    // numbers before strings; nulls last unless nulls_last is false
    expect(value(`array_sort_asc(dynamic([3, 1, null, "a", 2]))`)).toEqual([1, 2, 3, "a", null]);
    expect(value(`array_sort_asc(dynamic([3, 1, null, "a", 2]), false)`)).toEqual([null, 1, 2, 3, "a"]);
    expect(value(`array_sort_desc(dynamic([3, 1, null, "a", 2]))`)).toEqual(["a", 3, 2, 1, null]);
    // an array whose length differs from the first one's is null
    expect(rows(`print array_sort_asc(dynamic([2, 1]), dynamic([1, 2, 3]))`)).toEqual([{ array0_sorted: [1, 2], array1_sorted: null }]);
    expect(value(`array_sort_asc(dynamic(null))`)).toBe(null);
  });

  it("array and bag functions", () => {
    expect(value(`array_length(dynamic([1, 2, 3, "four"]))`)).toBe(4);
    expect(value(`array_length(parse_json('{"a": 1}'))`)).toBe(null);
    expect(value(`pack_array(1, "a", 2.5)`)).toEqual([1, "a", 2.5]);
    expect(value(`pack("Level", "Information", "Count", 5)`)).toEqual({ Level: "Information", Count: 5 });
    expect(value(`bag_pack("a", 1)`)).toEqual({ a: 1 });
    expect(value(`bag_keys(dynamic({"a": 1, "b": {"c": 2}}))`)).toEqual(["a", "b"]);
    expect(value(`array_concat(dynamic([1, 2]), dynamic([3]))`)).toEqual([1, 2, 3]);
    expect(value(`array_slice(dynamic([1,2,3,4,5]), 1, 3)`)).toEqual([2, 3, 4]);
    expect(value(`array_slice(dynamic([1,2,3,4,5]), -2, -1)`)).toEqual([4, 5]);
    expect(value(`array_index_of(dynamic(["a", "b"]), "b")`)).toBe(1);
    expect(value(`set_has_element(dynamic(["this", "is", "an", "example"]), "example")`)).toBe(true);
    expect(value(`set_has_element(dynamic(["this", "is"]), "test")`)).toBe(false);
    expect(value(`set_union(dynamic([1, 2, 3]), dynamic([3, 4]))`)).toEqual([1, 2, 3, 4]);
    expect(value(`set_intersect(dynamic([1, 2, 3]), dynamic([3, 4, 1]))`)).toEqual([1, 3]);
    expect(value(`set_difference(dynamic([1, 2, 3]), dynamic([3, 4]))`)).toEqual([1, 2]);
    expect(value(`strcat_array(dynamic([1, 2, 3]), "->")`)).toBe("1->2->3");
    expect(value(`bag_merge(dynamic({"a": 1}), dynamic({"a": 2, "b": 3}))`)).toEqual({ a: 1, b: 3 });
    expect(value(`zip(dynamic([1, 2]), dynamic(["a", "b"]))`)).toEqual([
      [1, "a"],
      [2, "b"],
    ]);
  });

  it("pack_all packs the row", () => {
    expect(rows(`datatable(a:string, b:long)["x", 1] | extend all = pack_all()`)).toEqual([{ a: "x", b: 1, all: { a: "x", b: 1 } }]);
  });

  it("parse_xml converts as documented", () => {
    expect(value(`parse_xml("<e name='value'>text</e>")`)).toEqual({ e: { "@name": "value", "#text": "text" } });
    expect(value(`parse_xml("<e><a>text</a><a>text</a></e>")`)).toEqual({ e: { a: ["text", "text"] } });
    expect(value(`parse_xml("not xml")`)).toBe(null);
  });
});

describe("math functions", () => {
  it("round, abs, floor/ceiling, pow, log, max_of/min_of and bitwise functions", () => {
    expect(value(`round(2.98765, 3)`)).toBe(2.988);
    expect(value(`round(2.15, 1)`)).toBe(2.2);
    expect(value(`round(-2.5)`)).toBe(-3);
    expect(value(`abs(-5)`)).toBe(5);
    expect(value(`ceiling(1.1)`)).toBe(2);
    expect(value(`floor(-4.2, 1)`)).toBe(-5);
    expect(value(`pow(2, 3)`)).toBe(8);
    expect(value(`log10(100)`)).toBe(2);
    expect(value(`max_of(10, 1, int(null), 3)`)).toBe(10);
    expect(value(`min_of(10, 1, 3)`)).toBe(1);
    expect(value(`binary_and(6, 3)`)).toBe(2);
    expect(value(`binary_or(6, 3)`)).toBe(7);
    expect(value(`binary_xor(6, 3)`)).toBe(5);
    expect(value(`tohex(256)`)).toBe("100");
  });
});

describe("series functions", () => {
  it("series_fit_line fits a straight line", () => {
    const r = rows(
      `print s = dynamic([2, 4, 6, 8]) | extend (rsquare, slope, variance, rvariance, interception, line_fit) = series_fit_line(s)`,
    )[0]!;
    expect(r["slope"]).toBeCloseTo(2);
    expect(r["interception"]).toBeCloseTo(0);
    expect(r["rsquare"]).toBeCloseTo(1);
    expect(r["line_fit"]).toEqual([2, 4, 6, 8]);
  });

  it("series_decompose_anomalies flags an outlier", () => {
    const r = rows(
      `print s = dynamic([10, 11, 10, 12, 10, 11, 90, 10, 11, 10]) | extend (flag, score, baseline) = series_decompose_anomalies(s)`,
    )[0]!;
    expect(r["flag"]).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
  });
});
