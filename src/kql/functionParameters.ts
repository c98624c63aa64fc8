/**
 * Reads a saved search's `functionParameters` text (`T:(IPAddress:string), n:int = 5`)
 * back into the structured parameters function YAML declares, with the Kusto
 * parser: the exporter writes them, and the live diff compares parameter lists
 * by meaning rather than by spelling (`1d` equals `timespan(1d)`).
 */
import { KQL_SCALAR_TYPES } from "../sentinel/kqlTypes";
import type { FunctionParameter } from "../sentinel/savedSearch";
import {
  loadKusto,
  toArray,
  type KFunctionParameter,
  type KLiteralExpression,
  type KSchemaTypeExpression,
  type KSyntaxNode,
} from "./kusto";

export type ParametersParseResult = { ok: true; parameters: FunctionParameter[] } | { ok: false; reason: string };

type ScalarType = (typeof KQL_SCALAR_TYPES)[number];
const SCALAR_TYPES = new Set<string>(KQL_SCALAR_TYPES);
const NUMERIC = new Set<string>(["int", "long", "real", "double", "decimal"]);
/** Types whose defaults the YAML holds as the text inside `type(...)`. */
const WRAPPED = new Set<string>(["datetime", "guid", "dynamic"]);

function scalarType(text: string): ScalarType | undefined {
  const t = text.trim().toLowerCase();
  return SCALAR_TYPES.has(t) ? (t as ScalarType) : undefined;
}

function defaultValue(type: ScalarType, node: KLiteralExpression, text: string): string | number | boolean | undefined {
  if (type === "string") return typeof node.LiteralValue === "string" ? node.LiteralValue : undefined;
  if (type === "bool" || type === "boolean") return text === "true" ? true : text === "false" ? false : undefined;
  if (NUMERIC.has(type)) {
    const n = Number(text);
    return Number.isFinite(n) && text !== "" ? n : undefined;
  }
  if (type === "timespan") {
    // A literal (`1d`, `30m`) stays as written; `timespan(1d)` is unwrapped to it.
    const wrapped = /^timespan\((.*)\)$/is.exec(text);
    return (wrapped?.[1] ?? text).trim();
  }
  if (WRAPPED.has(type)) {
    const wrapped = new RegExp(`^${type}\\((.*)\\)$`, "is").exec(text);
    return wrapped?.[1]?.trim();
  }
  return undefined;
}

export function parseFunctionParameters(text: string): ParametersParseResult {
  if (text.trim() === "") return { ok: true, parameters: [] };
  const kusto = loadKusto();
  const code = kusto.KustoCode.Parse(`let __f = (${text}) { print 1 };`);
  const errors = toArray(code.GetDiagnostics()).filter((d) => d.Severity === "Error");
  if (errors.length > 0) return { ok: false, reason: `it does not parse as a KQL parameter list (${errors[0]!.Message})` };

  const kinds = kusto.Syntax.SyntaxKind;
  const nodes: KFunctionParameter[] = [];
  kusto.Syntax.SyntaxElement.WalkNodes(code.Syntax, (n) => {
    if (n.Kind === kinds.FunctionParameter) nodes.push(n as KFunctionParameter);
  });

  const parameters: FunctionParameter[] = [];
  for (const node of nodes) {
    const name = node.NameAndType.Name.SimpleName;
    const typeNode: KSyntaxNode = node.NameAndType.Type;
    if (typeNode.Kind === kinds.SchemaTypeExpression) {
      const columns: { name: string; type: ScalarType }[] = [];
      for (const element of toArray((typeNode as KSchemaTypeExpression).Columns)) {
        const column = element.Element;
        if (column.Kind === kinds.StarExpression) continue;
        if (column.Kind !== kinds.NameAndTypeDeclaration)
          return { ok: false, reason: `parameter ${name} has a column '${column.toString().trim()}' that is not name:type` };
        const declaration = column as unknown as { Name: { SimpleName: string }; Type: KSyntaxNode };
        const type = scalarType(declaration.Type.toString());
        if (!type)
          return {
            ok: false,
            reason: `column ${declaration.Name.SimpleName} of parameter ${name} has an unsupported type '${declaration.Type.toString().trim()}'`,
          };
        columns.push({ name: declaration.Name.SimpleName, type });
      }
      if (node.DefaultValue)
        return { ok: false, reason: `tabular parameter ${name} has a default value, which function YAML cannot express` };
      parameters.push({ name, type: "table", ...(columns.length > 0 ? { columns } : {}) });
      continue;
    }
    const type = scalarType(typeNode.toString());
    if (!type) return { ok: false, reason: `parameter ${name} has an unsupported type '${typeNode.toString().trim()}'` };
    if (!node.DefaultValue) {
      parameters.push({ name, type });
      continue;
    }
    const valueNode = node.DefaultValue.Value as KLiteralExpression;
    const valueText = valueNode.toString().trim();
    const value = defaultValue(type, valueNode, valueText);
    if (value === undefined) return { ok: false, reason: `the default of parameter ${name} ('${valueText}') is not a ${type} literal` };
    parameters.push({ name, type, default: value });
  }
  return { ok: true, parameters };
}
