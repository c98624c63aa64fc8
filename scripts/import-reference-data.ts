/**
 * Regenerates the project's own reference data in data/sentinel/ from the
 * transcriptions kept in ../shared/reference/sentinel-detection-schema/.
 *
 * The project never reads ../shared at run time: users' clones do not have it.
 * This script is for maintainers who refresh the facts; its output is committed.
 *
 *   npx tsx scripts/import-reference-data.ts [path/to/shared]
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";

const shared = resolve(process.argv[2] ?? join(__dirname, "..", "..", "shared"));
const schemaDir = join(shared, "reference", "sentinel-detection-schema");
const outDir = join(__dirname, "..", "data", "sentinel");

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(join(schemaDir, file), "utf8"));
}
function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${what}: expected an object`);
  return value as Record<string, unknown>;
}
function asStrings(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw new Error(`${what}: expected a list of strings`);
  return value;
}
function write(name: string, data: unknown): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, name), JSON.stringify(data, null, 2) + "\n");
  console.log(`wrote data/sentinel/${name}`);
}

// Tactics: Azure accepts the REST API enum (it also lists PreAttack, which the
// Azure-Sentinel repo validator lacks), so that is what we validate against.
const tactics = asRecord(readJson("tactics.json"), "tactics.json");
const apiTactics = asRecord(tactics["restApi_2024_09_01_AttackTactic"], "tactics.json API enum");
write("attack-tactics.json", {
  about: "MITRE ATT&CK tactics accepted in an alert rule's `tactics` (Microsoft.SecurityInsights AttackTactic enum).",
  source:
    "Azure/azure-rest-api-specs stable/2024-09-01/common/AlertTypes.json#/definitions/AttackTactic, via the Azure-Sentinel validator notes",
  tactics: asStrings(apiTactics["values"], "AttackTactic values"),
});

// Technique -> tactics. The Azure-Sentinel validator accepts a technique when at
// least ONE of its tactics is listed in `tactics` (NoTechniquesWithoutMatchingTactics
// uses Any()), and rejects a technique it does not know.
const mapping = asRecord(readJson("technique-tactic-mapping.json"), "technique-tactic-mapping.json");
const byTactic = asRecord(mapping["tacticToTechniques"], "tacticToTechniques");
const techniques: Record<string, string[]> = {};
for (const [tactic, list] of Object.entries(byTactic)) {
  for (const technique of asStrings(list, `tacticToTechniques.${tactic}`)) {
    (techniques[technique] ??= []).push(tactic);
  }
}
const sortedTechniques = Object.fromEntries(
  Object.keys(techniques)
    .sort()
    .map((t) => [t, [...new Set(techniques[t])].sort()]),
);
write("attack-techniques.json", {
  about:
    "Technique id -> tactics, as the Azure-Sentinel detection validator knows them. A rule's technique is consistent when at least one of its tactics is in the rule's `tactics`.",
  source:
    "Azure/Azure-Sentinel .script/tests/detectionTemplateSchemaValidation/Models/ModelValidationAttributes/KillChainTechniquesHelper.cs (static table; includes ICS T0xxx ids)",
  techniques: sortedTechniques,
});

// Entity types and identifiers.
const identifiers = asRecord(
  asRecord(readJson("entity-mapping-identifiers.json"), "entity-mapping-identifiers.json")["entityTypes"],
  "entityTypes",
);
const entityTypesDoc = asRecord(readJson("entity-types.json"), "entity-types.json");
const stableApi = new Set(
  asStrings(asRecord(entityTypesDoc["restApi_2024_09_01_EntityMappingType"], "API entity types")["values"], "API entity types"),
);
const entityTypes: Record<string, { identifiers: string[]; requiredAnyOf: string[][]; inStableApiEnum: boolean }> = {};
for (const [type, raw] of Object.entries(identifiers)) {
  const spec = asRecord(raw, type);
  entityTypes[type] = {
    identifiers: asStrings(spec["identifiers"], `${type}.identifiers`),
    requiredAnyOf: (spec["requiredIdentifierCombinations"] as unknown[]).map((c, i) =>
      asStrings(c, `${type}.requiredIdentifierCombinations[${i}]`),
    ),
    inStableApiEnum: stableApi.has(type),
  };
}
write("entity-types.json", {
  about: "Entity types for entityMappings, their valid identifiers, and the identifier combinations of which at least one must be mapped.",
  source:
    "Azure/Azure-Sentinel .script/tests/detectionTemplateSchemaValidation/Models/EntityMappingIdentifiers.cs and EntityType.cs; stable API enum from azure-rest-api-specs 2024-09-01 AlertRules.json#/definitions/EntityMappingType",
  entityTypes,
});
