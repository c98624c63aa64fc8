/**
 * Per-stack settings applied to the desired state: which content a stack
 * deploys, rule enablement overrides, and how NRT rules are deployed.
 * The Pulumi program and `sentinel-iac plan --stack` both apply them here,
 * so the plan shows exactly what the stack would register.
 */
import picomatch from "picomatch";
import type { Diagnostic } from "../diagnostics/diagnostic";
import type { StackSettings } from "../model/stack";
import type { DesiredResource, DesiredState } from "../model/types";

/** The file whose selection decides whether a resource is deployed (items follow their watchlist). */
function selectionFile(r: DesiredResource, watchlistFiles: Map<string, string>): string {
  if (r.content === "watchlistItem") return watchlistFiles.get(r.watchlistKey) ?? r.origin.file;
  return r.origin.file;
}

/**
 * The settings a comparison (live diff, change summary) applies: NRT rules count as content
 * even when the stack refuses to deploy them (`nrtRules: error` refuses the deploy, not the
 * comparison); only `skip` leaves them out.
 */
export function comparisonSettings(settings: StackSettings): StackSettings {
  return { ...settings, nrtRules: settings.nrtRules === "skip" ? "skip" : "genericResource" };
}

export function applyStackSettings(state: DesiredState, settings: StackSettings): DesiredState {
  const diagnostics: Diagnostic[] = [...state.diagnostics];
  const included = settings.include.length > 0 ? picomatch(settings.include, { dot: true }) : () => true;
  const excluded = settings.exclude.length > 0 ? picomatch(settings.exclude, { dot: true }) : () => false;
  const watchlistFiles = new Map(state.resources.filter((r) => r.content === "watchlist").map((r) => [r.key, r.origin.file]));

  const selected = state.resources.filter((r) => {
    const file = selectionFile(r, watchlistFiles);
    return included(file) && !excluded(file);
  });
  const selectedKeys = new Set(selected.map((r) => r.key));
  const byKey = new Map(state.resources.map((r) => [r.key, r]));
  for (const r of selected) {
    for (const dep of r.dependsOn) {
      if (selectedKeys.has(dep)) continue;
      const missing = byKey.get(dep);
      if (!missing) continue;
      diagnostics.push({
        severity: "error",
        code: "stack/excluded-dependency",
        file: r.origin.file,
        position: { line: r.origin.line ?? 1, column: 1 },
        message: `'${r.name}' needs ${missing.content === "function" ? "function" : "watchlist"} '${missing.name}' (${missing.origin.file}), which this stack's include/exclude settings leave out`,
        hint: `Include ${missing.origin.file} in the stack, or exclude ${r.origin.file} too.`,
      });
    }
  }

  const disabled = new Set(settings.disabledRules.map((id) => id.toLowerCase()));
  const resources: DesiredResource[] = [];
  for (const r of selected) {
    if (r.content !== "analyticsRule") {
      resources.push(r);
      continue;
    }
    if (r.kind === "NRT" && settings.nrtRules !== "genericResource") {
      if (settings.nrtRules === "error") {
        diagnostics.push({
          severity: "error",
          code: "stack/nrt-unsupported",
          file: r.origin.file,
          position: { line: r.origin.line ?? 1, column: 1 },
          message: `NRT rule '${r.properties.displayName}' cannot be deployed with azure-native v3's default resources: NRT exists only in preview Sentinel API versions`,
          hint: "Set sentinel-iac:nrtRules to 'genericResource' to deploy NRT rules with the preview API (see docs/azure-behaviours.md), to 'skip' to leave them out, or change the rule to kind: Scheduled with queryFrequency: 5m.",
        });
      } else {
        diagnostics.push({
          severity: "info",
          code: "stack/nrt-skipped",
          file: r.origin.file,
          position: { line: r.origin.line ?? 1, column: 1 },
          message: `NRT rule '${r.properties.displayName}' is skipped (sentinel-iac:nrtRules is 'skip')`,
        });
      }
      continue;
    }
    const enabled = disabled.has(r.name)
      ? false
      : settings.rulesEnabled === "allDisabled"
        ? false
        : settings.rulesEnabled === "allEnabled"
          ? true
          : r.properties.enabled;
    resources.push(enabled === r.properties.enabled ? r : ({ ...r, properties: { ...r.properties, enabled } } as DesiredResource));
  }
  for (const id of disabled) {
    if (!state.resources.some((r) => r.content === "analyticsRule" && r.name === id)) {
      diagnostics.push({
        severity: "warning",
        code: "stack/unknown-rule",
        file: ".",
        message: `sentinel-iac:disabledRules lists '${id}', which is not the id of any analytics rule`,
        hint: "Use the rule's YAML id; remove ids of rules that no longer exist.",
      });
    }
  }
  return { ...state, resources, diagnostics };
}
