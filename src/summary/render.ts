/** The change summary as Markdown (a pull-request comment) and JSON (tools). */
import { MARKDOWN_LIMIT } from "../diff/render";
import type { FieldChange } from "../diff/compare";
import { printable } from "../util/printable";
import { codeFence, codeSpan, htmlText, markdownText, tableCode } from "../util/markdown";
import { addressCount, type ChangeSummary, type Finding, type ResourceChange } from "./summarize";

/** Lets the pipeline find and update its own comment. */
export const SUMMARY_MARKER = "<!-- sentinel-iac:summary -->";

const ICON: Record<Finding["severity"], string> = { error: "❌", warning: "⚠️", notice: "ℹ️" };
const CHANGE_SIGN: Record<ResourceChange["change"], string> = { added: "+", removed: "−", changed: "~" };

/** A value in a table cell, as code; long values are cut. */
const code = (v: unknown) => {
  if (v === undefined) return "*not set*";
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return tableCode(text.length > 80 ? `${text.slice(0, 77)}...` : text);
};

function counts(changes: ResourceChange[]): string {
  const n = (c: ResourceChange["change"]) => changes.filter((x) => x.change === c).length;
  return `${n("added")} added, ${n("removed")} removed, ${n("changed")} changed`;
}

function resourceTable(title: string, changes: ResourceChange[]): string[] {
  if (changes.length === 0) return [];
  const lines = [`### ${title}: ${counts(changes)}`, "", "| | name | file | changed fields |", "| --- | --- | --- | --- |"];
  for (const c of changes) {
    const fields = c.fields
      .filter((f) => f.textDiff === undefined)
      .map((f) => `${markdownText(f.field)}: ${code(f.live)} → ${code(f.git)}`)
      .concat(c.fields.some((f) => f.textDiff !== undefined) ? ["query (diff below)"] : []);
    lines.push(
      `| ${CHANGE_SIGN[c.change]} | ${markdownText(c.displayName ?? c.name)} | ${c.file ? tableCode(c.file) : ""} | ${fields.join("<br>") || "—"} |`,
    );
  }
  lines.push("");
  return lines;
}

function queryDiffs(summary: ChangeSummary): string[] {
  const sections: string[] = [];
  for (const c of [...summary.rules, ...summary.huntingQueries, ...summary.functions]) {
    const diffs = c.fields.filter((f): f is FieldChange & { textDiff: string } => f.textDiff !== undefined);
    for (const d of diffs) {
      sections.push(
        [
          `<details><summary>${CHANGE_SIGN[c.change]} ${htmlText(c.displayName ?? c.name)}: ${htmlText(d.field)}</summary>`,
          "",
          codeFence(d.textDiff, "diff"),
          "",
          "</details>",
          "",
        ].join("\n"),
      );
    }
  }
  return sections;
}

export function renderSummaryMarkdown(summary: ChangeSummary, limit = MARKDOWN_LIMIT): string {
  const lines = [
    SUMMARY_MARKER,
    "## Sentinel change summary",
    "",
    `Compared with ${codeSpan(summary.base.ref)} (merge base ${codeSpan(summary.base.commit.slice(0, 12))}).`,
    "",
  ];
  const attention = summary.findings.filter((f) => f.severity !== "notice");
  if (attention.length > 0) {
    lines.push(`### Needs attention (${attention.length})`, "");
    for (const f of attention) lines.push(`- ${ICON[f.severity]} ${markdownText(f.message)}`);
    lines.push("");
  } else {
    lines.push("No change weakens detection.", "");
  }
  if (summary.retired.length > 0) {
    lines.push("### Retired (acknowledged in retired.yaml)", "", "| detection | reason |", "| --- | --- |");
    for (const r of summary.retired)
      lines.push(
        `| ${markdownText(r.displayName ?? r.name ?? r.id)} (${tableCode(r.id)})${r.leaves !== undefined ? ` from stack ${markdownText(r.leaves)}` : ""} | ${markdownText(r.reason)} |`,
      );
    lines.push("");
  }
  lines.push(...resourceTable("Analytics rules", summary.rules));
  lines.push(...resourceTable("Hunting queries", summary.huntingQueries));
  lines.push(...resourceTable("Functions", summary.functions));
  lines.push(...resourceTable("Watchlists", summary.watchlists));
  if (summary.watchlistRows.length > 0) {
    lines.push("### Watchlist rows", "", "| watchlist | added | removed | changed |", "| --- | --- | --- | --- |");
    for (const w of summary.watchlistRows) {
      const list = (keys: string[], addresses?: bigint) =>
        keys.length === 0
          ? "—"
          : `${keys
              .slice(0, 10)
              .map((k) => tableCode(k))
              .join(
                ", ",
              )}${keys.length > 10 ? ` and ${keys.length - 10} more` : ""}${addresses !== undefined && addresses > 0n ? ` (${addressCount(addresses)})` : ""}`;
      lines.push(
        `| ${markdownText(w.alias)}${w.exclusionList ? " (exclusion list)" : ""} | ${list(w.added, w.addressesAdded)} | ${list(w.removed, w.addressesRemoved)} | ${list(w.changed)} |`,
      );
    }
    lines.push("");
  }
  const { before, after, delta } = summary.coverage;
  lines.push(
    "### ATT&CK coverage (enabled analytics rules)",
    "",
    `| | before | after | gained | lost |`,
    "| --- | ---: | ---: | --- | --- |",
    `| enabled rules | ${before.enabledRules} | ${after.enabledRules} | | |`,
    `| tactics | ${before.tactics.length} | ${after.tactics.length} | ${markdownText(delta.tacticsGained.join(", ")) || "—"} | ${markdownText(delta.tacticsLost.join(", ")) || "—"} |`,
    `| techniques | ${before.techniques.length} | ${after.techniques.length} | ${markdownText(delta.techniquesGained.join(", ")) || "—"} | ${markdownText(delta.techniquesLost.join(", ")) || "—"} |`,
    "",
  );
  const notices = summary.findings.filter((f) => f.severity === "notice");
  if (notices.length > 0) {
    lines.push("<details><summary>Other changes</summary>", "");
    for (const f of notices) lines.push(`- ${markdownText(f.message)}`);
    lines.push("", "</details>", "");
  }
  const head = lines.join("\n");
  const diffs = queryDiffs(summary);
  let body = "";
  let shown = 0;
  for (const section of diffs) {
    if (head.length + body.length + section.length + 400 > limit) break;
    body += section;
    shown++;
  }
  const notice =
    shown < diffs.length
      ? `\n> **Truncated:** ${diffs.length - shown} of ${diffs.length} query diffs are not shown, to stay under GitHub's comment size limit. Run \`sentinel-iac summarize --format json\` for everything.\n`
      : "";
  return printable(`${head}${diffs.length > 0 ? "\n### Query changes\n\n" : ""}${body}${notice}`);
}

export function renderSummaryJson(summary: ChangeSummary): string {
  return `${JSON.stringify({ formatVersion: 1, ...summary }, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`;
}
