/** The JSON Schema documents editors use, rendered from the runtime schemas. */
import type { TSchema } from "typebox";
import { AnalyticsRuleSchema } from "./analyticsRule";
import { HuntingQuerySchema } from "./huntingQuery";
import { RetiredSchema } from "./retired";
import { RuleTestsSchema } from "./ruleTests";
import { SavedFunctionSchema } from "./savedFunction";
import { WatchlistSchema } from "./watchlist";

export const JSON_SCHEMA_FILES: Record<string, TSchema> = {
  "analytics-rule.schema.json": AnalyticsRuleSchema,
  "hunting-query.schema.json": HuntingQuerySchema,
  "function.schema.json": SavedFunctionSchema,
  "watchlist.schema.json": WatchlistSchema,
  "retired.schema.json": RetiredSchema,
  "rule-tests.schema.json": RuleTestsSchema,
};

/** File name -> JSON text. */
export function jsonSchemaDocuments(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, schema] of Object.entries(JSON_SCHEMA_FILES)) {
    const doc = { $schema: "http://json-schema.org/draft-07/schema#", $id: `https://sentinel-iac.local/jsonschema/${file}`, ...schema };
    out[file] = `${JSON.stringify(doc, null, 2)}\n`;
  }
  return out;
}
