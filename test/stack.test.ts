/** Per-stack settings: content selection, enable overrides, NRT handling, and reading them from Pulumi.<stack>.yaml. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readStackFile } from "../src/config/stackFile";
import { ConfigError, readProjectSettings, SETTING_KEYS } from "../src/config/settings";
import { buildDesiredState } from "../src/loader/desiredState";
import { applyStackSettings, comparisonSettings } from "../src/loader/stackSelection";
import { DEFAULT_STACK_SETTINGS, type StackSettings } from "../src/model/stack";
import type { AlertRuleResource } from "../src/model/types";
import { copySeedContent, PROJECT_DIR, ruleYaml, writeContent, SEED_PROJECT_DIR } from "./helpers/content";

const settings = (overrides: Partial<StackSettings>): StackSettings => ({ ...DEFAULT_STACK_SETTINGS, ...overrides });
const rules = (resources: { content: string }[]) => resources.filter((r): r is AlertRuleResource => r.content === "analyticsRule");

describe("stack settings", () => {
  const base = buildDesiredState(copySeedContent());

  it("rulesEnabled: allDisabled deploys every rule disabled (staged rollout)", () => {
    const state = applyStackSettings(base, settings({ rulesEnabled: "allDisabled" }));
    expect(rules(state.resources).map((r) => r.properties.enabled)).toEqual([false, false, false]);
    expect(rules(base.resources).map((r) => r.properties.enabled)).toEqual([true, true, true]);
  });

  it("disabledRules disables single rules by id", () => {
    const state = applyStackSettings(base, settings({ disabledRules: ["C8D4E6F7-A2B3-5C9D-0E1F-2A3B4C5D6E7F"] }));
    expect(rules(state.resources).map((r) => [r.name, r.properties.enabled])).toEqual([
      ["c8d4e6f7-a2b3-5c9d-0e1f-2a3b4c5d6e7f", false],
      ["f1a7b9c0-d5e6-8f2a-3b4c-5d6e7f8a9b0c", true],
      ["c3d4e5f6-a7b8-9c0d-1e2f-3a4b5c6d7e8f", true],
    ]);
  });

  it("warns about disabledRules entries that match no rule", () => {
    const state = applyStackSettings(base, settings({ disabledRules: ["00000000-0000-4000-8000-000000000000"] }));
    expect(state.diagnostics.find((d) => d.code === "stack/unknown-rule")?.severity).toBe("warning");
  });

  it("include/exclude select content files; watchlist items follow their watchlist", () => {
    const state = applyStackSettings(base, settings({ include: ["rules/hunting/**"] }));
    expect(state.resources.map((r) => r.content)).toEqual(["huntingQuery", "huntingQuery"]);
    const noHunting = applyStackSettings(base, settings({ exclude: ["rules/hunting/**"] }));
    expect(noHunting.resources.filter((r) => r.content === "watchlistItem")).toHaveLength(5);
    expect(noHunting.resources.some((r) => r.content === "huntingQuery")).toBe(false);
  });

  it("selecting a rule without the function it calls is an error naming both files", () => {
    const state = applyStackSettings(base, settings({ exclude: ["functions/**"] }));
    const errors = state.diagnostics.filter((d) => d.code === "stack/excluded-dependency");
    expect(errors.map((d) => d.file)).toEqual([
      "rules/analytics/ROPC-AuthenticationDetected.yaml",
      "rules/analytics/ROPC-SignInFromNewCountryOrASN.yaml",
    ]);
    expect(errors[0]?.message).toContain(
      "function 'ExcludeAllowlistedIPs_AADNI' (functions/ExcludeAllowlistedIPs_AADNI/ExcludeAllowlistedIPs_AADNI.yaml)",
    );
  });

  describe("NRT rules", () => {
    const nrt = buildDesiredState(
      writeContent({
        "rules/analytics/nrt.yaml": ruleYaml({
          kind: "NRT",
          queryFrequency: "<omit>",
          queryPeriod: "<omit>",
          triggerOperator: "<omit>",
          triggerThreshold: "<omit>",
        }),
      }),
    );

    it("deploy by default, without any diagnostic", () => {
      const state = applyStackSettings(nrt, DEFAULT_STACK_SETTINGS);
      expect(DEFAULT_STACK_SETTINGS.nrtRules).toBe("deploy");
      expect(rules(state.resources).map((r) => r.kind)).toEqual(["NRT"]);
      expect(state.diagnostics).toEqual([]);
    });

    it("nrtRules=error refuses them with a message that names the ways forward; skip leaves them out", () => {
      const state = applyStackSettings(nrt, settings({ nrtRules: "error" }));
      const d = state.diagnostics.find((x) => x.code === "stack/nrt-refused");
      expect(d).toMatchObject({ severity: "error", file: "rules/analytics/nrt.yaml" });
      expect(d?.hint).toContain("'skip'");
      expect(state.resources).toEqual([]);
      const skipped = applyStackSettings(nrt, settings({ nrtRules: "skip" }));
      expect(skipped.resources).toEqual([]);
      expect(skipped.diagnostics.map((x) => [x.severity, x.code])).toEqual([["info", "stack/nrt-skipped"]]);
    });

    it("nrtRules=genericResource still deploys them, with one warning pointing at the migration", () => {
      const state = applyStackSettings(nrt, settings({ nrtRules: "genericResource" }));
      expect(rules(state.resources)[0]?.kind).toBe("NRT");
      expect(state.diagnostics.map((x) => [x.severity, x.code])).toEqual([["warning", "stack/nrt-generic-resource"]]);
      expect(state.diagnostics[0]?.hint).toContain("docs/azure-behaviours.md");
    });
  });
});

describe("workspace rule limits", () => {
  /** Content with `scheduled` enabled scheduled rules and `nrt` enabled NRT rules. */
  function manyRules(scheduled: number, nrt: number) {
    const files: Record<string, string> = {};
    const nrtFields = {
      kind: "NRT",
      queryFrequency: "<omit>",
      queryPeriod: "<omit>",
      triggerOperator: "<omit>",
      triggerThreshold: "<omit>",
    };
    for (let i = 0; i < scheduled + nrt; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
      files[`rules/analytics/r${i}.yaml`] = ruleYaml({ name: `Rule ${i}`, ...(i >= scheduled ? nrtFields : {}) }, id);
    }
    return buildDesiredState(writeContent(files));
  }
  const limitErrors = (state: { diagnostics: { code: string; message: string }[] }) =>
    state.diagnostics.filter((d) => d.code === "stack/workspace-rule-limit").map((d) => d.message);
  const atLimit = manyRules(512, 50);
  const overLimit = manyRules(513, 51);

  it("512 enabled scheduled and 50 enabled NRT rules fit one workspace", () => {
    expect(limitErrors(applyStackSettings(atLimit, DEFAULT_STACK_SETTINGS))).toEqual([]);
  });

  it("one more of either is an error naming the count and the limit, before anything deploys", () => {
    expect(limitErrors(applyStackSettings(overLimit, DEFAULT_STACK_SETTINGS))).toEqual([
      "this stack deploys 513 enabled scheduled rules, and a Sentinel workspace accepts at most 512: Azure would refuse rule 513 halfway through `pulumi up`",
      "this stack deploys 51 enabled NRT rules, and a Sentinel workspace accepts at most 50: Azure would refuse rule 51 halfway through `pulumi up`",
    ]);
  });

  it("counts only enabled rules the stack deploys: disabled rules and skipped NRT rules do not count", () => {
    const disabled = applyStackSettings(overLimit, settings({ disabledRules: ["00000000-0000-4000-8000-000000000000"], nrtRules: "skip" }));
    expect(limitErrors(disabled)).toEqual([]);
    expect(limitErrors(applyStackSettings(overLimit, settings({ rulesEnabled: "allDisabled" })))).toEqual([]);
    expect(limitErrors(applyStackSettings(overLimit, settings({ include: ["rules/analytics/r1*.yaml"] })))).toEqual([]);
  });

  it("a dedicated cluster's raised limit is declared with maxEnabledScheduledRules (at most 1024)", () => {
    const raised = readProjectSettings((k) => (k === "maxEnabledScheduledRules" ? "1024" : undefined)).stack;
    expect(raised.ruleLimits).toEqual({ enabledScheduled: 1024, enabledNrt: 50 });
    expect(limitErrors(applyStackSettings(overLimit, { ...raised, nrtRules: "skip" }))).toEqual([]);
    expect(() => readProjectSettings((k) => (k === "maxEnabledScheduledRules" ? "2000" : undefined))).toThrow(
      /maxEnabledScheduledRules must be a whole number from 1 to 1024/,
    );
  });

  it("comparisons (diff, summarize) report what is there and do not apply the limits", () => {
    expect(limitErrors(applyStackSettings(overLimit, comparisonSettings(DEFAULT_STACK_SETTINGS)))).toEqual([]);
  });
});

