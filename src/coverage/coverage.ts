/**
 * MITRE ATT&CK coverage of the desired state: which tactics and techniques
 * enabled analytics rules detect, and how many rules cover each. Disabled
 * rules and hunting queries do not count: they raise no alerts.
 */
import { ATTACK_TACTICS, tacticsOfTechnique } from "../sentinel/reference";
import type { AlertRuleResource, DesiredResource } from "../model/types";
import { parentTechnique } from "../sentinel/mitre";

export interface CoveredItem {
  id: string;
  /** Enabled rules that cover it, by display name. */
  rules: string[];
}

/** A technique under one tactic, as the ATT&CK matrix shows it. */
export interface CoveredCell {
  technique: string;
  /** Sentinel's tactic name; absent when none of the rule's tactics is one of the technique's. */
  tactic?: string;
  rules: string[];
}

export interface Coverage {
  /** Enabled analytics rules counted. */
  enabledRules: number;
  /** Tactics in ATT&CK order, each with the rules that list it. */
  tactics: CoveredItem[];
  /** Techniques (parent ids), sorted by id. */
  techniques: CoveredItem[];
  /** Each technique under the tactics its rules name for it (a rule's tactics that the technique belongs to). */
  cells: CoveredCell[];
}

const isEnabledRule = (r: DesiredResource): r is AlertRuleResource => r.content === "analyticsRule" && r.properties.enabled;

function add(map: Map<string, string[]>, id: string, rule: string): void {
  const rules = map.get(id) ?? [];
  if (!rules.includes(rule)) rules.push(rule);
  map.set(id, rules);
}

export function coverageOf(resources: readonly DesiredResource[]): Coverage {
  const tactics = new Map<string, string[]>();
  const techniques = new Map<string, string[]>();
  const cells = new Map<string, string[]>();
  let enabledRules = 0;
  for (const r of resources) {
    if (!isEnabledRule(r)) continue;
    enabledRules++;
    const name = r.properties.displayName;
    for (const t of r.properties.tactics) add(tactics, t, name);
    // Parent techniques only: the API keeps sub-techniques for NRT rules alone, so counting them
    // would make coverage depend on the rule kind.
    for (const technique of r.properties.techniques) {
      add(techniques, technique, name);
      const under = enterpriseTacticsOf(technique).filter((t) => r.properties.tactics.includes(t));
      for (const tactic of under.length > 0 ? under : [""]) add(cells, `${technique}\u0000${tactic}`, name);
    }
  }
  const order = (id: string) => {
    const i = ATTACK_TACTICS.indexOf(id);
    return i < 0 ? ATTACK_TACTICS.length : i;
  };
  return {
    enabledRules,
    tactics: [...tactics].map(([id, rules]) => ({ id, rules })).sort((a, b) => order(a.id) - order(b.id) || a.id.localeCompare(b.id)),
    techniques: [...techniques].map(([id, rules]) => ({ id, rules })).sort((a, b) => a.id.localeCompare(b.id)),
    cells: [...cells]
      .map(([key, rules]) => {
        const [technique = "", tactic = ""] = key.split("\u0000");
        return { technique, ...(tactic ? { tactic } : {}), rules };
      })
      .sort((a, b) => a.technique.localeCompare(b.technique) || order(a.tactic ?? "") - order(b.tactic ?? "")),
  };
}

export interface CoverageDelta {
  tacticsGained: string[];
  tacticsLost: string[];
  techniquesGained: string[];
  techniquesLost: string[];
}

export function coverageDelta(before: Coverage, after: Coverage): CoverageDelta {
  const ids = (items: CoveredItem[]) => new Set(items.map((i) => i.id));
  const [tb, ta, qb, qa] = [ids(before.tactics), ids(after.tactics), ids(before.techniques), ids(after.techniques)];
  return {
    tacticsGained: [...ta].filter((t) => !tb.has(t)),
    tacticsLost: [...tb].filter((t) => !ta.has(t)),
    techniquesGained: [...qa].filter((t) => !qb.has(t)).sort(),
    techniquesLost: [...qb].filter((t) => !qa.has(t)).sort(),
  };
}

/** Sentinel's tactic names -> ATT&CK Navigator's short names (`CommandAndControl` -> `command-and-control`). */
export function navigatorTactic(tactic: string): string {
  return tactic.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
}

/** ICS and pre-ATT&CK tactics have no place in the Enterprise matrix. */
export const NON_ENTERPRISE_TACTICS: ReadonlySet<string> = new Set(["PreAttack", "ImpairProcessControl", "InhibitResponseFunction"]);

/** The tactics of a technique (from the validator's table), for the layer's per-tactic cells. */
export function enterpriseTacticsOf(technique: string): string[] {
  return (tacticsOfTechnique(parentTechnique(technique)) ?? []).filter((t) => !NON_ENTERPRISE_TACTICS.has(t));
}
