/**
 * Semantic analysis of one query with Kusto.Language: diagnostics, the
 * query's result schema, and facts the rule checks need (lookbacks,
 * watchlist aliases). The result is plain data so it can be cached by
 * content hash and passed between worker threads.
 */
import {
  loadKusto,
  toArray,
  type KBinaryExpression,
  type KDiagnostic,
  type KExpression,
  type KFunctionCallExpression,
  type KNameReference,
  type KPipeExpression,
  type KSyntaxNode,
  type KTableSymbol,
  type KustoLanguage,
} from "./kusto";
import type { BuiltGlobals } from "./globals";

export const FINDING_SEVERITIES = ["error", "warning", "info"] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

export const FINDING_KINDS = [
  "syntax",
  "unknown-table",
  "unknown-function",
  "unknown-column",
  "fuzzy-table",
  "type",
  "unknown-watchlist",
  "dynamic-watchlist",
  "implicit-conversion",
  "other",
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface KqlFinding {
  kind: FindingKind;
  /** Kusto.Language's code (KS142, ...) or ours (`kql/...`). */
  code: string;
  severity: FindingSeverity;
  message: string;
  /** Offset and length in the analyzed text. */
  start: number;
  length: number;
  /** For unknown names: the name. */
  name?: string;
}

export interface Lookback {
  /** How far back `ago(...)` (or `now(-...)`) reaches, in milliseconds. */
  ms: number;
  start: number;
  length: number;
  /** The table whose rows the expression filters, when it can be told. */
  table?: string;
}

export interface QueryAnalysis {
  findings: KqlFinding[];
  /** Output columns, or null when the query has no tabular result. */
  resultColumns: { name: string; type: string }[] | null;
  /** False when the output cannot be trusted to be complete: unknown tables/functions, open schemas. */
  resultComplete: boolean;
  lookbacks: Lookback[];
  /** Database tables the query reads, each once, in order of first use. */
  tables: string[];
}

/** A query, or the body of a function whose parameters are declared around it. */
export interface AnalysisInput {
  text: string;
  /** For function bodies: the KQL parameter declaration, e.g. `T:(IPAddress:string)`. */
  functionParameters?: string;
}

/** Bump when analyzeQuery's output changes for the same input (keys the cache). */
export const ANALYZER_VERSION = 3;

const SYNTAX_CODES = new Set(["KS001", "KS002", "KS003", "KS004", "KS005", "KS006", "KS007", "KS176", "KS198", "KS199"]);
const TYPE_CODES = new Set(["KS106", "KS107", "KS109", "KS127", "KS141", "KS145", "KS160", "KS249"]);

interface Kinds {
  call: number;
  pipe: number;
  nameReference: number;
  equal: number;
  notEqual: number;
  table: number;
}

let cachedKinds: Kinds | undefined;
function kinds(K: KustoLanguage): Kinds {
  return (cachedKinds ??= {
    call: K.Syntax.SyntaxKind.FunctionCallExpression,
    pipe: K.Syntax.SyntaxKind.PipeExpression,
    nameReference: K.Syntax.SyntaxKind.NameReference,
    equal: K.Syntax.SyntaxKind.EqualExpression,
    notEqual: K.Syntax.SyntaxKind.NotEqualExpression,
    table: K.Symbols.SymbolKind.Table,
  });
}

function severityOf(d: KDiagnostic): FindingSeverity {
  return d.Severity === "Error" ? "error" : d.Severity === "Warning" ? "warning" : "info";
}

function classify(d: KDiagnostic): FindingKind {
  if (d.Code === "KS204") return "unknown-table";
  if (d.Code === "KS211") return "unknown-function";
  if (d.Code === "KS205") return "fuzzy-table";
  if (d.Code === "KS142") return "unknown-column";
  if (SYNTAX_CODES.has(d.Code)) return "syntax";
  if (TYPE_CODES.has(d.Code)) return "type";
  return "other";
}

/** The quoted name in messages such as "The name 'X' does not refer to ...". */
function quotedName(message: string): string | undefined {
  return /'([^']+)'/.exec(message)?.[1];
}

const NUMERIC = new Set(["int", "long", "real", "decimal"]);
const PARSE_JSON = new Set(["todynamic", "parse_json", "parsejson", "toobject"]);
function typeFamily(name: string | undefined): string | undefined {
  if (!name) return undefined;
  if (NUMERIC.has(name)) return "number";
  return ["string", "datetime", "timespan", "bool", "guid"].includes(name) ? name : undefined;
}

function timespanMs(value: unknown): number | undefined {
  const v = value as { getTotalMilliseconds?: () => number } | null;
  return typeof v?.getTotalMilliseconds === "function" ? v.getTotalMilliseconds() : undefined;
}

/** What follows a function body in the text analyzed (see analyzeQuery). */
const BODY_SUFFIX = "\n};";

/**
 * Whether an analysis could have come from `input`: every finding and lookback starts inside its text
 * and ends at most where the analyzed text ends. For results read back from the (untrusted) cache.
 */
export function analysisFits(input: AnalysisInput, analysis: QueryAnalysis): boolean {
  const end = input.text.length + (input.functionParameters === undefined ? 0 : BODY_SUFFIX.length);
  const inside = (span: { start: number; length: number }) => span.start <= input.text.length && span.start + span.length <= end;
  return analysis.findings.every(inside) && analysis.lookbacks.every(inside);
}

