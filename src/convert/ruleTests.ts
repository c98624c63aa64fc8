/** A loaded `.tests.yaml` -> the model's test suite of the resource it tests. */
import type { LoadedRuleTests } from "../content/load";
import type { RuleTestSuite } from "../model/types";

export function convertRuleTests(loaded: LoadedRuleTests, targetKey: string): RuleTestSuite {
  return {
    file: loaded.file,
    targetKey,
    cases: loaded.tests.map((t) => ({
      name: t.doc.name,
      origin: { file: loaded.file, line: t.line },
      ...(t.doc.now !== undefined ? { now: t.doc.now } : {}),
      tables: t.tables,
      watchlists: t.watchlists,
      ...(t.doc.query !== undefined ? { query: t.doc.query } : {}),
      expect: { ...t.doc.expect },
    })),
  };
}
