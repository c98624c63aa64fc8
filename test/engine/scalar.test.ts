/**
 * Scalar semantics, with cases taken from the facts in the Kusto documentation's examples
 * (null values, numerical and string operators, datetime arithmetic, dynamic values).
 */
import { describe, expect, it } from "vitest";
import { rows, value } from "./helpers";

describe("null values", () => {
  it("compares with null as documented: == gives false against a value, null against null", () => {
    const r = rows(`datatable(val:int)[5, int(null)]
      | extend IsBiggerThan3 = val > 3, IsBiggerThan3OrNull = val > 3 or isnull(val),
               IsEqualToNull = val == int(null), IsNotEqualToNull = val != int(null)`);
    expect(r).toEqual([
      { val: 5, IsBiggerThan3: true, IsBiggerThan3OrNull: true, IsEqualToNull: false, IsNotEqualToNull: true },
      { val: null, IsBiggerThan3: null, IsBiggerThan3OrNull: true, IsEqualToNull: null, IsNotEqualToNull: null },
    ]);
  });

  it("where treats a null predicate as false", () => {
    // null != 5 is true (a null compared with a value), so that row stays
    expect(rows(`datatable(ival:int, sval:string)[5, "a", int(null), "b"] | where ival != 5`)).toEqual([{ ival: null, sval: "b" }]);
    expect(rows(`datatable(ival:int, sval:string)[5, "a", int(null), "b"] | where ival > 1`)).toEqual([{ ival: 5, sval: "a" }]);
    expect(rows(`datatable(ival:int, sval:string)[5, "a", int(null), "b"] | where isnull(ival)`)).toEqual([{ ival: null, sval: "b" }]);
  });

  it("has isnull/isempty on every type: strings are never null, only empty", () => {
    expect(value(`isnull("")`)).toBe(false);
    expect(value(`isempty("")`)).toBe(true);
    expect(value(`isnotempty("a")`)).toBe(true);
    for (const t of ["bool", "int", "long", "real", "datetime", "timespan", "guid", "dynamic", "decimal"]) {
      expect(value(`isnull(${t}(null))`), t).toBe(true);
      expect(value(`isempty(${t}(null))`), t).toBe(true);
      expect(value(`isnotnull(${t}(null))`), t).toBe(false);
    }
    expect(value(`isnull(tostring(dynamic(null)))`)).toBe(false);
    expect(value(`tostring(int(null))`)).toBe("");
  });

  it("uses three-valued logic for and/or", () => {
    expect(value(`bool(null) and false`)).toBe(false);
    expect(value(`bool(null) or true`)).toBe(true);
    expect(value(`bool(null) and true`)).toBe(null);
    expect(value(`not(bool(null))`)).toBe(null);
  });

  it("aggregates skip nulls; count() counts rows", () => {
    expect(
      rows(
        `datatable(x:long)[1, long(null), 3] | summarize count(), sum(x), avg(x), min(x), max(x), dcount(x), make_list(x), countif(x > 1)`,
      ),
    ).toEqual([{ count_: 3, sum_x: 4, avg_x: 2, min_x: 1, max_x: 3, dcount_x: 2, list_x: [1, 3], countif_: 1 }]);
  });
});

describe("numbers", () => {
  it("divides integers with truncation and reals exactly", () => {
    expect(value("1 / 2")).toBe(0);
    expect(value("1.0 / 2")).toBe(0.5);
    expect(value("1 / 2.0")).toBe(0.5);
    expect(value("real(1) / 2")).toBe(0.5);
    expect(value("-7 / 2")).toBe(-3);
    expect(value("7 % 3")).toBe(1);
  });

  it("keeps longs exact to 64 bits", () => {
    expect(value("9223372036854775807")).toBe("9223372036854775807");
    expect(value("tolong('9007199254740993') + 0")).toBe("9007199254740993");
  });

  it("gives the documented result types of arithmetic", () => {
    expect(rows("print a = 1 + 2, b = 1 + 2.5, c = int(1) + int(2)")).toEqual([{ a: 3, b: 3.5, c: 3 }]);
  });
});

describe("string operators", () => {
  it("follows the documented examples", () => {
    const cases: [string, boolean][] = [
      [`"aBc" == "aBc"`, true],
      [`"abc" != "ABC"`, true],
      [`"abc" =~ "ABC"`, true],
      [`"aBc" !~ "xyz"`, true],
      [`"FabriKam" contains "BRik"`, true],
      [`"Fabrikam" !contains "xyz"`, true],
      [`"FabriKam" contains_cs "Kam"`, true],
      [`"Fabrikam" !contains_cs "Kam"`, true],
      [`"Fabrikam" endswith "Kam"`, true],
      [`"Fabrikam" !endswith "brik"`, true],
      [`"Fabrikam" endswith_cs "kam"`, true],
      [`"North America" has "america"`, true],
      [`"North America" !has "amer"`, true],
      [`"North America" has_cs "America"`, true],
      [`"North America" hasprefix "ame"`, true],
      [`"North America" hassuffix "ica"`, true],
      [`"North America" !hasprefix "mer"`, true],
      [`"Fabrikam" startswith "fab"`, true],
      [`"Fabrikam" startswith_cs "Fab"`, true],
      [`"Fabrikam" !startswith_cs "fab"`, true],
      [`"Fabrikam" matches regex "b.*k"`, true],
      [`"North America" has_any ("amer", "america")`, true],
      [`"North America" has_all ("north", "america")`, true],
    ];
    for (const [expr, expected] of cases) expect(value(expr), expr).toBe(expected);
  });

  it("matches has on whole terms only", () => {
    expect(value(`"Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun" has "c1db"`)).toBe(true);
    expect(value(`"KustoExplorerQueryRun" has "Explorer"`)).toBe(false);
    expect(value(`"[ipv4-addr:value = '1.2.3.4']" has "ipv4-addr:value"`)).toBe(true);
  });

  it("uses RE2 syntax for matches regex, including inline flags", () => {
    expect(value(`"ABC" matches regex "(?i)abc"`)).toBe(true);
    expect(value(`"a1" matches regex @"^[[:alpha:]]\\d$"`)).toBe(true);
  });

  it("supports in, !in, in~ and !in~ over literals, dynamic arrays and tables", () => {
    expect(value(`"a" in ("a", "b")`)).toBe(true);
    expect(value(`"A" in ("a", "b")`)).toBe(false);
    expect(value(`"A" in~ ("a", "b")`)).toBe(true);
    expect(value(`"A" !in~ ("a", "b")`)).toBe(false);
    expect(value(`"c" !in ("a", "b")`)).toBe(true);
    expect(value(`"b" in (dynamic(["a", "b"]))`)).toBe(true);
    expect(value(`2 in ((datatable(x:long)[1, 2] | project x))`)).toBe(true);
  });
});

