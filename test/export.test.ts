/**
 * `export` turns live resources into content files that load back into the same
 * desired state: the 147 corpus rules, the hunting queries, and the project's own
 * function and watchlist, as Azure returns them (server fields included).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { LiveResource } from "../src/azure/liveWorkspace";
import { compareWorkspace } from "../src/diff/compare";
import { planExport, writeExport, type ExportResult } from "../src/export/exportWorkspace";
import { parseFunctionParameters } from "../src/kql/functionParameters";
import { renderParameters } from "../src/sentinel/savedSearch";
import { buildDesiredState } from "../src/loader/desiredState";
import type { DesiredResource, DesiredState } from "../src/model/types";
import { AZURE_NATIVE_VERSION } from "../src/pulumi/naming";
import { PER_ROW_WATCHLIST_LIMIT } from "../src/sentinel/limits";
import { corpusContentDir, copySeedContent, HAS_SHARED, PROJECT_DIR, ruleYaml, SEED_PROJECT_DIR, writeContent } from "./helpers/content";
import { deployedState, liveFromState, TEST_WORKSPACE } from "./helpers/live";

const EMPTY: DesiredState = { resources: [], diagnostics: [], files: [], retired: [], tests: [] };

/** Exports everything live that `git` does not hold, writes it to a fresh directory and loads it back. */
function exportAndReload(resources: readonly DesiredResource[], git: DesiredState = EMPTY) {
  const live = liveFromState(deployedState(resources));
  const contentDir = writeContent({});
  const result = planExport(git, live, compareWorkspace(git.resources, live), { scope: TEST_WORKSPACE, contentDir });
  writeExport(result, contentDir, join(contentDir, "pulumi-import.json"));
  return { result, contentDir, reloaded: buildDesiredState(contentDir), live };
}

function byKey(resources: readonly DesiredResource[]) {
  return new Map(resources.map((r) => [r.key, r]));
}

