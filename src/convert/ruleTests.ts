/** A loaded `.tests.yaml` -> the model's test suite of the resource it tests. */
import type { LoadedRuleTests } from "../content/load";
import type { RuleTestSuite } from "../model/types";
import { yamlScalarPositions } from "../content/queryPosition";
import type { SourceDocument } from "../diagnostics/source";

/** The tests file's line of each line of a test's `query:`, so a problem in the query points into the file. */
function queryFileLines(source: SourceDocument, index: number, query: string): number[] {
  const at = yamlScalarPositions(source, ["tests", index, "query"], query);
  const lines: number[] = [];
  let offset = 0;
  for (const line of query.split("\n")) {
    lines.push(at(offset).line);
    offset += line.length + 1;
  }
  return lines;
}

export function convertRuleTests(loaded: LoadedRuleTests, targetKey: string): RuleTestSuite {
  return {
    file: loaded.file,
    targetKey,
    cases: loaded.tests.map((t, i) => ({
      name: t.doc.name,
      origin: { file: loaded.file, line: t.line },
      ...(t.doc.now !== undefined ? { now: t.doc.now } : {}),
      tables: t.tables,
      watchlists: t.watchlists,
      ...(t.doc.query !== undefined ? { query: t.doc.query, queryLines: queryFileLines(loaded.source, i, t.doc.query) } : {}),
      expect: { ...t.doc.expect },
    })),
  };
}
