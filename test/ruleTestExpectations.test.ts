/**
 * How `includes`/`excludes` entries match result rows, on results the local engine produced:
 * typed columns read the expected value with the column's type; dynamic columns take it as
 * written (a string is not a number, arrays keep their order) unless `{ unordered: [...] }`.
 */
import { describe, expect, it } from "vitest";
import { runQuery, tableToJson } from "../src/engine";
import { checkExpectation, type ResultTable } from "../src/testing/expectations";
import { textTable } from "../src/cli/render/testReport";

function result(query: string): ResultTable {
  const r = runQuery({ now: "2026-11-20T12:00:00Z", text: query });
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join("\n"));
  return tableToJson({ columns: r.columns, rows: r.rows });
}

const includes = (r: ResultTable, entry: Record<string, unknown>) => checkExpectation({ includes: [entry] }, r).length === 0;
const excludes = (r: ResultTable, entry: Record<string, unknown>) => checkExpectation({ excludes: [entry] }, r).length === 0;

describe("includes and excludes on dynamic columns", () => {
  const ports = result(`print Port = split("a:443", ":")[1], N = dynamic(443)`);

  it("matches a dynamic string with the string, never with a number", () => {
    expect(includes(ports, { Port: "443" })).toBe(true);
    expect(includes(ports, { Port: 443 })).toBe(false);
    expect(includes(ports, { N: 443 })).toBe(true);
    expect(includes(ports, { N: "443" })).toBe(false);
  });

  it("does not read the strings 'true' and 'null' as JSON", () => {
    const r = result(`print Flag = dynamic(true), N = dynamic(null)`);
    expect(includes(r, { Flag: "true" })).toBe(false);
    expect(includes(r, { Flag: true })).toBe(true);
    expect(includes(r, { N: "null" })).toBe(false);
    expect(includes(r, { N: null })).toBe(true);
  });

  it("compares arrays in order, unless the test asks for { unordered: [...] }", () => {
    const r = result(`print Parts = split("a@contoso.com", "@")`);
    expect(includes(r, { Parts: ["a", "contoso.com"] })).toBe(true);
    expect(includes(r, { Parts: ["contoso.com", "a"] })).toBe(false);
    expect(excludes(r, { Parts: ["contoso.com", "a"] })).toBe(true);
    expect(includes(r, { Parts: { unordered: ["contoso.com", "a"] } })).toBe(true);
    expect(includes(r, { Parts: { unordered: ["contoso.com"] } })).toBe(false);
    const sets = result(`datatable(c:string)["RU", "NL", "RU"] | summarize Countries = make_set(c)`);
    expect(includes(sets, { Countries: { unordered: ["NL", "RU"] } })).toBe(true);
  });

  it("matches { unordered } elements one to one even when an earlier element could take a later one's match", () => {
    const r = result(`print Pairs = dynamic([[2, 1], [1, 2]])`);
    // The first pattern fits both actual arrays; only the second pattern fixes which it must take.
    expect(includes(r, { Pairs: { unordered: [{ unordered: [1, 2] }, [2, 1]] } })).toBe(true);
    expect(
      includes(r, {
        Pairs: {
          unordered: [
            [2, 1],
            [2, 1],
          ],
        },
      }),
    ).toBe(false);
  });

  it("compares bags key by key, nested values as written", () => {
    const r = result(`print B = dynamic({"city": "Oslo", "geo": {"lat": 59.9, "tags": ["a", "b"]}})`);
    expect(includes(r, { B: { city: "Oslo", geo: { lat: 59.9, tags: ["a", "b"] } } })).toBe(true);
    expect(includes(r, { B: { city: "Oslo", geo: { lat: 59.9, tags: { unordered: ["b", "a"] } } } })).toBe(true);
    expect(includes(r, { B: { city: "Oslo" } })).toBe(false);
  });

  it("still reads typed columns with the column's type", () => {
    const r = result(`print ResultType = "0", Count = 2, T = datetime(2026-11-20 11:30)`);
    expect(includes(r, { ResultType: 0, Count: "2", T: "2026-11-20T11:30:00.0000000Z" })).toBe(true);
    const m = checkExpectation({ includes: [{ Count: { unordered: [2] } }] }, r);
    expect(m[0]?.actual).toContain("is for dynamic columns");
  });

  it("shows the two sides so that a string and a number look different", () => {
    const [m] = checkExpectation({ includes: [{ Port: 443 }] }, ports);
    expect(m?.expected).toBe("a row with { Port: 443 }");
    expect(textTable(m!.rows!, "").join("\n")).toContain('*"443"');
  });
});
