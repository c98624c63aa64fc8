/**
 * Which functions and watchlists a query uses, read from Kusto.Language's
 * syntax tree (not a regex), so names inside comments and strings never
 * count and names the query declares itself are excluded.
 *
 * - functions: calls `F(...)` (direct tabular call, `| invoke F()`, scalar
 *   call) whose name is not a Kusto built-in and not declared in the query
 *   (`let`, a function parameter, or `as`).
 * - watchlists: the string-literal argument of `_GetWatchlist(...)`, also
 *   through `let alias = 'X'; _GetWatchlist(alias)`.
 *
 * The model builder uses these for dependency order. Tables and columns are
 * resolved by the semantic analysis instead, which knows the schemas.
 */
import {
  loadKusto,
  toArray,
  type KAsOperator,
  type KExpression,
  type KFunctionCallExpression,
  type KFunctionParameter,
  type KGlobalState,
  type KLetStatement,
  type KLiteralExpression,
  type KNameReference,
  type KSyntaxNode,
  type KustoLanguage,
} from "./kusto";

export interface QueryReferences {
  functions: string[];
  watchlists: string[];
}

/** Functions Log Analytics provides that Kusto.Language's built-in list lacks. */
const PLATFORM_FUNCTIONS: ReadonlySet<string> = new Set(["workspace", "app", "resource", "adx", "arg", "table", "database", "cluster"]);
export const WATCHLIST_FUNCTION = "_GetWatchlist";

interface Context {
  K: KustoLanguage;
  builtins: KGlobalState;
  kinds: { let: number; parameter: number; as: number; call: number; stringLiteral: number; nameReference: number };
}

let context: Context | undefined;
function getContext(): Context {
  if (!context) {
    const K = loadKusto();
    const kind = K.Syntax.SyntaxKind;
    context = {
      K,
      builtins: K.GlobalState.Default,
      kinds: {
        let: kind.LetStatement,
        parameter: kind.FunctionParameter,
        as: kind.AsOperator,
        call: kind.FunctionCallExpression,
        stringLiteral: kind.StringLiteralExpression,
        nameReference: kind.NameReference,
      },
    };
  }
  return context;
}

function isBuiltin(builtins: KGlobalState, name: string): boolean {
  return !!(builtins.GetFunction(name) ?? builtins.GetAggregate(name) ?? builtins.GetPlugIn(name));
}

export function extractReferences(query: string): QueryReferences {
  const { K, builtins, kinds } = getContext();
  const code = K.KustoCode.Parse(query);
  const declared = new Set<string>();
  const letStrings = new Map<string, string>();
  const calls: KFunctionCallExpression[] = [];
  const stringOf = (e: KSyntaxNode | null | undefined): string | undefined =>
    e && e.Kind === kinds.stringLiteral && typeof (e as KLiteralExpression).LiteralValue === "string"
      ? ((e as KLiteralExpression).LiteralValue as string)
      : undefined;

  K.Syntax.SyntaxElement.WalkNodes(code.Syntax, (n) => {
    switch (n.Kind) {
      case kinds.let: {
        const statement = n as KLetStatement;
        declared.add(statement.Name.SimpleName);
        const value = stringOf(statement.Expression);
        if (value !== undefined) letStrings.set(statement.Name.SimpleName, value);
        break;
      }
      case kinds.parameter:
        declared.add((n as KFunctionParameter).NameAndType.Name.SimpleName);
        break;
      case kinds.as:
        declared.add((n as KAsOperator).Name.SimpleName);
        break;
      case kinds.call:
        calls.push(n as KFunctionCallExpression);
        break;
    }
  });

  const functions = new Set<string>();
  const watchlists = new Set<string>();
  for (const call of calls) {
    const name = call.Name.SimpleName;
    if (!name || declared.has(name)) continue;
    if (name === WATCHLIST_FUNCTION) {
      const arg: KExpression | undefined = toArray(call.ArgumentList.Expressions)[0]?.Element;
      const alias =
        stringOf(arg) ?? (arg && arg.Kind === kinds.nameReference ? letStrings.get((arg as KNameReference).SimpleName) : undefined);
      if (alias !== undefined) watchlists.add(alias);
    } else if (!PLATFORM_FUNCTIONS.has(name) && !isBuiltin(builtins, name)) {
      functions.add(name);
    }
  }
  return { functions: [...functions].sort(), watchlists: [...watchlists].sort() };
}