export function analyzeQuery(input: AnalysisInput, built: BuiltGlobals): QueryAnalysis {
  const K = loadKusto();
  const kind = kinds(K);
  // A function body is analyzed inside `let __body = (<parameters>) { <body> };`, so its
  // parameters are in scope; offsets are shifted back to the body text afterwards.
  const prefix = input.functionParameters === undefined ? "" : `let __body = (${input.functionParameters}) {\n`;
  const text = input.functionParameters === undefined ? input.text : `${prefix}${input.text}${BODY_SUFFIX}`;
  const code = K.KustoCode.ParseAndAnalyze(text, built.globals);
  const toBody = (offset: number) => Math.max(0, Math.min(input.text.length, offset - prefix.length));

  const findings: KqlFinding[] = [];
  for (const d of toArray(code.GetDiagnostics())) {
    const findingKind = classify(d);
    const name = findingKind.startsWith("unknown") || findingKind === "fuzzy-table" ? quotedName(d.Message) : undefined;
    findings.push({
      kind: findingKind,
      code: d.Code,
      severity: findingKind === "fuzzy-table" ? "info" : severityOf(d),
      message: d.Message,
      start: toBody(d.Start),
      length: d.Length,
      ...(name ? { name } : {}),
    });
  }

  const lookbacks: Lookback[] = [];
  const tables = new Set<string>();
  const add = (f: KqlFinding) => findings.push(f);
  // Kusto.Language types todynamic()/parse_json() as string -> dynamic, but the engine documents
  // that they also take a value that is already dynamic (returned as is): drop those KS107s.
  const dynamicToDynamic = new Set<number>();
  K.Syntax.SyntaxElement.WalkNodes(code.Syntax, (n: KSyntaxNode) => {
    if (n.Kind === kind.call) {
      const call = n as KFunctionCallExpression;
      const arg: KExpression | undefined = toArray(call.ArgumentList.Expressions)[0]?.Element;
      if (n.ReferencedSymbol === built.watchlistFunction && arg) {
        if (arg.IsConstant && typeof arg.ConstantValue === "string") {
          const alias = arg.ConstantValue;
          if (!built.watchlistAliases.has(alias.toLowerCase())) {
            add({
              kind: "unknown-watchlist",
              code: "kql/unknown-watchlist",
              severity: "error",
              message: `no watchlist with alias '${alias}'`,
              start: toBody(arg.TextStart),
              length: arg.Width,
              name: alias,
            });
          }
        } else {
          add({
            kind: "dynamic-watchlist",
            code: "kql/dynamic-watchlist",
            severity: "warning",
            message: "the watchlist alias is not a constant string, so its columns cannot be checked",
            start: toBody(arg.TextStart),
            length: arg.Width,
          });
        }
      }
      const fn = call.Name.SimpleName;
      if (PARSE_JSON.has(fn) && arg?.ResultType?.Name === "dynamic") dynamicToDynamic.add(toBody(arg.TextStart));
      if ((fn === "ago" || fn === "now") && arg && arg.IsConstant) {
        const ms = timespanMs(arg.ConstantValue);
        const reach = ms === undefined ? undefined : fn === "ago" ? ms : -ms;
        if (reach !== undefined && reach > 0)
          lookbacks.push({ ms: reach, start: toBody(n.TextStart), length: n.Width, ...tableFiltered(n, kind) });
      }
    } else if (n.Kind === kind.nameReference) {
      const symbol = n.ReferencedSymbol;
      if (symbol && symbol.Kind === kind.table) tables.add(symbol.Name);
    } else if (n.Kind === kind.equal || n.Kind === kind.notEqual) {
      // Kusto.Language accepts `string == number` without comment, and so does the service
      // (Microsoft's own rules use `ResultType == 0`), but the comparison relies on implicit conversion.
      const b = n as KBinaryExpression;
      const left = b.Left.ResultType?.Name;
      const right = b.Right.ResultType?.Name;
      const lf = typeFamily(left);
      const rf = typeFamily(right);
      if (lf && rf && lf !== rf && !((lf === "string" && rf === "guid") || (lf === "guid" && rf === "string"))) {
        add({
          kind: "implicit-conversion",
          code: "kql/implicit-conversion",
          severity: "info",
          message: `compares ${left} with ${right}; KQL converts one side implicitly`,
          start: toBody(n.TextStart),
          length: n.Width,
        });
      }
    }
  });

  const kept = findings.filter((f) => !(f.code === "KS107" && dynamicToDynamic.has(f.start)));

  let resultColumns: QueryAnalysis["resultColumns"] = null;
  let open = false;
  const rt = code.ResultType;
  if (rt && rt.Kind === kind.table) {
    const table = rt as KTableSymbol;
    resultColumns = toArray(table.Columns).map((c) => ({ name: c.Name, type: c.Type.Name }));
    open = table.IsOpen;
  }
  const unknownSources = kept.some(
    (f) => f.kind === "unknown-table" || f.kind === "unknown-function" || f.kind === "fuzzy-table" || f.kind === "syntax",
  );
  return {
    findings: kept.sort((a, b) => a.start - b.start),
    resultColumns,
    resultComplete: resultColumns !== null && !open && !unknownSources,
    lookbacks,
    tables: [...tables],
  };
}

/** The database table at the head of the pipe an expression sits in: `T | where TimeGenerated > ago(30d)` -> T. */
function tableFiltered(n: KSyntaxNode, kind: Kinds): { table?: string } {
  for (let p = n.Parent; p; p = p.Parent) {
    if (p.Kind !== kind.pipe) continue;
    let head: KSyntaxNode = p;
    while (head.Kind === kind.pipe) head = (head as KPipeExpression).Expression;
    const symbol = head.Kind === kind.nameReference ? (head as KNameReference).ReferencedSymbol : null;
    return symbol && symbol.Kind === kind.table ? { table: symbol.Name } : {};
  }
  return {};
}
