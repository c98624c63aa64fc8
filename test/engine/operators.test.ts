/** Tabular operators: cases from the documented examples plus empty-input and schema edge cases. */
import { describe, expect, it } from "vitest";
import { columns, problems, rows, table } from "./helpers";

const sales = `datatable(Region:string, Item:string, Amount:long, When:datetime)[
  "East", "pen", 10, datetime(2024-01-01 10:00),
  "East", "ink", 5, datetime(2024-01-01 11:30),
  "West", "pen", 7, datetime(2024-01-02 09:15),
  "West", "pen", 3, datetime(2024-01-02 22:00),
]`;

describe("where, extend, project", () => {
  it("filters, adds and replaces columns in place", () => {
    expect(rows(`${sales} | where Amount > 5 | extend Double = Amount * 2, Amount = Amount + 1 | project Region, Amount, Double`)).toEqual([
      { Region: "East", Amount: 11, Double: 20 },
      { Region: "West", Amount: 8, Double: 14 },
    ]);
  });

  it("names unnamed columns as Kusto does", () => {
    expect(columns(`${sales} | extend strlen(Item), Amount * 2 | project-away When`)).toEqual([
      "Region:string",
      "Item:string",
      "Amount:long",
      "strlen_Item:long",
      "Column1:long",
    ]);
  });

  it("project-away, project-keep, project-rename and project-reorder, with wildcards", () => {
    expect(columns(`${sales} | project-away Am*, When`)).toEqual(["Region:string", "Item:string"]);
    expect(columns(`${sales} | project-keep *e*`)).toEqual(["Region:string", "Item:string", "When:datetime"]);
    expect(columns(`${sales} | project-rename Zone = Region`)).toEqual(["Zone:string", "Item:string", "Amount:long", "When:datetime"]);
    expect(columns(`${sales} | project-reorder When, Amount`)).toEqual(["When:datetime", "Amount:long", "Region:string", "Item:string"]);
  });

  it("keeps the schema of an empty input", () => {
    expect(rows(`${sales} | where Amount > 100 | extend x = 1`)).toEqual([]);
    expect(columns(`${sales} | where Amount > 100 | extend x = 1`)).toEqual([
      "Region:string",
      "Item:string",
      "Amount:long",
      "When:datetime",
      "x:long",
    ]);
  });
});

describe("summarize", () => {
  it("names outputs like Kusto: count_, the bin column after its column, set_, by columns first", () => {
    const text = `${sales} | summarize count(), make_set(Item), sum(Amount) by bin(When, 1d)`;
    expect(columns(text)).toEqual(["When:datetime", "count_:long", "set_Item:dynamic", "sum_Amount:long"]);
    const r = rows(text);
    expect(r).toHaveLength(2);
    expect(r.find((x) => x["When"] === "2024-01-01T00:00:00Z")).toMatchObject({ count_: 2, sum_Amount: 15 });
    expect((r.find((x) => x["When"] === "2024-01-02T00:00:00Z")!["set_Item"] as string[]).sort()).toEqual(["pen"]);
  });

  it("arg_max(x, *) keeps the row with the largest x, without repeating the by column", () => {
    const text = `${sales} | summarize arg_max(Amount, *) by Region`;
    expect(columns(text)).toEqual(["Region:string", "Amount:long", "Item:string", "When:datetime"]);
    expect(rows(`${text} | order by Region asc`)).toEqual([
      { Region: "East", Amount: 10, Item: "pen", When: "2024-01-01T10:00:00Z" },
      { Region: "West", Amount: 7, Item: "pen", When: "2024-01-02T09:15:00Z" },
    ]);
    expect(rows(`${sales} | summarize arg_min(Amount, Item) by Region | order by Region asc`)).toEqual([
      { Region: "East", Amount: 5, Item: "ink" },
      { Region: "West", Amount: 3, Item: "pen" },
    ]);
  });

  it("dcount, countif, min/max/avg, make_list, make_bag, take_any", () => {
    const r = rows(
      `${sales} | summarize dcount(Item), countif(Amount > 5), min(When), max(Amount), avg(Amount), make_list(Amount), make_bag(pack(Item, Amount)), take_any(Region)`,
    )[0]!;
    expect(r).toMatchObject({ dcount_Item: 2, countif_: 2, min_When: "2024-01-01T10:00:00Z", max_Amount: 10, avg_Amount: 6.25 });
    expect((r["list_Amount"] as number[]).sort()).toEqual([10, 3, 5, 7].sort());
    expect(Object.keys(r["bag_"] as object).sort()).toEqual(["ink", "pen"]);
  });

  it("gives one row of empty aggregates for an empty input without by, none with by", () => {
    expect(rows(`${sales} | where false | summarize count(), make_set(Item), max(Amount)`)).toEqual([
      { count_: 0, set_Item: [], max_Amount: null },
    ]);
    expect(rows(`${sales} | where false | summarize count() by Region`)).toEqual([]);
  });

  it("computes expressions over aggregates", () => {
    expect(rows(`${sales} | summarize Span = max(When) - min(When), Ratio = sum(Amount) * 1.0 / count()`)).toEqual([
      { Span: "1.12:00:00", Ratio: 6.25 },
    ]);
  });

  it("make_set of an array column collects the elements", () => {
    expect(
      (
        rows(`print a = dynamic(["x", "y"]) | union (print a = dynamic(["y", "z"])) | summarize s = make_set(a)`)[0]!["s"] as string[]
      ).sort(),
    ).toEqual(["x", "y", "z"]);
  });
});

