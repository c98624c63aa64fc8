/** ../shared/corpus: 210 real Azure-Sentinel files must load; every error is a real defect, listed here. */
import { describe, expect, it } from "vitest";
import { loadContent } from "../src/content/load";
import { buildDesiredState } from "../src/loader/desiredState";
import { buildValidatedState } from "../src/loader/validatedState";
import { applyStackSettings } from "../src/loader/stackSelection";
import { DEFAULT_STACK_SETTINGS } from "../src/model/stack";
import { corpusContentDir, HAS_SHARED, sharedSkipReason } from "./helpers/content";

/** Defects in the upstream files themselves (docs/validation.md explains each). */
const KNOWN_ERRORS = [
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

  it("converts every file: 150 analytics rules (8 NRT) and 60 hunting queries", () => {
    const rules = state.resources.filter((r) => r.content === "analyticsRule");
    expect(rules).toHaveLength(150);
    expect(rules.filter((r) => r.kind === "NRT")).toHaveLength(8);
    // Hunting queries with a non-GUID id still convert (the id is only a resource name) but block a deploy.
    expect(state.resources.filter((r) => r.content === "huntingQuery")).toHaveLength(60);
  });

  it("reads Microsoft's other spellings (CommandandControl, 'Initial Access') as the canonical value, with a warning each", () => {
    const spellings = state.diagnostics.filter((d) => d.code === "schema/value-spelling").map((d) => `${d.file} ${d.field} ${d.message}`);
    expect(spellings.sort()).toEqual([
      "rules/analytics/det__ASimWebSession__UnusualUACryptoMiners.yaml tactics[0] 'CommandandControl' is read as 'CommandAndControl'",
      "rules/analytics/det__ASimWebSession__UnusualUAHackTool.yaml tactics[0] 'CommandandControl' is read as 'CommandAndControl'",
      "rules/analytics/det__ASimWebSession__UnusualUAPowershell.yaml tactics[0] 'CommandandControl' is read as 'CommandAndControl'",
      "rules/hunting/hq__Microsoft-365-Defender__EncodedDomainURL-Nobelium.yaml tactics[0] 'Command and control' is read as 'CommandAndControl'",
      "rules/hunting/m365dhq__Credential-Access__Attempts-to-request-Kerberos-service-ticket-using-the-AS-service.yaml tactics[0] 'Credential Access' is read as 'CredentialAccess'",
      "rules/hunting/m365dhq__Discovery__MDI_Group_Memebership_Changes.yaml tactics[0] 'Credential Access' is read as 'CredentialAccess'",
      "rules/hunting/m365dhq__Initial-access__ActiveDirectory_Account_lockout_and_unlocks.yaml tactics[0] 'Initial Access' is read as 'InitialAccess'",
    ]);
    const tactics = state.resources.flatMap((r) => (r.content === "analyticsRule" ? (r.properties.tactics ?? []) : []));
    expect(tactics).not.toContain("CommandandControl");
  });

  it("emits only canonical ISO-8601 durations", () => {
    for (const r of state.resources) {
      if (r.content === "analyticsRule" && r.kind === "Scheduled") {
        expect(r.properties.queryFrequency).toMatch(/^P(\d+D)?(T(\d+H)?(\d+M)?)?$/);
        expect(r.properties.queryPeriod).not.toMatch(/PT24H|PT\d{3,}M/);
      }
    }
  });

  it("with default stack settings, the NRT rules deploy with the other rules", () => {
    const stacked = applyStackSettings(state, DEFAULT_STACK_SETTINGS);
    expect(stacked.diagnostics.filter((d) => d.code.startsWith("stack/nrt"))).toEqual([]);
    expect(stacked.resources.filter((r) => r.content === "analyticsRule" && r.kind === "NRT")).toHaveLength(8);
  });
});

