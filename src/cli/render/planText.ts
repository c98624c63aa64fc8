/** The human-readable plan: resources by type in dependency order, diagnostics by file, a summary. */
import { printable } from "../../util/printable";
import { compareDiagnostics, countDiagnostics, type Diagnostic } from "../../diagnostics/diagnostic";
import { formatCounts, formatDiagnostic } from "../../diagnostics/format";
import { formatDurationShort } from "../../sentinel/duration";
import type { DesiredResource, DesiredState } from "../../model/types";

const ITEMS_SHOWN = 10;

function uses(r: DesiredResource, byKey: Map<string, DesiredResource>): string {
  const names = r.dependsOn
    .map((k) => byKey.get(k))
    .filter((d): d is DesiredResource => d !== undefined && d.content !== "watchlistItem")
    .map((d) => `${d.content === "function" ? "function" : "watchlist"} ${d.name}`);
  return names.length > 0 ? `  uses ${names.join(", ")}` : "";
}

export interface PlanSummary {
  watchlists: number;
  watchlistItems: number;
  functions: number;
  analyticsRules: number;
  enabledRules: number;
  nrtRules: number;
  huntingQueries: number;
  resources: number;
  errors: number;
  warnings: number;
  info: number;
}

export function summarizePlan(state: DesiredState): PlanSummary {
  const count = (c: DesiredResource["content"]) => state.resources.filter((r) => r.content === c).length;
  const rules = state.resources.filter((r) => r.content === "analyticsRule");
  const d = countDiagnostics(state.diagnostics);
  return {
    watchlists: count("watchlist"),
    watchlistItems: count("watchlistItem"),
    functions: count("function"),
    analyticsRules: rules.length,
    enabledRules: rules.filter((r) => r.properties.enabled).length,
    nrtRules: rules.filter((r) => r.kind === "NRT").length,
    huntingQueries: count("huntingQuery"),
    resources: state.resources.length,
    errors: d.error,
    warnings: d.warning,
    info: d.info,
  };
}

export function renderPlanText(state: DesiredState, contentDir: string, stack?: string): string {
  const lines: string[] = [];
  const byKey = new Map(state.resources.map((r) => [r.key, r]));
  const of = <C extends DesiredResource["content"]>(c: C) =>
    state.resources.filter((r): r is Extract<DesiredResource, { content: C }> => r.content === c);
  lines.push(`Sentinel content plan: ${contentDir || "."}${stack ? ` (stack ${stack})` : ""}`, "");

  const watchlists = of("watchlist");
  const items = of("watchlistItem");
  if (watchlists.length > 0) {
    lines.push(`Watchlists (${watchlists.length}) - Microsoft.SecurityInsights/watchlists`);
    for (const w of watchlists) {
      const own = items.filter((i) => i.content === "watchlistItem" && i.watchlistKey === w.key);
      lines.push(
        `  ${w.name}  "${w.properties.displayName}"  search key ${w.properties.itemsSearchKey}  ${own.length} item${own.length === 1 ? "" : "s"}  [${w.origin.file}]`,
      );
      for (const i of own.slice(0, ITEMS_SHOWN)) {
        lines.push(`    item ${i.name}  ${w.properties.itemsSearchKey}=${i.properties.itemsKeyValue[w.properties.itemsSearchKey] ?? ""}`);
      }
      if (own.length > ITEMS_SHOWN) lines.push(`    ... and ${own.length - ITEMS_SHOWN} more items (see --format json)`);
    }
    lines.push("");
  }
  const functions = of("function");
  if (functions.length > 0) {
    lines.push(`Functions (${functions.length}) - Microsoft.OperationalInsights/workspaces/savedSearches`);
    for (const f of functions) {
      lines.push(
        `  ${f.properties.functionAlias}(${f.properties.functionParameters ?? ""})  category ${f.properties.category}${uses(f, byKey)}  [${f.origin.file}]`,
      );
    }
    lines.push("");
  }
  const rules = of("analyticsRule");
  if (rules.length > 0) {
    lines.push(`Analytics rules (${rules.length}) - Microsoft.SecurityInsights/alertRules`);
    for (const r of rules) {
      const schedule =
        r.kind === "Scheduled"
          ? `every ${formatDurationShort(r.schedule.queryFrequency)} over ${formatDurationShort(r.schedule.queryPeriod)}`
          : "near-real-time";
      lines.push(
        `  ${r.name}  ${r.kind}  ${r.properties.severity}  ${r.properties.enabled ? "enabled" : "disabled"}  ${schedule}  "${r.properties.displayName}"${uses(r, byKey)}  [${r.origin.file}]`,
      );
    }
    lines.push("");
  }
  const hunting = of("huntingQuery");
  if (hunting.length > 0) {
    lines.push(`Hunting queries (${hunting.length}) - Microsoft.OperationalInsights/workspaces/savedSearches`);
    for (const h of hunting) {
      const tactics = h.properties.tags?.find((t) => t.name === "tactics")?.value;
      lines.push(`  ${h.name}  "${h.properties.displayName}"${tactics ? `  tactics ${tactics}` : ""}${uses(h, byKey)}  [${h.origin.file}]`);
    }
    lines.push("");
  }
  if (state.resources.length === 0) lines.push("No resources.", "");

  if (state.diagnostics.length > 0) {
    lines.push("Diagnostics:");
    let file: string | undefined;
    for (const d of [...state.diagnostics].sort(compareDiagnostics)) {
      if (d.file !== file) {
        file = d.file;
        lines.push(`  ${file}`);
      }
      lines.push(indent(formatDiagnostic(d as Diagnostic, contentDir || undefined), "    "));
    }
    lines.push("");
  }
  const s = summarizePlan(state);
  lines.push(
    `Summary: ${s.watchlists} watchlist(s) with ${s.watchlistItems} item(s), ${s.functions} function(s), ` +
      `${s.analyticsRules} analytics rule(s) (${s.enabledRules} enabled), ${s.huntingQueries} hunting quer${s.huntingQueries === 1 ? "y" : "ies"}: ` +
      `${s.resources} resources. ${formatCounts(state.diagnostics)}.`,
  );
  if (s.errors > 0) lines.push("Not deployable: fix the errors above.");
  return printable(`${lines.join("\n")}\n`);
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((l) => prefix + l)
    .join("\n");
}