describe("join", () => {
  const left = `datatable(k:string, l:long)["a", 1, "a", 2, "b", 3, "c", 4]`;
  const right = `datatable(k:string, r:long)["a", 10, "b", 20, "b", 21, "d", 40]`;

  it("defaults to innerunique: one left row per key", () => {
    const r = rows(`${left} | join (${right}) on k`);
    expect(r.map((x) => `${x["k"]}${x["r"]}`).sort()).toEqual(["a10", "b20", "b21"]);
    expect(columns(`${left} | join (${right}) on k`)).toEqual(["k:string", "l:long", "k1:string", "r:long"]);
  });

  it("supports the other kinds", () => {
    expect(rows(`${left} | join kind=inner (${right}) on k`)).toHaveLength(4);
    expect(rows(`${left} | join kind=leftouter (${right}) on k | where isnull(r) | project k`)).toEqual([{ k: "c" }]);
    expect(rows(`${left} | join kind=rightouter (${right}) on k | where isnull(l) | project k1`)).toEqual([{ k1: "d" }]);
    expect(rows(`${left} | join kind=fullouter (${right}) on k`)).toHaveLength(6);
    expect(rows(`${left} | join kind=leftanti (${right}) on k`)).toEqual([{ k: "c", l: 4 }]);
    expect(rows(`${left} | join kind=leftsemi (${right}) on k`)).toHaveLength(3);
    expect(rows(`${left} | join kind=rightanti (${right}) on k`)).toEqual([{ k: "d", r: 40 }]);
    // strings cannot be null: the missing side's string columns are empty
    expect(rows(`${left} | join kind=leftouter (${right}) on k | where l == 4 | project k1, r`)).toEqual([{ k1: "", r: null }]);
    expect(rows(`${left} | join kind=rightsemi (${right}) on k`)).toHaveLength(3);
  });

  it("joins on $left/$right columns of different names", () => {
    expect(rows(`${left} | join kind=inner (${right} | project key = k, r) on $left.k == $right.key | where r == 40`)).toEqual([]);
    expect(rows(`${left} | join kind=inner (${right} | project key = k, r) on $left.k == $right.key`)).toHaveLength(4);
  });

  it("does not match null keys", () => {
    expect(rows(`datatable(k:long)[long(null), 1] | join kind=inner (datatable(k:long)[long(null), 1]) on k`)).toEqual([{ k: 1, k1: 1 }]);
  });

  it("lookup adds the dimension's columns without repeating the key", () => {
    expect(columns(`${left} | lookup (${right} | summarize r = max(r) by k) on k`)).toEqual(["k:string", "l:long", "r:long"]);
  });
});

