/** The check that runs before evaluation: bind errors and unsupported features, by name and line. */
import { describe, expect, it } from "vitest";
import { problems, rows, table } from "./helpers";

describe("checking before running", () => {
  it("reports every unsupported operator and function with its line, and runs nothing", () => {
    const p = problems(`datatable(a:string)["x"]
| extend g = geo_info_from_ip_address("1.2.3.4")
| evaluate autocluster()
| extend c = zlib_compress_to_base64_string(a)`);
    expect(p.map((x) => [x.kind, x.message])).toEqual([
      ["unsupported", "the local engine does not support `geo_info_from_ip_address()` (line 2)"],
      ["unsupported", "the local engine does not support `evaluate autocluster()` (line 3)"],
      ["unsupported", "the local engine does not support `zlib_compress_to_base64_string()` (line 4)"],
    ]);
    expect(p[1]).toMatchObject({ line: 3, column: 3 });
  });

  it("reports each place an unsupported function is used, once per line, and a local function's at its declaration", () => {
    expect(
      problems(`print a = geo_info_from_ip_address("1.1.1.1")\n| extend b = geo_info_from_ip_address("2.2.2.2")`).map((x) => x.message),
    ).toEqual([
      "the local engine does not support `geo_info_from_ip_address()` (line 1)",
      "the local engine does not support `geo_info_from_ip_address()` (line 2)",
    ]);
    const local = `let f = (x:string) { geo_info_from_ip_address(x) };\nprint a = f("1")\n| extend b = f("2"), c = geo_info_from_ip_address("3")`;
    expect(problems(local).map((x) => x.message)).toEqual([
      "the local engine does not support `geo_info_from_ip_address()` (line 1)",
      "the local engine does not support `geo_info_from_ip_address()` (line 3)",
    ]);
  });

  it("refuses a call that passes optional arguments the engine does not implement, instead of ignoring them", () => {
    expect(problems(`print a = array_index_of(dynamic([1, 2, 1]), 1, 1)`).map((x) => x.message)).toEqual([
      "the local engine does not support `array_index_of()` with 3 arguments (it implements the first 2) (line 1)",
    ]);
    expect(problems(`print a = series_decompose_anomalies(dynamic([1, 2, 3, 4]), 1.5, -1, "avg", 2)`)[0]!.message).toBe(
      "the local engine does not support the Test_points argument of `series_decompose_anomalies()` (only its default, 0) (line 1)",
    );
    expect(rows(`print a = array_index_of(dynamic([1, 2, 1]), 2)`)).toEqual([{ a: 1 }]);
  });

  it("reports unsupported operators by keyword", () => {
    expect(problems(`datatable(a:long)[1] | fork (take 1) (take 2)`).map((x) => x.message)).toEqual([
      "the local engine does not support `fork` (line 1)",
    ]);
  });

  it("reports bind errors with line and column and stops", () => {
    const p = problems(`datatable(a:long)[1]\n| where b > 1\n| extend c = nosuchfunction(a)`);
    expect(p.map((x) => [x.kind, x.code, x.line, x.column])).toEqual([
      ["bind", "KS142", 2, 9],
      ["bind", "KS211", 3, 14],
    ]);
    expect(p[0]!.message).toContain("'b'");
  });

  it("names a table the environment does not define", () => {
    const p = problems(`NoSuchTable | take 1`);
    expect(p[0]).toMatchObject({ kind: "bind", code: "KS204" });
    expect(p[0]!.message).toContain("NoSuchTable");
  });

  it("reports a value that does not fit its column, naming table, row and column", () => {
    const p = problems(`T | take 1`, { tables: { T: table([["n", "long"]], [{ n: 1 }, { n: "x" }]) } });
    expect(p).toEqual([{ kind: "input", message: 'table T, row 2, column n (long): "x" is not an integer', line: 0, column: 0 }]);
    expect(problems(`T | take 1`, { tables: { T: table([["t", "datetime"]], [{ t: "yesterday" }]) } })[0]!.message).toContain(
      "row 1, column t (datetime)",
    );
    expect(problems(`T | take 1`, { tables: { T: table([["t", "datetime"]], [{ u: 1 }]) } })[0]!.message).toBe(
      "table T, row 1: there is no column 'u'",
    );
  });

  it("accepts a query whose every feature is supported", () => {
    expect(rows(`datatable(a:long)[1, 2] | summarize count()`)).toEqual([{ count_: 2 }]);
  });
});
