/**
 * Hunting queries reach Azure as saved searches: only the name, query and the
 * description/tactics/techniques tags matter there, so problems elsewhere are warnings.
 */
import type { Diagnostic } from "../diagnostics/diagnostic";
import type { Loaded } from "../content/load";
import type { HuntingQueryDoc } from "../schema/huntingQuery";
import { ATTACK_TACTICS } from "../sentinel/reference";
import { EntityMappings } from "../schema/common";
import { matchesSchema } from "../schema/check";
import { didYouMean } from "../util/suggest";
import { checkTechniques } from "./mitre";
import { FieldReporter } from "../diagnostics/fieldReporter";

const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;
const ENTITY_MAPPINGS = EntityMappings(undefined);

export function checkHuntingQuery(query: Loaded<HuntingQueryDoc>, sink: Diagnostic[]): void {
  const report = new FieldReporter(query.source, sink);
  const doc = query.doc;
  if (doc.entityMappings !== undefined && !matchesSchema(ENTITY_MAPPINGS, doc.entityMappings)) {
    report.warning(
      ["entityMappings"],
      "hunting/malformed-entity-mappings",
      "entityMappings does not have the entityType/fieldMappings(identifier, columnName) shape",
      "Hunting queries deploy without entity mappings, so this does not block a deploy; fix or remove the block.",
      "key",
    );
  }
  const tactics = doc.tactics ?? [];
  const validTactics = tactics.filter((t, i) => {
    if (ATTACK_TACTICS.includes(t)) return true;
    report.warning(
      ["tactics", i],
      "mitre/unknown-tactic",
      `'${t}' is not a MITRE ATT&CK tactic Sentinel knows; the hunting query's tactics tag will not match Sentinel's filters`,
      `${didYouMean(t, ATTACK_TACTICS)}Valid tactics: ${ATTACK_TACTICS.join(", ")}.`,
    );
    return false;
  });
  const techniques = doc.relevantTechniques ?? [];
  const wellFormed = techniques.filter((t, i) => {
    if (TECHNIQUE.test(t)) return true;
    report.warning(
      ["relevantTechniques", i],
      "mitre/invalid-technique",
      `'${t}' is not a technique id`,
      "Write techniques like T1078 or T1078.004.",
    );
    return false;
  });
  if (wellFormed.length === techniques.length) {
    checkTechniques(report, "relevantTechniques", wellFormed, validTactics, "warning");
  }
}
