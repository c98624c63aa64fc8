/**
 * Reads every content file once: YAML with positions, the `.kql` body of each
 * function, the CSV of each watchlist; checks each against its schema.
 */
import { existsSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import type { TSchema } from "typebox";
import type { Diagnostic } from "../diagnostics/diagnostic";
import { FieldReporter } from "../diagnostics/fieldReporter";
import { ENTITY_TYPES } from "../sentinel/reference";
import { spellingMatch } from "../schema/spelling";
import { checkSchema, valueSpellingHint } from "../schema/check";
import { AnalyticsRuleSchema, type AnalyticsRuleDoc } from "../schema/analyticsRule";
import { HuntingQuerySchema, type HuntingQueryDoc } from "../schema/huntingQuery";
import { RetiredSchema, type RetiredDoc } from "../schema/retired";
import { RuleTestsSchema, type RuleTestsDoc } from "../schema/ruleTests";
import { SavedFunctionSchema, type SavedFunctionDoc } from "../schema/savedFunction";
import { WatchlistSchema, type WatchlistDoc } from "../schema/watchlist";
import type { DurationMs } from "../sentinel/duration";
import { readCsvTable, type CsvTable } from "./csvTable";
import { readDuration, ruleTiming, type RuleTiming } from "./durations";
import { testsStem } from "./layout";
import { loadRuleTests, type LoadedRuleTest } from "./ruleTests";
import { discoverContent, toContentPath, type ContentFile } from "./discover";
import type { SourceDocument } from "../diagnostics/source";
import { parseYamlSource } from "./yamlSource";
import { containedPath } from "../util/paths";
import { hiddenPart, hiddenReason } from "./hiddenPath";
import { describeInvalidUtf8, readUtf8File } from "../util/utf8";

export interface Loaded<T> {
  file: string;
  source: SourceDocument;
  doc: T;
}

export interface LoadedAnalyticsRule extends Loaded<AnalyticsRuleDoc> {
  /** Durations that are written and valid (an invalid one is reported and absent here). */
  timing: RuleTiming;
}

export interface LoadedFunction extends Loaded<SavedFunctionDoc> {
  /** The `.kql` body file, relative to the content directory. */
  queryFile: string;
  /** The body with line endings normalised to `\n` and any byte-order mark removed. */
  query: string;
}

export interface LoadedWatchlist extends Loaded<WatchlistDoc> {
  /** The CSV file, relative to the content directory. */
  itemsFile: string;
  table: CsvTable;
  /** `defaultDuration`, parsed, when written and valid. */
  defaultDuration?: DurationMs;
}

/** A `.tests.yaml` file: the tests of the rule, hunting query or function that shares its stem. */
export interface LoadedRuleTests extends Loaded<RuleTestsDoc> {
  /** `rules/analytics/X` for `rules/analytics/X.tests.yaml`: the tested file is `<stem>.yaml` (or `.yml`). */
  stem: string;
  tests: LoadedRuleTest[];
}

/** The file at the content root that acknowledges removed detections. */
export const RETIRED_FILE = "retired.yaml";

export interface LoadedContent {
  contentDir: string;
  /** `retired.yaml`, when the content has one. */
  retired?: Loaded<RetiredDoc>;
  analyticsRules: LoadedAnalyticsRule[];
  huntingQueries: Loaded<HuntingQueryDoc>[];
  functions: LoadedFunction[];
  /**
   * Functions whose YAML loaded but whose body did not (refused path, missing, not UTF-8, empty):
   * already reported on their own files, so queries that call them say so once instead of
   * reporting every column after the call as unknown.
   */
  unloadedFunctions: { alias: string; file: string }[];
  watchlists: LoadedWatchlist[];
  ruleTests: LoadedRuleTests[];
  /** Every file read, relative to the content directory. */
  files: string[];
  diagnostics: Diagnostic[];
}

export function loadContent(contentDir: string): LoadedContent {
  const root = resolve(contentDir);
  const out: LoadedContent = {
    contentDir: root,
    analyticsRules: [],
    huntingQueries: [],
    functions: [],
    unloadedFunctions: [],
    watchlists: [],
    ruleTests: [],
    files: [],
    diagnostics: [],
  };
  if (!existsSync(root)) {
    out.diagnostics.push({
      severity: "error",
      code: "content/missing-dir",
      file: ".",
      message: `content directory '${contentDir}' does not exist`,
      hint: "Pass --content with the folder that holds rules/, functions/ and watchlists/, or set sentinel-iac:contentDir.",
    });
    return out;
  }
  const retiredPath = join(root, RETIRED_FILE);
  const retiredInside = containedPath(root, root, RETIRED_FILE);
  if (!retiredInside.ok) {
    out.diagnostics.push({
      severity: "error",
      code: "content/link-outside",
      file: RETIRED_FILE,
      message: `${RETIRED_FILE} ${retiredInside.reason}; it was not loaded`,
      hint: `Keep ${RETIRED_FILE} as a file in the content folder.`,
    });
  } else if (hiddenPart(root, retiredPath) !== undefined) {
    out.diagnostics.push({
      severity: "error",
      code: "content/path-hidden",
      file: RETIRED_FILE,
      message: `${RETIRED_FILE} is a symbolic link that ${hiddenReason(hiddenPart(root, retiredPath) ?? "")}; it was not loaded`,
      hint: `Keep ${RETIRED_FILE} as a file in the content folder.`,
    });
  } else if (existsSync(retiredPath)) {
    out.files.push(RETIRED_FILE);
    const loaded = loadYaml<RetiredDoc>({ file: RETIRED_FILE, absolutePath: retiredPath }, RetiredSchema, "retired list", out.diagnostics);
    if (loaded) out.retired = loaded;
  }
  for (const entry of discoverContent(root, out.diagnostics)) {
    out.files.push(entry.file);
    switch (entry.kind) {
      case "analyticsRule": {
        const loaded = loadYaml<AnalyticsRuleDoc>(entry, AnalyticsRuleSchema, "analytics rule", out.diagnostics, canonicalIdentifiers);
        if (loaded) out.analyticsRules.push({ ...loaded, timing: ruleTiming(loaded.source, loaded.doc, out.diagnostics) });
        break;
      }
      case "huntingQuery":
        pushLoaded(out.huntingQueries, loadYaml<HuntingQueryDoc>(entry, HuntingQuerySchema, "hunting query", out.diagnostics));
        break;
      case "function": {
        const loaded = loadYaml<SavedFunctionDoc>(entry, SavedFunctionSchema, "function", out.diagnostics);
        const fn = loaded ? attachQuery(root, loaded, out) : undefined;
        if (fn) out.functions.push(fn);
        else if (loaded) out.unloadedFunctions.push({ alias: loaded.doc.alias, file: loaded.file });
        break;
      }
      case "watchlist": {
        const loaded = loadYaml<WatchlistDoc>(entry, WatchlistSchema, "watchlist", out.diagnostics);
        if (loaded) pushLoaded(out.watchlists, attachItems(root, loaded, out));
        break;
      }
      case "ruleTests": {
        const loaded = loadYaml<RuleTestsDoc>(entry, RuleTestsSchema, "rule tests", out.diagnostics);
        if (!loaded) break;
        const tests = loadRuleTests(root, loaded.source, loaded.doc, out.diagnostics);
        out.ruleTests.push({ ...loaded, stem: testsStem(loaded.file), tests });
        // Sample files are content too: a change to one changes what the tests run on.
        const samples = tests.flatMap((t) => [...Object.values(t.tables), ...Object.values(t.watchlists)].map((r) => r.file));
        for (const file of new Set(samples)) if (file !== loaded.file && !out.files.includes(file)) out.files.push(file);
        break;
      }
    }
  }
  return out;
}

function pushLoaded<T>(list: T[], item: T | undefined): void {
  if (item) list.push(item);
}

/**
 * A content file's text, without a byte-order mark. Content must be UTF-8: bytes that are not
 * (a file saved as Latin-1) are reported with their line, never turned into U+FFFD and deployed.
 */
function readText(path: string, file: string, diagnostics: Diagnostic[]): string | undefined {
  const decoded = readUtf8File(path);
  if (!decoded.ok) {
    diagnostics.push({
      severity: "error",
      code: "content/encoding",
      file,
      position: { line: decoded.line, column: decoded.column },
      message: `the file is not valid UTF-8 at ${describeInvalidUtf8(decoded)}`,
      hint: "Save the file as UTF-8 (in VS Code: 'Reopen with Encoding', then 'Save with Encoding' > UTF-8). A Latin-1 or Windows-1252 file must be converted, e.g. `iconv -f latin1 -t utf-8`.",
    });
    return undefined;
  }
  return decoded.text.startsWith("\uFEFF") ? decoded.text.slice(1) : decoded.text;
}

/**
 * Parsed files by path, with the text they were parsed from. A process that
 * loads the same content again (`validate --watch`) re-parses only files whose
 * text changed, and keeps their position trees too.
 */
const parsedFiles = new Map<string, { text: string; loaded: Loaded<unknown> | undefined; diagnostics: Diagnostic[] }>();

function loadYaml<T>(
  entry: Pick<ContentFile, "file" | "absolutePath">,
  schema: TSchema,
  what: string,
  diagnostics: Diagnostic[],
  normalise?: (doc: T, source: SourceDocument, diagnostics: Diagnostic[]) => void,
): Loaded<T> | undefined {
  const text = readText(entry.absolutePath, entry.file, diagnostics);
  if (text === undefined) return undefined;
  const memo = parsedFiles.get(entry.absolutePath);
  if (memo && memo.text === text && memo.loaded?.file === entry.file) {
    diagnostics.push(...memo.diagnostics);
    return memo.loaded as Loaded<T> | undefined;
  }
  const own: Diagnostic[] = [];
  const parsed = parseYamlSource(entry.file, text);
  own.push(...parsed.diagnostics);
  let loaded: Loaded<T> | undefined;
  if (parsed.source) {
    const checked = checkSchema<T>(schema, parsed.source, { what });
    own.push(...checked.diagnostics);
    if (checked.value !== undefined) {
      normalise?.(checked.value, parsed.source, own);
      loaded = { file: entry.file, source: parsed.source, doc: checked.value };
    }
  }
  parsedFiles.set(entry.absolutePath, { text, loaded, diagnostics: own });
  diagnostics.push(...own);
  return loaded;
}

/**
 * Entity identifiers in their canonical spelling (`fullname` -> `FullName`), as Azure reads them
 * case-insensitively. Which spellings exist depends on the entity type, so the schema cannot say it.
 * The doc is the schema check's own copy.
 */
function canonicalIdentifiers(doc: AnalyticsRuleDoc, source: SourceDocument, diagnostics: Diagnostic[]): void {
  (doc.entityMappings ?? []).forEach((mapping, i) => {
    const identifiers = ENTITY_TYPES[mapping.entityType]?.identifiers;
    if (!identifiers) return;
    mapping.fieldMappings.forEach((field, j) => {
      if (identifiers.includes(field.identifier)) return;
      const match = spellingMatch(field.identifier, identifiers);
      if (match === undefined) return;
      new FieldReporter(source, diagnostics).warning(
        ["entityMappings", i, "fieldMappings", j, "identifier"],
        "schema/value-spelling",
        `'${field.identifier}' is read as '${match}'`,
        valueSpellingHint(field.identifier, match),
      );
      field.identifier = match;
    });
  });
}

/**
 * The file a YAML names in `field` (relative to itself), or `<yaml name><ext>` by default.
 * It must stay inside the content folder, through `..` and symbolic links alike: a body read
 * from `/proc/self/environ` or `.git/config` would be printed into plans and pull-request
 * comments. Reports it when outside or missing; otherwise records it as read.
 */
function companionFile(
  root: string,
  loaded: Loaded<unknown>,
  field: string,
  named: string | undefined,
  ext: string,
  what: string,
  out: LoadedContent,
) {
  const yamlAbs = join(root, loaded.file);
  const written = named ?? `${basename(yamlAbs, extname(yamlAbs))}${ext}`;
  const where = () => {
    const r = loaded.source.locate([field]);
    return r ? { position: r.start, end: r.end } : { position: { line: 1, column: 1 } };
  };
  const contained = containedPath(root, dirname(yamlAbs), written);
  if (!contained.ok) {
    out.diagnostics.push({
      severity: "error",
      code: "content/path-outside",
      file: loaded.file,
      ...where(),
      ...(named !== undefined ? { field } : {}),
      message: `${what} '${written.replace(/\0/g, "\\0")}' ${contained.reason}: only files inside the content folder can be read`,
      hint: `Keep the ${what} inside the content folder and set '${field}' to its path relative to this YAML file.`,
    });
    return undefined;
  }
  const abs = contained.path;
  const hidden = hiddenPart(root, abs);
  if (hidden !== undefined) {
    out.diagnostics.push({
      severity: "error",
      code: "content/path-hidden",
      file: loaded.file,
      ...where(),
      ...(named !== undefined ? { field } : {}),
      message: `${what} '${written}' ${hiddenReason(hidden)}; it was not read`,
      hint: `Keep the ${what} beside its YAML (or in another content folder) and set '${field}' to its path relative to this YAML file.`,
    });
    return undefined;
  }
  const file = toContentPath(root, abs);
  if (!existsSync(abs)) {
    out.diagnostics.push({
      severity: "error",
      code: "content/missing-file",
      file: loaded.file,
      ...where(),
      field,
      message: `${what} '${file}' does not exist`,
      hint: `Create it, or set '${field}' to the right path (relative to this YAML file).`,
    });
    return undefined;
  }
  out.files.push(file);
  return { abs, file };
}

function attachQuery(root: string, loaded: Loaded<SavedFunctionDoc>, out: LoadedContent): LoadedFunction | undefined {
  const body = companionFile(root, loaded, "queryFile", loaded.doc.queryFile, ".kql", "function body", out);
  if (!body) return undefined;
  const text = readText(body.abs, body.file, out.diagnostics);
  if (text === undefined) return undefined;
  // The file's final newline (and any trailing blank lines) is file formatting, not query text:
  // the exporter writes it back, and the live diff ignores trailing whitespace.
  const query = text.replace(/\r\n?/g, "\n").trimEnd();
  if (query === "") {
    out.diagnostics.push({
      severity: "error",
      code: "function/empty-body",
      file: body.file,
      position: { line: 1, column: 1 },
      message: "the function body is empty",
      hint: "Write the KQL of the function in this file.",
    });
    return undefined;
  }
  return { ...loaded, queryFile: body.file, query };
}

function attachItems(root: string, loaded: Loaded<WatchlistDoc>, out: LoadedContent): LoadedWatchlist | undefined {
  const csv = companionFile(root, loaded, "itemsFile", loaded.doc.itemsFile, ".csv", "watchlist CSV", out);
  if (!csv) return undefined;
  const text = readText(csv.abs, csv.file, out.diagnostics);
  if (text === undefined) return undefined;
  const { table, diagnostics } = readCsvTable(csv.file, text);
  out.diagnostics.push(...diagnostics);
  if (!table) return undefined;
  const defaultDuration = readDuration(loaded.source, ["defaultDuration"], loaded.doc.defaultDuration, out.diagnostics);
  return { ...loaded, itemsFile: csv.file, table, ...(defaultDuration !== undefined ? { defaultDuration } : {}) };
}
