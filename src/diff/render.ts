/** The drift report as text (terminal), JSON (tools) and Markdown (pull-request comments, issues). */
import type { AzureTarget } from "../azure/target";
import { printable } from "../util/printable";
import { codeFence, codeSpan, htmlText, markdownText, tableCode } from "../util/markdown";
import type { Classification, DriftKind, DriftReport, FieldChange, ResourceDrift } from "./compare";

const KIND_LABEL: Record<DriftKind, [string, string]> = {
  watchlist: ["watchlist", "Watchlists"],
  watchlistItem: ["watchlist item", "Watchlist items"],
  function: ["function", "Functions"],
  alertRule: ["analytics rule", "Analytics rules"],
  huntingQuery: ["hunting query", "Hunting queries"],
};
const KINDS = Object.keys(KIND_LABEL) as DriftKind[];
const SIGN: Record<Classification, string> = { create: "+", update: "~", unmanaged: "?", unchanged: "=", elsewhere: "·", retired: "-" };
const CLASSES: Classification[] = ["create", "update", "retired", "unmanaged", "elsewhere", "unchanged"];
/** How each classification reads in the per-kind counts. */
const COUNT_WORDS: Record<Classification, string> = {
  create: "to create",
  update: "to update",
  retired: "retired but live",
  unmanaged: "unmanaged",
  elsewhere: "in Git, not in this stack",
  unchanged: "unchanged",
};

/** GitHub rejects comments over 65,536 characters; stay clear of it. */
export const MARKDOWN_LIMIT = 65_000;

export function countsByKind(report: DriftReport): Record<DriftKind, Record<Classification, number>> {
  const counts = Object.fromEntries(KINDS.map((k) => [k, Object.fromEntries(CLASSES.map((c) => [c, 0]))])) as Record<
    DriftKind,
    Record<Classification, number>
  >;
  for (const r of report.resources) counts[r.kind][r.classification]++;
  return counts;
}

function show(value: unknown): string {
  if (value === undefined) return "(not set)";
  return JSON.stringify(value);
}

function title(r: ResourceDrift): string {
  const label = KIND_LABEL[r.kind][0];
  const name = r.displayName && r.displayName !== r.name ? `"${r.displayName}" (${r.name})` : r.name;
  return `${label} ${name}${r.watchlist ? ` in ${r.watchlist}` : ""}`;
}

function advice(r: ResourceDrift): string | undefined {
  switch (r.classification) {
    case "create":
      return "in Git, not in the workspace: the next deploy creates it";
    case "unmanaged":
      return r.kind === "watchlistItem"
        ? "in the watchlist, not in its CSV: add the row to the CSV, or delete the item"
        : "only in the workspace: bring it under code with `sentinel-iac export`, or delete it";
    case "update":
      return "differs: the next deploy sets the Git values";
    case "elsewhere":
      return "in Git, not in this stack: another stack deploys it, or this stack's include/exclude leaves it out; not drift here";
    case "retired":
      return "retired in Git (retired.yaml), still in the workspace: the deploy of the stack that deployed it deletes it; it is never exported back";
    default:
      return undefined;
  }
}

export function targetLine(target: AzureTarget): string {
  return `workspace ${target.workspaceName} (resource group ${target.resourceGroupName}, subscription ${target.subscriptionId})`;
}

/** What the workspace holds that is not content as code, and so is never compared. */
export function otherResourcesNote(report: DriftReport): string | undefined {
  const parts: string[] = [];
  const kinds = Object.entries(report.otherAlertRules);
  if (kinds.length > 0) {
    const n = kinds.reduce((sum, [, c]) => sum + c, 0);
    parts.push(`${n} alert rule(s) of kinds configured in the portal (${kinds.map(([k, c]) => `${c} ${k}`).join(", ")})`);
  }
  if (report.otherSavedSearches > 0)
    parts.push(`${report.otherSavedSearches} saved search(es) that are neither hunting queries nor functions`);
  if (report.ignoredUnmanaged > 0) parts.push(`${report.ignoredUnmanaged} live-only resource(s) the stack's ignoreUnmanaged leaves alone`);
  const elsewhere = report.resources.filter((r) => r.classification === "elsewhere").length;
  if (elsewhere > 0)
    parts.push(
      `${elsewhere} resource(s) Git defines outside this stack's selection (another stack deploys them; --format json lists them)`,
    );
  return parts.length > 0 ? `Not compared: ${parts.join("; ")}.` : undefined;
}

