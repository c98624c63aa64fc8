/**
 * Every Azure SDK client of src/ gets the server guards (docs/security.md): only
 * src/azure/guardedClients.ts may construct one, and each construction there passes
 * guardedClientOptions(...) and a guardedCredential(...). A new Azure caller therefore either
 * goes through that file or fails this test, rather than silently lacking the guards.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT, SRC } from "../../scripts/importGraph";

const GUARDED = "src/azure/guardedClients.ts";
/** Packages whose exports send requests with a bearer token: management clients, or a raw pipeline. */
const CLIENT_PACKAGES = /^@azure\/(arm-|core-client$|core-rest-pipeline$|core-client-rest$)/;
/** Of those, the values that only inspect errors or build policies and send nothing. */
const HARMLESS = new Set(["isRestError", "RestError"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(ts|cts|mts)$/.test(e.name) ? [full] : [];
  });
}

/** Value imports (not `import type`) from a client package: `file: name from package`. */
function clientValueImports(file: string, source: ts.SourceFile): string[] {
  const found: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const from = statement.moduleSpecifier.text;
    const clause = statement.importClause;
    if (!CLIENT_PACKAGES.test(from) || !clause || clause.isTypeOnly) continue;
    const names: string[] = [];
    if (clause.name) names.push(clause.name.text);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.push(`* as ${bindings.name.text}`);
    if (bindings && ts.isNamedImports(bindings))
      for (const e of bindings.elements) if (!e.isTypeOnly) names.push((e.propertyName ?? e.name).text);
    for (const name of names.filter((n) => !HARMLESS.has(n))) found.push(`${relative(ROOT, file)}: ${name} from ${from}`);
  }
  return found;
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
}

describe("Azure SDK clients", () => {
  it("are constructed only in src/azure/guardedClients.ts", () => {
    const outside = sourceFiles(SRC)
      .filter((f) => relative(ROOT, f) !== GUARDED)
      .flatMap((f) => clientValueImports(f, parse(f)));
    expect(outside).toEqual([]);
  });

  it("each get guardedClientOptions(...) and a guardedCredential(...) there", () => {
    const source = parse(join(ROOT, GUARDED));
    const clients = new Set(clientValueImports(GUARDED, source).map((line) => line.split(": ")[1]!.split(" from ")[0]!));
    const constructions: { text: string; guarded: boolean }[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && clients.has(node.expression.getText(source))) {
        const text = node.getText(source);
        const args = node.arguments ?? [];
        const credentialGuarded = args[0] !== undefined && /^guardedCredential\(/.test(args[0].getText(source));
        const optionsGuarded = args.some((a) => ts.isObjectLiteralExpression(a) && /\.\.\.guardedClientOptions\(/.test(a.getText(source)));
        constructions.push({ text: text.split("(")[0]!, guarded: credentialGuarded && optionsGuarded });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(constructions.map((c) => c.text).sort()).toEqual(["new OperationalInsightsManagementClient", "new SecurityInsights"]);
    expect(constructions.filter((c) => !c.guarded)).toEqual([]);
  });
});
