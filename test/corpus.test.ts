/** ../shared/corpus: 210 real Azure-Sentinel files must load; every error is a real defect, listed here. */
import { describe, expect, it } from "vitest";
import { buildDesiredState } from "../src/loader/desiredState";
import { buildValidatedState } from "../src/loader/validatedState";
import { applyStackSettings } from "../src/loader/stackSelection";
import { DEFAULT_STACK_SETTINGS } from "../src/model/stack";
import { corpusContentDir, HAS_SHARED, sharedSkipReason } from "./helpers/content";

/** Defects in the upstream files themselves (docs/validation.md explains each). */
const KNOWN_ERRORS = [
  "rules/analytics/det__ASimWebSession__UnusualUACryptoMiners.yaml schema/invalid-value tactics[0]",
  "rules/analytics/det__ASimWebSession__UnusualUAHackTool.yaml schema/invalid-value tactics[0]",
  "rules/analytics/det__ASimWebSession__UnusualUAPowershell.yaml schema/invalid-value tactics[0]",
  "rules/hunting/hq__MultipleDataSources__NickelRegIOCPatterns.yaml schema/invalid-guid id",
  "rules/hunting/m365dhq__Cloud-Apps__mass-downloads.yaml schema/invalid-guid id",
  "rules/hunting/sol__DEV-0537DetectionandHunting__Empty.yaml schema/invalid-guid id",
];

describe.skipIf(!HAS_SHARED)("corpus", () => {
  const state = HAS_SHARED ? buildDesiredState(corpusContentDir()) : { resources: [], diagnostics: [], files: [], retired: [], tests: [] };

  it("reads all 210 files", () => {
    expect(state.files).toHaveLength(210);
  });

  it("finds only the known upstream defects as errors", () => {
    const errors = state.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.file} ${d.code} ${d.field}`);
    expect(errors.sort()).toEqual(KNOWN_ERRORS);
  });

  it("converts every other file: 147 analytics rules (8 NRT) and 60 hunting queries", () => {
    const rules = state.resources.filter((r) => r.content === "analyticsRule");
    expect(rules).toHaveLength(147);
    expect(rules.filter((r) => r.kind === "NRT")).toHaveLength(8);
    // Hunting queries with a non-GUID id still convert (the id is only a resource name) but block a deploy.
    expect(state.resources.filter((r) => r.content === "huntingQuery")).toHaveLength(60);
  });

  it("emits only canonical ISO-8601 durations", () => {
    for (const r of state.resources) {
      if (r.content === "analyticsRule" && r.kind === "Scheduled") {
        expect(r.properties.queryFrequency).toMatch(/^P(\d+D)?(T(\d+H)?(\d+M)?)?$/);
        expect(r.properties.queryPeriod).not.toMatch(/PT24H|PT\d{3,}M/);
      }
    }
  });

  it("with default stack settings, NRT rules are refused with a clear message", () => {
    const stacked = applyStackSettings(state, DEFAULT_STACK_SETTINGS);
    expect(stacked.diagnostics.filter((d) => d.code === "stack/nrt-unsupported")).toHaveLength(8);
  });
});

/** KQL errors in the corpus, each a defect in the upstream query (docs/validation.md explains each). */
const KNOWN_KQL_ERRORS = [
  "rules/analytics/sol__FalconFriday__PasswordSprayingWithMDE.yaml rule/missing-column entityMappings[2].fieldMappings[0].columnName",
  "rules/hunting/hq__DnsEvents__DNS_HighPercentNXDomainCount.yaml kql/type query",
  "rules/hunting/hq__Microsoft-365-Defender__redmenshen-bpfdoor-backdoor.yaml kql/syntax query",
  "rules/hunting/hq__Microsoft-365-Defender__redmenshen-bpfdoor-backdoor.yaml kql/syntax query",
  "rules/hunting/hq__MultipleDataSources__NICKELCommandLineActivity-Nov2021.yaml kql/type query",
  "rules/hunting/hq__MultipleDataSources__NetworkConnectiontoOMIPorts.yaml kql/syntax query",
  "rules/hunting/hq__MultipleDataSources__PersistViaIFEORegistryKey.yaml kql/syntax query",
  "rules/hunting/hq__MultipleDataSources__TrackingPrivAccounts.yaml kql/type query",
  "rules/hunting/hq__MultipleDataSources__TrackingPrivAccounts.yaml kql/type query",
  "rules/hunting/m365dhq__Discovery__MDI_Group_Memebership_Changes.yaml kql/syntax query",
  "rules/hunting/sol__DEV-0537DetectionandHunting__Empty.yaml kql/unknown-column query",
];

describe.skipIf(!HAS_SHARED)("corpus: KQL validation", () => {
  it("analyzes every query without crashing; the only KQL errors are the known upstream defects", async () => {
    const state = await buildValidatedState(corpusContentDir(), { useCache: false });
    const kqlErrors = state.diagnostics
      .filter((d) => d.severity === "error" && (d.code.startsWith("kql/") || d.code.startsWith("rule/")))
      .map((d) => `${d.file} ${d.code} ${d.field}`)
      .sort();
    expect(kqlErrors).toEqual(KNOWN_KQL_ERRORS);
    expect(state.queryStats?.requested).toBe(207);
    // Seed-like time-window mistakes upstream: ASRBypassingWritingExecutableContent looks back 1d with a 1h period.
    expect(state.diagnostics.filter((d) => d.code === "rule/lookback-exceeds-period").map((d) => d.file)).toEqual([
      "rules/analytics/sol__FalconFriday__ASRBypassingWritingExecutableContent.yaml",
    ]);
  });
});

describe.skipIf(HAS_SHARED)("corpus (skipped)", () => {
  it.skip(sharedSkipReason(), () => undefined);
});