describe("export round trip", () => {
  it.skipIf(!HAS_SHARED)("reproduces every corpus analytics rule and hunting query exactly", () => {
    const corpus = buildDesiredState(corpusContentDir());
    const resources = corpus.resources.filter((r) => r.content === "analyticsRule" || r.content === "huntingQuery");
    const { result, reloaded } = exportAndReload(resources);

    expect(result.mismatches).toEqual([]);
    // Three upstream hunting queries have ids that are not GUIDs: they cannot become hunting query YAML.
    expect(result.skipped.map((s) => `${s.kind} ${s.name}`).sort()).toEqual(
      resources
        .filter((r) => r.content === "huntingQuery" && !/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/.test(r.name))
        .map((r) => `huntingQuery ${r.name}`)
        .sort(),
    );
    const original = byKey(resources);
    const again = byKey(reloaded.resources);
    let compared = 0;
    for (const [key, r] of original) {
      if (result.skipped.some((s) => s.name === r.name)) continue;
      const back = again.get(key);
      expect(back, key).toBeDefined();
      expect(back?.properties, `${r.origin.file}`).toEqual(r.properties);
      expect("kind" in r ? r.kind : undefined).toBe(back && "kind" in back ? back.kind : undefined);
      compared++;
    }
    // Every analytics rule (the three spelled "CommandandControl" upstream included) and the 57 hunting queries with GUID ids.
    expect(compared).toBe(150 + 57);
    // Even the upstream spellings are gone: the files hold what Azure stores (CommandandControl
    // converts to, and exports as, CommandAndControl), so the reload has no spelling warnings either.
    expect(reloaded.diagnostics.filter((d) => d.code === "schema/value-spelling")).toEqual([]);
    expect(reloaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("reproduces the project's function (parameters included) and watchlist with its rows", () => {
    const project = buildDesiredState(copySeedContent());
    const { result, reloaded } = exportAndReload(project.resources);
    expect(result.mismatches).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(reloaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const again = byKey(reloaded.resources);
    for (const r of project.resources) expect(again.get(r.key)?.properties, r.key).toEqual(r.properties);
    expect(reloaded.resources).toHaveLength(project.resources.length);
  });

  it("writes files that read like hand-written ones", () => {
    const project = buildDesiredState(copySeedContent());
    const { contentDir } = exportAndReload(project.resources);
    const rule = readFileSync(join(contentDir, "rules/analytics/non-interactive-sign-in-from-threat-intelligence-ip.yaml"), "utf8");
    expect(rule).toMatch(
      /^# Exported by `sentinel-iac export` from workspace law-soc \(c8d4e6f7-a2b3-5c9d-0e1f-2a3b4c5d6e7f\)\.\nid: c8d4e6f7/,
    );
    // Upstream key order, short durations, gt-style operator, block literals.
    const keys = [...rule.matchAll(/^([a-zA-Z]+):/gm)].map((m) => m[1]);
    expect(keys).toEqual([
      "id",
      "name",
      "description",
      "severity",
      "requiredDataConnectors",
      "queryFrequency",
      "queryPeriod",
      "triggerOperator",
      "triggerThreshold",
      "tactics",
      "relevantTechniques",
      "query",
      "entityMappings",
      "customDetails",
      "alertDetailsOverride",
      "incidentConfiguration",
      "kind",
    ]);
    expect(rule).toContain("queryFrequency: 15m\nqueryPeriod: 1h\ntriggerOperator: gt\n");
    expect(rule).toContain("query: |\n  let MaliciousIPs =\n      ThreatIntelIndicators\n");
    expect(rule).toContain("tactics:\n  - CredentialAccess\n");

    const fn = readFileSync(join(contentDir, "functions/ExcludeAllowlistedIPs_AADNI/ExcludeAllowlistedIPs_AADNI.yaml"), "utf8");
    expect(fn).toContain("parameters:\n  - name: T\n    type: table\n    columns:\n      - name: IPAddress\n        type: string\n");
    expect(readFileSync(join(contentDir, "functions/ExcludeAllowlistedIPs_AADNI/ExcludeAllowlistedIPs_AADNI.kql"), "utf8")).toBe(
      readFileSync(join(SEED_PROJECT_DIR, "functions/ExcludeAllowlistedIPs_AADNI/ExcludeAllowlistedIPs_AADNI.kql"), "utf8").replace(
        /\r\n/g,
        "\n",
      ),
    );
    const csv = readFileSync(join(contentDir, "watchlists/NetworkAllowlist/NetworkAllowlist.csv"), "utf8");
    expect(csv.split("\n")[0]).toBe("IPOrRange,Description,Owner");
    expect(csv).toContain("192.0.2.0/28,Example head-office egress NAT (RFC 5737 documentation range),Network Engineering\n");
  });

  it("writes a pulumi import file naming each resource as the program registers it", () => {
    const project = buildDesiredState(copySeedContent());
    const { result } = exportAndReload(project.resources);
    const entries = result.importFile.resources;
    // Functions are the program's own dynamic resource: its first `pulumi up` adopts them in place.
    expect(entries).toHaveLength(project.resources.filter((r) => r.content !== "function").length);
    expect(entries.some((e) => e.name === "ExcludeAllowlistedIPs_AADNI")).toBe(false);
    const ws = `/subscriptions/${TEST_WORKSPACE.subscriptionId}/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc`;
    expect(entries).toContainEqual({
      type: "azure-native:securityinsights:ScheduledAlertRule",
      name: "c8d4e6f7-a2b3-5c9d-0e1f-2a3b4c5d6e7f",
      id: `${ws}/providers/Microsoft.SecurityInsights/alertRules/c8d4e6f7-a2b3-5c9d-0e1f-2a3b4c5d6e7f`,
      version: expect.stringMatching(/^3\./),
    });
    expect(entries).toContainEqual(
      expect.objectContaining({
        type: "azure-native:operationalinsights:SavedSearch",
        name: "9644e2ae-07a2-4086-a85a-6ee2bca45f4e",
        id: `${ws}/savedSearches/9644e2ae-07a2-4086-a85a-6ee2bca45f4e`,
      }),
    );
    const item = project.resources.find((r) => r.content === "watchlistItem")!;
    expect(entries).toContainEqual(
      expect.objectContaining({
        type: "azure-native:securityinsights:WatchlistItem",
        name: `NetworkAllowlist-${item.name}`,
        id: `${ws}/providers/Microsoft.SecurityInsights/watchlists/NetworkAllowlist/watchlistItems/${item.name}`,
        // The program registers items as children of their watchlist; the import names the same parent.
        parent: "NetworkAllowlist",
      }),
    );
    // Items Pulumi created already carry the ids derived from the search key: nothing is re-keyed.
    expect(result.rekeyedItems).toBe(0);
  });

  it("imports an NRT rule as the typed NRT rule of the preview package, with the parameterization pulumi import needs", () => {
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
    const entry = exportAndReload(nrt.resources).result.importFile.resources[0]!;
    expect(entry).toEqual({
      type: "azure-native_securityinsights_v20250401preview:securityinsights:NrtAlertRule",
      name: "3f2b8c1e-6d4a-4e9b-9c1f-2a7d5e8b0c46",
      id: `/subscriptions/${TEST_WORKSPACE.subscriptionId}/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc/providers/Microsoft.SecurityInsights/alertRules/3f2b8c1e-6d4a-4e9b-9c1f-2a7d5e8b0c46`,
      version: AZURE_NATIVE_VERSION,
      parameterization: {
        pluginName: "azure-native",
        pluginVersion: AZURE_NATIVE_VERSION,
        // base64 of the bytes the plugin reads: the ASCII base64 of {"module":"securityinsights","version":"v20250401preview"}.
        value: "ZXlKdGIyUjFiR1VpT2lKelpXTjFjbWwwZVdsdWMybG5hSFJ6SWl3aWRtVnljMmx2YmlJNkluWXlNREkxTURRd01YQnlaWFpwWlhjaWZRPT0=",
      },
    });
    // A stack that kept the generic resource imports it as that.
    const live = liveFromState(deployedState(nrt.resources));
    const generic = planExport(EMPTY, live, compareWorkspace([], live), {
      scope: TEST_WORKSPACE,
      contentDir: writeContent({}),
      nrtRules: "genericResource",
    });
    expect(generic.importFile.resources[0]).toMatchObject({ type: "azure-native:resources:Resource" });
    expect(generic.importFile.resources[0]).not.toHaveProperty("parameterization");
  });

  it("with adoptManagedNrtRules, lists the NRT rules Git defines and the workspace has (moving off the generic resource)", () => {
    const nrt = buildDesiredState(
      writeContent({
        "rules/analytics/nrt.yaml": ruleYaml({
          kind: "NRT",
          queryFrequency: "<omit>",
          queryPeriod: "<omit>",
          triggerOperator: "<omit>",
          triggerThreshold: "<omit>",
        }),
        "rules/analytics/scheduled.yaml": ruleYaml({}, "0f1e2d3c-4b5a-4697-8877-665544332211"),
      }),
    );
    const live = liveFromState(deployedState(nrt.resources));
    const options = { scope: TEST_WORKSPACE, contentDir: writeContent({}) };
    const report = compareWorkspace(nrt.resources, live);
    expect(planExport(nrt, live, report, options).importFile.resources).toEqual([]);
    const adopted = planExport(nrt, live, report, { ...options, adoptManagedNrtRules: true });
    expect(adopted.files).toEqual([]);
    expect(adopted.importFile.resources).toEqual([
      expect.objectContaining({
        type: "azure-native_securityinsights_v20250401preview:securityinsights:NrtAlertRule",
        name: "3f2b8c1e-6d4a-4e9b-9c1f-2a7d5e8b0c46",
        parameterization: expect.objectContaining({ pluginName: "azure-native" }),
      }),
    ]);
    // A rule Git defines but the workspace lacks is created by the deploy, not imported.
    const empty = { alertRules: [], savedSearches: [], watchlists: [] };
    expect(
      planExport(nrt, empty, compareWorkspace(nrt.resources, empty), { ...options, adoptManagedNrtRules: true }).importFile.resources,
    ).toEqual([]);
  });

  it(`imports a watchlist over ${PER_ROW_WATCHLIST_LIMIT} rows without its items: the program's rows resource adopts them by key`, () => {
    const rows = Array.from({ length: PER_ROW_WATCHLIST_LIMIT + 1 }, (_, i) => `10.0.${i >> 8}.${i & 255},Row ${i},NetEng`);
    const content = copySeedContent();
    writeFileSync(join(content, "watchlists/NetworkAllowlist/NetworkAllowlist.csv"), `IPOrRange,Description,Owner\n${rows.join("\n")}\n`);
    const lists = buildDesiredState(content).resources.filter((r) => r.content === "watchlist" || r.content === "watchlistItem");
    const entries = exportAndReload(lists).result.importFile.resources;
    expect(entries.map((e) => e.type)).toEqual(["azure-native:securityinsights:Watchlist"]);
  });
});

function exportOne(
  live: { alertRules?: LiveResource[]; savedSearches?: LiveResource[] },
  git: DesiredState = EMPTY,
  contentDir = writeContent({}),
): ExportResult {
  const workspace = { alertRules: live.alertRules ?? [], savedSearches: live.savedSearches ?? [], watchlists: [] };
  return planExport(git, workspace, compareWorkspace(git.resources, workspace), { scope: TEST_WORKSPACE, contentDir });
}

const liveRule = (name: string, kind: string, properties: Record<string, unknown>): LiveResource => ({
  id: `/x/alertRules/${name}`,
  name,
  type: "Microsoft.SecurityInsights/alertRules",
  kind,
  properties,
});

describe("export edge cases", () => {
  it("keeps a description that is wrapped in quotes, which the loader would otherwise strip", () => {
    const rule = liveRule("0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e", "NRT", {
      displayName: "Quoted",
      description: "'Looks quoted on purpose'",
      severity: "Low",
      enabled: false,
      query: "SigninLogs",
      suppressionDuration: "PT1H",
      suppressionEnabled: false,
      tactics: [],
      techniques: [],
    });
    const result = exportOne({ alertRules: [rule] });
    expect(result.mismatches).toEqual([]);
    expect(result.files[0]?.text).toContain("description: |-\n  ''Looks quoted on purpose''\n");
    expect(result.files[0]?.text).toMatch(/kind: NRT\nenabled: false\n$/);
  });

  it("skips rule kinds that are not content as code, hunting queries without GUID ids, and functions Git already defines", () => {
    const git = buildDesiredState(copySeedContent());
    const result = exportOne(
      {
        alertRules: [liveRule("BuiltInFusion", "Fusion", { displayName: "Advanced Multistage Attack Detection", enabled: true })],
        savedSearches: [
          {
            id: "/x/1",
            name: "not-a-guid",
            type: "t",
            properties: { category: "Hunting Queries", displayName: "H", query: "T", version: 2 },
          },
          {
            id: "/x/2",
            name: "old-copy",
            type: "t",
            properties: { category: "Security", displayName: "F", query: "T", functionAlias: "ExcludeAllowlistedIPs_AADNI" },
          },
        ],
      },
      git,
    );
    expect(result.exported).toEqual([]);
    expect(result.skipped.map((s) => [s.kind, s.reason.split(";")[0]])).toEqual([
      [
        "function",
        "Git already defines function ExcludeAllowlistedIPs_AADNI in functions/ExcludeAllowlistedIPs_AADNI/ExcludeAllowlistedIPs_AADNI.yaml",
      ],
      ["huntingQuery", "its saved-search id 'not-a-guid' is not a GUID, and a hunting query's YAML id (which becomes that id) must be one"],
    ]);
    // Fusion and other portal-configured kinds are never unmanaged drift, so export does not see them.
    expect(result.skipped.some((s) => s.kind === "alertRule")).toBe(false);
  });

  it("never overwrites a file: a taken name gets the id as a suffix", () => {
    const contentDir = writeContent({ "rules/analytics/same-name.yaml": "kept\n" });
    const props = { displayName: "Same name", description: "", severity: "Low", enabled: true, query: "SigninLogs" };
    const result = exportOne(
      {
        alertRules: [
          liveRule("11111111-2222-4333-8444-555555555555", "NRT", props),
          liveRule("21111111-2222-4333-8444-555555555555", "NRT", props),
        ],
      },
      EMPTY,
      contentDir,
    );
    expect(result.files.map((f) => f.path)).toEqual(["rules/analytics/same-name-11111111.yaml", "rules/analytics/same-name-21111111.yaml"]);
    writeExport(result, contentDir, join(contentDir, "import.json"));
    expect(readFileSync(join(contentDir, "rules/analytics/same-name.yaml"), "utf8")).toBe("kept\n");
    mkdirSync(dirname(join(contentDir, result.files[0]!.path)), { recursive: true });
    writeFileSync(join(contentDir, "rules/analytics/x.yaml"), "");
    expect(() => writeExport(result, contentDir, join(contentDir, "import.json"))).toThrow(/already exists; export never overwrites files/);
  });

  it("reports what a portal rule breaks, so it is fixed before deploying", () => {
    const rule = liveRule("31111111-2222-4333-8444-555555555555", "Scheduled", {
      displayName: "Typo tactic",
      description: "d",
      severity: "Low",
      enabled: true,
      query: "SigninLogs",
      queryFrequency: "PT5M",
      queryPeriod: "PT5M",
      triggerOperator: "GreaterThan",
      triggerThreshold: 0,
      tactics: ["InitialAcess"],
    });
    const result = exportOne({ alertRules: [rule] });
    expect(result.diagnostics.map((d) => `${d.file} ${d.code} ${d.field}`)).toContain(
      "rules/analytics/typo-tactic.yaml schema/invalid-value tactics[0]",
    );
  });
});

describe("function parameters read back with the Kusto parser", () => {
  it.each([
    ["T:(IPAddress:string)", "T:(IPAddress:string)"],
    ["T:(*)", "T:(*)"],
    ["T:(IPAddress:string, N:long),lookback:timespan=1d", "T:(IPAddress:string, N:long), lookback:timespan = timespan(1d)"],
    [
      "since:datetime = datetime(2024-01-01), name:string = 'a\"b', n:int = 5, on:bool = true",
      'since:datetime = datetime(2024-01-01), name:string = "a\\"b", n:int = 5, on:bool = true',
    ],
    ["d:dynamic = dynamic([1, 2])", "d:dynamic = dynamic([1, 2])"],
    ["", ""],
  ])("%s", (text, rendered) => {
    const parsed = parseFunctionParameters(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(renderParameters(parsed.parameters)).toBe(rendered);
  });

  it("refuses what function YAML cannot express, saying why", () => {
    expect(parseFunctionParameters("T:(a:string) = x")).toMatchObject({ ok: false });
    expect(parseFunctionParameters("n:int = int(null)")).toEqual({
      ok: false,
      reason: "the default of parameter n ('int(null)') is not a int literal",
    });
    expect(parseFunctionParameters("x:(")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("does not parse as a KQL parameter list"),
    });
  });
});
