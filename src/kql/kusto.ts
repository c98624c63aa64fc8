/**
 * Loader + minimal structural typings for @kusto/language-service-next (Kusto.Language via Bridge.NET).
 *
 * Why hand-written types instead of the shipped Kusto.Language.Bridge.d.ts?
 *  - the shipped d.ts is a *global script* declaration (namespaces Kusto, Bridge, System) that only
 *    compiles with skipLibCheck (strict mode reports ~40 errors inside it, and it needs lib "dom");
 *    once referenced it leaks those globals into every file of the program;
 *  - every member is typed `T | null`, plus `any` for ConstantValue/Parameter values.
 * This file declares only what we use; `compat-check.ts` verifies at compile time that the
 * shipped declarations are assignable to these interfaces (catches API drift on upgrades,
 * e.g. renumbered `$ctorN` overloads).
 */
import { createRequire } from "node:module";
import { deferCompletionGrammar, type DeferredGrammar } from "./deferredGrammar";

// ---------- Bridge collections ----------
/** Bridge's System.Collections.Generic.IReadOnlyList<T> / List<T>. */
export interface BridgeList<T> {
  readonly Count: number;
  getItem(index: number): T;
}

// ---------- Diagnostics ----------
export type KSeverity = "Error" | "Warning" | "Suggestion" | "Information" | "Hidden";
export interface KDiagnostic {
  readonly Code: string;
  readonly Category: string;
  readonly Severity: string;
  readonly Message: string;
  readonly Description: string;
  readonly HasLocation: boolean;
  readonly Start: number;
  readonly Length: number;
  readonly End: number;
}

// ---------- Symbols ----------
export interface KSymbol {
  readonly Name: string;
  /** numeric value of Kusto.Language.Symbols.SymbolKind */
  readonly Kind: number;
}
export type KTypeSymbol = KSymbol;
export interface KColumnSymbol extends KSymbol {
  readonly Type: KTypeSymbol;
}
export interface KTableSymbol extends KSymbol {
  readonly Columns: BridgeList<KColumnSymbol>;
  /** True when the table's columns are not fully known (e.g. after bag_unpack). */
  readonly IsOpen: boolean;
  WithName(name: string): KTableSymbol;
  WithIsOpen(isOpen: boolean): KTableSymbol;
}
export type KScalarSymbol = KSymbol;
export type KFunctionSymbol = KSymbol;
export type KDatabaseSymbol = KSymbol;
export type KParameter = object;
export type KParameterSymbol = KSymbol;

// ---------- Syntax ----------
export interface KSyntaxNode {
  readonly Kind: number;
  readonly Parent: KSyntaxNode | null;
  /** start of the node text, excluding leading trivia (whitespace/comments) */
  readonly TextStart: number;
  readonly Width: number;
  readonly End: number;
  readonly ChildCount: number;
  /** only meaningful after ParseAndAnalyze */
  readonly ReferencedSymbol: KSymbol | null;
  GetCalledFunctionDiagnostics(): BridgeList<KDiagnostic> | null;
  /** root of the (expanded) body of the user/database function called at this node, else null */
  GetCalledFunctionBody(): KSyntaxNode | null;
  toString(): string;
}
export interface KExpression extends KSyntaxNode {
  /** only meaningful after ParseAndAnalyze */
  readonly ResultType: KTypeSymbol | null;
  readonly IsConstant: boolean;
  /** boxed C# object: string | number | boolean | Bridge types (long, TimeSpan, ...) */
  readonly ConstantValue: unknown;
}
export interface KNameReference extends KExpression {
  readonly SimpleName: string;
}
export interface KNameDeclaration extends KSyntaxNode {
  readonly SimpleName: string;
}
export interface KLiteralExpression extends KExpression {
  /** string for string literals; number/Bridge object for others */
  readonly LiteralValue: unknown;
}
export interface KSeparatedElement<T> extends KSyntaxNode {
  readonly Element: T;
}
export interface KSyntaxList<T> extends KSyntaxNode, BridgeList<T> {}
export interface KExpressionList extends KSyntaxNode {
  readonly Expressions: KSyntaxList<KSeparatedElement<KExpression>>;
}
export interface KFunctionCallExpression extends KExpression {
  readonly Name: KNameReference;
  readonly ArgumentList: KExpressionList;
}
export interface KLetStatement extends KSyntaxNode {
  readonly Name: KNameDeclaration;
  readonly Expression: KExpression;
}
export interface KNameAndTypeDeclaration extends KSyntaxNode {
  readonly Name: KNameDeclaration;
  /** PrimitiveTypeExpression (`string`) or SchemaTypeExpression (`(a:string, b:long)`, `(*)`). */
  readonly Type: KSyntaxNode;
}
export interface KSchemaTypeExpression extends KSyntaxNode {
  /** NameAndTypeDeclaration elements, or one StarExpression for `(*)`. */
  readonly Columns: KSyntaxList<KSeparatedElement<KSyntaxNode>>;
}
export interface KDefaultValueDeclaration extends KSyntaxNode {
  readonly Value: KExpression;
}
export interface KFunctionParameter extends KSyntaxNode {
  readonly NameAndType: KNameAndTypeDeclaration;
  readonly DefaultValue: KDefaultValueDeclaration | null;
}
export interface KAsOperator extends KSyntaxNode {
  readonly Name: KNameDeclaration;
}
export interface KPathExpression extends KExpression {
  readonly Expression: KExpression;
  readonly Selector: KExpression;
}
export interface KBinaryExpression extends KExpression {
  readonly Left: KExpression;
  readonly Right: KExpression;
}
export interface KInExpression extends KExpression {
  readonly Left: KExpression;
  readonly Right: KExpressionList;
}
export interface KPipeExpression extends KExpression {
  readonly Expression: KExpression;
}

