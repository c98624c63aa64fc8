/**
 * SyntaxKind and SymbolKind numbers, looked up by name once at run time: Bridge.NET
 * renumbers enums between releases, so numbers are never written in the engine.
 */
import { loadKusto, type KustoLanguage } from "../../kql/kusto";

/** The string comparison operators the evaluator implements (eval/stringOperators.ts), with their _cs and negated forms. */
export const STRING_OPERATOR_KINDS = [
  "EqualTildeExpression",
  "BangTildeExpression",
  "HasExpression",
  "HasCsExpression",
  "NotHasExpression",
  "NotHasCsExpression",
  "HasPrefixExpression",
  "HasPrefixCsExpression",
  "NotHasPrefixExpression",
  "NotHasPrefixCsExpression",
  "HasSuffixExpression",
  "HasSuffixCsExpression",
  "NotHasSuffixExpression",
  "NotHasSuffixCsExpression",
  "ContainsExpression",
  "ContainsCsExpression",
  "NotContainsExpression",
  "NotContainsCsExpression",
  "StartsWithExpression",
  "StartsWithCsExpression",
  "NotStartsWithExpression",
  "NotStartsWithCsExpression",
  "EndsWithExpression",
  "EndsWithCsExpression",
  "NotEndsWithExpression",
  "NotEndsWithCsExpression",
  "MatchesRegexExpression",
] as const;
export type StringOperatorKind = (typeof STRING_OPERATOR_KINDS)[number];

/** The arithmetic operators the evaluator implements (eval/arithmetic.ts). */
export const ARITHMETIC_KINDS = [
  "AddExpression",
  "SubtractExpression",
  "MultiplyExpression",
  "DivideExpression",
  "ModuloExpression",
] as const;

/** The comparison, logical, set and range operators the evaluator implements (eval/scalar.ts). */
export const SCALAR_OPERATOR_KINDS = [
  "UnaryPlusExpression",
  "UnaryMinusExpression",
  "LessThanExpression",
  "LessThanOrEqualExpression",
  "GreaterThanExpression",
  "GreaterThanOrEqualExpression",
  "EqualExpression",
  "NotEqualExpression",
  "AndExpression",
  "OrExpression",
  "InExpression",
  "InCsExpression",
  "NotInExpression",
  "NotInCsExpression",
  "BetweenExpression",
  "NotBetweenExpression",
  "HasAnyExpression",
  "HasAllExpression",
] as const;

const SYNTAX_KIND_NAMES = [
  ...ARITHMETIC_KINDS,
  ...STRING_OPERATOR_KINDS,
  // statements and structure
  "QueryBlock",
  "LetStatement",
  "ExpressionStatement",
  "FunctionDeclaration",
  "FunctionBody",
  "SeparatedElement",
  "List",
  "ExpressionList",
  "NamedParameter",
  // literals
  "BooleanLiteralExpression",
  "IntLiteralExpression",
  "LongLiteralExpression",
  "RealLiteralExpression",
  "DecimalLiteralExpression",
  "DateTimeLiteralExpression",
  "TimespanLiteralExpression",
  "GuidLiteralExpression",
  "StringLiteralExpression",
  "NullLiteralExpression",
  "CompoundStringLiteralExpression",
  "TypeOfLiteralExpression",
  "TokenLiteralExpression",
  "DynamicExpression",
  "JsonObjectExpression",
  "JsonArrayExpression",
  // names and paths
  "NameReference",
  "NameDeclaration",
  "ParenthesizedExpression",
  "PathExpression",
  "ElementExpression",
  "BracketedExpression",
  "SimpleNamedExpression",
  "CompoundNamedExpression",
  "FunctionCallExpression",
  "ToScalarExpression",
  "ToTableExpression",
  "MaterializeExpression",
  "PipeExpression",
  "DataTableExpression",
  "ExternalDataExpression",
  "StarExpression",
  "OrderedExpression",
  "MvExpandExpression",
  "MvApplyExpression",
  "MvApplySubqueryExpression",
  "MakeSeriesExpression",
  "NameAndTypeDeclaration",
  "PrimitiveTypeExpression",
  "SchemaTypeExpression",
  "WildcardedName",
  "BracketedName",
  ...SCALAR_OPERATOR_KINDS,
  // looked up so the check can name them; not evaluated
  "LikeExpression",
  "LikeCsExpression",
  "NotLikeExpression",
  "NotLikeCsExpression",
  // query operators
  "AsOperator",
  "CountOperator",
  "DistinctOperator",
  "EvaluateOperator",
  "ExtendOperator",
  "FilterOperator",
  "GetSchemaOperator",
  "InvokeOperator",
  "LookupOperator",
  "JoinOperator",
  "JoinOnClause",
  "JoinWhereClause",
  "MakeSeriesOperator",
  "MakeSeriesInRangeClause",
  "MakeSeriesFromToStepClause",
  "MvApplyOperator",
  "MvExpandOperator",
  "ParseOperator",
  "ParseWhereOperator",
  "PrintOperator",
  "ProjectOperator",
  "ProjectAwayOperator",
  "ProjectKeepOperator",
  "ProjectRenameOperator",
  "ProjectReorderOperator",
  "RangeOperator",
  "RenderOperator",
  "SerializeOperator",
  "SortOperator",
  "SummarizeOperator",
  "TakeOperator",
  "TopOperator",
  "UnionOperator",
] as const;

export type EngineSyntaxKind = (typeof SYNTAX_KIND_NAMES)[number];

const SYMBOL_KIND_NAMES = [
  "Primitive",
  "Variable",
  "Function",
  "Parameter",
  "Tuple",
  "Bag",
  "Array",
  "Column",
  "Table",
  "Error",
  "Void",
] as const;
export type EngineSymbolKind = (typeof SYMBOL_KIND_NAMES)[number];

export interface Kinds {
  readonly syntax: Readonly<Record<EngineSyntaxKind, number>>;
  readonly symbol: Readonly<Record<EngineSymbolKind, number>>;
  /** number -> name for every SyntaxKind, for messages. */
  readonly syntaxName: ReadonlyMap<number, string>;
}

let cached: Kinds | undefined;

function pick<N extends string>(source: object, names: readonly N[], what: string): Record<N, number> {
  const table = new Map(Object.entries(source));
  const out = {} as Record<N, number>;
  for (const name of names) {
    const value = table.get(name);
    if (typeof value !== "number") throw new Error(`Kusto.Language has no ${what} '${name}' (package upgraded?)`);
    out[name] = value;
  }
  return out;
}

export function kinds(K: KustoLanguage = loadKusto()): Kinds {
  if (cached) return cached;
  const syntaxName = new Map<number, string>();
  for (const [name, value] of Object.entries(K.Syntax.SyntaxKind)) if (typeof value === "number") syntaxName.set(value, name);
  cached = {
    syntax: pick(K.Syntax.SyntaxKind, SYNTAX_KIND_NAMES, "SyntaxKind"),
    symbol: pick(K.Symbols.SymbolKind, SYMBOL_KIND_NAMES, "SymbolKind"),
    syntaxName,
  };
  return cached;
}
