/** Whether a rule's run raises an alert: Sentinel compares the number of result rows with the rule's trigger. */
import type { AlertRuleResource } from "../model/types";

export interface TriggerDecision {
  alert: boolean;
  /** The rule's trigger in words, e.g. "more than 0 rows". */
  trigger: string;
}

export function triggerDecision(rule: AlertRuleResource, rows: number): TriggerDecision {
  // NRT rules have no trigger settings: every result row is an alert.
  if (rule.kind === "NRT") return { alert: rows > 0, trigger: "any row (NRT)" };
  const t = rule.properties.triggerThreshold;
  switch (rule.properties.triggerOperator) {
    case "GreaterThan":
      return { alert: rows > t, trigger: `more than ${t} row${t === 1 ? "" : "s"}` };
    case "LessThan":
      return { alert: rows < t, trigger: `fewer than ${t} row${t === 1 ? "" : "s"}` };
    case "Equal":
      return { alert: rows === t, trigger: `exactly ${t} row${t === 1 ? "" : "s"}` };
    case "NotEqual":
      return { alert: rows !== t, trigger: `other than ${t} row${t === 1 ? "" : "s"}` };
  }
}
