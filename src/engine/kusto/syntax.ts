/**
 * The parts of Kusto.Language's bound syntax tree the engine reads, typed on top of the
 * facade in src/kql/kusto.ts. Only what the evaluator uses is declared; the drift check
 * typecheck/engine-compat.ts verifies these shapes against the shipped declarations.
 */
import type {
  BridgeList,
  KColumnSymbol,
  KExpression,
  KExpressionList,
  KFunctionCallExpression,
  KNameDeclaration,
  KNameReference,
  KSeparatedElement,
  KSymbol,
  KSyntaxList,
  KSyntaxNode,
  KTableSymbol,
  KTypeSymbol,
} from "../../kql/kusto";

export type {
  KExpression,
  KFunctionCallExpression,
  KNameDeclaration,
  KNameReference,
  KSymbol,
  KSyntaxList,
  KSyntaxNode,
  KTableSymbol,
  KTypeSymbol,
};

export interface KToken {
  readonly Kind: number;
  readonly Text: string;
  readonly ValueText: string;
  readonly TextStart: number;
}

/** A node that can be walked child by child (tokens included). */
export interface KNode extends KSyntaxNode {
  readonly IsToken: boolean;
  GetChild(index: number): KNode | null;
  GetFirstToken(includeZeroWidthTokens?: boolean): KToken | null;
}

export type KList<T> = KSyntaxList<KSeparatedElement<T>>;

export interface KCall extends KFunctionCallExpression {
  readonly ReferencedSignature: KSignature | null;
}

export interface KNamedParameter extends KSyntaxNode {
  readonly Name: KNameDeclaration;
  readonly Expression: KExpression;
}

// ---------- symbols ----------
export interface KParameterInfo {
  readonly Name: string;
  readonly IsOptional: boolean;
  readonly IsTabular: boolean;
}
export interface KSignature {
  readonly Parameters: BridgeList<KParameterInfo>;
}
export interface KFunctionSymbolInfo extends KSymbol {
  readonly Signatures: BridgeList<KSignature>;
}
export interface KVariableSymbol extends KSymbol {
  readonly Type: KTypeSymbol;
  readonly IsConstant: boolean;
  /** boxed C# value for constants (see constants.ts) */
  readonly ConstantValue: unknown;
}
export type { KColumnSymbol };

// ---------- statements ----------
export interface KQueryBlock extends KSyntaxNode {
  readonly Statements: KList<KSyntaxNode>;
}
export interface KFunctionBody extends KSyntaxNode {
  readonly Statements: KList<KSyntaxNode>;
  readonly Expression: KExpression | null;
}
export interface KLetStatementNode extends KSyntaxNode {
  readonly Name: KNameDeclaration;
  readonly Expression: KExpression;
}
export interface KExpressionStatement extends KSyntaxNode {
  readonly Expression: KExpression;
}

// ---------- scalar expressions ----------
export interface KBinary extends KExpression {
  readonly Left: KExpression;
  readonly Right: KExpression;
}
export interface KUnary extends KExpression {
  readonly Expression: KExpression;
}
export interface KListExpression extends KExpression {
  readonly Left: KExpression;
  readonly Right: KExpressionList;
}
export interface KExpressionCouple extends KSyntaxNode {
  readonly First: KExpression;
  readonly Second: KExpression;
}
export interface KBetween extends KExpression {
  readonly Left: KExpression;
  readonly Right: KExpressionCouple;
}
export interface KPath extends KExpression {
  readonly Expression: KExpression;
  readonly Selector: KExpression;
}
export interface KElement extends KExpression {
  readonly Expression: KExpression;
  readonly Selector: KExpression;
}
export interface KBracketed extends KExpression {
  readonly Expression: KExpression;
}
export interface KSimpleNamed extends KExpression {
  readonly Name: KNameDeclaration;
  readonly Expression: KExpression;
}
export interface KCompoundNamed extends KExpression {
  readonly Names: KSyntaxNode & { readonly Names: KList<KNameDeclaration> };
  readonly Expression: KExpression;
}
export interface KOrdered extends KExpression {
  readonly Expression: KExpression;
  readonly Ordering: (KSyntaxNode & { readonly AscOrDescKeyword: KToken | null; readonly NullsClause: KOrderingNulls | null }) | null;
}
export interface KOrderingNulls extends KSyntaxNode {
  readonly FirstOrLastKeyword: KToken;
}
export interface KLiteral extends KExpression {
  readonly LiteralValue: unknown;
}
export interface KDynamicLiteral extends KExpression {
  readonly Expression: KExpression;
}
export interface KJsonPair extends KSyntaxNode {
  readonly Name: KToken;
  readonly Value: KExpression;
}
export interface KJsonObject extends KExpression {
  readonly Pairs: KList<KJsonPair>;
}
export interface KJsonArray extends KExpression {
  readonly Values: KList<KExpression>;
}
export interface KToScalar extends KExpression {
  readonly Expression: KExpression;
}
export interface KTypeOfLiteral extends KExpression {
  readonly Types: KList<KExpression>;
}

