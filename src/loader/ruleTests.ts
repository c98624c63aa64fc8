/** Links each `.tests.yaml` to the resource it tests (the rule, hunting query or function file with its stem). */
import type { LoadedContent } from "../content/load";
import type { Diagnostic } from "../diagnostics/diagnostic";
import { FieldReporter } from "../diagnostics/fieldReporter";
import { convertRuleTests } from "../convert/ruleTests";
import type { DesiredResource, RuleTestSuite } from "../model/types";
import { checkRuleTests } from "../validate/ruleTests";

const stemOf = (file: string) => file.replace(/\.ya?ml$/i, "");

export function ruleTestSuites(content: LoadedContent, resources: readonly DesiredResource[], diagnostics: Diagnostic[]): RuleTestSuite[] {
  const targets = new Map<string, DesiredResource>();
  for (const r of resources) {
    if (r.content === "analyticsRule" || r.content === "huntingQuery" || r.content === "function") targets.set(stemOf(r.origin.file), r);
  }
  const files = new Set(content.files);
  const aliases = content.watchlists.map((w) => w.doc.alias);
  const suites: RuleTestSuite[] = [];
  for (const loaded of content.ruleTests) {
    const target = targets.get(loaded.stem);
    if (!target) {
      // A tested file that exists but did not load has its own errors; say nothing more here.
      if (files.has(`${loaded.stem}.yaml`) || files.has(`${loaded.stem}.yml`)) continue;
      new FieldReporter(loaded.source, diagnostics).error(
        [],
        "tests/no-target",
        `${loaded.file} tests nothing: there is no rule, hunting query or function ${loaded.stem}.yaml beside it`,
        "Name a tests file after the file it tests: X.tests.yaml beside X.yaml (functions/<Alias>/<Alias>.tests.yaml for a function).",
      );
      continue;
    }
    if (target.content !== "analyticsRule" && target.content !== "huntingQuery" && target.content !== "function") continue;
    checkRuleTests(loaded, target.content, aliases, diagnostics);
    suites.push(convertRuleTests(loaded, target.key));
  }
  return suites;
}
