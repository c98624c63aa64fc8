/** `sentinel-iac test` reports: text for people, JSON for tools, JUnit XML for CI test reports. */
import { create } from "xmlbuilder2";
import type { JsonValue } from "../../engine";
import type { Mismatch } from "../../testing/expectations";
import type { HiddenRows, TestOutcome, TestReport } from "../../testing/runner";
import { printable } from "../../util/printable";

const CELL = 48;
/** Columns of a result shown under a failure; the rest are named below the table. */
const REPORT_COLUMNS = 8;
const MARK = { passed: "✓", failed: "✗", broken: "!" } as const;
const WORD = { passed: "ok", failed: "FAILED", broken: "BROKEN" } as const;

/** A value as it reads in a table; strings of dynamic columns are quoted so "443" and 443 differ. */
function cell(v: JsonValue, type: string | undefined): string {
  const text = v === null ? "null" : typeof v === "string" && type !== "dynamic" ? v : JSON.stringify(v);
  const flat = printable(text.replace(/\s+/g, " "));
  return flat.length > CELL ? `${flat.slice(0, CELL - 1)}…` : flat;
}

/** A plain aligned table; cells marked as differing get a `*` so they stand out without colour. */
export function textTable(rows: NonNullable<Mismatch["rows"]>, indent: string, maxColumns = Infinity): string[] {
  const shown = Math.min(rows.columns.length, maxColumns);
  const columns = rows.columns.slice(0, shown);
  const body = rows.values.map((r, i) => r.slice(0, shown).map((v, j) => `${rows.marks?.[i]?.[j] ? "*" : ""}${cell(v, rows.types?.[j])}`));
  const widths = columns.map((c, j) => Math.max(c.length, ...body.map((r) => r[j]!.length)));
  const line = (cells: string[]) => `${indent}${cells.map((c, j) => c.padEnd(widths[j]!)).join(" | ")}`.trimEnd();
  const more = rows.columns.length - shown;
  return [
    line(columns),
    `${indent}${widths.map((w) => "-".repeat(w)).join("-+-")}`,
    ...body.map(line),
    ...(more > 0 ? [`${indent}(${more} more column${more === 1 ? "" : "s"}: ${rows.columns.slice(shown).join(", ")})`] : []),
  ];
}

/** "2 of 3 SigninLogs rows were not seen: 1 outside the window, 1 without TimeGenerated". */
function hiddenText(h: HiddenRows): string {
  const parts = [
    ...(h.outside > 0 ? [`${h.outside} outside the window`] : []),
    ...(h.withoutTime > 0 ? [`${h.withoutTime} without TimeGenerated`] : []),
  ];
  const n = h.outside + h.withoutTime;
  return `${n} of ${h.of} ${h.table} row${h.of === 1 ? "" : "s"} ${n === 1 ? "was" : "were"} not seen: ${parts.join(", ")}`;
}

function outcomeLines(o: TestOutcome): string[] {
  const lines = [`  ${MARK[o.status]} ${WORD[o.status]}  ${o.name}${o.status === "passed" ? `  (${o.message})` : ""}`];
  if (o.status === "passed") return lines;
  for (const m of o.mismatches) {
    lines.push(`      expected: ${m.expected}`, `      actual:   ${m.actual}`);
    if (m.rows && m.rows.values.length > 0) lines.push(...textTable(m.rows, "        ", REPORT_COLUMNS));
    if (m.rows?.marks) lines.push("        (* marks the values that differ)");
  }
  for (const p of o.problems) lines.push(`      ${p.file ? `${p.file}${p.line ? `:${p.line}` : ""}: ` : ""}${p.message}`);
  if (o.run) {
    lines.push(`      run at ${o.run.now}${o.run.window ? `, seeing rows from ${o.run.window.start} to ${o.run.window.end}` : ""}`);
    for (const h of o.run.hidden ?? []) lines.push(`      ${hiddenText(h)}`);
  }
  lines.push(`      at ${o.file}${o.line ? `:${o.line}` : ""}`);
  return lines;
}

export function renderTestText(report: TestReport): string {
  const files = new Map<string, TestOutcome[]>();
  for (const o of report.outcomes) files.set(o.file, [...(files.get(o.file) ?? []), o]);
  const lines = [
    `Rule tests: ${report.outcomes.length} test${report.outcomes.length === 1 ? "" : "s"} in ${files.size} file${files.size === 1 ? "" : "s"}, on the ${report.executor}`,
  ];
  for (const [file, outcomes] of files) {
    lines.push("", `${file}  (${outcomes[0]!.target.displayName})`);
    for (const o of outcomes) lines.push(...outcomeLines(o));
  }
  const broken = report.outcomes.filter((o) => o.status === "broken").length;
  lines.push(
    "",
    `${report.passed} passed, ${report.failed - broken} failed, ${broken} broken.${report.failed > 0 ? " Fix the failing tests or the content they test." : ""}`,
  );
  // names, values and messages come from sample events and content: no terminal escapes get through
  return `${printable(lines.join("\n"))}\n`;
}

/** Characters XML 1.0 cannot hold even escaped (lone surrogates, U+FFFE, U+FFFF). */
const NOT_XML = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g;

/** Text an XML 1.0 document can hold: control characters as `\u{..}` (as in text reports), and the characters XML forbids likewise. */
function xmlText(text: string): string {
  return printable(text).replace(NOT_XML, (c) => `\\u{${c.charCodeAt(0).toString(16).toUpperCase()}}`);
}

export function renderTestJson(report: TestReport): string {
  return `${JSON.stringify(
    {
      passed: report.passed,
      failed: report.failed,
      executor: report.executor,
      tests: report.outcomes.map((o) => ({
        file: o.file,
        name: o.name,
        passed: o.status === "passed",
        message: o.message,
        status: o.status,
        ...(o.line !== undefined ? { line: o.line } : {}),
        target: o.target,
        ...(o.run ? { run: o.run } : {}),
        mismatches: o.mismatches,
        problems: o.problems,
      })),
    },
    null,
    2,
  )}\n`;
}

/** JUnit XML as CI test reports read it: one suite per tests file, a failure per failed test, an error per broken one. */
export function renderTestJunit(report: TestReport): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele("testsuites", {
    name: "sentinel-iac rule tests",
    tests: report.outcomes.length,
    failures: report.outcomes.filter((o) => o.status === "failed").length,
    errors: report.outcomes.filter((o) => o.status === "broken").length,
    time: seconds(report.outcomes.reduce((t, o) => t + o.durationMs, 0)),
  });
  const files = new Map<string, TestOutcome[]>();
  for (const o of report.outcomes) files.set(o.file, [...(files.get(o.file) ?? []), o]);
  for (const [file, outcomes] of files) {
    const suite = root.ele("testsuite", {
      name: xmlText(file),
      tests: outcomes.length,
      failures: outcomes.filter((o) => o.status === "failed").length,
      errors: outcomes.filter((o) => o.status === "broken").length,
      time: seconds(outcomes.reduce((t, o) => t + o.durationMs, 0)),
    });
    for (const o of outcomes) {
      const testcase = suite.ele("testcase", {
        name: xmlText(o.name),
        classname: xmlText(o.target.file),
        file: xmlText(o.file),
        ...(o.line !== undefined ? { line: o.line } : {}),
        time: seconds(o.durationMs),
      });
      if (o.status === "passed") continue;
      const details = outcomeLines(o).slice(1).join("\n");
      testcase.ele(o.status === "failed" ? "failure" : "error", { message: xmlText(o.message), type: o.status }).txt(xmlText(details));
    }
  }
  return `${root.end({ prettyPrint: true })}\n`;
}
