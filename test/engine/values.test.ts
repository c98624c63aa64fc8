/** Value conversions at the engine's edges: JSON rows in, JSON out, datetime and timespan text. */
import { describe, expect, it } from "vitest";
import { InputError, KqlEngine, rowsFromObjects, tableToJson, valueFromJson, valueToJson } from "../../src/engine";
import { formatDatetime, parseDatetime } from "../../src/engine/values/datetime";
import { formatTimespan, parseTimespan } from "../../src/engine/values/timespan";

describe("datetime and timespan text", () => {
  it("reads ISO-8601 to 100 ns, with or without an offset (none means UTC), and RFC 822 with a zone", () => {
    expect(formatDatetime(parseDatetime("2026-11-20T11:30:00.1234567Z")!)).toBe("2026-11-20T11:30:00.1234567Z");
    expect(formatDatetime(parseDatetime("2026-11-20 11:30")!)).toBe("2026-11-20T11:30:00Z");
    expect(formatDatetime(parseDatetime("2026-11-20T13:30:00+02:00")!)).toBe("2026-11-20T11:30:00Z");
    expect(formatDatetime(parseDatetime("Sat, 8 Nov 2014 15:05:02 GMT")!)).toBe("2014-11-08T15:05:02Z");
    // the invariant culture's month-first form, as todatetime() reads it (the parse operator's example)
    expect(formatDatetime(parseDatetime("02/17/2016 08:40:01")!)).toBe("2016-02-17T08:40:01Z");
    expect(formatDatetime(parseDatetime("2/7/2016")!)).toBe("2016-02-07T00:00:00Z");
    expect(formatDatetime(parseDatetime("12/31/2016 23:59:59.1234567")!)).toBe("2016-12-31T23:59:59.1234567Z");
    expect(parseDatetime("02/30/2016")).toBe(null);
    expect(parseDatetime("13/01/2016")).toBe(null);
    // the UTC shapes read without Temporal: same answers as Temporal, invalid dates refused
    expect(formatDatetime(parseDatetime("2026-11-20T12:00:00Z")!)).toBe("2026-11-20T12:00:00Z");
    expect(formatDatetime(parseDatetime("2026-11-20 11:30:00.1234567")!)).toBe("2026-11-20T11:30:00.1234567Z");
    expect(formatDatetime(parseDatetime("2016-02-29")!)).toBe("2016-02-29T00:00:00Z");
    expect(formatDatetime(parseDatetime("0050-01-01")!)).toBe("0050-01-01T00:00:00Z");
    expect(parseDatetime("2026-02-29")).toBe(null);
    expect(parseDatetime("2026-13-01")).toBe(null);
    expect(parseDatetime("not a date")).toBe(null);
    expect(parseDatetime("")).toBe(null);
  });

  it("reads and writes timespans as [-][d.]hh:mm:ss[.fffffff]", () => {
    expect(formatTimespan(parseTimespan("1.02:03:04.5")!)).toBe("1.02:03:04.5000000");
    expect(formatTimespan(parseTimespan("-00:00:01.25")!)).toBe("-00:00:01.2500000");
    expect(formatTimespan(parseTimespan("00:10:00")!)).toBe("00:10:00");
    expect(parseTimespan("ten minutes")).toBe(null);
  });
});

describe("input rows", () => {
  it("converts JSON-ish values to each column's type", () => {
    expect(valueFromJson("42", "long")).toBe(42n);
    expect(valueFromJson(42, "int")).toBe(42);
    expect(valueFromJson("1.5", "real")).toBe(1.5);
    expect(valueFromJson("TRUE", "bool")).toBe(true);
    expect(valueFromJson(new Date("2026-01-01T00:00:00Z"), "datetime")).toBe(parseDatetime("2026-01-01T00:00:00Z"));
    expect(valueFromJson('{"a":1}', "dynamic")).toEqual({ a: 1 });
    expect(valueFromJson({ a: [1] }, "dynamic")).toEqual({ a: [1] });
    expect(valueFromJson(7, "string")).toBe("7");
    expect(valueFromJson(undefined, "string")).toBe("");
    expect(valueFromJson(null, "long")).toBe(null);
    expect(valueFromJson("74BE27DE-1E4E-49D9-B579-FE0B331D3642", "guid")).toBe("74be27de-1e4e-49d9-b579-fe0b331d3642");
  });

  it("rejects values that do not fit, naming the row and the column", () => {
    expect(() => valueFromJson(1.5, "long")).toThrow(InputError);
    expect(() => valueFromJson("9223372036854775808", "long")).toThrow("does not fit in a long");
    expect(() => valueFromJson(3000000000, "int")).toThrow("does not fit in an int");
    expect(() => valueFromJson("yes", "bool")).toThrow("is not true or false");
    expect(() => rowsFromObjects([{ a: 1 }, { a: "x" }], [{ name: "a", type: "long" }], "table T")).toThrow(
      'table T, row 2, column a (long): "x" is not an integer',
    );
  });
});

describe("output", () => {
  it("writes datetimes as ISO-8601 UTC, timespans as text, longs as numbers and dynamic as JSON", () => {
    expect(valueToJson(parseDatetime("2026-11-20T11:30:00Z"), "datetime")).toBe("2026-11-20T11:30:00Z");
    expect(valueToJson(36_000_000_000n, "timespan")).toBe("01:00:00");
    expect(valueToJson(5n, "long")).toBe(5);
    expect(valueToJson(2n ** 62n, "long")).toBe("4611686018427387904");
    expect(valueToJson({ a: [1, "x"] }, "dynamic")).toEqual({ a: [1, "x"] });
    expect(valueToJson(NaN, "real")).toBe("NaN");
  });

  it("turns a result into {columns, rows} with one object per row", () => {
    const engine = new KqlEngine({ tables: [] });
    const r = engine.run(`print n = 1, t = datetime(2026-01-01), d = dynamic({"k": 2})`, { now: "2026-01-02T00:00:00Z" });
    expect(r.ok && tableToJson(r)).toEqual({
      columns: [
        { name: "n", type: "long" },
        { name: "t", type: "datetime" },
        { name: "d", type: "dynamic" },
      ],
      rows: [{ n: 1, t: "2026-01-01T00:00:00Z", d: { k: 2 } }],
    });
  });
});