/** Names of the SyntaxKind members we use (values are looked up at runtime; never hard-code numbers). */
export type SyntaxKindName =
  | "NameReference"
  | "FunctionCallExpression"
  | "LetStatement"
  | "FunctionParameter"
  | "NameAndTypeDeclaration"
  | "SchemaTypeExpression"
  | "PrimitiveTypeExpression"
  | "StarExpression"
  | "AsOperator"
  | "StringLiteralExpression"
  | "PathExpression"
  | "ParenthesizedExpression"
  | "SeparatedElement"
  | "List"
  | "PipeExpression"
  | "ExpressionStatement"
  | "FunctionBody"
  | "JoinOperator"
  | "LookupOperator"
  | "UnionOperator"
  | "FindInClause"
  | "SearchOperator"
  | "MaterializeExpression"
  | "ToScalarExpression"
  | "ToTableExpression"
  | "InvokeOperator"
  | "EvaluateOperator"
  | "ExpressionList"
  | "EqualExpression"
  | "NotEqualExpression"
  | "LessThanExpression"
  | "LessThanOrEqualExpression"
  | "GreaterThanExpression"
  | "GreaterThanOrEqualExpression"
  | "InExpression"
  | "NotInExpression";

export type SymbolKindName = "Table" | "Column" | "Function" | "Variable" | "Parameter" | "Scalar" | "Error" | "Tuple" | "Database";

// ---------- Top-level objects ----------
export interface KGlobalState {
  readonly Database: KDatabaseSymbol | null;
  WithDatabase(db: KDatabaseSymbol): KGlobalState;
  /** A copy that carries a binding cache; analysis reuses it instead of building a fresh state per query. */
  WithCache(): KGlobalState;
  AddParameters(parameters: KParameterSymbol[]): KGlobalState;
  GetFunction(name: string): KFunctionSymbol | null;
  GetAggregate(name: string): KFunctionSymbol | null;
  GetPlugIn(name: string): KFunctionSymbol | null;
  IsDatabaseTable(table: KTableSymbol): boolean;
}
export interface KKustoCode {
  readonly Text: string;
  readonly Syntax: KSyntaxNode;
  readonly Globals: KGlobalState;
  /** TableSymbol for queries, ScalarSymbol for scalar expressions, null when there is no result (e.g. only lets). */
  readonly ResultType: KTypeSymbol | null;
  GetDiagnostics(): BridgeList<KDiagnostic>;
}
export interface KKustoCodeService {
  /** best-practice analyzers KS500-KS516 (contains, isnull on string, join without kind, called function has errors, ...) */
  GetAnalyzerDiagnostics(waitForAnalysis: boolean): BridgeList<KDiagnostic>;
}
export interface KCustomReturnTypeContext {
  GetArgument$1(parameterName: string): KExpression | null;
}

