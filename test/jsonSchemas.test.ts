/** Editors get the same schemas the loader validates with. */
import Ajv from "ajv";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { jsonSchemaDocuments } from "../src/schema/jsonSchemaFiles";
import { PROJECT_DIR, ruleYaml, SEED_PROJECT_DIR } from "./helpers/content";

describe("jsonschema/", () => {
  it("is up to date with src/schema (run `npm run schemas` after changing a schema)", () => {
    for (const [file, text] of Object.entries(jsonSchemaDocuments())) {
      expect(readFileSync(join(PROJECT_DIR, "jsonschema", file), "utf8"), file).toBe(text);
    }
  });

  it("accepts the seed content and flags a typo, as an editor would", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const schema = (file: string) => ajv.compile(JSON.parse(readFileSync(join(PROJECT_DIR, "jsonschema", file), "utf8")) as object);
    const rule = schema("analytics-rule.schema.json");
    for (const file of readdirSync(join(SEED_PROJECT_DIR, "rules/analytics"))) {
      expect(rule(parse(readFileSync(join(SEED_PROJECT_DIR, "rules/analytics", file), "utf8"))), file).toBe(true);
    }
    expect(rule(parse(ruleYaml({ queryFrequncy: "1h" })))).toBe(false);
    expect(rule.errors?.[0]?.params).toEqual({ additionalProperty: "queryFrequncy" });
    expect(
      schema("watchlist.schema.json")(
        parse(readFileSync(join(SEED_PROJECT_DIR, "watchlists/NetworkAllowlist/NetworkAllowlist.yaml"), "utf8")),
      ),
    ).toBe(true);
  });
});
