/**
 * Before anything runs, the whole bound tree (and the body of every function it calls) is
 * checked against what the engine implements. Every unsupported operator, function,
 * parameter or construct is reported by name and line, so a query never half-runs.
 */
import { toArray } from "../kql/kusto";
import type { KCall, KEvaluate, KLetStatementNode, KNamedParameter, KSyntaxNode, KNode } from "./kusto/syntax";
import { ARITHMETIC_KINDS, SCALAR_OPERATOR_KINDS, STRING_OPERATOR_KINDS, type Kinds } from "./kusto/kinds";
import { SCALAR_FUNCTIONS } from "./functions/registry";
import { AGGREGATE_NAMES } from "./aggregates/aggregates";
import { SUPPORTED_PLUGINS } from "./eval/operators/plugins";
import { JOIN_KINDS } from "./eval/operators/join";

/** Syntax kinds the evaluator handles (by name; every other kind is reported). */
const SUPPORTED_SYNTAX = new Set<string>([
  // the evaluator's operators, from the lists it dispatches on
  ...STRING_OPERATOR_KINDS,
  ...ARITHMETIC_KINDS,
  ...SCALAR_OPERATOR_KINDS,
  // structure
  "QueryBlock",
  "List",
  "SeparatedElement",
  "ExpressionList",
  "ExpressionStatement",
  "LetStatement",
  "FunctionDeclaration",
  "FunctionBody",
  "FunctionParameters",
  "FunctionParameter",
  "DefaultValueDeclaration",
  "NameAndTypeDeclaration",
  "PrimitiveTypeExpression",
  "SchemaTypeExpression",
  "NameDeclaration",
  "NameReference",
  "TokenName",
  "BracketedName",
  "WildcardedName",
  "BracketedWildcardedName",
  "NamedParameter",
  "TokenLiteralExpression",
  "RowSchema",
  "ExpressionCouple",
  "OrderingClause",
  "OrderingNullsClause",
  "SummarizeByClause",
  "JoinOnClause",
  "ToTypeOfClause",
  "MvExpandRowLimitClause",
  "MvApplyRowLimitClause",
  "CountAsIdentifierClause",
  "ExternalDataWithClause",
  "SkippedTokens",
  "DirectiveBlock",
  "Directive",
  // literals and expressions
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
  "DynamicExpression",
  "JsonObjectExpression",
  "JsonPair",
  "JsonArrayExpression",
  "ParenthesizedExpression",
  "PathExpression",
  "ElementExpression",
  "BracketedExpression",
  "SimpleNamedExpression",
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
  // operators
  "FilterOperator",
  "ExtendOperator",
  "ProjectOperator",
  "ProjectAwayOperator",
  "ProjectKeepOperator",
  "ProjectRenameOperator",
  "ProjectReorderOperator",
  "SummarizeOperator",
  "JoinOperator",
  "LookupOperator",
  "UnionOperator",
  "MvExpandOperator",
  "MvApplyOperator",
  "ParseOperator",
  "ParseWhereOperator",
  "SortOperator",
  "TakeOperator",
  "TopOperator",
  "DistinctOperator",
  "CountOperator",
  "InvokeOperator",
  "EvaluateOperator",
  "SerializeOperator",
  "PrintOperator",
  "RangeOperator",
  "AsOperator",
  "RenderOperator",
  "RenderWithClause",
  "CompoundNamedExpression",
  "RenameList",
  "MakeSeriesOperator",
  "MakeSeriesExpression",
  "MakeSeriesOnClause",
  "MakeSeriesInRangeClause",
  "MakeSeriesFromToStepClause",
  "MakeSeriesFromClause",
  "MakeSeriesToClause",
  "MakeSeriesStepClause",
  "MakeSeriesByClause",
  "DefaultExpressionClause",
]);

/** Allowed named parameters per operator (hint.* is always accepted and ignored). */
const PARAMETERS: Record<string, Set<string>> = {
  JoinOperator: new Set(["kind"]),
  LookupOperator: new Set(["kind"]),
  UnionOperator: new Set(["isfuzzy", "withsource", "kind"]),
  MvExpandOperator: new Set(["bagexpansion", "with_itemindex", "kind"]),
  MvApplyOperator: new Set(["bagexpansion", "with_itemindex", "kind"]),
  ParseOperator: new Set(["kind", "flags"]),
  ParseWhereOperator: new Set(["kind", "flags"]),
  MakeSeriesOperator: new Set(["kind"]),
};

export interface Unsupported {
  /** e.g. "`evaluate autocluster()`", "`make-series`", "`series_decompose()`" */
  what: string;
  node: KSyntaxNode;
  /** The function whose body contains it, when not the query itself. */
  inFunction?: string;
}

function insideFuzzyUnion(n: KSyntaxNode, kinds: Kinds): boolean {
  for (let p = n.Parent; p; p = p.Parent)
    if (p.Kind === kinds.syntax.UnionOperator) {
      const params = toArray((p as KSyntaxNode & { Parameters: import("./kusto/syntax").KSyntaxList<KNamedParameter> }).Parameters);
      if (params.some((x) => x.Name.SimpleName.toLowerCase() === "isfuzzy" && x.Expression.toString().trim().toLowerCase() === "true"))
        return true;
    }
  return false;
}