export interface KustoLanguage {
  KustoCode: {
    Parse(text: string, globals?: KGlobalState): KKustoCode;
    ParseAndAnalyze(text: string, globals?: KGlobalState): KKustoCode;
  };
  GlobalState: { readonly Default: KGlobalState };
  Editor: { KustoCodeService: { ctor: new (code: KKustoCode) => KKustoCodeService } };
  Syntax: {
    SyntaxKind: Readonly<Record<SyntaxKindName, number>>;
    SyntaxElement: {
      WalkNodes(
        root: KSyntaxNode,
        fnBefore?: ((n: KSyntaxNode) => void) | null,
        fnAfter?: ((n: KSyntaxNode) => void) | null,
        fnDescend?: ((n: KSyntaxNode) => boolean) | null,
      ): void;
    };
  };
  Symbols: {
    SymbolKind: Readonly<Record<SymbolKindName, number>>;
    Tabularity: { readonly Tabular: number; readonly Scalar: number };
    ScalarTypes: { readonly String: KScalarSymbol; readonly Dynamic: KScalarSymbol };
    ScalarSymbol: { From(typeName: string): KScalarSymbol | null };
    ColumnSymbol: new (
      name: string,
      type: KTypeSymbol,
      description: string | null,
      originalColumns: null,
      source: null,
      examples: null,
    ) => KColumnSymbol;
    TableSymbol: {
      $ctor4: new (name: string, columns: KColumnSymbol[]) => KTableSymbol;
      /** schema like "(a:string, b:long)" */
      From(schema: string): KTableSymbol | null;
    };
    Parameter: { $ctor2: new (name: string, type: KTypeSymbol) => KParameter };
    ParameterSymbol: new (name: string, type: KTypeSymbol, description: string | null) => KParameterSymbol;
    FunctionSymbol: {
      /** (name, "(p:type, ...)", "{ body }", description) */
      $ctor16: new (name: string, parameterList: string, body: string, description: string | null) => KFunctionSymbol;
      /** (name, customReturnType, tabularity, parameters) — result type computed per call site */
      ctor: new (
        name: string,
        customReturnType: (ctx: KCustomReturnTypeContext) => KTypeSymbol,
        tabularity: number,
        parameters: KParameter[],
      ) => KFunctionSymbol;
    };
    DatabaseSymbol: { ctor: new (name: string, members: KSymbol[]) => KDatabaseSymbol };
    /** The test a database's member lookup applies to each member (`match`: SymbolMatch flags). */
    SymbolMatchExtensions: { Matches$1(symbol: KSymbol, name: string, match: number, ignoreCase: boolean): boolean };
  };
}

// ---------- Loader ----------
let cached: KustoLanguage | undefined;

/**
 * Loads bridge.js then Kusto.Language.Bridge.js (order matters: the latter calls the global `Bridge`).
 * Side effect: defines globals `Bridge`, `System`, `Kusto` (no built-in prototypes are patched).
 * The minified builds have the same API and use ~45 MB less heap.
 */
export function loadKusto(): KustoLanguage {
  if (cached) return cached;
  const req = createRequire(__filename);
  req("@kusto/language-service-next/bridge.min.js");
  req("@kusto/language-service-next/Kusto.Language.Bridge.min.js");
  const g = globalThis as { Kusto?: { Language?: unknown } };
  const lang = g.Kusto?.Language;
  if (typeof lang !== "object" || lang === null || !("KustoCode" in lang) || !("GlobalState" in lang)) {
    throw new Error("Kusto.Language did not load (global Kusto.Language missing)");
  }
  cached = lang as KustoLanguage; // the single unchecked cast: shape verified by compat-check.ts
  completionGrammar = deferCompletionGrammar(lang);
  return cached;
}

let completionGrammar: DeferredGrammar | undefined;

/** Whether this thread built Kusto.Language's completion grammar (undefined: its building could not be deferred). */
export function completionGrammarBuilt(): boolean | undefined {
  return completionGrammar?.built;
}

// ---------- Helpers ----------
export function toArray<T>(list: BridgeList<T> | null | undefined): T[] {
  const out: T[] = [];
  if (!list) return out;
  for (let i = 0; i < list.Count; i++) out.push(list.getItem(i));
  return out;
}
