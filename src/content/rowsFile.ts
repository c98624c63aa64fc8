/** Rows from a .json (array of objects), .jsonl (one object per line) or .csv (header row) file, with their lines. */
import { extname } from "node:path";
import { readCsvTable } from "./csvTable";

export interface FileRow {
  /** 1-based line of the row in the file, where the format has lines for rows. */
  line?: number;
  values: Record<string, unknown>;
}

export type RowsFileResult = { ok: true; rows: FileRow[] } | { ok: false; problems: { message: string; line?: number; hint: string }[] };

export const ROWS_FILE_EXTENSIONS = [".json", ".jsonl", ".csv"] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `file` names the file in messages; `text` is its content. */
export function readRowsFile(file: string, text: string): RowsFileResult {
  const body = text.replace(/^\uFEFF/, "");
  switch (extname(file).toLowerCase()) {
    case ".json":
      return jsonRows(body);
    case ".jsonl":
      return jsonLines(body);
    case ".csv": {
      const { table, diagnostics } = readCsvTable(file, body);
      const problems = diagnostics
        .filter((d) => d.severity === "error")
        .map((d) => ({ message: d.message, ...(d.position ? { line: d.position.line } : {}), hint: d.hint ?? "Fix the CSV." }));
      if (problems.length > 0 || !table) return { ok: false, problems };
      return { ok: true, rows: table.rows.map((r) => ({ line: r.line, values: r.values })) };
    }
    default:
      return {
        ok: false,
        problems: [
          {
            message: `'${file}' is neither .json, .jsonl nor .csv`,
            hint: "Write the rows as a JSON array of objects (.json), one JSON object per line (.jsonl), or a CSV with a header row.",
          },
        ],
      };
  }
}

function jsonRows(text: string): RowsFileResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ message: `not valid JSON: ${(error as Error).message}`, hint: "Fix the JSON syntax." }] };
  }
  if (!Array.isArray(parsed) || !parsed.every(isRecord))
    return {
      ok: false,
      problems: [{ message: "it must hold a JSON array of objects, one per row", hint: 'Write [{"Column": value, ...}, ...].' }],
    };
  return { ok: true, rows: parsed.map((values) => ({ values })) };
}

function jsonLines(text: string): RowsFileResult {
  const rows: FileRow[] = [];
  const problems: { message: string; line: number; hint: string }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      const value: unknown = JSON.parse(line);
      if (isRecord(value)) rows.push({ line: i + 1, values: value });
      else problems.push({ line: i + 1, message: `line ${i + 1} is not a JSON object`, hint: "Write one JSON object per line." });
    } catch (error) {
      problems.push({
        line: i + 1,
        message: `line ${i + 1} is not valid JSON: ${(error as Error).message}`,
        hint: "Fix the JSON on that line.",
      });
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows };
}
