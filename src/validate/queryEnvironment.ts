/** What the content's queries are checked against: table schemas, the content's own functions, and its watchlists' columns. */
import type { LoadedContent } from "../content/load";
import type { Diagnostic } from "../diagnostics/diagnostic";
import { loadTableSchemas, type KqlEnvironment } from "../kql/environment";
import { renderParameters } from "../sentinel/savedSearch";

export function buildEnvironment(content: LoadedContent, diagnostics: Diagnostic[]): KqlEnvironment {
  return {
    tables: loadTableSchemas(content.contentDir, diagnostics),
    functions: content.functions.map((f) => ({ name: f.doc.alias, parameters: renderParameters(f.doc.parameters ?? []), body: f.query })),
    watchlists: content.watchlists.map((w) => ({ alias: w.doc.alias, columns: w.table.columns })),
  };
}
