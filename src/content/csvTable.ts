/** Reads a watchlist CSV with csv-parse, keeping the line of every row for messages. */
import { parse } from "csv-parse/sync";
import type { Diagnostic } from "../diagnostics/diagnostic";

export interface CsvRow {
  /** 1-based line of the row in the file. */
  line: number;
  values: Record<string, string>;
}

export interface CsvTable {
  columns: string[];
  rows: CsvRow[];
}

interface InfoRow {
  record: string[];
  /** `lines` is the line on which the record ends. */
  info: { lines: number };
}

/** A csv-parse error, as thrown or as passed to `on_skip`. */
interface CsvParseError {
  code?: string;
  message?: string;
  lines?: number;
}

function syntaxError(file: string, e: CsvParseError): Diagnostic {
  return {
    severity: "error",
    code: "csv/syntax",
    file,
    ...(e.lines ? { position: { line: e.lines, column: 1 } } : {}),
    message: `CSV could not be read: ${e.message ?? String(e)}`,
    hint: "Every row needs the same number of fields as the header; quote fields that contain commas or quotes.",
  };
}

interface Parsed {
  records: InfoRow[];
  errors: CsvParseError[];
}

/** One csv-parse pass; records it cannot read are skipped and their errors kept. */
function parseOnce(text: string): Parsed {
  const errors: CsvParseError[] = [];
  // csv-parse's typings do not model `info: true` (each record becomes {record, info}).
  const records = parse(text, {
    bom: true,
    info: true,
    skip_empty_lines: true,
    trim: true,
    relax_column_count: false,
    skip_records_with_error: true,
    on_skip: (error) => {
      errors.push(error ?? {});
      return undefined;
    },
  }) as unknown as InfoRow[];
  return { records, errors };
}

/**
 * A quote that is never closed swallows every line after it into one field, which csv-parse
 * reports at the end of the file. The error is put on the line where that field starts, and the
 * lines after it are read again on their own (under the same header), so one stray quote does
 * not make the rest of the list look removed.
 */
function parseRecovering(text: string): Parsed {
  const first = parseOnce(text);
  const unclosed = first.errors.find((e) => e.code === "CSV_QUOTE_NOT_CLOSED");
  const last = first.records.at(-1);
  if (!unclosed || !last) return first;
  const lines = text.split(/\r\n|\n|\r/);
  let start = last.info.lines + 1;
  while (start < lines.length && lines[start - 1]!.trim() === "") start++;
  const headerLines = first.records[0]!.info.lines;
  const rest = parseRecovering([...lines.slice(0, headerLines), ...lines.slice(start)].join("\n"));
  // Line L of the re-read text (below its header) is line L + shift of the file.
  const shift = start - headerLines;
  const moved = (line: number | undefined) => (line === undefined ? undefined : line + shift);
  return {
    records: [...first.records, ...rest.records.slice(1).map((r) => ({ ...r, info: { ...r.info, lines: r.info.lines + shift } }))],
    errors: [
      ...first.errors.filter((e) => e !== unclosed),
      {
        ...unclosed,
        lines: start,
        message: "a quoted field starting on this line is never closed; the lines after it were read on their own",
      },
      ...rest.errors.map((e) => ({ ...e, lines: moved(e.lines) })),
    ],
  };
}

/**
 * A row csv-parse cannot read is an error on that row, and the other rows are kept: dropping
 * the whole table would also make the watchlist look removed in the change summary and unknown
 * to every query that reads it, hiding the one real cause.
 */
export function readCsvTable(file: string, text: string): { table?: CsvTable; diagnostics: Diagnostic[] } {
  let records: InfoRow[];
  let skipped: CsvParseError[];
  try {
    ({ records, errors: skipped } = parseRecovering(text));
  } catch (error) {
    return { diagnostics: [syntaxError(file, error as CsvParseError)] };
  }
  skipped.sort((a, b) => (a.lines ?? 0) - (b.lines ?? 0));
  // A broken header cannot be skipped: the next row would silently become the header.
  const headerLine = records[0]?.info.lines;
  if (skipped.some((e) => headerLine === undefined || (e.lines ?? 0) <= headerLine))
    return { diagnostics: skipped.map((e) => syntaxError(file, e)) };
  const [header, ...body] = records;
  if (!header) {
    return {
      diagnostics: [
        {
          severity: "error",
          code: "csv/empty",
          file,
          position: { line: 1, column: 1 },
          message: "the CSV is empty; it needs a header row",
          hint: "Add a header row naming the columns, e.g. IPOrRange,Description,Owner.",
        },
      ],
    };
  }
  const columns = header.record;
  const diagnostics: Diagnostic[] = skipped.map((e) => syntaxError(file, e));
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (c === "") {
      diagnostics.push({
        severity: "error",
        code: "csv/header",
        file,
        position: { line: header.info.lines, column: 1 },
        message: `header column ${i + 1} has no name`,
        hint: "Name every column in the header row.",
      });
    } else if (seen.has(c.toLowerCase())) {
      diagnostics.push({
        severity: "error",
        code: "csv/header",
        file,
        position: { line: header.info.lines, column: 1 },
        message: `header column '${c}' appears twice`,
        hint: "Column names must be unique (ignoring case), because each becomes a column of _GetWatchlist().",
      });
    }
    seen.add(c.toLowerCase());
  });
  const rows = body.map(({ record, info }) => ({
    line: info.lines,
    values: Object.fromEntries(columns.map((c, i) => [c, record[i] ?? ""])),
  }));
  return { table: { columns, rows }, diagnostics };
}
