/** Per-stack settings: content selection, enable overrides, NRT handling, and reading them from Pulumi.<stack>.yaml. */
import { describe, expect, it } from "vitest";
import { readStackFile } from "../src/config/stackFile";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ConfigError, readProjectSettings, SETTING_KEYS } from "../src/config/settings";
import { buildDesiredState } from "../src/loader/desiredState";
import { applyStackSettings } from "../src/loader/stackSelection";
import { DEFAULT_STACK_SETTINGS, type StackSettings } from "../src/model/stack";
import type { AlertRuleResource } from "../src/model/types";
import { copyProjectContent, PROJECT_DIR, ruleYaml, writeContent } from "./helpers/content";

const settings = (overrides: Partial<StackSettings>): StackSettings => ({ ...DEFAULT_STACK_SETTINGS, ...overrides });
const rules = (resources: { content: string }[]) => resources.filter((r): r is AlertRuleResource => r.content === "analyticsRule");

describe("stack settings", () => {
  const base = buildDesiredState(copyProjectContent());

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

    it("are refused by default with a message that names the ways forward", () => {
      const state = applyStackSettings(nrt, DEFAULT_STACK_SETTINGS);
      const d = state.diagnostics.find((x) => x.code === "stack/nrt-unsupported");
      expect(d).toMatchObject({ severity: "error", file: "rules/analytics/nrt.yaml" });
      expect(d?.hint).toContain("genericResource");
      expect(state.resources).toEqual([]);
    });

    it("can be skipped, or deployed through the generic resource", () => {
      expect(applyStackSettings(nrt, settings({ nrtRules: "skip" })).resources).toEqual([]);
      expect(rules(applyStackSettings(nrt, settings({ nrtRules: "genericResource" })).resources)[0]?.kind).toBe("NRT");
    });
  });
});

describe("reading stack configuration", () => {
  it("reads the example dev stack", () => {
    const stack = readStackFile(PROJECT_DIR, "dev");
    expect(stack.settings).toMatchObject({
      resourceGroupName: "rg-sentinel-dev",
      workspaceName: "law-sentinel-dev",
      contentDir: ".",
      stack: { rulesEnabled: "asDeclared", nrtRules: "error", include: [], exclude: [] },
      propagationWaitSeconds: 60,
    });
    expect(stack.raw["azure-native:subscriptionId"]).toBe("00000000-0000-0000-0000-000000000000");
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