describe("union", () => {
  it("merges columns by name and adds withsource", () => {
    const text = `union withsource=Source (datatable(a:long)[1]), (datatable(a:long, b:string)[2, "x"])`;
    expect(columns(text)).toEqual(["Source:string", "a:long", "b:string"]);
    expect(rows(text).map((r) => r["b"])).toEqual(["", "x"]);
  });

  it("skips tables that do not exist when isfuzzy=true", () => {
    expect(rows(`union isfuzzy=true (datatable(a:long)[1]), (NoSuchTable_CL)`)).toEqual([{ a: 1 }]);
  });

  it("follows Kusto.Language's columns where it merges a name of two types into one", () => {
    // two types for `a`: suffixed columns; but with the int twice Kusto.Language keeps one int column
    expect(columns(`union (datatable(a:int)[1]), (datatable(a:string)["x"])`)).toEqual(["a_int:int", "a_string:string"]);
    const text = `union (datatable(a:int)[1]), (datatable(a:int)[2]), (datatable(a:string)["7"])`;
    expect(columns(text)).toEqual(["a:int"]);
    expect(rows(text)).toEqual([{ a: 1 }, { a: 2 }, { a: 7 }]);
  });
});

describe("mv-expand", () => {
  it("expands arrays in parallel and bags into single-key bags", () => {
    expect(
      rows(`datatable(a:int, b:dynamic, c:dynamic)[1, dynamic({"prop1":"a1", "prop2":"b1"}), dynamic([5, 4, 3])] | mv-expand b, c`),
    ).toEqual([
      { a: 1, b: { prop1: "a1" }, c: 5 },
      { a: 1, b: { prop2: "b1" }, c: 4 },
      { a: 1, b: null, c: 3 },
    ]);
  });

  it("gives one row for null, none for an empty array, and casts with to typeof()", () => {
    expect(rows(`datatable(a:int, b:dynamic)[1, dynamic(null), 2, dynamic([]), 3, dynamic(["7"])] | mv-expand b`)).toEqual([
      { a: 1, b: null },
      { a: 3, b: "7" },
    ]);
    expect(rows(`print a = dynamic([1, "x"]) | mv-expand a to typeof(long)`)).toEqual([{ a: 1 }, { a: null }]);
    // cast, not conversion: elements of another kind are null (docs)
    expect(rows(`print a = dynamic(["1", 2, "x", 2.5]) | mv-expand a to typeof(long)`)).toEqual([
      { a: null },
      { a: 2 },
      { a: null },
      { a: null },
    ]);
    expect(rows(`print a = dynamic(["1", 2, "x"]) | mv-expand a to typeof(string)`)).toEqual([{ a: "1" }, { a: null }, { a: "x" }]);
    expect(rows(`print a = dynamic(["true", 1, true]) | mv-expand a to typeof(bool)`)).toEqual([{ a: null }, { a: null }, { a: true }]);
    expect(rows(`print a = dynamic(["1", 2, 2.5]) | mv-expand a to typeof(real)`)).toEqual([{ a: null }, { a: 2 }, { a: 2.5 }]);
    expect(rows(`print a = dynamic(["x", "y"]) | mv-expand with_itemindex=i a`)).toEqual([
      { a: "x", i: 0 },
      { a: "y", i: 1 },
    ]);
  });

  it("mv-apply runs the subquery per row", () => {
    expect(
      rows(
        `datatable(id:long, l:dynamic)[1, dynamic([1, 5, 3]), 2, dynamic([2])] | mv-apply e = l to typeof(long) on (top 1 by e) | project id, e`,
      ),
    ).toEqual([
      { id: 1, e: 5 },
      { id: 2, e: 2 },
    ]);
  });
});

describe("parse", () => {
  it("extracts columns between literals, typed when declared", () => {
    const text = `print s = "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=23)"
      | parse s with "Event: " name " (resourceName=" resource ", totalSlices=" total:long * "sliceNumber=" slice:long ")"`;
    expect(rows(text)).toEqual([
      {
        s: "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=23)",
        name: "NotifySliceRelease",
        resource: "PipelineScheduler",
        total: 27,
        slice: 23,
      },
    ]);
  });

  it("reads the documented example in full, month-first dates included", () => {
    const text = `datatable(s:string)["Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01, previousLockTime=02/17/2016 08:39:01)"]
      | parse s with * "resourceName=" resourceName ", totalSlices=" totalSlices:long * "sliceNumber=" sliceNumber:long * "lockTime=" lockTime ", releaseTime=" releaseTime:date "," * "previousLockTime=" previousLockTime:date ")" *
      | project-away s`;
    expect(rows(text)).toEqual([
      {
        resourceName: "PipelineScheduler",
        totalSlices: 27,
        sliceNumber: 23,
        lockTime: "02/17/2016 08:40:01",
        releaseTime: "2016-02-17T08:40:01Z",
        previousLockTime: "2016-02-17T08:39:01Z",
      },
    ]);
  });

  it("leaves columns empty when the text does not match; parse-where drops the row", () => {
    expect(rows(`print s = "nothing" | parse s with "x=" x:long`)).toEqual([{ s: "nothing", x: null }]);
    expect(rows(`print s = "nothing" | parse-where s with "x=" x:long`)).toEqual([]);
    expect(rows(`print s = "id=42" | parse kind=regex s with @"id=" v:long`)).toEqual([{ s: "id=42", v: 42 }]);
  });
});

