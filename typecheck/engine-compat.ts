/// <reference types="@kusto/language-service-next" />
/**
 * Compile-time drift check for the engine's Kusto.Language typings (src/engine/kusto/): the
 * shipped Bridge declarations must be assignable to the interfaces the evaluator reads.
 * Same settings as kusto-compat.ts (strictNullChecks off: the shipped d.ts marks every member
 * `| null`). List members typed with the mistyped SyntaxList$1 (see kusto-compat.ts) are left out.
 */
import type * as E from "../src/engine/kusto/syntax";
import type * as L from "../src/engine/kusto/language";

declare const shipped: {
  token: Kusto.Language.Syntax.SyntaxToken;
  pipe: Kusto.Language.Syntax.PipeExpression;
  binary: Kusto.Language.Syntax.BinaryExpression;
  between: Kusto.Language.Syntax.BetweenExpression;
  path: Kusto.Language.Syntax.PathExpression;
  element: Kusto.Language.Syntax.ElementExpression;
  bracketed: Kusto.Language.Syntax.BracketedExpression;
  simpleNamed: Kusto.Language.Syntax.SimpleNamedExpression;
  ordered: Kusto.Language.Syntax.OrderedExpression;
  toScalar: Kusto.Language.Syntax.ToScalarExpression;
  filter: Kusto.Language.Syntax.FilterOperator;
  take: Kusto.Language.Syntax.TakeOperator;
  top: Kusto.Language.Syntax.TopOperator;
  invoke: Kusto.Language.Syntax.InvokeOperator;
  range: Kusto.Language.Syntax.RangeOperator;
  letStatement: Kusto.Language.Syntax.LetStatement;
  expressionStatement: Kusto.Language.Syntax.ExpressionStatement;
  nameAndType: Kusto.Language.Syntax.NameAndTypeDeclaration;
  variable: Kusto.Language.Symbols.VariableSymbol;
  parameter: Kusto.Language.Symbols.Parameter;
  facts: typeof Kusto.Language.KustoFacts;
};

type Omitting<T, K extends keyof T> = Omit<T, K>;

export const checks: unknown[] = [
  ((x: Pick<E.KToken, "Kind" | "Text" | "ValueText" | "TextStart">) => x)(shipped.token),
  ((x: E.KPipe) => x)(shipped.pipe),
  ((x: E.KBinary) => x)(shipped.binary),
  ((x: Omitting<E.KBetween, "Right">) => x)(shipped.between),
  ((x: E.KPath) => x)(shipped.path),
  ((x: E.KElement) => x)(shipped.element),
  ((x: E.KBracketed) => x)(shipped.bracketed),
  ((x: E.KSimpleNamed) => x)(shipped.simpleNamed),
  ((x: Omitting<E.KOrdered, "Ordering">) => x)(shipped.ordered),
  ((x: E.KToScalar) => x)(shipped.toScalar),
  ((x: Omitting<E.KFilter, "Parameters">) => x)(shipped.filter),
  ((x: Omitting<E.KTake, "Parameters">) => x)(shipped.take),
  ((x: Omitting<E.KTop, "Parameters">) => x)(shipped.top),
  ((x: E.KInvoke) => x)(shipped.invoke),
  ((x: E.KRange) => x)(shipped.range),
  ((x: E.KLetStatementNode) => x)(shipped.letStatement),
  ((x: E.KExpressionStatement) => x)(shipped.expressionStatement),
  ((x: E.KNameAndType) => x)(shipped.nameAndType),
  ((x: Omitting<E.KVariableSymbol, "ConstantValue">) => x)(shipped.variable),
  ((x: Pick<E.KParameterInfo, "Name" | "IsOptional">) => x)(shipped.parameter),
  ((x: L.EngineKusto["KustoFacts"]) => x)(shipped.facts),
];
