/**
 * What a change does to the SOC's detections: the desired state at the base
 * commit against the working tree, resource by resource, with the changes
 * that weaken detection called out first.
 *
 * It reuses the live diff's comparison (the base is presented as if it were a
 * workspace), so "changed" means the same here as in `diff`.
 */
import { compareWorkspace, type FieldChange, type ResourceDrift } from "../diff/compare";
import { desiredAsLive } from "../diff/asLive";
import { coverageDelta, coverageOf, type Coverage, type CoverageDelta } from "../coverage/coverage";
import { formatDurationShort, parseDuration } from "../sentinel/duration";
import type { Diagnostic } from "../diagnostics/diagnostic";
import type { DesiredResource, DesiredState, RetiredDetection } from "../model/types";
import { SEVERITIES } from "../sentinel/reference";
import { coveredAddresses, parseIpRangeEntry, type IpRange } from "../util/ipRange";
import type { Finding, FindingSeverity } from "./finding";
import { checkRemovals, detectionName, type RemovalCheck } from "./removals";

export type { Finding, FindingSeverity } from "./finding";

export interface ResourceChange {
  kind: ResourceDrift["kind"];
  name: string;
  displayName?: string;
  file?: string;
  change: "added" | "removed" | "changed";
  fields: FieldChange[];
}

export interface WatchlistRowChanges {
  alias: string;
  added: string[];
  removed: string[];
  changed: string[];
  /** For lists of IP addresses/ranges: how many addresses the added and removed rows cover. */
  addressesAdded?: bigint;
  addressesRemoved?: bigint;
  /** Treated as an exclusion list (its name says so, or it holds IP entries). */
  exclusionList: boolean;
}

export interface ChangeSummary {
  base: { ref: string; commit: string };
  findings: Finding[];
  rules: ResourceChange[];
  huntingQueries: ResourceChange[];
  functions: ResourceChange[];
  watchlists: ResourceChange[];
  watchlistRows: WatchlistRowChanges[];
  coverage: { before: Coverage; after: Coverage; delta: CoverageDelta };
  /** Removals retired.yaml acknowledges; `leaves` is the stack a detection leaves (absent: every workspace). */
  retired: (RetiredDetection & { kind: string; displayName?: string; file?: string; leaves?: string })[];
  /** Errors in the working tree's content. */
  errors: Diagnostic[];
}

const SEVERITY_RANK = new Map<string, number>(SEVERITIES.map((s, i) => [s.toLowerCase(), i]));
const ms = (v: unknown) => {
  const parsed = typeof v === "string" ? parseDuration(v) : undefined;
  return parsed?.ok ? parsed.ms : undefined;
};
const short = (v: unknown) => {
  const m = ms(v);
  return m === undefined ? String(v) : formatDurationShort(m);
};
const field = (c: ResourceChange, name: string) => c.fields.find((f) => f.field === name);
const EXCLUSION_NAME = /allow|exclu|exempt|exception|whitelist|safe|trusted|bypass|ignore/i;

function subject(c: ResourceChange): Finding["subject"] {
  return { kind: c.kind, name: c.name, ...(c.displayName ? { displayName: c.displayName } : {}), ...(c.file ? { file: c.file } : {}) };
}

/** "1 address", "256 addresses", "1 more address". */
export function addressCount(n: bigint, qualifier = ""): string {
  return `${n.toLocaleString("en-US")} ${qualifier}${n === 1n ? "address" : "addresses"}`;
}

const label = (c: ResourceChange) => `"${c.displayName ?? c.name}"`;