// ---------- tabular expressions ----------
export interface KPipe extends KExpression {
  readonly Expression: KExpression;
  readonly Operator: KExpression;
}
export interface KNameAndType extends KSyntaxNode {
  readonly Name: KNameDeclaration;
  readonly Type: KSyntaxNode;
}
export interface KRowSchema extends KSyntaxNode {
  readonly Columns: KList<KNameAndType>;
}
export interface KDataTable extends KExpression {
  readonly Schema: KRowSchema;
  readonly Values: KList<KExpression>;
}
export interface KExternalData extends KExpression {
  readonly Schema: KRowSchema;
  readonly URIs: KList<KExpression>;
}

// ---------- query operators ----------
export interface KWithParameters extends KExpression {
  readonly Parameters: KSyntaxList<KNamedParameter>;
}
export interface KFilter extends KWithParameters {
  readonly Condition: KExpression;
}
export interface KExpressionsOperator extends KExpression {
  readonly Expressions: KList<KExpression>;
}
export interface KSummarize extends KWithParameters {
  readonly Aggregates: KList<KExpression>;
  readonly ByClause: (KSyntaxNode & { readonly Expressions: KList<KExpression> }) | null;
}
export interface KJoin extends KWithParameters {
  readonly Expression: KExpression;
  readonly ConditionClause: KSyntaxNode & { readonly Expressions?: KList<KExpression>; readonly Expression?: KExpression };
}
export interface KLookup extends KWithParameters {
  readonly Expression: KExpression;
  readonly LookupClause: KSyntaxNode & { readonly Expressions?: KList<KExpression>; readonly Expression?: KExpression };
}
export interface KUnion extends KWithParameters {
  readonly Expressions: KList<KExpression>;
}
export interface KMvExpandItem extends KExpression {
  readonly Expression: KExpression;
  readonly ToTypeOf: (KSyntaxNode & { readonly TypeOf: KTypeOfLiteral }) | null;
}
export interface KMvExpand extends KWithParameters {
  readonly Expressions: KList<KMvExpandItem>;
  readonly RowLimitClause: (KSyntaxNode & { readonly RowLimit: KExpression }) | null;
}
export interface KMvApply extends KWithParameters {
  readonly Expressions: KList<KMvExpandItem>;
  readonly RowLimitClause: (KSyntaxNode & { readonly RowLimit: KExpression }) | null;
  readonly ContextIdClause: KSyntaxNode | null;
  readonly Subquery: KSyntaxNode & { readonly Expression: KExpression };
}
export interface KParse extends KWithParameters {
  readonly Expression: KExpression;
  readonly Patterns: KSyntaxList<KSyntaxNode>;
}
export interface KSort extends KWithParameters {
  readonly Expressions: KList<KExpression>;
}
export interface KTake extends KWithParameters {
  readonly Expression: KExpression;
}
export interface KTop extends KWithParameters {
  readonly Expression: KExpression;
  readonly ByExpression: KExpression;
}
export interface KDistinct extends KWithParameters {
  readonly Expressions: KList<KExpression>;
}
export interface KCount extends KExpression {
  readonly AsIdentifier: (KSyntaxNode & { readonly Identifier: KToken }) | null;
}
export interface KEvaluate extends KWithParameters {
  readonly FunctionCall: KFunctionCallExpression;
}
export interface KInvoke extends KExpression {
  readonly Function: KExpression;
}
export interface KAs extends KWithParameters {
  readonly Name: KNameDeclaration;
}
export interface KRange extends KExpression {
  readonly Name: KNameDeclaration;
  readonly From: KExpression;
  readonly To: KExpression;
  readonly Step: KExpression;
}
export interface KMakeSeriesItem extends KExpression {
  readonly Expression: KExpression;
  readonly DefaultExpression: (KSyntaxNode & { readonly Expression: KExpression }) | null;
}
export interface KMakeSeries extends KWithParameters {
  readonly Aggregates: KList<KMakeSeriesItem>;
  readonly OnClause: KSyntaxNode & { readonly Expression: KExpression };
  readonly RangeClause: KSyntaxNode | null;
  readonly ByClause: (KSyntaxNode & { readonly Expressions: KList<KExpression> }) | null;
}
export interface KMakeSeriesInRange extends KSyntaxNode {
  readonly Arguments: KExpressionList;
}
export interface KMakeSeriesFromToStep extends KSyntaxNode {
  readonly MakeSeriesFromClause: (KSyntaxNode & { readonly Expression: KExpression }) | null;
  readonly MakeSeriesToClause: (KSyntaxNode & { readonly Expression: KExpression }) | null;
  readonly MakeSeriesStepClause: KSyntaxNode & { readonly Expression: KExpression };
}
