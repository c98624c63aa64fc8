/**
 * Compiles a bound scalar expression into a closure over the row, once per operator. Types,
 * names and overloads come from Kusto.Language (ResultType, ReferencedSymbol,
 * ReferencedSignature); this module only decides how to compute each node.
 */
import { toArray } from "../../kql/kusto";
import type {
  KBetween,
  KBinary,
  KCall,
  KDynamicLiteral,
  KElement,
  KJsonArray,
  KJsonObject,
  KExpression,
  KFunctionBody,
  KLetStatementNode,
  KListExpression,
  KPath,
  KSyntaxNode,
  KToScalar,
  KUnary,
  KVariableSymbol,
} from "../kusto/syntax";
import { constantToValue } from "../kusto/constants";
import { ARITHMETIC_KINDS, kinds as kindsOf } from "../kusto/kinds";
import { SCALAR_FUNCTIONS } from "../functions/registry";
import { argAs, type CallSite, type RowFn } from "../functions/types";
import { arithmetic, coerce, equality, ordering, type ArithmeticOp } from "./arithmetic";
import {
  EvaluationError,
  isTabular,
  memoize,
  NO_ROW,
  rowShape,
  Scope,
  type Binding,
  type Compiled,
  type RunContext,
  type ScalarContext,
} from "./context";
import { stringPredicate, STRING_OPERATOR_KINDS } from "./stringOperators";
import { listMembership, hasAnyOrAll } from "./lists";
import { parseDatetime } from "../values/datetime";
import { parseTimespan } from "../values/timespan";
import { getIndex, getProperty, newBag } from "../values/dynamic";
import { reader } from "../values/table";
import { toDynamicValue } from "../values/convert";
import { isKqlType, type Dyn, type KqlType, type Row, type Value } from "../values/types";
import type { Table } from "../values/table";

export function typeOf(e: KExpression | null | undefined): KqlType {
  const name = e?.ResultType?.Name;
  return name && isKqlType(name) ? name : "dynamic";
}

function constant(type: KqlType, value: Value): Compiled {
  return { type, fn: () => value, rowFree: true };
}

function innerText(node: KSyntaxNode): string | undefined {
  const text = node.toString().trim();
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  return open >= 0 && close > open ? text.slice(open + 1, close).trim() : undefined;
}

/**
 * A literal's value from Kusto.Language's constant. Two literal forms are read from their own
 * text instead, because the boxed constant is lossy: datetime (Bridge keeps milliseconds only)
 * and `timespan(d.hh:mm:ss)` (folded to zero); the text is read with the same readers as
 * todatetime()/totimespan().
 */
function literal(e: KExpression, type: KqlType): Compiled {
  if ((e as KSyntaxNode).Kind === kindsOf().syntax.DynamicExpression)
    return constant("dynamic", dynamicLiteral((e as KDynamicLiteral).Expression));
  if (type === "real") {
    // real(nan), real(+inf), real(-inf): Kusto.Language's constant for these is 0
    const special = SPECIAL_REALS.get((innerText(e) ?? "").toLowerCase());
    if (special !== undefined) return constant(type, special);
  }
  if (type === "datetime" || type === "timespan") {
    const inner = innerText(e);
    if (inner !== undefined) {
      if (inner === "null") return constant(type, null);
      const v = type === "datetime" ? parseDatetime(inner) : parseTimespan(inner);
      if (v !== null) return constant(type, v);
    }
  }
  if (type === "long" && /^0x[0-9a-f]+$/i.test(e.toString().trim())) return constant(type, BigInt.asIntN(64, BigInt(e.toString().trim())));
  const v = constantToValue(e.ConstantValue, type);
  if (v === undefined) throw new EvaluationError(`cannot read the literal ${e.toString().trim()}`, e);
  return constant(type, v);
}

const SPECIAL_REALS: ReadonlyMap<string, number | null> = new Map([
  ["nan", NaN],
  ["+inf", Infinity],
  ["inf", Infinity],
  ["-inf", -Infinity],
  ["null", null],
]);

/**
 * A `dynamic(...)` literal's value, built from the JSON tree Kusto.Language parsed (single or
 * double quotes, nested bags and arrays, typed literals such as datetime(...) as elements).
 */