/** The changes to one rule that make it detect less, or less loudly. */
function ruleFindings(c: ResourceChange, headOperator: string, out: Finding[]): void {
  const push = (severity: FindingSeverity, code: string, message: string) => out.push({ severity, code, message, subject: subject(c) });
  // A kind change is an error of the safe-delete check (removals.ts); the rest of the rule's fields do not matter then.
  if (field(c, "kind")) return;
  const enabled = field(c, "enabled");
  if (enabled && enabled.git === false) push("warning", "rule-disabled", `${label(c)} is disabled: it stops raising alerts`);
  if (enabled && enabled.git === true) push("notice", "rule-enabled", `${label(c)} is enabled`);
  const severity = field(c, "severity");
  if (severity) {
    const [was, now] = [SEVERITY_RANK.get(String(severity.live).toLowerCase()), SEVERITY_RANK.get(String(severity.git).toLowerCase())];
    if (was !== undefined && now !== undefined && now < was) {
      push("warning", "severity-lowered", `${label(c)}: severity lowered from ${String(severity.live)} to ${String(severity.git)}`);
    }
  }
  const threshold = field(c, "triggerThreshold");
  const operator = field(c, "triggerOperator");
  if (threshold && !operator && /^(greater|less)/i.test(headOperator)) {
    const [was, now] = [Number(threshold.live ?? 0), Number(threshold.git ?? 0)];
    // GreaterThan: a higher threshold alerts on fewer results; LessThan: a lower one. (Equal and NotEqual have no direction.)
    const lessSensitive = /^less/i.test(headOperator) ? now < was : now > was;
    if (lessSensitive)
      push("warning", "threshold-raised", `${label(c)}: alert threshold moved from ${was} to ${now}; fewer results raise an alert`);
  }
  if (operator && operator.live !== undefined)
    push("notice", "trigger-operator", `${label(c)}: trigger operator ${String(operator.live)} → ${String(operator.git)}`);
  const period = field(c, "queryPeriod");
  if (period && ms(period.git) !== undefined && ms(period.live) !== undefined && ms(period.git)! < ms(period.live)!) {
    push("warning", "period-shortened", `${label(c)}: each run now sees ${short(period.git)} of data instead of ${short(period.live)}`);
  }
  const frequency = field(c, "queryFrequency");
  if (frequency && ms(frequency.git) !== undefined && ms(frequency.live) !== undefined && ms(frequency.git)! > ms(frequency.live)!) {
    push("notice", "frequency-lowered", `${label(c)}: runs every ${short(frequency.git)} instead of every ${short(frequency.live)}`);
  }
  const suppressionOn = field(c, "suppressionEnabled");
  const suppression = field(c, "suppressionDuration");
  if (suppressionOn?.git === true)
    push("warning", "suppression-enabled", `${label(c)}: suppression turned on; alerts stop for the suppression period after one fires`);
  else if (suppression && (ms(suppression.git) ?? 0) > (ms(suppression.live) ?? 0)) {
    push("notice", "suppression-longer", `${label(c)}: suppression period ${short(suppression.live)} → ${short(suppression.git)}`);
  }
  const incidents = field(c, "incidentConfiguration");
  const createIncident = (v: unknown) =>
    typeof v === "object" && v !== null ? (v as { createIncident?: unknown }).createIncident : undefined;
  if (incidents && createIncident(incidents.git) === false && createIncident(incidents.live) !== false) {
    push("warning", "incidents-off", `${label(c)}: no longer creates incidents; its alerts only appear in the alerts list`);
  } else if (incidents) {
    push("notice", "grouping-changed", `${label(c)}: incident settings or alert grouping changed`);
  }
  if (field(c, "query")) push("notice", "query-changed", `${label(c)}: query changed (diff below)`);
}

/** The search-key values of a watchlist's rows in a state. */
function rowKeys(resources: readonly DesiredResource[], alias: string): string[] {
  const list = resources.find((r) => r.content === "watchlist" && r.name.toLowerCase() === alias.toLowerCase());
  if (list?.content !== "watchlist") return [];
  const key = list.properties.itemsSearchKey;
  return resources.flatMap((r) =>
    r.content === "watchlistItem" && r.watchlistAlias.toLowerCase() === alias.toLowerCase() ? [r.properties.itemsKeyValue[key] ?? ""] : [],
  );
}

