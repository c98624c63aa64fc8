/** Technique/tactic consistency, as the Azure-Sentinel validator checks it. */
import type { FieldReporter } from "../diagnostics/fieldReporter";
import { parentTechnique } from "../sentinel/mitre";
import { tacticsOfTechnique } from "../sentinel/reference";

/**
 * Every technique must be one the validator knows, and at least one of its
 * tactics must be listed in `tactics`.
 */
export function checkTechniques(
  report: FieldReporter,
  field: string,
  techniques: readonly string[],
  tactics: readonly string[],
  severity: "error" | "warning",
): void {
  const listed = new Set(tactics);
  techniques.forEach((technique, i) => {
    const parent = parentTechnique(technique);
    const mapped = tacticsOfTechnique(parent);
    if (!mapped) {
      report.report(
        severity,
        [field, i],
        "mitre/unknown-technique",
        `technique '${technique}' is not a known MITRE ATT&CK technique`,
        "Check the id on attack.mitre.org; Microsoft's validator rejects techniques it does not know.",
      );
    } else if (!mapped.some((t) => listed.has(t))) {
      report.report(
        severity,
        [field, i],
        "mitre/technique-without-tactic",
        `technique '${technique}' belongs to ${mapped.join(", ")}, but none of these is in tactics`,
        `Add one of ${mapped.join(", ")} to tactics, or remove the technique.`,
      );
    }
  });
}