function dynamicLiteral(e: KExpression): Dyn {
  const k = kindsOf().syntax;
  switch ((e as KSyntaxNode).Kind) {
    case k.JsonObjectExpression: {
      const bag = newBag();
      for (const s of toArray((e as KJsonObject).Pairs)) bag[s.Element.Name.ValueText] = dynamicLiteral(s.Element.Value);
      return bag;
    }
    case k.JsonArrayExpression:
      return toArray((e as KJsonArray).Values).map((s) => dynamicLiteral(s.Element));
    case k.NullLiteralExpression:
      return null;
    case k.UnaryMinusExpression:
    case k.UnaryPlusExpression:
    case k.ParenthesizedExpression: {
      const inner = dynamicLiteral((e as KUnary).Expression);
      if ((e as KSyntaxNode).Kind !== k.UnaryMinusExpression) return inner;
      if (typeof inner === "number") return -inner;
      break;
    }
    default: {
      const type = typeOf(e);
      const c = literal(e, type);
      return toDynamicValue(c.fn(NO_ROW), type);
    }
  }
  throw new EvaluationError(`cannot read the dynamic literal element ${e.toString().trim()}`, e);
}

const ARITHMETIC_OPS: Record<(typeof ARITHMETIC_KINDS)[number], ArithmeticOp> = {
  AddExpression: "add",
  SubtractExpression: "subtract",
  MultiplyExpression: "multiply",
  DivideExpression: "divide",
  ModuloExpression: "modulo",
};

function allRowFree(cs: readonly Compiled[]): boolean {
  return cs.every((c) => c.rowFree);
}

/** Column reference by name in the current row shape, converted if the runtime type differs. */
function columnRef(name: string, type: KqlType, cx: ScalarContext, node: KSyntaxNode): Compiled {
  const index = cx.shape.index.get(name);
  if (index === undefined) throw new EvaluationError(`the column '${name}' is not in the input`, node);
  const actual = cx.shape.columns[index]!.type;
  const read: RowFn = cx.shape.readers[index]!;
  if (actual === type || (type === "dynamic" && actual === "dynamic")) return { type: actual, fn: read, rowFree: false };
  return { type, fn: coerce({ type: actual, fn: read, rowFree: false }, type), rowFree: false };
}

function nameReference(e: KExpression, cx: ScalarContext): Compiled {
  const { run } = cx;
  const sym = e.ReferencedSymbol;
  const type = typeOf(e);
  const name = (e as KExpression & { SimpleName: string }).SimpleName;
  if (!sym || sym.Kind === run.kinds.symbol.Column || sym.Kind === run.kinds.symbol.Error)
    return columnRef(sym?.Kind === run.kinds.symbol.Column ? sym.Name : name, type, cx, e);
  const binding = cx.scope.lookup(sym);
  if (binding) {
    if (binding.kind === "scalar") return binding.value;
    throw new EvaluationError(`'${name}' is a table, not a scalar value`, e);
  }
  const body = e.GetCalledFunctionBody();
  if (body) {
    // a function without parameters called by its bare name
    const scope = new Scope(cx.scope, new Map());
    const { statements, expression } = bodyParts(body);
    declareLets(statements, scope, run);
    return compileScalar(expression, { ...cx, scope });
  }
  const variable = sym as KVariableSymbol;
  if (variable.IsConstant) {
    const v = constantToValue(variable.ConstantValue, type);
    if (v !== undefined) return constant(type, v);
  }
  throw new EvaluationError(`the name '${name}' has no value here`, e);
}

function unaryMinus(c: Compiled): Compiled {
  const f = c.fn;
  if (c.type === "long" || c.type === "timespan" || c.type === "datetime")
    return {
      ...c,
      fn: (row) => {
        const v = f(row) as bigint | null;
        return v === null ? null : BigInt.asIntN(64, -v);
      },
    };
  return {
    ...c,
    fn: (row) => {
      const v = f(row) as number | null;
      return v === null ? null : c.type === "int" ? -v | 0 : -v;
    },
  };
}