describe("sort, top, take, distinct, count", () => {
  it("sorts descending by default with nulls last, ascending with nulls first", () => {
    expect(rows(`datatable(x:long)[2, long(null), 3] | sort by x`).map((r) => r["x"])).toEqual([3, 2, null]);
    expect(rows(`datatable(x:long)[2, long(null), 3] | order by x asc`).map((r) => r["x"])).toEqual([null, 2, 3]);
    expect(rows(`datatable(x:long)[2, long(null), 3] | order by x asc nulls last`).map((r) => r["x"])).toEqual([2, 3, null]);
  });

  it("top, take, distinct and count", () => {
    expect(rows(`${sales} | top 2 by Amount | project Amount`)).toEqual([{ Amount: 10 }, { Amount: 7 }]);
    expect(rows(`${sales} | take 1`)).toHaveLength(1);
    expect(rows(`${sales} | distinct Region | order by Region asc`)).toEqual([{ Region: "East" }, { Region: "West" }]);
    expect(rows(`${sales} | count`)).toEqual([{ Count: 4 }]);
  });
});

describe("as", () => {
  it("binds its name for the rest of the query (hint.materialized too) and names union's source", () => {
    // the docs' examples
    expect(rows(`range x from 1 to 2 step 1 | as T1 | union withsource=TableName (range x from 1 to 2 step 1 | as T2)`)).toEqual([
      { TableName: "T1", x: 1 },
      { TableName: "T1", x: 2 },
      { TableName: "T2", x: 1 },
      { TableName: "T2", x: 2 },
    ]);
    expect(
      rows(
        `datatable(TimeGenerated:datetime, v:long)[datetime(2026-11-20 11:00), 1] | as hint.materialized=true X | join (X) on v | project v, v1`,
      ),
    ).toEqual([{ v: 1, v1: 1 }]);
    expect(rows(`range x from 1 to 3 step 1 | as X | where x > 2 | union (X | where x == 1) | order by x asc`)).toEqual([
      { x: 1 },
      { x: 3 },
    ]);
  });
});

