/**
 * A rule test's sample rows against the table schemas: every table is one the
 * workspace has, every column is one of its columns, and every value fits its
 * column's type, read the way the local engine reads it. `validate` reports
 * these as diagnostics; `sentinel-iac test` refuses to run a test that has them.
 */
import type { Diagnostic } from "../diagnostics/diagnostic";
import type { TableSchema } from "../kql/environment";
import type { DesiredState, RuleTestCase, TestRows } from "../model/types";
import { didYouMean } from "../util/suggest";
// The engine's value readers, not its index: the whole engine takes ~0.4 s to load, and
// `validate` of content without rule tests never runs it.
import { InputError, valueFromJson } from "../engine/io/input";
import { kqlTypeNamed } from "../engine/values/types";

export interface TestDataProblem {
  code: "tests/unknown-table" | "tests/invalid-row";
  message: string;
  hint: string;
  /** Where the offending row (or the table) was written. */
  file: string;
  line?: number;
}

export function checkTestData(test: RuleTestCase, tables: readonly TableSchema[]): TestDataProblem[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const problems: TestDataProblem[] = [];
  for (const [name, given] of Object.entries(test.tables)) {
    const schema = byName.get(name);
    if (!schema) {
      problems.push({
        code: "tests/unknown-table",
        file: test.origin.file,
        ...(test.origin.line !== undefined ? { line: test.origin.line } : {}),
        message: `test '${test.name}': table '${name}' is not known`,
        hint: `${didYouMean(name, [...byName.keys()])}Tables come from the bundled schemas and the content's schemas/ folder; add a schema there (or run \`sentinel-iac schemas pull\`) for a custom table.`,
      });
      continue;
    }
    problems.push(...checkRows(test.name, name, schema, given));
  }
  return problems;
}

function checkRows(testName: string, table: string, schema: TableSchema, given: TestRows): TestDataProblem[] {
  const columns = new Map(schema.columns.map(([column, type]) => [column, type]));
  const problems: TestDataProblem[] = [];
  given.rows.forEach((row, i) => {
    const where = { file: given.file, ...(row.line !== undefined ? { line: row.line } : {}) };
    const rowName = `test '${testName}', ${table} row ${i + 1}`;
    for (const [column, value] of Object.entries(row.values)) {
      const typeName = columns.get(column);
      if (typeName === undefined) {
        problems.push({
          code: "tests/invalid-row",
          ...where,
          message: `${rowName}: ${table} has no column '${column}'`,
          hint: `${didYouMean(column, [...columns.keys()])}Use the table's column names (they are case-sensitive).`,
        });
        continue;
      }
      const type = kqlTypeNamed(typeName);
      if (!type) continue;
      try {
        valueFromJson(value, type);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        problems.push({
          code: "tests/invalid-row",
          ...where,
          message: `${rowName}, column ${column} (${type}): ${error.message}`,
          hint: `Write a ${type} value${type === "string" ? "" : `, or quote it as text if the column is text`}.`,
        });
      }
    }
  });
  return problems;
}

/** The same problems as diagnostics, for `validate`. */
export function testDataDiagnostics(tests: readonly RuleTestCase[], tables: readonly TableSchema[]): Diagnostic[] {
  return tests.flatMap((test) =>
    checkTestData(test, tables).map((p) => ({
      severity: "error" as const,
      code: p.code,
      file: p.file,
      ...(p.line !== undefined ? { position: { line: p.line, column: 1 } } : {}),
      message: p.message,
      hint: p.hint,
    })),
  );
}

/**
 * Warnings for sample rows of an analytics rule's test that have no TimeGenerated in a table
 * that has one: the rule's query window (queryPeriod, or NRT's minute, ending at the run time)
 * drops rows without a time, so the query never sees them.
 */
export function timelessRowDiagnostics(state: Pick<DesiredState, "tests" | "resources">, tables: readonly TableSchema[]): Diagnostic[] {
  const timed = new Set(
    tables.filter((t) => t.columns.some(([c, type]) => c === "TimeGenerated" && type === "datetime")).map((t) => t.name),
  );
  const rules = new Set(state.resources.filter((r) => r.content === "analyticsRule").map((r) => r.key));
  const out: Diagnostic[] = [];
  for (const suite of state.tests) {
    if (!rules.has(suite.targetKey)) continue;
    for (const test of suite.cases) {
      if (test.query !== undefined) continue; // a test's own query runs with the same window, but says what it reads
      for (const [table, given] of Object.entries(test.tables)) {
        if (!timed.has(table)) continue;
        given.rows.forEach((row, i) => {
          const t = row.values["TimeGenerated"];
          if (t !== undefined && t !== null && t !== "") return;
          out.push({
            severity: "warning",
            code: "tests/row-without-time",
            file: given.file,
            ...(row.line !== undefined ? { position: { line: row.line, column: 1 } } : {}),
            message: `test '${test.name}', ${table} row ${i + 1} has no TimeGenerated, so the rule's query window hides it from the query`,
            hint: "Give the row a TimeGenerated inside the window (the queryPeriod before the test's now), or leave it out if the row is meant to be unseen.",
          });
        });
      }
    }
  }
  return out;
}