function logical(isAnd: boolean, a: Compiled, b: Compiled): RowFn {
  const fa = argAs(a, "bool");
  const fb = argAs(b, "bool");
  // three-valued logic: false and null = false, true or null = true
  return isAnd
    ? (row) => {
        const x = fa(row);
        if (x === false) return false;
        const y = fb(row);
        if (y === false) return false;
        return x === null || y === null ? null : true;
      }
    : (row) => {
        const x = fa(row);
        if (x === true) return true;
        const y = fb(row);
        if (y === true) return true;
        return x === null || y === null ? null : false;
      };
}

function between(e: KBetween, negate: boolean, cx: ScalarContext): Compiled {
  const v = compileScalar(e.Left, cx);
  const lo = compileScalar(e.Right.First, cx);
  let hi = compileScalar(e.Right.Second, cx);
  if ((v.type === "datetime" || v.type === "timespan") && hi.type === "timespan" && v.type !== hi.type) {
    // `datetime between (start .. span)` means start .. start + span
    hi = { type: v.type, fn: arithmetic("add", lo, hi, v.type), rowFree: lo.rowFree && hi.rowFree };
  }
  const ge = ordering("ge", v, lo);
  const le = ordering("le", v, hi);
  return {
    type: "bool",
    rowFree: allRowFree([v, lo, hi]),
    fn: (row) => {
      const a = ge(row);
      const b = le(row);
      if (a === null || b === null) return null;
      return negate ? !(a && b) : a === true && b === true;
    },
  };
}

function pathExpression(e: KPath, cx: ScalarContext): Compiled {
  const target = compileScalar(e.Expression, cx);
  const key = (e.Selector as KExpression & { SimpleName?: string }).SimpleName ?? e.Selector.toString().trim();
  const f = argAs(target, "dynamic");
  return { type: "dynamic", rowFree: target.rowFree, fn: (row) => getProperty(f(row) as Dyn, key) };
}

function elementExpression(e: KElement, cx: ScalarContext): Compiled {
  const target = compileScalar(e.Expression, cx);
  const selector = compileScalar((e.Selector as KExpression & { Expression: KExpression }).Expression, cx);
  const f = argAs(target, "dynamic");
  const s = selector.fn;
  const numeric = selector.type === "long" || selector.type === "int" || selector.type === "real";
  return {
    type: "dynamic",
    rowFree: target.rowFree && selector.rowFree,
    fn: (row) => {
      const d = f(row) as Dyn;
      const k = s(row);
      if (k === null) return null;
      if (numeric || typeof k === "number" || typeof k === "bigint") return getIndex(d, Number(k));
      return getProperty(d, typeof k === "string" ? k : String(k));
    },
  };
}

/** toscalar(): the first column of the first row, or null for an empty table. */
function toScalar(e: KToScalar, cx: ScalarContext): Compiled {
  const type = typeOf(e);
  const scope = cx.scope;
  const run = cx.run;
  return memoize({
    type,
    rowFree: true,
    fn: () => {
      const t = run.evaluateTable(e.Expression, scope);
      if (t.length === 0 || t.columns.length === 0) return null;
      const first = reader(t.data[0]!)(0);
      const from = t.columns[0]!.type;
      return from === type ? first : argAs({ type: from, fn: () => first, rowFree: true }, type)(NO_ROW);
    },
  });
}

function callArguments(call: KCall): KExpression[] {
  return toArray(call.ArgumentList.Expressions).map((s) => s.Element);
}

/** Binds a user function's parameters (by name, in order) to the call's arguments. */
export function bindParameters(
  call: KCall,
  args: readonly KExpression[],
  cx: ScalarContext,
  firstTable?: () => Table,
): Map<string, Binding> {
  const params = toArray(call.ReferencedSignature?.Parameters).map((p) => p.Name);
  const bindings = new Map<string, Binding>();
  let offset = 0;
  if (firstTable && params.length > 0) {
    bindings.set(params[0]!, { kind: "table", get: firstTable });
    offset = 1;
  }
  args.forEach((arg, i) => {
    const name = params[i + offset];
    if (name === undefined) throw new EvaluationError(`too many arguments in the call to ${call.Name.SimpleName}`, arg);
    if (isTabular(arg, cx.run)) {
      let table: Table | undefined;
      bindings.set(name, { kind: "table", get: () => (table ??= cx.run.evaluateTable(arg, cx.scope)) });
    } else bindings.set(name, { kind: "scalar", value: memoize(compileScalar(arg, cx)) });
  });
  return bindings;
}