describe("reading stack configuration", () => {
  it("Pulumi.yaml declares every sentinel-iac:* key the settings read, with the same defaults", () => {
    const read: string[] = [];
    const defaults = readProjectSettings((key) => (read.push(key), undefined));
    const project = parse(readFileSync(join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as { config: Record<string, { default?: unknown }> };
    expect(Object.keys(project.config).sort()).toEqual([...read].sort());
    const flat: Record<string, unknown> = {
      ...defaults,
      ...defaults.stack,
      maxEnabledScheduledRules: defaults.stack.ruleLimits.enabledScheduled,
    };
    for (const [key, declared] of Object.entries(project.config)) {
      if (declared.default !== undefined) expect(flat[key], key).toEqual(declared.default);
    }
  });

  it("reads the example dev stack", () => {
    const stack = readStackFile(SEED_PROJECT_DIR, "dev");
    expect(stack.settings).toMatchObject({
      resourceGroupName: "rg-sentinel-dev",
      workspaceName: "law-sentinel-dev",
      contentDir: ".",
      // Unset in the stack file: Pulumi.yaml's default, as `pulumi up` would use it. The frozen
      // fixture's Pulumi.yaml predates NRT deploys and declares `error`.
      stack: { rulesEnabled: "asDeclared", nrtRules: "error", include: [], exclude: [] },
      propagationWaitSeconds: 60,
    });
    expect(stack.raw["azure-native:subscriptionId"]).toBe("00000000-0000-0000-0000-000000000000");
  });

  it("a key the stack file leaves out takes Pulumi.yaml's default, in either spelling", () => {
    const dir = writeContent({
      "Pulumi.yaml":
        "name: sentinel-iac\nruntime: nodejs\nconfig:\n  contentDir:\n    type: string\n    default: content\n  sentinel-iac:nrtRules: skip\n",
      "Pulumi.prod.yaml": "config:\n  sentinel-iac:workspaceName: ws\n",
      "Pulumi.dev.yaml": "config:\n  sentinel-iac:contentDir: other\n",
    });
    expect(readStackFile(dir, "prod").settings).toMatchObject({ contentDir: "content", stack: { nrtRules: "skip" } });
    expect(readStackFile(dir, "dev").settings.contentDir).toBe("other");
  });

  it("reads Pulumi.yaml as Pulumi does: a declaration's value, and bare keys only in a project named sentinel-iac", () => {
    const stackFiles = { "Pulumi.prod.yaml": "config:\n  sentinel-iac:workspaceName: ws\n" };
    const valued = writeContent({
      ...stackFiles,
      "Pulumi.yaml": "name: sentinel-iac\nruntime: nodejs\nconfig:\n  sentinel-iac:contentDir:\n    value: detections\n",
    });
    expect(readStackFile(valued, "prod").settings.contentDir).toBe("detections");
    // In a project named soc, a bare key is soc:contentDir, which the program (reading sentinel-iac:*) never sees.
    const renamed = writeContent({
      ...stackFiles,
      "Pulumi.yaml": "name: soc\nruntime: nodejs\nconfig:\n  contentDir:\n    default: detections\n  sentinel-iac:nrtRules: skip\n",
    });
    expect(readStackFile(renamed, "prod").settings).toMatchObject({ contentDir: ".", stack: { nrtRules: "skip" } });
  });

  it("refuses an encrypted sentinel-iac setting instead of reading Pulumi.yaml's value in its place", () => {
    const dir = writeContent({
      "Pulumi.yaml": "name: sentinel-iac\nruntime: nodejs\nconfig:\n  contentDir:\n    default: content\n",
      "Pulumi.prod.yaml": "config:\n  sentinel-iac:contentDir:\n    secure: AAABAGN0ZXh0\n",
    });
    expect(() => readStackFile(dir, "prod")).toThrow("sentinel-iac:contentDir is encrypted");
  });

  it("reads lists written by `pulumi config set --path` and as JSON text", () => {
    const dir = writeContent({
      "Pulumi.prod.yaml":
        "config:\n  sentinel-iac:include:\n    - rules/analytics/**\n  sentinel-iac:disabledRules: '[\"abc\"]'\n  sentinel-iac:nrtRules: skip\n",
    });
    expect(readStackFile(dir, "prod").settings.stack).toMatchObject({
      include: ["rules/analytics/**"],
      disabledRules: ["abc"],
      nrtRules: "skip",
    });
  });

  it("rejects an unknown sentinel-iac setting with did-you-mean, as unknown content keys are", () => {
    const dir = writeContent({ "Pulumi.prod.yaml": "config:\n  azure-native:location: westeurope\n  sentinel-iac:nrtRule: skip\n" });
    expect(() => readStackFile(dir, "prod")).toThrow(ConfigError);
    expect(() => readStackFile(dir, "prod")).toThrow(
      `${join(dir, "Pulumi.prod.yaml")}: sentinel-iac:nrtRule is not a setting of sentinel-iac. Did you mean 'sentinel-iac:nrtRules'? Rename or remove it in that file. The settings are: resourceGroupName,`,
    );
  });

  it("knows exactly the settings Pulumi.yaml declares", () => {
    const declared = Object.keys((parse(readFileSync(join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as { config: object }).config);
    expect([...SETTING_KEYS].sort()).toEqual(declared.sort());
  });

  it("rejects invalid values with the command that fixes them", () => {
    expect(() => readProjectSettings((k) => (k === "rulesEnabled" ? "disabled" : undefined))).toThrow(
      new ConfigError(
        "sentinel-iac:rulesEnabled is 'disabled'; it must be one of asDeclared, allDisabled, allEnabled. Fix it with `pulumi config set sentinel-iac:rulesEnabled <value>`.",
      ),
    );
    expect(() => readProjectSettings((k) => (k === "propagationWaitSeconds" ? "soon" : undefined))).toThrow(/whole number of seconds/);
    expect(() => readStackFile(PROJECT_DIR, "nope")).toThrow(/pulumi stack init nope/);
  });
});
