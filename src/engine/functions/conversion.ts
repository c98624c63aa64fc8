/** to<type>() conversions, parse_json and gettype. */
import { argAs, fn1, type FunctionTable, type ScalarFunction } from "./types";
import { dynToJson, parseJsonText, withSortedKeys } from "../values/dynamic";
import type { Dyn, KqlType } from "../values/types";

function convertTo(type: KqlType): ScalarFunction {
  return { build: ([a]) => argAs(a!, type) };
}

const parseJson: ScalarFunction = {
  build([a]) {
    const f = a!.fn;
    if (a!.type === "dynamic") return f;
    if (a!.type === "string") return (row) => parseJsonText(f(row) as string);
    return argAs(a!, "dynamic");
  },
};

function dynType(v: Dyn): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return "bool";
  // a JSON integer is an int when it fits 32 bits (docs: gettype(parse_json('1')) is int)
  if (typeof v === "number") return Number.isInteger(v) ? (v >= -2147483648 && v <= 2147483647 ? "int" : "long") : "real";
  if (typeof v === "string") return "string";
  return Array.isArray(v) ? "array" : "dictionary";
}

const SCALAR_TYPE_NAMES: Record<KqlType, string> = {
  bool: "bool",
  int: "int",
  long: "long",
  real: "real",
  decimal: "decimal",
  datetime: "datetime",
  timespan: "timespan",
  guid: "guid",
  string: "string",
  dynamic: "dynamic",
};

export const CONVERSION_FUNCTIONS: FunctionTable = {
  tostring: convertTo("string"),
  toint: convertTo("int"),
  tolong: convertTo("long"),
  toreal: convertTo("real"),
  todouble: convertTo("real"),
  todecimal: convertTo("decimal"),
  tobool: convertTo("bool"),
  toboolean: convertTo("bool"),
  todatetime: convertTo("datetime"),
  totimespan: convertTo("timespan"),
  totime: convertTo("timespan"),
  toguid: convertTo("guid"),
  todynamic: parseJson,
  toobject: parseJson,
  parse_json: parseJson,
  parsejson: parseJson,
  // property names sorted at every depth, so equal bags give equal text (the docs' purpose for it)
  dynamic_to_json: fn1("dynamic", (v) => (typeof v === "string" ? JSON.stringify(v) : dynToJson(withSortedKeys(v as Dyn))), true),
  gettype: {
    build([a]) {
      const f = a!.fn;
      if (a!.type === "dynamic") return (row) => dynType(f(row) as Dyn);
      const name = SCALAR_TYPE_NAMES[a!.type];
      return (row) => (f(row) === null && a!.type !== "string" ? "null" : name);
    },
  },
  tohex: {
    build([a, b]) {
      const fa = argAs(a!, "long");
      const fb = b ? argAs(b, "long") : () => 0n;
      return (row) => {
        const v = fa(row) as bigint | null;
        if (v === null) return null;
        const width = Number((fb(row) as bigint | null) ?? 0n);
        const hex = (v < 0n ? BigInt.asUintN(64, v) : v).toString(16);
        return hex.padStart(width, "0");
      };
    },
  },
};