describe("let, toscalar, materialize, invoke, datatable, print", () => {
  it("binds scalars, tables and functions with parameters and defaults", () => {
    expect(
      rows(`let threshold = 5;
        let big = (T:(Amount:long), min:long = 6) { T | where Amount >= min };
        let Sales = ${sales};
        Sales | invoke big() | where Amount > threshold | project Amount`),
    ).toEqual([{ Amount: 10 }, { Amount: 7 }]);
    expect(rows(`let f = (x:long) { x * 2 }; print v = f(21)`)).toEqual([{ v: 42 }]);
    expect(rows(`let g = () { datatable(a:long)[1] }; g | count`)).toEqual([{ Count: 1 }]);
  });

  it("toscalar and materialize", () => {
    expect(rows(`let m = toscalar(${sales} | summarize max(Amount)); print v = m`)).toEqual([{ v: 10 }]);
    expect(rows(`let t = materialize(${sales} | where Region == "West"); t | union t | count`)).toEqual([{ Count: 4 }]);
    expect(rows(`print v = toscalar(datatable(a:long)[] | summarize make_set(a))`)).toEqual([{ v: [] }]);
  });

  it("bag_unpack: the docs' examples, typed slots, prefix, columnsConflict and ignoredProperties by name", () => {
    const people = `datatable(d:dynamic)[dynamic({"Name": "John", "Age":20}), dynamic({"Name": "Dave", "Age":40}), dynamic({"Name": "Jasmine", "Age":30})]`;
    expect(columns(`${people} | evaluate bag_unpack(d)`)).toEqual(["Age:long", "Name:string"]);
    expect(rows(`${people} | evaluate bag_unpack(d)`)).toEqual([
      { Age: 20, Name: "John" },
      { Age: 40, Name: "Dave" },
      { Age: 30, Name: "Jasmine" },
    ]);
    expect(columns(`${people} | evaluate bag_unpack(d, 'Property_')`)).toEqual(["Property_Age:long", "Property_Name:string"]);
    // a named argument is not the prefix
    expect(rows(`datatable(d:dynamic)[dynamic({"a":1})] | evaluate bag_unpack(d, columnsConflict='replace_source')`)).toEqual([{ a: 1 }]);
    const clash = `datatable(d:dynamic, a:long)[dynamic({"a":1}), 5]`;
    expect(rows(`${clash} | evaluate bag_unpack(d, columnsConflict='keep_source')`)).toEqual([{ a: 5 }]);
    expect(rows(`${clash} | evaluate bag_unpack(d, columnsConflict='replace_source')`)).toEqual([{ a: 1 }]);
    expect(problems(`${clash} | evaluate bag_unpack(d)`)[0]!.message).toMatch(/^bag_unpack: the slot 'a' would repeat an existing column/);
    expect(
      rows(`datatable(d:dynamic)[dynamic({"Name": "John", "Address": "x"})] | evaluate bag_unpack(d, ignoredProperties="Address")`),
    ).toEqual([{ Name: "John" }]);
    // values of different kinds in one slot: dynamic
    expect(columns(`datatable(d:dynamic)[dynamic({"v": 1}), dynamic({"v": "x"})] | evaluate bag_unpack(d)`)).toEqual(["v:dynamic"]);
  });

  it("bag_unpack and pivot", () => {
    expect(rows(`print d = dynamic({"a": 1, "b": "x"}) | evaluate bag_unpack(d)`)).toEqual([{ a: 1, b: "x" }]);
    expect(rows(`${sales} | evaluate pivot(Item, count(), Region) | order by Region asc`)).toEqual([
      { Region: "East", ink: 1, pen: 1 },
      { Region: "West", ink: 0, pen: 2 },
    ]);
    expect(rows(`${sales} | where Region == "East" | evaluate pivot(Item, sum(Amount), Region)`)).toEqual([
      { Region: "East", ink: 5, pen: 10 },
    ]);
  });
});

describe("make-series", () => {
  it("fills empty bins with the default and returns the axis", () => {
    const text = `${sales} | make-series Total = sum(Amount) default = 0 on When from datetime(2024-01-01) to datetime(2024-01-04) step 1d by Region | order by Region asc`;
    expect(rows(text)).toEqual([
      { Region: "East", Total: [15, 0, 0], When: ["2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z"] },
      { Region: "West", Total: [0, 10, 0], When: ["2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z"] },
    ]);
  });
});

describe("large inputs", () => {
  it("make-series without from/to over 300,000 rows finds the axis' ends without overflowing the stack", () => {
    const text = `range x from 1 to 300000 step 1 | extend t = datetime(2024-01-01) + x * 1s | make-series c = count() on t step 1d | project n = array_length(c), total = array_sum(c)`;
    // 300,000 s after 2024-01-01 is 2024-01-04 11:20: four daily bins
    expect(rows(text)).toEqual([{ n: 4, total: 300000 }]);
  });

  it("ipv4_is_in_any_range takes a list of 300,000 ranges", () => {
    const text = `range x from 1 to 300000 step 1 | summarize L = make_list(strcat("10.", x % 250, ".0.0/16")) | project r = ipv4_is_in_any_range("10.7.1.1", L), s = ipv4_is_in_any_range("11.0.0.1", L)`;
    expect(rows(text)).toEqual([{ r: true, s: false }]);
  });
});

describe("tables given as rows", () => {
  it("reads typed rows against the table's schema", () => {
    const r = rows(`T | where n > 1 | project s, n, t`, {
      tables: {
        T: table(
          [
            ["s", "string"],
            ["n", "long"],
            ["t", "datetime"],
          ],
          [
            { s: "a", n: 1, t: "2024-01-01T00:00:00Z" },
            { s: "b", n: 2, t: "2024-01-02T00:00:00.1234567Z" },
          ],
        ),
      },
    });
    expect(r).toEqual([{ s: "b", n: 2, t: "2024-01-02T00:00:00.1234567Z" }]);
  });
});