/** Declares the `let` statements of a query or function body in the scope, lazily. */
export function declareLets(statements: readonly KSyntaxNode[], scope: Scope, run: RunContext): void {
  for (const statement of statements) {
    if (statement.Kind !== run.kinds.syntax.LetStatement) continue;
    const letNode = statement as KLetStatementNode;
    const symbol = letNode.Name.ReferencedSymbol;
    const expr = letNode.Expression;
    if (!symbol || expr.Kind === run.kinds.syntax.FunctionDeclaration) continue; // functions are expanded at call sites
    if (isTabular(expr, run)) {
      let table: Table | undefined;
      scope.declare(symbol, { kind: "table", get: () => (table ??= run.evaluateTable(expr, scope)) });
    } else {
      // compiled now so its row dependence is known (a let in a function body may use a parameter bound to a row)
      scope.declare(symbol, { kind: "scalar", value: memoize(compileScalar(expr, { run, scope, shape: EMPTY_SHAPE })) });
    }
  }
}

const EMPTY_SHAPE = rowShape([]);

export function bodyParts(body: KSyntaxNode): { statements: KSyntaxNode[]; expression: KExpression } {
  const fb = body as KFunctionBody;
  const expression = fb.Expression;
  if (!expression) throw new EvaluationError("the function body has no result expression", body);
  return { statements: toArray(fb.Statements).map((s) => s.Element), expression };
}

function userScalarCall(call: KCall, body: KSyntaxNode, cx: ScalarContext): Compiled {
  const scope = new Scope(cx.scope, bindParameters(call, callArguments(call), cx));
  const { statements, expression } = bodyParts(body);
  declareLets(statements, scope, cx.run);
  const inner: ScalarContext = { ...cx, scope };
  return compileScalar(expression, inner);
}

function functionCall(e: KCall, cx: ScalarContext): Compiled {
  const body = e.GetCalledFunctionBody();
  if (body) return userScalarCall(e, body, cx);
  const name = e.ReferencedSymbol?.Name ?? e.Name.SimpleName;
  const impl = SCALAR_FUNCTIONS.get(name);
  if (!impl) throw new EvaluationError(`the local engine does not support \`${name}()\``, e);
  const args = callArguments(e).map((a) => compileScalar(a, cx));
  const resultType = typeOf(e);
  const site: CallSite = { name, node: e, resultType, run: cx.run, cx };
  const raw = impl.build(args, site);
  const fn = normalizeResult(raw, resultType);
  const rowFree = !impl.volatile && !impl.readsRow && allRowFree(args);
  return rowFree ? memoize({ type: resultType, fn, rowFree }) : { type: resultType, fn, rowFree };
}

/** Makes sure a function's result uses the representation of its declared type. */
function normalizeResult(f: RowFn, type: KqlType): RowFn {
  switch (type) {
    case "long":
    case "datetime":
    case "timespan":
      return (row) => {
        const v = f(row);
        return typeof v === "number" ? (Number.isFinite(v) ? BigInt(Math.trunc(v)) : null) : v;
      };
    case "int":
    case "real":
    case "decimal":
      return (row) => {
        const v = f(row);
        return typeof v === "bigint" ? Number(v) : v;
      };
    case "dynamic":
      return (row) => {
        const v = f(row);
        return typeof v === "bigint" ? toDynamicValue(v, "long") : v;
      };
    default:
      return f;
  }
}

