/**
 * Reads a `.tests.yaml` file's sample rows: inline rows keep the line they
 * were written on, and `{ file: ... }` rows are read from a .json, .jsonl or
 * .csv file beside it, which must stay inside the content folder.
 */
import { existsSync, realpathSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import { containedPath } from "../util/paths";
import { describeInvalidUtf8, readUtf8File } from "../util/utf8";
import type { Diagnostic } from "../diagnostics/diagnostic";
import { FieldReporter } from "../diagnostics/fieldReporter";
import type { FieldPath, SourceDocument } from "../diagnostics/source";
import type { RuleTestDoc, RuleTestsDoc } from "../schema/ruleTests";
import { readCsvTable } from "./csvTable";
import { toContentPath } from "./discover";

/** Rows of one table or watchlist in one test, and where each was written. */
export interface SampleRows {
  /** The file the rows were written in (the tests file, or the sample file it names), relative to the content directory. */
  file: string;
  rows: SampleRow[];
}

export interface SampleRow {
  /** 1-based line of the row in `file`, when known. */
  line?: number;
  values: Record<string, unknown>;
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
  if (!existsSync(absolute)) {
    report.error(filePath, "tests/missing-sample", `sample file '${rows.file}' does not exist`, "Give a path relative to this tests file.");
    return empty;
  }
  const real = realpathSync(absolute);
  const file = toContentPath(root, absolute);
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
  const text = decoded.text.replace(/^\uFEFF/, "");
  switch (extname(real).toLowerCase()) {
    case ".json":
      return { file, rows: jsonRows(text, file, filePath, report) };
    case ".jsonl":
      return { file, rows: jsonLines(text, filePath, report) };
    case ".csv": {
      const { table, diagnostics } = readCsvTable(file, text);
      for (const d of diagnostics)
        report.error(filePath, d.code, `${file}${d.position ? `:${d.position.line}` : ""}: ${d.message}`, d.hint);
      return { file, rows: (table?.rows ?? []).map((r) => ({ line: r.line, values: r.values })) };
    }
    default:
      report.error(
        filePath,
        "tests/sample-format",
        `sample file '${rows.file}' is neither .json, .jsonl nor .csv`,
        "Write the rows as a JSON array of objects (.json), one JSON object per line (.jsonl), or a CSV with a header row.",
      );
      return empty;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function jsonRows(text: string, file: string, path: FieldPath, report: FieldReporter): SampleRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    report.error(path, "tests/sample-json", `${file} is not valid JSON: ${(error as Error).message}`, "Fix the JSON syntax.");
    return [];
  }
  if (!Array.isArray(parsed) || !parsed.every(isRecord)) {
    report.error(
      path,
      "tests/sample-json",
      `${file} must hold a JSON array of objects, one per row`,
      'Write [{"Column": value, ...}, ...].',
    );
    return [];
  }
  return parsed.map((values) => ({ values }));
}

function jsonLines(text: string, path: FieldPath, report: FieldReporter): SampleRow[] {
  const rows: SampleRow[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      const value: unknown = JSON.parse(line);
      if (isRecord(value)) rows.push({ line: i + 1, values: value });
      else report.error(path, "tests/sample-json", `line ${i + 1} is not a JSON object`, "Write one JSON object per line.");
    } catch (error) {
      report.error(path, "tests/sample-json", `line ${i + 1} is not valid JSON: ${(error as Error).message}`, "Fix the JSON on that line.");
    }
  });
  return rows;
}
