/**
 * Rule tests: `<rule>.tests.yaml` beside an analytics rule or hunting query,
 * `functions/<Alias>/<Alias>.tests.yaml` beside a function. Each test gives
 * sample events, optional watchlist rows and the run time, and says what the
 * query must return. The Azure-Sentinel YAML files stay untouched.
 */
import Type from "typebox";

/** A table's or watchlist's rows: inline, or a file of them beside the tests file. */
const Rows = (what: string) =>
  Type.Union(
    [
      Type.Array(Type.Record(Type.String(), Type.Unknown()), {
        description: `The ${what}'s rows, one mapping of column to value each.`,
      }),
      Type.Object(
        {
          file: Type.String({
            minLength: 1,
            description: "A .json (an array of objects), .jsonl (one object per line) or .csv file, relative to this tests file.",
          }),
        },
        { additionalProperties: false },
      ),
    ],
    { description: `The ${what}'s rows inline, or { file: <path> }.` },
  );

const RowMatchers = (description: string) =>
  Type.Array(Type.Record(Type.String(), Type.Unknown(), { minProperties: 1 }), { minItems: 1, description });

export const RuleTestExpectSchema = Type.Object(
  {
    alert: Type.Optional(
      Type.Boolean({
        description:
          "Analytics rules: whether the run raises an alert, i.e. whether the number of result rows passes the rule's triggerOperator and triggerThreshold.",
      }),
    ),
    rows: Type.Optional(Type.Integer({ minimum: 0, description: "The exact number of result rows." })),
    includes: Type.Optional(
      RowMatchers(
        "Each entry must match some result row on the columns it names (other columns may hold anything). Typed columns read the value with the column's type; dynamic columns take it as written (arrays in order, `{ unordered: [...] }` for any order).",
      ),
    ),
    excludes: Type.Optional(RowMatchers("No result row may match any entry on the columns it names.")),
  },
  { additionalProperties: false, description: "What the query must return. At least one of alert, rows, includes, excludes." },
);

export const RuleTestSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, description: "What the test shows, e.g. 'ROPC sign-in from outside the allowlist alerts'." }),
    now: Type.Optional(
      Type.String({
        description:
          "The run time: what now() and ago() see, and the end of a scheduled rule's queryPeriod window. ISO-8601 UTC, e.g. 2026-11-20T12:00:00Z. Default: the latest TimeGenerated of the test's rows plus one minute.",
      }),
    ),
    tables: Type.Optional(
      Type.Record(Type.String(), Rows("table"), {
        description: "Sample events by table name. Tables the test does not mention are empty, with their schema.",
      }),
    ),
    watchlists: Type.Optional(
      Type.Record(Type.String(), Rows("watchlist"), {
        description: "Watchlist rows by alias, instead of the watchlist's CSV (columns as in the CSV).",
      }),
    ),
    query: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "The query to run instead of the rule's own; a function's tests use it, e.g. `datatable(IPAddress:string)[...] | invoke F()`.",
      }),
    ),
    expect: RuleTestExpectSchema,
  },
  { additionalProperties: false },
);

export const RuleTestsSchema = Type.Object(
  {
    tests: Type.Array(RuleTestSchema, { minItems: 1, description: "The tests of the rule, hunting query or function beside this file." }),
  },
  {
    additionalProperties: false,
    title: "sentinel-iac rule tests",
    description: "Sample events and expected results for the analytics rule, hunting query or function beside this file.",
  },
);

export type RuleTestsDoc = Type.Static<typeof RuleTestsSchema>;
export type RuleTestDoc = Type.Static<typeof RuleTestSchema>;
export type RuleTestExpectDoc = Type.Static<typeof RuleTestExpectSchema>;
