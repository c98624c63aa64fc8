/**
 * Writes the editor JSON Schemas in jsonschema/ from the content schemas in
 * src/schema/ (the same objects the loader validates with), so completion and
 * checking in VS Code match `sentinel-iac plan` exactly.
 *
 *   npm run schemas          # regenerate
 *   (test/jsonSchemas.test.ts fails if the committed files are stale)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { jsonSchemaDocuments } from "../src/schema/jsonSchemaFiles";

const outDir = join(__dirname, "..", "jsonschema");
mkdirSync(outDir, { recursive: true });
for (const [file, text] of Object.entries(jsonSchemaDocuments())) {
  writeFileSync(join(outDir, file), text);
  console.log(`wrote jsonschema/${file}`);
}
