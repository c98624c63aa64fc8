/**
 * Reads a `.tests.yaml` file's sample rows: inline rows keep the line they
 * were written on, and `{ file: ... }` rows are read from a .json, .jsonl or
 * .csv file beside it, which must stay inside the content folder.
 */
import { existsSync, realpathSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { containedPath } from "../util/paths";
import { hiddenPart, hiddenReason } from "./hiddenPath";
import { describeInvalidUtf8, readUtf8File } from "../util/utf8";
import type { Diagnostic } from "../diagnostics/diagnostic";
import { FieldReporter } from "../diagnostics/fieldReporter";
import type { FieldPath, SourceDocument } from "../diagnostics/source";
import type { RuleTestDoc, RuleTestsDoc } from "../schema/ruleTests";
import { toContentPath } from "./discover";
import { readRowsFile, type FileRow } from "./rowsFile";

/** The largest sample file a test may name: it is read whole into memory before any check. */
export const MAX_SAMPLE_FILE_BYTES = 50 * 1024 * 1024;

/** Rows of one table or watchlist in one test, and where each was written. */
export interface SampleRows {
  /** The file the rows were written in (the tests file, or the sample file it names), relative to the content directory. */
  file: string;
  rows: FileRow[];
}

export interface LoadedRuleTest {
  doc: RuleTestDoc;
  /** Line of the test's `name`. */
  line: number;
  tables: Record<string, SampleRows>;
  watchlists: Record<string, SampleRows>;
}

export function loadRuleTests(root: string, source: SourceDocument, doc: RuleTestsDoc, sink: Diagnostic[]): LoadedRuleTest[] {
  const report = new FieldReporter(source, sink);
  return doc.tests.map((test, i) => {
    const rowsOf = (kind: "tables" | "watchlists") =>
      Object.fromEntries(
        Object.entries(test[kind] ?? {}).map(([name, rows]) => [name, sampleRows(root, source, ["tests", i, kind, name], rows, report)]),
      );
    return {
      doc: test,
      line: source.locate(["tests", i, "name"])?.start.line ?? 1,
      tables: rowsOf("tables"),
      watchlists: rowsOf("watchlists"),
    };
  });
}

type RowsDoc = NonNullable<RuleTestDoc["tables"]>[string];

function sampleRows(root: string, source: SourceDocument, path: FieldPath, rows: RowsDoc, report: FieldReporter): SampleRows {
  if (Array.isArray(rows)) {
    return {
      file: source.file,
      rows: rows.map((values, j) => ({ values, line: source.locate([...path, j])?.start.line ?? 1 })),
    };
  }
  const empty: SampleRows = { file: source.file, rows: [] };
  const filePath = [...path, "file"];
  // `..` and symlinks are resolved before deciding: a sample must be a file of the content, never /proc/self/environ.
  const inside = containedPath(root, dirname(resolve(root, source.file)), rows.file);
  if (!inside.ok) {
    report.error(
      filePath,
      "tests/sample-outside-content",
      `sample file '${rows.file}' ${inside.reason.replace(/the folder$/, "the content folder")}`,
      "Keep sample events inside the content folder, e.g. in a samples/ folder beside the tests file.",
    );
    return empty;
  }
  const absolute = inside.path;
  const hidden = hiddenPart(resolve(root), absolute);
  if (hidden !== undefined) {
    report.error(
      filePath,
      "content/path-hidden",
      `sample file '${rows.file}' ${hiddenReason(hidden)}; it was not read`,
      "Keep sample events in a visible folder of the content, e.g. samples/ beside the tests file.",
    );
    return empty;
  }
  if (!existsSync(absolute)) {
    report.error(filePath, "tests/missing-sample", `sample file '${rows.file}' does not exist`, "Give a path relative to this tests file.");
    return empty;
  }
  const real = realpathSync(absolute);
  const file = toContentPath(root, absolute);
  const stat = statSync(real);
  if (!stat.isFile()) {
    report.error(filePath, "tests/sample-file", `sample file '${rows.file}' is not a regular file`, "Name a .json, .jsonl or .csv file.");
    return empty;
  }
  if (stat.size > MAX_SAMPLE_FILE_BYTES) {
    report.error(
      filePath,
      "tests/sample-file",
      `sample file '${rows.file}' is ${(stat.size / 1024 / 1024).toFixed(1)} MB, more than the ${MAX_SAMPLE_FILE_BYTES / 1024 / 1024} MB a sample file may hold`,
      'A rule test needs the few events that show its point: keep sample files small (docs/testing.md, "Sample rows").',
    );
    return empty;
  }
  const decoded = readUtf8File(real);
  if (!decoded.ok) {
    report.error(
      filePath,
      "content/encoding",
      `sample file '${rows.file}' is not valid UTF-8 at ${describeInvalidUtf8(decoded)}`,
      "Save the sample file as UTF-8.",
    );
    return empty;
  }
  const read = readRowsFile(file, decoded.text);
  if (!read.ok) {
    for (const p of read.problems)
      report.error(filePath, "tests/sample-file", `${file}${p.line !== undefined ? `:${p.line}` : ""}: ${p.message}`, p.hint);
    return empty;
  }
  return { file, rows: read.rows };
}
