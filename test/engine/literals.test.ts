/**
 * Literals read from Kusto.Language's tree: dynamic(...) in either quote style (the docs' own
 * examples use single quotes) and the special real values.
 */
import { describe, expect, it } from "vitest";
import { rows, value } from "./helpers";

describe("dynamic literals", () => {
  it("reads single-quoted arrays and bags as arrays and bags, not as strings", () => {
    // bag_has_key's documented example: dynamic({'key1' : 123, 'key2': 'abc'})
    expect(value(`dynamic({'key1' : 123, 'key2': 'abc'})`)).toEqual({ key1: 123, key2: "abc" });
    expect(value(`dynamic(['x','y'])`)).toEqual(["x", "y"]);
    expect(value(`array_length(dynamic(['x','y']))`)).toBe(2);
    expect(value(`bag_has_key(dynamic({'key1' : 123, 'key2': 'abc'}), 'key1')`)).toBe(true);
  });

  it("makes single-quoted lists work with in, in~ and !in~", () => {
    expect(value(`"x" in (dynamic(['x','y']))`)).toBe(true);
    expect(
      rows(`let L = dynamic(['Microsoft Office', 'Azure AD Connect']); print x = "azure ad connect" in~ (L), y = "Other" !in~ (L)`),
    ).toEqual([{ x: true, y: true }]);
  });

  it("reads nested bags and arrays, mixed quotes, negative numbers, typed elements and null", () => {
    expect(value(`dynamic({'a': {"b": [1, -2.5, 'c', null, true]}})`)).toEqual({ a: { b: [1, -2.5, "c", null, true] } });
    expect(value(`dynamic([datetime(2020-01-01), 1h])`)).toEqual(["2020-01-01T00:00:00Z", "01:00:00"]);
    expect(value(`dynamic(null)`)).toBe(null);
    expect(value(`isnull(dynamic(null))`)).toBe(true);
    expect(value(`dynamic(5)`)).toBe(5);
    expect(value(`dynamic('text')`)).toBe("text");
    expect(value(`dynamic([])`)).toEqual([]);
    expect(value(`dynamic({})`)).toEqual({});
  });
});

describe("real literals", () => {
  it("reads real(nan), real(+inf) and real(-inf) as NaN and the infinities", () => {
    expect(rows(`print a = real(nan), b = isnan(real(nan)), c = isinf(real(+inf)), d = isinf(real(-inf)), e = real(-inf) < 0`)).toEqual([
      { a: "NaN", b: true, c: true, d: true, e: true },
    ]);
    expect(value(`real(+inf)`)).toBe("Infinity");
    expect(value(`real(-inf)`)).toBe("-Infinity");
    // NaN equals nothing, itself included
    expect(value(`real(nan) == real(nan)`)).toBe(false);
    expect(value(`isnull(real(null))`)).toBe(true);
    expect(value(`real(1.5)`)).toBe(1.5);
  });
});