/** Addresses the entries cover, when every entry is an address, CIDR or range; undefined otherwise. */
function ipEntries(keys: string[]): IpRange[] | undefined {
  const parsed = keys.map((k) => parseIpRangeEntry(k));
  return parsed.every((p) => p.ok) ? parsed.map((p) => (p as { range: IpRange }).range) : undefined;
}

function rowChanges(report: ResourceDrift[], base: readonly DesiredResource[], head: readonly DesiredResource[]): WatchlistRowChanges[] {
  const lists = new Map<string, WatchlistRowChanges>();
  const displayNames = new Map<string, string>();
  for (const r of [...base, ...head]) if (r.content === "watchlist") displayNames.set(r.name.toLowerCase(), r.properties.displayName);
  for (const r of report) {
    if (r.kind !== "watchlistItem" || r.classification === "unchanged") continue;
    const alias = r.watchlist ?? "";
    let e = lists.get(alias.toLowerCase());
    if (!e) {
      // An exclusion list by its name: a list of IPs may as well be a blocklist, which more rows strengthen.
      e = {
        alias,
        added: [],
        removed: [],
        changed: [],
        exclusionList: EXCLUSION_NAME.test(`${alias} ${displayNames.get(alias.toLowerCase()) ?? ""}`),
      };
      lists.set(alias.toLowerCase(), e);
    }
    const key = r.displayName ?? r.name;
    if (r.classification === "create") e.added.push(key);
    else if (r.classification === "unmanaged") e.removed.push(key);
    else e.changed.push(key);
  }
  for (const e of lists.values()) {
    const before = ipEntries(rowKeys(base, e.alias));
    const after = ipEntries(rowKeys(head, e.alias));
    if (!before || !after) continue;
    // Addresses newly covered, and no longer covered: overlaps and narrowed entries count right.
    const both = coveredAddresses([...before, ...after]);
    e.addressesAdded = both - coveredAddresses(before);
    e.addressesRemoved = both - coveredAddresses(after);
  }
  return [...lists.values()].sort((a, b) => a.alias.localeCompare(b.alias));
}

export interface SummaryContext {
  /** The stack whose selection both sides were filtered by. */
  stack?: string;
  /**
   * The safe-delete check over the whole content and every stack (app/baseContent.ts builds it).
   * Without it, only the two states given are compared.
   */
  removals?: RemovalCheck;
}

