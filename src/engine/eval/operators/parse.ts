/**
 * parse / parse-where: the pattern (string literals, `*`, columns) becomes one RE2 regular
 * expression, as Kusto documents it: `*` and columns match lazily, the last column takes the
 * rest. kind=regex takes the literals as regex fragments; kind=relaxed keeps rows whose typed
 * columns fail to convert (those columns become null). parse-where drops rows that do not match.
 */
import { toArray } from "../../../kql/kusto";
import { RE2JS } from "re2js";
import type { KExpression, KNameAndType, KNameDeclaration, KParse, KSyntaxNode } from "../../kusto/syntax";
import { EvaluationError, rowShape, type RunContext, type Scope } from "../context";
import { compileScalar } from "../scalar";
import { conform } from "../schema";
import { parameterValue } from "./join";
import { argAs } from "../../functions/types";
import { compileRegex } from "../../values/regex";
import { constantToValue } from "../../kusto/constants";
import { convertValue } from "../../values/convert";
import { isKqlType, type Column, type KqlType, type Row, type Value } from "../../values/types";
import type { Table } from "../../values/table";
import { dense, selectRows, type ColumnData } from "../../values/table";

/** Numbers and booleans are matched by their shape, so a typed column stops where its value ends. */
const TYPED_CAPTURE: Partial<Record<KqlType, string>> = {
  int: "([-+]?\\d+)",
  long: "([-+]?\\d+)",
  real: "([-+]?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)",
  decimal: "([-+]?\\d+(?:\\.\\d+)?)",
  bool: "((?i)true|false)",
};

interface Capture {
  name: string;
  type: KqlType;
}

export function parse(op: KParse, input: Table, scope: Scope, run: RunContext, dropUnmatched: boolean): Table {
  const k = run.kinds.syntax;
  const kind = (parameterValue(op.Parameters, "kind") ?? "simple").toLowerCase();
  const flags = parameterValue(op.Parameters, "flags") ?? "";
  const patterns = toArray(op.Patterns) as KSyntaxNode[];
  const captures: Capture[] = [];
  let regex = "";
  patterns.forEach((p, i) => {
    const last = i === patterns.length - 1;
    if (p.Kind === k.StringLiteralExpression || p.Kind === k.CompoundStringLiteralExpression) {
      // pattern literals are not bound as expressions: read the literal's own value
      const raw = (p as KExpression).ConstantValue ?? (p as KExpression & { LiteralValue: unknown }).LiteralValue;
      const text = constantToValue(raw, "string") as string;
      regex += kind === "regex" ? text : RE2JS.quote(text);
    } else if (p.Kind === k.StarExpression) {
      regex += last ? ".*" : ".*?";
    } else if (p.Kind === k.NameAndTypeDeclaration || p.Kind === k.NameDeclaration) {
      const decl = p.Kind === k.NameAndTypeDeclaration ? (p as KNameAndType) : undefined;
      const name = decl ? decl.Name.SimpleName : (p as KNameDeclaration).SimpleName;
      const typeName = decl ? decl.Type.ReferencedSymbol?.Name : "string";
      const type: KqlType = typeName && isKqlType(typeName) ? typeName : "string";
      captures.push({ name, type });
      regex += TYPED_CAPTURE[type] ?? (last ? "(.*)" : "(.*?)");
    } else throw new EvaluationError(`the local engine does not support this parse pattern element: ${p.toString().trim()}`, p);
  });
  const prefix = flags.includes("i") ? "(?i)" : "";
  const re = compileRegex(`${prefix}${flags.includes("s") ? "(?s)" : ""}^${regex}`);
  const source = argAs(compileScalar(op.Expression, { run, scope, shape: rowShape(input) }), "string") as (row: Row) => string;

  const columns: Column[] = input.columns.slice();
  const index = new Map(columns.map((c, i) => [c.name, i]));
  const targets = captures.map((c) => {
    let at = index.get(c.name);
    if (at === undefined) {
      at = columns.length;
      columns.push({ name: c.name, type: c.type });
      index.set(c.name, at);
    } else columns[at] = { name: c.name, type: c.type };
    return at;
  });
  const empty = (c: Capture): Value => (c.type === "string" ? "" : null);
  const kept: number[] = [];
  const captured: Value[][] = captures.map(() => []);
  for (let row = 0; row < input.length; row++) {
    const m = re.matcher(source(row));
    let matched = m.lookingAt();
    const values: Value[] = [];
    if (matched) {
      captures.forEach((c, j) => {
        const text = m.group(j + 1) ?? "";
        const v = c.type === "string" ? text : convertValue(text, "string", c.type);
        if (v === null && c.type !== "string" && kind !== "relaxed") matched = false;
        values.push(v);
      });
    }
    if (!matched && dropUnmatched) continue;
    kept.push(row);
    captures.forEach((c, j) => {
      captured[j]!.push(matched ? values[j]! : kind === "relaxed" && values.length > 0 ? (values[j] ?? empty(c)) : empty(c));
    });
  }
  const base = kept.length === input.length ? input : selectRows(input, Int32Array.from(kept));
  const data: ColumnData[] = base.data.slice();
  targets.forEach((at, j) => {
    data[at] = dense(captured[j]!);
  });
  return conform(op, { columns, data, length: kept.length }, run, "parse");
}