export function compileScalar(e: KExpression, cx: ScalarContext): Compiled {
  const given = cx.overrides?.get(e);
  if (given) return given;
  const k = cx.run.kinds.syntax;
  const kind = (e as KSyntaxNode).Kind;
  const type = typeOf(e);
  switch (kind) {
    case k.BooleanLiteralExpression:
    case k.IntLiteralExpression:
    case k.LongLiteralExpression:
    case k.RealLiteralExpression:
    case k.DecimalLiteralExpression:
    case k.DateTimeLiteralExpression:
    case k.TimespanLiteralExpression:
    case k.GuidLiteralExpression:
    case k.StringLiteralExpression:
    case k.CompoundStringLiteralExpression:
    case k.DynamicExpression:
      return literal(e, type);
    case k.NullLiteralExpression:
      return constant("dynamic", null);
    case k.TypeOfLiteralExpression:
      // typeof(...) arguments (extract's result type) are read by the binder, not evaluated
      return constant("dynamic", null);
    case k.NameReference:
      return nameReference(e, cx);
    case k.ParenthesizedExpression:
    case k.SimpleNamedExpression:
      return compileScalar((e as KUnary).Expression, cx);
    case k.UnaryMinusExpression:
      return unaryMinus(compileScalar((e as KUnary).Expression, cx));
    case k.UnaryPlusExpression:
      return compileScalar((e as KUnary).Expression, cx);
    case k.AndExpression:
    case k.OrExpression: {
      const a = compileScalar((e as KBinary).Left, cx);
      const b = compileScalar((e as KBinary).Right, cx);
      return { type: "bool", fn: logical(kind === k.AndExpression, a, b), rowFree: allRowFree([a, b]) };
    }
    case k.EqualExpression:
    case k.NotEqualExpression: {
      const a = compileScalar((e as KBinary).Left, cx);
      const b = compileScalar((e as KBinary).Right, cx);
      return { type: "bool", fn: equality(a, b, kind === k.NotEqualExpression), rowFree: allRowFree([a, b]) };
    }
    case k.LessThanExpression:
    case k.LessThanOrEqualExpression:
    case k.GreaterThanExpression:
    case k.GreaterThanOrEqualExpression: {
      const a = compileScalar((e as KBinary).Left, cx);
      const b = compileScalar((e as KBinary).Right, cx);
      const op =
        kind === k.LessThanExpression ? "lt" : kind === k.LessThanOrEqualExpression ? "le" : kind === k.GreaterThanExpression ? "gt" : "ge";
      return { type: "bool", fn: ordering(op, a, b), rowFree: allRowFree([a, b]) };
    }
    case k.BetweenExpression:
    case k.NotBetweenExpression:
      return between(e as KBetween, kind === k.NotBetweenExpression, cx);
    case k.InExpression:
    case k.InCsExpression:
    case k.NotInExpression:
    case k.NotInCsExpression:
      return listMembership(
        e as KListExpression,
        kind === k.InExpression || kind === k.NotInExpression,
        kind === k.NotInExpression || kind === k.NotInCsExpression,
        cx,
        compileScalar,
      );
    case k.HasAnyExpression:
    case k.HasAllExpression:
      return hasAnyOrAll(e as KListExpression, kind === k.HasAllExpression, cx, compileScalar);
    case k.PathExpression:
      return pathExpression(e as KPath, cx);
    case k.ElementExpression:
      return elementExpression(e as KElement, cx);
    case k.FunctionCallExpression:
      return functionCall(e as KCall, cx);
    case k.ToScalarExpression:
      return toScalar(e as KToScalar, cx);
    default:
      break;
  }
  for (const name of ARITHMETIC_KINDS) {
    if (kind === k[name]) {
      const a = compileScalar((e as KBinary).Left, cx);
      const b = compileScalar((e as KBinary).Right, cx);
      return { type, fn: arithmetic(ARITHMETIC_OPS[name], a, b, type), rowFree: allRowFree([a, b]) };
    }
  }
  const stringOp = STRING_OPERATOR_KINDS.find((n) => k[n] === kind);
  if (stringOp) {
    const a = compileScalar((e as KBinary).Left, cx);
    const b = compileScalar((e as KBinary).Right, cx);
    return { type: "bool", fn: stringPredicate(stringOp, a, b), rowFree: allRowFree([a, b]) };
  }
  throw new EvaluationError(`the local engine does not support the expression \`${e.toString().trim()}\``, e);
}

export type { Row };