/** KQL errors in the corpus, each a defect in the upstream query or a column Microsoft's docs omit (docs/validation.md explains each). */
const KNOWN_KQL_ERRORS = [
  // The rules read the watchlist UnusualUserAgents, which this content does not define.
  ...["UnusualUACryptoMiners", "UnusualUAHackTool", "UnusualUAPowershell"].map(
    (r) => `rules/analytics/det__ASimWebSession__${r}.yaml kql/unknown-watchlist query`,
  ),
  "rules/analytics/det__W3CIISLog__ProxyShellPwn2Own.yaml kql/unknown-column query",
  // Its entity mappings name *CustomEntity columns the query never creates.
  ...[
    "0].fieldMappings[0",
    "1].fieldMappings[0",
    "2].fieldMappings[0",
    "3].fieldMappings[0",
    "3].fieldMappings[1",
    "4].fieldMappings[0",
    "4].fieldMappings[1",
  ].map(
    (at) => `rules/analytics/det__WindowsEvent__ChiaCryptoMining_WindowsEvent.yaml rule/missing-column entityMappings[${at}].columnName`,
  ),
  ...["COMHijacking", "DLLSideLoading"].flatMap((r) => [
    `rules/analytics/sol__FalconFriday__${r}.yaml rule/missing-column entityMappings[1].fieldMappings[0].columnName`,
    `rules/analytics/sol__FalconFriday__${r}.yaml rule/missing-column entityMappings[1].fieldMappings[1].columnName`,
    `rules/analytics/sol__FalconFriday__${r}.yaml rule/missing-column entityMappings[1].fieldMappings[2].columnName`,
    `rules/analytics/sol__FalconFriday__${r}.yaml rule/missing-column entityMappings[2].fieldMappings[0].columnName`,
  ]),
  "rules/analytics/sol__FalconFriday__PasswordSprayingWithMDE.yaml rule/missing-column entityMappings[2].fieldMappings[0].columnName",
  "rules/hunting/hq__DnsEvents__DNS_HighPercentNXDomainCount.yaml kql/type query",
  "rules/hunting/hq__Microsoft-365-Defender__Baseline-Comparison.yaml kql/other query",
  "rules/hunting/hq__Microsoft-365-Defender__Baseline-Comparison.yaml kql/other query",
  "rules/hunting/hq__Microsoft-365-Defender__redmenshen-bpfdoor-backdoor.yaml kql/syntax query",
  "rules/hunting/hq__Microsoft-365-Defender__redmenshen-bpfdoor-backdoor.yaml kql/syntax query",
  "rules/hunting/hq__MultipleDataSources__NICKELCommandLineActivity-Nov2021.yaml kql/type query",
  "rules/hunting/hq__MultipleDataSources__NetworkConnectiontoOMIPorts.yaml kql/syntax query",
  "rules/hunting/hq__MultipleDataSources__PersistViaIFEORegistryKey.yaml kql/syntax query",
  // Two project-rename errors, and the five joins on the columns they fail to create.
  ...Array.from({ length: 7 }, () => "rules/hunting/hq__MultipleDataSources__TrackingPrivAccounts.yaml kql/type query"),
  "rules/hunting/hq__W3CIISLog__RareClientFileAccess.yaml kql/type query",
  // `<>`, then what Kusto makes of the rest of that statement.
  "rules/hunting/m365dhq__Discovery__MDI_Group_Memebership_Changes.yaml kql/other query",
  "rules/hunting/m365dhq__Discovery__MDI_Group_Memebership_Changes.yaml kql/syntax query",
  "rules/hunting/m365dhq__Discovery__MDI_Group_Memebership_Changes.yaml kql/unknown-column query",
  // AADSignInEventsBeta.RiskLevelDuringSignIn: not in the Defender docs' table (its successor EntraIdSignInEvents has it).
  ...["Exfiltration__unusual-volume-of-file-sharing", "Impact__unusual-volume-of-file-deletion"].flatMap((r) =>
    Array.from({ length: 2 }, () => `rules/hunting/m365dhq__${r}.yaml kql/unknown-column query`),
  ),
  "rules/hunting/sol__DEV-0537DetectionandHunting__Empty.yaml kql/unknown-column query",
].sort();

/** Tables the corpus reads that no bundle can know: custom `_CL` tables and solutions' parser functions. */
const CUSTOM_OR_PARSER =
  /_CL$|^(AIShield|ApacheHTTPServer|CiscoWSAEvent|ClarotyEvent|Corelight|GCPCloudDNS|ImpervaWAFCloud|SQLEvent|SentinelOne|TMApexOneEvent|TrendMicroCAS)$/;

describe.skipIf(!HAS_SHARED)("corpus: KQL validation", () => {
  it("analyzes every query without crashing; the only KQL errors are the known upstream defects", async () => {
    const state = await buildValidatedState(corpusContentDir(), { useCache: false });
    const kqlErrors = state.diagnostics
      .filter((d) => d.severity === "error" && (d.code.startsWith("kql/") || d.code.startsWith("rule/")))
      .map((d) => `${d.file} ${d.code} ${d.field}`)
      .sort();
    expect(kqlErrors).toEqual(KNOWN_KQL_ERRORS);
    expect(state.queryStats?.requested).toBe(210);
    // Seed-like time-window mistakes upstream: ASRBypassingWritingExecutableContent looks back 1d with a 1h period.
    expect(state.diagnostics.filter((d) => d.code === "rule/lookback-exceeds-period").map((d) => d.file)).toEqual([
      "rules/analytics/sol__FalconFriday__ASRBypassingWritingExecutableContent.yaml",
    ]);

    // With every table bundled, only custom tables and solution parsers are unknown (141 findings with 26 tables).
    const unknown = state.diagnostics.filter((d) => d.code === "kql/unknown-table").map((d) => /'([^']+)'/.exec(d.message)![1]!);
    expect(unknown).toHaveLength(30);
    expect(unknown.filter((name) => !CUSTOM_OR_PARSER.test(name))).toEqual([]);

    // Column checks (entity mappings, custom details, alert overrides) ran for at least 85% of the analytics rules that name columns.
    const content = loadContent(corpusContentDir());
    const naming = content.analyticsRules.filter((r) => r.doc.entityMappings || r.doc.customDetails || r.doc.alertDetailsOverride);
    const unchecked = new Set(state.diagnostics.filter((d) => d.code === "rule/columns-unchecked").map((d) => d.file));
    const checked = naming.filter((r) => !unchecked.has(r.file));
    expect(naming).toHaveLength(150);
    expect(checked.length / naming.length).toBeGreaterThanOrEqual(0.85);
    expect(checked).toHaveLength(132);
  });
});

describe.skipIf(HAS_SHARED)("corpus (skipped)", () => {
  it.skip(sharedSkipReason(), () => undefined);
});
