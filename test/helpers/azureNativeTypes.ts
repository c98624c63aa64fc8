/**
 * Checks values against azure-native's own TypeScript declarations with the
 * TypeScript compiler: each value is written out as an object literal
 * assigned to the declared `*Args` type, so TypeScript's excess-property check
 * reports any key, at any depth, that azure-native does not declare (and any
 * value of the wrong type, and any required key that is missing). Nothing
 * here lists keys by hand: the declarations are the ones installed in
 * node_modules, generated from azure-native's schema.
 */
import { join } from "node:path";
import ts from "typescript";

export interface TypedValue {
  /** Module path under @pulumi/azure-native, e.g. `securityinsights`. */
  module: string;
  /** The exported type, e.g. `ScheduledAlertRuleArgs`. */
  typeName: string;
  value: unknown;
  /** Names this value in messages. */
  label: string;
}

const PROJECT_DIR = join(__dirname, "..", "..");
const VIRTUAL_FILE = join(PROJECT_DIR, "test", "__azure-native-conformance__.ts");

/** Type errors, one string per error, naming the value's label and the offending key path. */
export function azureNativeTypeErrors(values: readonly TypedValue[]): string[] {
  const imports = new Map<string, Set<string>>();
  for (const v of values) {
    if (!imports.has(v.module)) imports.set(v.module, new Set());
    imports.get(v.module)!.add(v.typeName);
  }
  const lines: string[] = [];
  for (const [module, names] of imports) {
    lines.push(`import type { ${[...names].map((t) => `${t} as ${module}_${t}`).join(", ")} } from "@pulumi/azure-native/${module}";`);
  }
  // Each value starts on a known line, so every diagnostic can name the value it is about.
  const starts: { line: number; label: string }[] = [];
  values.forEach((v, i) => {
    starts.push({ line: lines.length, label: v.label });
    lines.push(...`export const value${i}: ${v.module}_${v.typeName} = ${JSON.stringify(v.value, null, 1)};`.split("\n"));
  });
  const text = lines.join("\n");
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError) =>
    file === VIRTUAL_FILE ? ts.createSourceFile(file, text, language) : getSourceFile(file, language, onError);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => file === VIRTUAL_FILE || fileExists(file);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => (file === VIRTUAL_FILE ? text : readFile(file));
  const program = ts.createProgram([VIRTUAL_FILE], options, host);
  const source = program.getSourceFile(VIRTUAL_FILE)!;
  return ts.getPreEmitDiagnostics(program, source).map((d) => {
    const line = d.start !== undefined ? source.getLineAndCharacterOfPosition(d.start).line : -1;
    const owner = [...starts].reverse().find((s) => s.line <= line)?.label ?? "?";
    const code = d.start !== undefined ? text.slice(d.start, d.start + (d.length ?? 0)) : "";
    return `${owner}: ${code ? `${code}: ` : ""}${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
}