function keyword(node: KSyntaxNode): string {
  const token = (node as KNode).GetFirstToken?.();
  return token?.Text ?? node.toString().trim().split(/\s/)[0] ?? "";
}

/** Whether a literal argument's constant (Bridge numbers box as objects with toString) is the given value. */
function sameConstant(constant: unknown, value: unknown): boolean {
  return constant !== null && constant !== undefined && String(constant) === String(value);
}

export function findUnsupported(root: KSyntaxNode, kinds: Kinds, watchlistFunction: unknown): Unsupported[] {
  const found: Unsupported[] = [];
  const seen = new Set<string>();
  const visitedBodies = new Set<KSyntaxNode>();
  const report = (what: string, node: KSyntaxNode, inFunction: string | undefined) => {
    // every place in the query, once; inside a called function's body, once per function
    const key = inFunction === undefined ? `${what}@${node.TextStart}` : `${what}@${inFunction}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ what, node, ...(inFunction ? { inFunction } : {}) });
  };

  const walk = (tree: KSyntaxNode, inFunction: string | undefined) => {
    const bodies: { body: KSyntaxNode; name: string }[] = [];
    // functions declared with let in this tree: their declarations are walked here, at their own lines
    const local = new Set<string>();
    const visit = (n: KSyntaxNode) => {
      if ((n as KNode).IsToken) return;
      const name = kinds.syntaxName.get(n.Kind) ?? String(n.Kind);
      if (name === "LetStatement") {
        const let_ = n as KLetStatementNode;
        if (kinds.syntaxName.get(let_.Expression.Kind) === "FunctionDeclaration") local.add(let_.Name.SimpleName);
      }
      if (!SUPPORTED_SYNTAX.has(name)) {
        report(
          name.endsWith("Operator") ? `\`${keyword(n)}\`` : `the syntax \`${n.toString().trim().slice(0, 60)}\` (${name})`,
          n,
          inFunction,
        );
        return;
      }
      if (name === "NamedParameter") {
        const p = n as KNamedParameter;
        const owner = kinds.syntaxName.get(n.Parent?.Parent?.Kind ?? -1) ?? "";
        const pname = p.Name.SimpleName.toLowerCase();
        const allowed = PARAMETERS[owner];
        if (allowed && !pname.startsWith("hint.") && !allowed.has(pname))
          report(`the \`${pname}\` parameter of \`${keyword(n.Parent!.Parent!)}\``, n, inFunction);
        if ((owner === "JoinOperator" || owner === "LookupOperator") && pname === "kind") {
          const value = p.Expression.toString().trim().toLowerCase();
          if (!(JOIN_KINDS as readonly string[]).includes(value)) report(`\`join kind=${value}\``, n, inFunction);
        }
      }
      if (name === "EvaluateOperator") {
        const plugin = (n as KEvaluate).FunctionCall.Name.SimpleName;
        if (!SUPPORTED_PLUGINS.has(plugin)) report(`\`evaluate ${plugin}()\``, n, inFunction);
        return; // the plugin's arguments are checked by the plugin
      }
      if (name === "FunctionCallExpression") {
        const call = n as KCall;
        const body = call.GetCalledFunctionBody();
        const fname = call.ReferencedSymbol?.Name ?? call.Name.SimpleName;
        if (body && local.has(call.Name.SimpleName)) {
          // a let function of this tree: its declaration is (or was) walked in place
        } else if (body) {
          if (!visitedBodies.has(body)) {
            visitedBodies.add(body);
            bodies.push({ body, name: fname });
          }
        } else if (!call.ReferencedSymbol && insideFuzzyUnion(n, kinds)) {
          // union isfuzzy=true skips what it cannot resolve, at run time too
        } else if (
          call.ReferencedSymbol !== watchlistFunction &&
          fname !== "table" &&
          !SCALAR_FUNCTIONS.has(fname) &&
          !AGGREGATE_NAMES.has(fname)
        ) {
          report(`\`${fname}()\``, n, inFunction);
        } else {
          const fn = SCALAR_FUNCTIONS.get(fname);
          const args = toArray(call.ArgumentList.Expressions).map((s) => s.Element);
          if (fn?.maxArgs !== undefined && args.length > fn.maxArgs)
            report(`\`${fname}()\` with ${args.length} arguments (it implements the first ${fn.maxArgs})`, n, inFunction);
          for (const [index, { name: param, default: value }] of fn?.defaultOnlyArgs ?? []) {
            const arg = args[index];
            if (arg && !sameConstant(arg.ConstantValue, value))
              report(`the ${param} argument of \`${fname}()\` (only its default, ${String(value)})`, n, inFunction);
          }
        }
      }
      for (let i = 0; i < n.ChildCount; i++) {
        const child = (n as KNode).GetChild(i);
        if (child && !(child as KNode).IsToken) visit(child);
      }
    };
    visit(tree);
    for (const { body, name } of bodies) walk(body, inFunction ?? name);
  };
  walk(root, undefined);
  return found;
}
