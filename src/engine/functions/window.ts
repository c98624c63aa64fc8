/**
 * Window functions over a serialized row set: row_number() and prev(). They keep state between
 * rows, so they rely on the operator calling them once per row in order (extend, project).
 */
import { argAs, type FunctionTable } from "./types";
import type { Value } from "../values/types";
import { NO_ROW } from "../eval/context";

export const WINDOW_FUNCTIONS: FunctionTable = {
  /** row_number([StartingIndex [, Restart]]): counts rows from StartingIndex (1), back to it on a row where Restart is true. */
  row_number: {
    volatile: true,
    build([start, restart]) {
      const first = start ? Number(argAs(start, "long")(NO_ROW) ?? 1n) : 1;
      const again = restart ? argAs(restart, "bool") : undefined;
      let n = first - 1;
      return (row) => {
        if (again?.(row) === true) n = first - 1;
        return BigInt(++n);
      };
    },
  },
  prev: {
    volatile: true,
    build([column, offset, fallback], site) {
      const f = argAs(column!, site.resultType);
      const back = offset ? Number(argAs(offset, "long")(NO_ROW) ?? 1n) : 1;
      const otherwise = fallback ? argAs(fallback, site.resultType) : () => null;
      const history: Value[] = [];
      return (row) => {
        const out = history.length >= back ? history[history.length - back]! : otherwise(row);
        history.push(f(row));
        if (history.length > back) history.shift();
        return out;
      };
    },
  },
};
