/**
 * Bounds on one run, so that a typo in a tests file or a hostile query cannot take a CI agent
 * down: rows an operator may produce, bins a make-series may build, and the run's duration.
 * Passing one is an EvaluationError that names the operator (and so its line) and the limit.
 */
import type { KSyntaxNode } from "../kusto/syntax";
import { EvaluationError, type RunBudget } from "./context";

export interface EngineLimits {
  /** Rows one operator may produce (range, join, mv-expand, union, ...). */
  maxRows: number;
  /** Cells (bins × series) one make-series may build. */
  maxSeriesCells: number;
  /** How long one run may take, in milliseconds; checked between operators and inside long loops. */
  timeoutMs: number;
}

export const DEFAULT_LIMITS: EngineLimits = { maxRows: 10_000_000, maxSeriesCells: 10_000_000, timeoutMs: 60_000 };

/** How often (in loop iterations) long loops look at the clock. */
const CLOCK_EVERY = 0x3fff;

const count = (n: number) => n.toLocaleString("en-US");

export class Budget implements RunBudget {
  private ticks = 0;
  private readonly deadline: number;

  constructor(readonly limits: EngineLimits) {
    this.deadline = Date.now() + limits.timeoutMs;
  }

  /** Throws when `what` (an operator; a function when naming it costs time) has produced more rows than the limit. */
  rows(n: number, what: string | (() => string), node: KSyntaxNode | undefined): void {
    if (n > this.limits.maxRows)
      throw new EvaluationError(
        `${typeof what === "string" ? what : what()} produces more than ${count(this.limits.maxRows)} rows, the local engine's limit for one operator (docs/engine.md, "Limits")`,
        node,
      );
  }

  /** Throws when a make-series would build more cells than the limit. */
  seriesCells(n: number, node: KSyntaxNode | undefined): void {
    if (n > this.limits.maxSeriesCells)
      throw new EvaluationError(
        `make-series would build ${count(n)} bins, more than ${count(this.limits.maxSeriesCells)}, the local engine's limit (docs/engine.md, "Limits"); use a larger step or a shorter range`,
        node,
      );
  }

  /** Throws when the run is past its deadline. */
  time(node: KSyntaxNode | undefined): void {
    if (Date.now() > this.deadline)
      throw new EvaluationError(
        `the query ran longer than ${this.limits.timeoutMs / 1000} s, the local engine's time limit (docs/engine.md, "Limits")`,
        node,
      );
  }

  /** For long loops: looks at the clock every few thousand calls. */
  tick(node: KSyntaxNode | undefined): void {
    if ((++this.ticks & CLOCK_EVERY) === 0) this.time(node);
  }
}
