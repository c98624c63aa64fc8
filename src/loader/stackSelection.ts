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
  return {
    ...settings,
    nrtRules: settings.nrtRules === "skip" ? "skip" : "deploy",
    ruleLimits: { enabledScheduled: Number.POSITIVE_INFINITY, enabledNrt: Number.POSITIVE_INFINITY },
  };
}

/** Whether the stack's include/exclude select a content file (a path relative to the content folder). */
export function stackSelects(settings: Pick<StackSettings, "include" | "exclude">): (file: string) => boolean {
  const included = settings.include.length > 0 ? picomatch(settings.include, { dot: true }) : () => true;
  const excluded = settings.exclude.length > 0 ? picomatch(settings.exclude, { dot: true }) : () => false;
  return (file) => included(file) && !excluded(file);
}

export function applyStackSettings(state: DesiredState, settings: StackSettings): DesiredState {
  const diagnostics: Diagnostic[] = [...state.diagnostics];
  const selects = stackSelects(settings);
  const watchlistFiles = new Map(state.resources.filter((r) => r.content === "watchlist").map((r) => [r.key, r.origin.file]));

  const selected = state.resources.filter((r) => selects(selectionFile(r, watchlistFiles)));
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
    if (r.kind === "NRT" && (settings.nrtRules === "error" || settings.nrtRules === "skip")) {
      if (settings.nrtRules === "error") {
        diagnostics.push({
          severity: "error",
          code: "stack/nrt-refused",
          file: r.origin.file,
          position: { line: r.origin.line ?? 1, column: 1 },
          message: `NRT rule '${r.properties.displayName}' is refused: this stack sets sentinel-iac:nrtRules to 'error'`,
          hint: "Remove the setting (NRT rules then deploy with the preview Sentinel API, see docs/azure-behaviours.md), set it to 'skip' to leave them out, or change the rule to kind: Scheduled with queryFrequency: 5m.",
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
  if (settings.nrtRules === "genericResource" && resources.some((r) => r.content === "analyticsRule" && r.kind === "NRT")) {
    diagnostics.push({
      severity: "warning",
      code: "stack/nrt-generic-resource",
      file: ".",
      message:
        "sentinel-iac:nrtRules is 'genericResource': NRT rules deploy through azure-native's generic resource, which adds the resource group's location to each rule and cannot be imported at the preview API version",
      hint: "Move the stack to the typed NRT rule (the default) with the steps in docs/azure-behaviours.md §3, then remove the setting.",
    });
  }
  diagnostics.push(...workspaceLimitDiagnostics(resources, settings));
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

/**
 * Sentinel accepts a limited number of enabled rules per workspace and refuses the next one when
 * it is written, halfway through a deploy; so a stack that would go over is refused up front.
 */
function workspaceLimitDiagnostics(resources: readonly DesiredResource[], settings: StackSettings): Diagnostic[] {
  const enabled = (kind: "Scheduled" | "NRT") =>
    resources.filter((r) => r.content === "analyticsRule" && r.kind === kind && r.properties.enabled).length;
  const checks = [
    { kind: "scheduled", count: enabled("Scheduled"), limit: settings.ruleLimits.enabledScheduled },
    { kind: "NRT", count: enabled("NRT"), limit: settings.ruleLimits.enabledNrt },
  ];
  return checks
    .filter((c) => c.count > c.limit)
    .map((c) => ({
      severity: "error" as const,
      code: "stack/workspace-rule-limit",
      file: ".",
      message: `this stack deploys ${c.count} enabled ${c.kind} rules, and a Sentinel workspace accepts at most ${c.limit}: Azure would refuse rule ${c.limit + 1} halfway through \`pulumi up\``,
      hint:
        "Deploy some rules disabled (enabled: false, sentinel-iac:disabledRules), split the content across workspaces with sentinel-iac:include/exclude, or remove rules." +
        (c.kind === "scheduled"
          ? " A workspace on a dedicated cluster whose limit Microsoft raised can declare it with sentinel-iac:maxEnabledScheduledRules (up to 1024)."
          : ""),
    }));
}