describe("a string compared with a number", () => {
  it("compares the number's text with the string (ResultType == 0 on a string column)", () => {
    const data = `datatable(ResultType:string)["0", "50126", "00", ""]`;
    expect(rows(`${data} | where ResultType == 0`)).toEqual([{ ResultType: "0" }]);
    expect(rows(`${data} | where ResultType != 0 | count`)).toEqual([{ Count: 3 }]);
    expect(rows(`${data} | where ResultType in (0, 50126)`)).toEqual([{ ResultType: "0" }, { ResultType: "50126" }]);
    expect(rows(`${data} | where ResultType == "50126"`)).toEqual([{ ResultType: "50126" }]);
  });
});

describe("datetime and timespan", () => {
  it("datetime arithmetic past 0001-01-01 or 9999-12-31 is null (the datetime type's range)", () => {
    expect(rows(`print a = datetime(9999-12-31) + 2d, b = datetime(0001-01-02) - 2d, c = datetime(2020-01-01) + 1d`)).toEqual([
      { a: null, b: null, c: "2020-01-02T00:00:00Z" },
    ]);
  });

  it("does datetime arithmetic on 100 ns ticks", () => {
    expect(value("datetime(2024-01-01) + 1d")).toBe("2024-01-02T00:00:00Z");
    expect(value("datetime(2024-01-02) - datetime(2024-01-01)")).toBe("1.00:00:00");
    expect(value("datetime(2024-01-01 00:00:00.1234567) + 1tick")).toBe("2024-01-01T00:00:00.1234568Z");
    expect(value("1h / 1m")).toBe(60);
    expect(value("2h * 2")).toBe("04:00:00");
    expect(value("10m / 1s")).toBe(600);
    expect(value("datetime(2024-01-01) < datetime(2024-01-02)")).toBe(true);
  });

  it("pins now() and ago() to the run time", () => {
    expect(value("now()")).toBe("2026-11-20T12:00:00Z");
    expect(value("ago(1h)")).toBe("2026-11-20T11:00:00Z");
    expect(value("now(-2d)")).toBe("2026-11-18T12:00:00Z");
  });

  it("bins numbers, datetimes and timespans as documented", () => {
    expect(value("bin(4.5, 1)")).toBe(4);
    expect(value("bin(time(16d), 7d)")).toBe("14.00:00:00");
    expect(value("bin(datetime(1970-05-11 13:45:07), 1d)")).toBe("1970-05-11T00:00:00Z");
    expect(value("bin(long(-5), 2)")).toBe(-6);
    expect(value("bin(int(null), 5)")).toBe(null);
  });

  it("supports between on numbers and datetimes", () => {
    expect(rows("range x from 1 to 3 step 1 | where x between (2 .. 3)")).toEqual([{ x: 2 }, { x: 3 }]);
    expect(value("(datetime(2024-01-01 12:00) between (datetime(2024-01-01) .. 1d))")).toBe(true);
    expect(value("(5 !between (1 .. 3))")).toBe(true);
  });
});

describe("dynamic values", () => {
  it("reads properties and indexes, negative indexes from the end", () => {
    const d = `dynamic({"a": {"b": [10, 20, 30]}, "c d": "x"})`;
    expect(value(`${d}.a.b[1]`)).toBe(20);
    expect(value(`${d}["a"]["b"][-1]`)).toBe(30);
    expect(value(`${d}["c d"]`)).toBe("x");
    expect(value(`${d}.nokey`)).toBe(null);
    expect(value(`tostring(${d}.a)`)).toBe('{"b":[10,20,30]}');
  });

  it("parses JSON with parse_json/todynamic and keeps non-JSON text as a string", () => {
    expect(value(`parse_json('{"a": 1}').a`)).toBe(1);
    expect(value(`todynamic('[1, "x"]')[1]`)).toBe("x");
    expect(value(`parse_json('not json')`)).toBe("not json");
    expect(value(`parse_json(dynamic({"a": 2})).a`)).toBe(2);
  });
});

describe("conditionals", () => {
  it("evaluates iff, case and coalesce", () => {
    expect(value(`iff(1 > 2, "a", "b")`)).toBe("b");
    expect(value(`iif(true, 1, 2)`)).toBe(1);
    expect(value(`case(1 > 2, "a", 2 > 1, "b", "c")`)).toBe("b");
    expect(value(`case(false, "a", "c")`)).toBe("c");
    expect(value(`coalesce(int(null), 5, 6)`)).toBe(5);
    expect(value(`coalesce("", "x")`)).toBe("x");
    expect(value(`coalesce(int(null), int(null))`)).toBe(null);
  });
});
