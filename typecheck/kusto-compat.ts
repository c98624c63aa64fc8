/// <reference types="@kusto/language-service-next" />
/**
 * Compile-time drift check: the shipped Bridge declarations must be assignable to our facade.
 * Compiled with tsconfig.compat.json (strictNullChecks off, because the shipped d.ts marks
 * every member `| null`; skipLibCheck on, because the shipped d.ts has internal errors).
 * Never imported at runtime. Run: npx tsc -p tsconfig.compat.json
 */
import type * as F from "../src/kql/kusto";

type KL = typeof Kusto.Language;
declare const shipped: {
  diag: Kusto.Language.Diagnostic;
  code: Kusto.Language.KustoCode;
  globals: Kusto.Language.GlobalState;
  node: Kusto.Language.Syntax.SyntaxNode;
  call: Kusto.Language.Syntax.FunctionCallExpression;
  let: Kusto.Language.Syntax.LetStatement;
  nameRef: Kusto.Language.Syntax.NameReference;
  path: Kusto.Language.Syntax.PathExpression;
  binary: Kusto.Language.Syntax.BinaryExpression;
  parameter: Kusto.Language.Syntax.FunctionParameter;
  nameAndType: Kusto.Language.Syntax.NameAndTypeDeclaration;
  schemaType: Kusto.Language.Syntax.SchemaTypeExpression;
  defaultValue: Kusto.Language.Syntax.DefaultValueDeclaration;
  table: Kusto.Language.Symbols.TableSymbol;
  column: Kusto.Language.Symbols.ColumnSymbol;
  ctx: Kusto.Language.Symbols.CustomReturnTypeContext;
  lang: KL;
};
export const checks: unknown[] = [
  ((x: F.KDiagnostic) => x)(shipped.diag),
  ((x: F.KKustoCode) => x)(shipped.code),
  ((x: F.KGlobalState) => x)(shipped.globals),
  ((x: F.KSyntaxNode) => x)(shipped.node),
  // ArgumentList excluded: the shipped SyntaxList$1<T>.getItem() is mistyped (returns SyntaxElement, the
  // d.ts reports "cannot simultaneously extend SyntaxList and IReadOnlyList$1"); at runtime it returns T.
  ((x: Omit<F.KFunctionCallExpression, "ArgumentList">) => x)(shipped.call),
  ((x: F.KLetStatement) => x)(shipped.let),
  ((x: F.KNameReference) => x)(shipped.nameRef),
  ((x: F.KPathExpression) => x)(shipped.path),
  ((x: F.KBinaryExpression) => x)(shipped.binary),
  ((x: F.KFunctionParameter) => x)(shipped.parameter),
  ((x: F.KNameAndTypeDeclaration) => x)(shipped.nameAndType),
  // Columns excluded for the same SyntaxList$1 mistyping as ArgumentList below.
  ((x: Omit<F.KSchemaTypeExpression, "Columns">) => x)(shipped.schemaType),
  ((x: F.KDefaultValueDeclaration) => x)(shipped.defaultValue),
  ((x: F.KTableSymbol) => x)(shipped.table),
  ((x: F.KColumnSymbol) => x)(shipped.column),
  ((x: F.KCustomReturnTypeContext) => x)(shipped.ctx),
  ((x: F.KustoLanguage["KustoCode"]) => x)(shipped.lang.KustoCode),
  ((x: F.KustoLanguage["GlobalState"]) => x)(shipped.lang.GlobalState),
  ((x: F.KustoLanguage["Editor"]["KustoCodeService"]) => x)(shipped.lang.Editor.KustoCodeService),
  ((x: F.KustoLanguage["Symbols"]["TableSymbol"]) => x)(shipped.lang.Symbols.TableSymbol),
  ((x: F.KustoLanguage["Symbols"]["FunctionSymbol"]) => x)(shipped.lang.Symbols.FunctionSymbol),
  ((x: F.KustoLanguage["Symbols"]["Parameter"]) => x)(shipped.lang.Symbols.Parameter),
  ((x: F.KustoLanguage["Symbols"]["ParameterSymbol"]) => x)(shipped.lang.Symbols.ParameterSymbol),
  ((x: F.KustoLanguage["Symbols"]["ColumnSymbol"]) => x)(shipped.lang.Symbols.ColumnSymbol),
  ((x: F.KustoLanguage["Symbols"]["SymbolMatchExtensions"]) => x)(shipped.lang.Symbols.SymbolMatchExtensions),
  ((x: F.KustoLanguage["Symbols"]["DatabaseSymbol"]) => x)(shipped.lang.Symbols.DatabaseSymbol),
  ((x: F.KustoLanguage["Symbols"]["ScalarSymbol"]) => x)(shipped.lang.Symbols.ScalarSymbol),
  ((x: F.KustoLanguage["Syntax"]["SyntaxElement"]) => x)(shipped.lang.Syntax.SyntaxElement),
];