export function summarizeChanges(
  base: DesiredState,
  head: DesiredState,
  ref: { ref: string; commit: string },
  context: SummaryContext = {},
): ChangeSummary {
  const report = compareWorkspace(head.resources, desiredAsLive(base.resources), { labels: { live: "base", git: "head" } });
  const baseByName = new Map(base.resources.map((r) => [`${r.type}/${r.name.toLowerCase()}`, r]));
  const changes: ResourceChange[] = report.resources
    .filter((r) => r.classification !== "unchanged" && r.kind !== "watchlistItem")
    .map((r) => {
      // A function whose .kql alone changed is shown by that file: it is the one the reviewer opens.
      const queryOnly = r.changes.length > 0 && r.changes.every((c) => c.field === "query");
      const file =
        (queryOnly ? r.origin?.queryFile : undefined) ?? r.origin?.file ?? baseByName.get(`${r.type}/${r.name.toLowerCase()}`)?.origin.file;
      return {
        kind: r.kind,
        name: r.name,
        ...(r.displayName ? { displayName: r.displayName } : {}),
        ...(file ? { file } : {}),
        change: r.classification === "create" ? "added" : r.classification === "unmanaged" ? "removed" : "changed",
        fields: r.changes,
      };
    });
  const of = (kind: ResourceDrift["kind"]) => changes.filter((c) => c.kind === kind);
  const findings: Finding[] = [];
  // Removed detections, by every route and from every stack: acknowledged in retired.yaml, or an error.
  // They come first: a removed function also breaks every query that calls it, and the reviewer
  // should read the cause before its consequences.
  const removals = context.removals ?? checkRemovals({ base, head }, []);
  findings.push(...removals.findings);
  const errors = head.diagnostics.filter((d) => d.severity === "error");
  for (const d of errors.slice(0, 20)) {
    findings.push({
      severity: "error",
      code: "content-error",
      message: `${d.file}${d.position ? `:${d.position.line}` : ""}: ${d.message}`,
    });
  }
  if (errors.length > 20)
    findings.push({
      severity: "error",
      code: "content-error",
      message: `${errors.length - 20} more content error(s); run sentinel-iac validate`,
    });

  const retired: ChangeSummary["retired"] = removals.acknowledged.map(({ entry, resource, stack }) => ({
    ...entry,
    kind: resource.content === "analyticsRule" ? "alertRule" : resource.content,
    displayName: detectionName(resource),
    file: resource.origin.file,
    ...(stack !== undefined ? { leaves: stack } : {}),
  }));
  for (const c of of("alertRule")) {
    if (c.change !== "changed") continue;
    const rule = head.resources.find((r) => r.content === "analyticsRule" && r.name === c.name);
    const operator = rule?.content === "analyticsRule" && rule.kind === "Scheduled" ? rule.properties.triggerOperator : "GreaterThan";
    ruleFindings(c, operator, findings);
  }
  for (const c of of("alertRule")) {
    if (c.change === "added") {
      const rule = head.resources.find((r) => r.content === "analyticsRule" && r.name === c.name);
      if (rule?.content === "analyticsRule" && !rule.properties.enabled)
        findings.push({ severity: "notice", code: "added-disabled", message: `${label(c)} is added disabled`, subject: subject(c) });
    }
  }
  for (const c of of("function")) {
    if (c.change !== "changed") continue;
    const key = head.resources.find((r) => r.content === "function" && r.name === c.name)?.key;
    const users = head.resources.filter((r) => r.content === "analyticsRule" && key !== undefined && r.dependsOn.includes(key)).length;
    findings.push({
      severity: "notice",
      code: "function-changed",
      message: `function ${c.displayName ?? c.name} changed; ${users} analytics rule(s) call it`,
      subject: subject(c),
    });
  }

  const watchlistRows = rowChanges(report.resources, base.resources, head.resources);
  for (const w of watchlistRows) {
    if (w.exclusionList && w.added.length > 0 && w.addressesAdded !== 0n) {
      const addresses = w.addressesAdded !== undefined ? ` (${addressCount(w.addressesAdded, "more ")})` : "";
      findings.push({
        severity: "warning",
        code: "allowlist-widened",
        message: `watchlist ${w.alias} gains ${w.added.length} row(s)${addresses}: ${w.added.slice(0, 5).join(", ")}${w.added.length > 5 ? ", ..." : ""}; rules that exclude its entries will ignore that traffic`,
        subject: { kind: "watchlist", name: w.alias },
      });
    }
  }

  const before = coverageOf(base.resources);
  const after = coverageOf(head.resources);
  const delta = coverageDelta(before, after);
  if (delta.techniquesLost.length > 0 || delta.tacticsLost.length > 0) {
    const lost = [...delta.tacticsLost, ...delta.techniquesLost];
    findings.push({
      severity: "warning",
      code: "coverage-lost",
      message: `ATT&CK coverage lost: no enabled rule covers ${lost.join(", ")} any more`,
    });
  }
  const rank: Record<FindingSeverity, number> = { error: 0, warning: 1, notice: 2 };
  findings.sort((a, b) => rank[a.severity] - rank[b.severity]);
  return {
    base: ref,
    findings,
    rules: of("alertRule"),
    huntingQueries: of("huntingQuery"),
    functions: of("function"),
    watchlists: of("watchlist"),
    watchlistRows,
    coverage: { before, after, delta },
    retired,
    errors,
  };
}

/** Errors fail the check: content errors and removals retired.yaml does not acknowledge. */
export function summaryFails(summary: ChangeSummary): boolean {
  return summary.findings.some((f) => f.severity === "error");
}
