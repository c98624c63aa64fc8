/**
 * Aggregates over an input without values: the summarize page's table of default values
 * (https://learn.microsoft.com/en-us/kusto/query/summarize-operator, "Default values of
 * aggregations") — 0 for the counting and summing ones, [] for make_*, null for the others.
 */
import { describe, expect, it } from "vitest";
import { rows } from "./helpers";

const EMPTY = "range x from 1 to 10 step 1 | where 1 == 2";

describe("aggregates of an empty input (summarize without by gives one row)", () => {
  it("count, countif, dcount, dcountif, count_distinct, sum, sumif, variance, varianceif, stdev, stdevif are 0", () => {
    const q = `${EMPTY} | summarize c = count(), ci = countif(x > 0), d = dcount(x), di = dcountif(x, x > 0), cd = count_distinct(x),
      s = sum(x), si = sumif(x, x > 0), sr = sum(todouble(x)), v = variance(x), vi = varianceif(x, x > 0), sd = stdev(x), sdi = stdevif(x, x > 0)`;
    expect(rows(q)).toEqual([{ c: 0, ci: 0, d: 0, di: 0, cd: 0, s: 0, si: 0, sr: 0, v: 0, vi: 0, sd: 0, sdi: 0 }]);
  });

  it("make_list, make_list_if, make_set, make_set_if are empty arrays", () => {
    const q = `${EMPTY} | summarize l = make_list(x), li = make_list_if(x, x > 0), s = make_set(x), si = make_set_if(x, x > 0)`;
    expect(rows(q)).toEqual([{ l: [], li: [], s: [], si: [] }]);
  });

  it("every other aggregate is null", () => {
    const q = `${EMPTY} | summarize a = take_any(x), mx = max(x), mn = min(x), av = avg(x), p = percentile(x, 55), vp = variancep(x), sp = stdevp(x)`;
    expect(rows(q)).toEqual([{ a: null, mx: null, mn: null, av: null, p: null, vp: null, sp: null }]);
  });

  it("keeps the 0 when every value is null (nulls are ignored), and gives no row with by", () => {
    expect(rows(`datatable(x:long)[long(null), long(null)] | summarize s = sum(x), c = count(), d = dcount(x)`)).toEqual([
      { s: 0, c: 2, d: 0 },
    ]);
    expect(rows(`${EMPTY} | summarize s = sum(x) by k = x % 2`)).toEqual([]);
  });

  it("an absence rule's threshold sees 0, not null", () => {
    expect(rows(`${EMPTY} | summarize Total = sum(x) | where Total < 5`)).toEqual([{ Total: 0 }]);
  });
});
