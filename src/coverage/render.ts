/** Coverage as an ATT&CK Navigator layer (JSON) and as a Markdown table. */
import { ATTACK_TACTICS } from "../sentinel/reference";
import { markdownText } from "../util/markdown";
import { navigatorTactic, NON_ENTERPRISE_TACTICS, type Coverage } from "./coverage";

/** ATT&CK Navigator layer file format 4.5 (mitre-attack/attack-navigator, layers/LAYERFORMATv4_5.md). */
export interface NavigatorLayer {
  name: string;
  versions: { layer: string; navigator: string };
  domain: "enterprise-attack";
  description: string;
  sorting: number;
  techniques: {
    techniqueID: string;
    tactic?: string;
    score: number;
    comment: string;
    enabled: boolean;
    metadata: { name: string; value: string }[];
    showSubtechniques: boolean;
  }[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: { label: string; color: string }[];
  selectTechniquesAcrossTactics: boolean;
}

export function navigatorLayer(coverage: Coverage, label: string): NavigatorLayer {
  const max = Math.max(1, ...coverage.cells.map((c) => c.rules.length));
  return {
    name: `Sentinel detections: ${label}`,
    versions: { layer: "4.5", navigator: "5.1.0" },
    domain: "enterprise-attack",
    description: `Techniques detected by the ${coverage.enabledRules} enabled analytics rules of ${label} (sentinel-iac coverage). Score: the number of rules.`,
    // Sort by score, highest first.
    sorting: 3,
    techniques: coverage.cells.map((c) => ({
      techniqueID: c.technique,
      ...(c.tactic ? { tactic: navigatorTactic(c.tactic) } : {}),
      score: c.rules.length,
      comment: c.rules.join("; "),
      enabled: true,
      metadata: c.rules.map((rule) => ({ name: "rule", value: rule })),
      showSubtechniques: false,
    })),
    gradient: { colors: ["#d7f0c5", "#2e8540"], minValue: 1, maxValue: max },
    legendItems: [
      { label: "detected by 1 rule", color: "#d7f0c5" },
      { label: `detected by ${max} rule(s)`, color: "#2e8540" },
    ],
    selectTechniquesAcrossTactics: false,
  };
}

/** Tactics in ATT&CK order with their rule counts and techniques; tactics without rules are listed too. */
export function coverageMarkdown(coverage: Coverage, label: string): string {
  const lines = [
    `### ATT&CK coverage: ${markdownText(label)}`,
    "",
    `${coverage.enabledRules} enabled analytics rule(s) cover ${coverage.tactics.length} tactic(s) and ${coverage.techniques.length} technique(s).`,
    "",
    "| tactic | rules | techniques |",
    "| --- | ---: | --- |",
  ];
  const byTactic = new Map(coverage.tactics.map((t) => [t.id, t.rules.length]));
  for (const tactic of [...ATTACK_TACTICS, ...coverage.tactics.map((t) => t.id).filter((t) => !ATTACK_TACTICS.includes(t))]) {
    const techniques = [...new Set(coverage.cells.filter((c) => c.tactic === tactic).map((c) => c.technique))];
    const rules = byTactic.get(tactic) ?? 0;
    if (rules === 0 && techniques.length === 0 && NON_ENTERPRISE_TACTICS.has(tactic)) continue;
    lines.push(`| ${markdownText(tactic)} | ${rules === 0 ? "**0**" : rules} | ${markdownText(techniques.join(", ")) || "—"} |`);
  }
  const unplaced = [...new Set(coverage.cells.filter((c) => c.tactic === undefined).map((c) => c.technique))];
  if (unplaced.length > 0)
    lines.push("", `Techniques listed without a matching tactic on their rule: ${markdownText(unplaced.join(", "))}.`);
  return `${lines.join("\n")}\n`;
}