export function renderDriftText(report: DriftReport, target: AzureTarget, contentDir: string): string {
  const lines = [`Live ${targetLine(target)} vs Git content in ${contentDir || "."}`, ""];
  const counts = countsByKind(report);
  for (const kind of KINDS) {
    const c = counts[kind];
    if (CLASSES.every((cls) => c[cls] === 0)) continue;
    // The four usual counts always; "retired" and "elsewhere" only when there are some.
    const shown = CLASSES.filter((cls) => c[cls] > 0 || !(cls === "retired" || cls === "elsewhere"));
    lines.push(`  ${KIND_LABEL[kind][1].padEnd(16)} ${shown.map((cls) => `${c[cls]} ${COUNT_WORDS[cls]}`).join(", ")}`);
  }
  lines.push("");
  for (const r of report.resources) {
    // Listed in --format json; here they are counts: a stack that deploys a tenth of the content would list the rest.
    if (r.classification === "unchanged" || r.classification === "elsewhere") continue;
    lines.push(`${SIGN[r.classification]} ${r.classification.padEnd(9)} ${title(r)}${r.origin ? `  [${r.origin.file}]` : ""}`);
    const why = advice(r);
    if (why) lines.push(`      ${why}`);
    for (const change of r.changes) lines.push(...fieldLines(change, "      "));
    for (const note of r.notes) lines.push(`      note: ${note}`);
  }
  const changed = report.resources.filter((r) => r.classification !== "unchanged" && r.classification !== "elsewhere");
  const others = otherResourcesNote(report);
  if (others) lines.push("", `(${others})`);
  lines.push("", changed.length === 0 ? "No drift: the workspace matches Git." : `Drift: ${changed.length} resource(s) differ.`);
  return printable(`${lines.join("\n")}\n`);
}

function fieldLines(change: FieldChange, indent: string): string[] {
  if (change.textDiff !== undefined) {
    return [`${indent}${change.field}: differs (- live, + git)`, ...change.textDiff.split("\n").map((l) => `${indent}  ${l}`)];
  }
  return [`${indent}${change.field}: live ${show(change.live)} -> git ${show(change.git)}`];
}

/** The report as a JSON document (also embedded in `plan --format json` as `live`). */
export function driftJson(report: DriftReport, target: AzureTarget, contentDir: string): Record<string, unknown> {
  const { subscriptionId, resourceGroupName, workspaceName } = target;
  return {
    formatVersion: 1,
    target: { subscriptionId, resourceGroupName, workspaceName },
    contentDir,
    drift: report.drift,
    summary: countsByKind(report),
    otherSavedSearches: report.otherSavedSearches,
    otherAlertRules: report.otherAlertRules,
    ignoredUnmanaged: report.ignoredUnmanaged,
    resources: report.resources,
  };
}

export function renderDriftJson(report: DriftReport, target: AzureTarget, contentDir: string): string {
  return `${JSON.stringify(driftJson(report, target, contentDir), null, 2)}\n`;
}

/** A field value in a table cell: JSON, as code. */
const cell = (value: unknown) => (value === undefined ? "*not set*" : tableCode(JSON.stringify(value)));

function markdownSection(r: ResourceDrift): string {
  const out = [`<details><summary>${SIGN[r.classification]} <b>${r.classification}</b> · ${htmlText(title(r))}</summary>`, ""];
  const why = advice(r);
  // The advice is this project's own text; only the file name comes from content.
  if (why) out.push(`${why}${r.origin ? ` — ${codeSpan(r.origin.file)}` : ""}`, "");
  const plain = r.changes.filter((c) => c.textDiff === undefined);
  if (plain.length > 0) {
    out.push("| field | live | git |", "| --- | --- | --- |");
    for (const c of plain) out.push(`| ${markdownText(c.field)} | ${cell(c.live)} | ${cell(c.git)} |`);
    out.push("");
  }
  for (const c of r.changes) {
    if (c.textDiff === undefined) continue;
    out.push(`**${markdownText(c.field)}** (- live, + git)`, "", codeFence(c.textDiff, "diff"), "");
  }
  for (const note of r.notes) out.push(`> ${markdownText(note)}`, "");
  out.push("</details>", "");
  return out.join("\n");
}

export function renderDriftMarkdown(report: DriftReport, target: AzureTarget, limit = MARKDOWN_LIMIT): string {
  const counts = countsByKind(report);
  const columns = CLASSES.filter((c) => KINDS.some((k) => counts[k][c] > 0) || !(c === "retired" || c === "elsewhere"));
  const head = [
    `### Sentinel drift: ${codeSpan(target.workspaceName)}`,
    "",
    `Live ${markdownText(targetLine(target))} compared with Git.`,
    "",
    `| | ${columns.map((c) => COUNT_WORDS[c]).join(" | ")} |`,
    `| --- | ${columns.map(() => "---:").join(" | ")} |`,
    ...KINDS.filter((k) => CLASSES.some((c) => counts[k][c] > 0)).map(
      (k) => `| ${KIND_LABEL[k][1]} | ${columns.map((c) => counts[k][c]).join(" | ")} |`,
    ),
    "",
    ...(report.drift ? [] : ["**No drift**: the workspace matches Git."]),
    ...[otherResourcesNote(report)].filter((n): n is string => n !== undefined).map(markdownText),
  ]
    .join("\n")
    .trimEnd();
  let body = "";
  const changed = report.resources.filter((r) => r.classification !== "unchanged" && r.classification !== "elsewhere");
  let shown = 0;
  const reserve = 400;
  for (const r of changed) {
    const section = markdownSection(r);
    if (head.length + body.length + section.length + reserve > limit) break;
    body += section;
    shown++;
  }
  const notice =
    shown < changed.length
      ? `\n> **Truncated:** ${changed.length - shown} of ${changed.length} changed resources are not shown, to stay under GitHub's comment size limit. Run \`sentinel-iac diff --format json\` for the full report.\n`
      : "";
  return printable(`${head}\n\n${body}${notice}`);
}
