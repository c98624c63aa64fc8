/**
 * Bounds on one run (docs/engine.md, "Limits"): rows per operator, make-series cells and run
 * time. Passing one is a runtime problem naming the operator, its line and the limit; the
 * limits can be lowered per run, which these tests do to stay fast.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/engine";
import { problems, rows } from "./helpers";

describe("engine limits", () => {
  it("defaults to 10 million rows per operator, 10 million make-series cells and 60 s per run", () => {
    expect(DEFAULT_LIMITS).toEqual({ maxRows: 10_000_000, maxSeriesCells: 10_000_000, timeoutMs: 60_000 });
  });

  it("stops a join whose output passes the row limit (a cross product on a constant key), naming join and its line", () => {
    const text = `range x from 1 to 100 step 1 | extend k = 1\n| join kind=inner (range y from 1 to 100 step 1 | extend k = 1) on k\n| count`;
    expect(rows(text, { limits: { maxRows: 10_000 } })).toEqual([{ Count: 10_000 }]);
    const [p] = problems(text, { limits: { maxRows: 9_999 } });
    expect(p).toMatchObject({ kind: "runtime", line: 2 });
    expect(p!.message).toBe(`join produces more than 9,999 rows, the local engine's limit for one operator (docs/engine.md, "Limits")`);
  });

  it("stops mv-expand, range and union at the row limit", () => {
    const limits = { maxRows: 1_000 };
    expect(
      problems(`range x from 1 to 100 step 1 | extend b = dynamic([1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]) | mv-expand b`, {
        limits,
      })[0]!.message,
    ).toMatch(/^mv-expand produces more than 1,000 rows/);
    expect(problems(`range x from 1 to 5000 step 1`, { limits })[0]!.message).toMatch(/^range produces more than 1,000 rows/);
    expect(problems(`union (range x from 1 to 600 step 1), (range x from 1 to 600 step 1)`, { limits })[0]!.message).toMatch(
      /^`union` produces more than 1,000 rows/,
    );
  });

  it("refuses a make-series with more bins than the cell limit before building any", () => {
    const text = `print t = datetime(2010-01-01) | make-series c = count() on t from datetime(2010-01-01) to datetime(2024-01-02) step 1s`;
    const [p] = problems(text);
    expect(p!.message).toBe(
      `make-series would build 441,849,600 bins, more than 10,000,000, the local engine's limit (docs/engine.md, "Limits"); use a larger step or a shorter range`,
    );
    expect(
      rows(
        `print t = datetime(2010-01-01) | make-series c = count() on t from datetime(2010-01-01) to datetime(2010-01-02) step 1h | project n = array_length(c)`,
      ),
    ).toEqual([{ n: 24 }]);
  });

  it("stops a run that passes its deadline", () => {
    const text = `range x from 1 to 300000 step 1 | extend s = strcat("a", x) | summarize count() by s | count`;
    expect(problems(text, { limits: { timeoutMs: 1 } })[0]!.message).toBe(
      `the query ran longer than 0.001 s, the local engine's time limit (docs/engine.md, "Limits")`,
    );
  });
});
