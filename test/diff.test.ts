/**
 * The live diff's comparison and reports: equal things compare equal (no false drift on
 * what Azure echoes back), real changes show field by field, and the Markdown fits a
 * pull-request comment.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PER_ROW_WATCHLIST_LIMIT } from "../src/sentinel/limits";
import type { LiveWorkspace } from "../src/azure/liveWorkspace";
import { compareWorkspace, type DriftReport } from "../src/diff/compare";
import { MARKDOWN_LIMIT, renderDriftMarkdown, renderDriftText } from "../src/diff/render";
import { buildDesiredState } from "../src/loader/desiredState";
import type { DesiredResource } from "../src/model/types";
import type { StandInState } from "../stand-in/src/state";
import { copySeedContent, corpusContentDir, HAS_SHARED, ruleYaml, writeContent } from "./helpers/content";
import { deployedState, liveFromState, TEST_WORKSPACE } from "./helpers/live";

const project = buildDesiredState(copySeedContent()).resources;
const TI_RULE = "c8d4e6f7-a2b3-5c9d-0e1f-2a3b4c5d6e7f";

function diffAfter(edit: (state: StandInState) => void, desired: readonly DesiredResource[] = project): DriftReport {
  const state = deployedState(desired);
  edit(state);
  return compareWorkspace(desired, liveFromState(state));
}

const rule = (state: StandInState, name = TI_RULE) => state.alertRules.find((r) => r.name === name)!.properties;
const changed = (report: DriftReport) => report.resources.filter((r) => r.classification !== "unchanged");

describe("no false drift", () => {
  it("a workspace just deployed from Git matches it, server-side fields and all", () => {
    const report = diffAfter(() => {});
    expect(changed(report)).toEqual([]);
    expect(report.drift).toBe(false);
    expect(report.resources).toHaveLength(project.length);
  });

  it.skipIf(!HAS_SHARED)("so does one deployed from the 207 corpus rules and hunting queries", () => {
    const corpus = buildDesiredState(corpusContentDir()).resources;
    expect(changed(diffAfter(() => {}, corpus))).toEqual([]);
  });

  it("ignores spellings Azure treats as equal", () => {
    const report = diffAfter((state) => {
      const p = rule(state);
      p["queryPeriod"] = "PT60M"; // = PT1H
      p["queryFrequency"] = "PT15M";
      p["tactics"] = [...(p["tactics"] as string[])].reverse();
      p["techniques"] = [...(p["techniques"] as string[])].reverse();
      p["severity"] = "high";
      p["triggerOperator"] = "greaterthan";
      p["description"] = `${String(p["description"])}\n\n`;
      p["etag"] = "ignored";
      p["lastModifiedUtc"] = "2030-01-01T00:00:00Z";
      p["alertDetailsOverride"] = { ...(p["alertDetailsOverride"] as object), alertTacticsColumnName: null, alertSeverityColumnName: null };
      p["entityMappings"] = [...(p["entityMappings"] as unknown[])].reverse();
      const fn = state.savedSearches.find((s) => s.name === "ExcludeAllowlistedIPs_AADNI")!.properties;
      fn["functionParameters"] = "T : ( IPAddress : string )";
      const hunting = state.savedSearches.find((s) => s.name === "6962473c-bcb8-421d-a0db-826078cad280")!.properties;
      hunting["tags"] = [...(hunting["tags"] as { name: string; value: string }[])]
        .reverse()
        .map((t) => (t.name === "tactics" ? { ...t, value: "Impact, InitialAccess" } : t));
      const item = state.watchlists[0]!.items[0]!.properties["itemsKeyValue"] as Record<string, string>;
      item["Extra"] = "";
    });
    expect(changed(report)).toEqual([]);
  });

  it("treats Azure's defaults, written out or left out, as the same", () => {
    const desired = buildDesiredState(writeContent({ "rules/analytics/r.yaml": ruleYaml() })).resources;
    const report = diffAfter((state) => {
      const p = state.alertRules[0]!.properties;
      delete p["suppressionDuration"];
      delete p["eventGroupingSettings"];
      p["incidentConfiguration"] = {
        createIncident: true,
        groupingConfiguration: { enabled: false, lookbackDuration: "PT5H", matchingMethod: "AllEntities" },
      };
    }, desired);
    expect(changed(report)).toEqual([]);
  });
});

describe("drift", () => {
  it("shows each changed field of a rule, with a unified diff for the query", () => {
    const report = diffAfter((state) => {
      const p = rule(state);
      p["triggerThreshold"] = 5;
      p["queryPeriod"] = "PT2H";
      p["tactics"] = ["CredentialAccess"];
      p["query"] = String(p["query"]).replace("ago(30d)", "ago(14d)");
      (p["entityMappings"] as { fieldMappings: { columnName: string }[] }[])[0]!.fieldMappings[0]!.columnName = "AccountUPN";
      p["customDetails"] = { ThreatTags: "ThreatTags" };
      p["alertDetailsOverride"] = {
        ...(p["alertDetailsOverride"] as object),
        alertDynamicProperties: [{ alertProperty: "ProductName", value: "AppDisplayName" }],
      };
    });
    const [drift] = changed(report);
    expect(drift).toMatchObject({
      kind: "alertRule",
      name: TI_RULE,
      classification: "update",
      origin: { file: "rules/analytics/NonInteractiveSignIn-ThreatIntelIP.yaml" },
    });
    expect(drift!.changes.map((c) => c.field)).toEqual([
      "query",
      "queryPeriod",
      "triggerThreshold",
      "tactics",
      "entityMappings",
      "customDetails",
      "alertDetailsOverride",
    ]);
    expect(drift!.changes.find((c) => c.field === "queryPeriod")).toMatchObject({ live: "PT2H", git: "PT1H" });
    const query = drift!.changes.find((c) => c.field === "query")!;
    expect(query.textDiff).toContain("--- live\n+++ git\n@@ ");
    expect(query.textDiff).toContain("-    | where TimeGenerated > ago(14d)\n+    | where TimeGenerated > ago(30d)");
    expect(report.drift).toBe(true);
  });

  it("classifies resources missing live as create, and live-only ones as unmanaged", () => {
    const report = diffAfter((state) => {
      state.alertRules = state.alertRules.filter((r) => r.name !== TI_RULE);
      state.alertRules.push({
        name: "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f",
        kind: "Scheduled",
        properties: { displayName: "Portal rule", query: "T" },
      });
      state.alertRules.push({ name: "BuiltInFusion", kind: "Fusion", properties: { displayName: "Fusion", enabled: true } });
      state.savedSearches.push({ name: "other", properties: { category: "General", displayName: "Someone's search", query: "T" } });
      state.watchlists[0]!.items.push({
        name: "f0000000-0000-4000-8000-000000000001",
        properties: { itemsKeyValue: { IPOrRange: "198.51.100.200" } },
      });
    });
    expect(changed(report).map((r) => [r.classification, r.kind, r.displayName])).toEqual([
      ["unmanaged", "watchlistItem", "198.51.100.200"],
      ["create", "alertRule", "Non-Interactive Sign-In from Threat Intelligence IP"],
      ["unmanaged", "alertRule", "Portal rule"],
    ]);
    // Built-in rule kinds and unrelated saved searches exist in every workspace: counted, never drift.
    expect(report.otherAlertRules).toEqual({ Fusion: 1 });
    expect(report.otherSavedSearches).toBe(1);
  });

  it("leaves live-only resources a stack's ignoreUnmanaged names alone, and counts them", () => {
    const state = deployedState(project);
    state.savedSearches.push({
      name: "a1b2c3d4-0000-4000-8000-000000000001",
      properties: { category: "Hunting Queries", displayName: "Solution: Okta sign-ins", query: "T" },
    });
    state.alertRules.push({
      name: "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f",
      kind: "Scheduled",
      properties: { displayName: "Portal rule", query: "T" },
    });
    const report = compareWorkspace(project, liveFromState(state), { ignoreUnmanaged: ["solution: *"] });
    expect(changed(report).map((r) => r.displayName)).toEqual(["Portal rule"]);
    expect(report.ignoredUnmanaged).toBe(1);
    expect(renderDriftText(report, { ...TEST_WORKSPACE }, "")).toContain(
      "1 live-only resource(s) the stack's ignoreUnmanaged leaves alone",
    );
  });

  it("matches a watchlist row by its search key when its id is not the derived one", () => {
    const report = diffAfter((state) => {
      const item = state.watchlists[0]!.items[0]!;
      item.name = "a0000000-0000-4000-8000-00000000000a";
      (item.properties["itemsKeyValue"] as Record<string, string>)["Owner"] = "Someone else";
    });
    const [drift] = changed(report);
    expect(drift).toMatchObject({
      kind: "watchlistItem",
      classification: "update",
      liveId: expect.stringContaining("a0000000-0000-4000-8000-00000000000a"),
    });
    expect(drift!.notes[0]).toContain("matched by its search key");
    expect(changed(report)).toHaveLength(1);
  });

  it("says nothing of re-created ids for a list managed as a whole, which keeps the live items' ids", () => {
    const dir = copySeedContent();
    const csv = "watchlists/NetworkAllowlist/NetworkAllowlist.csv";
    const rows = Array.from({ length: PER_ROW_WATCHLIST_LIMIT + 1 }, (_, i) => `10.0.${i >> 8}.${i & 255},Row ${i},NetEng`);
    writeFileSync(join(dir, csv), `IPOrRange,Description,Owner\n${rows.join("\n")}\n`);
    const desired = buildDesiredState(dir).resources;
    const report = diffAfter((state) => {
      // The rows route gives ids of its own; the first item differs too, so it is reported.
      for (const [i, item] of state.watchlists[0]!.items.entries()) item.name = `b0000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
      (state.watchlists[0]!.items[0]!.properties["itemsKeyValue"] as Record<string, string>)["Owner"] = "Someone else";
    }, desired);
    const items = report.resources.filter((r) => r.kind === "watchlistItem");
    expect(items).toHaveLength(PER_ROW_WATCHLIST_LIMIT + 1);
    expect(changed(report).map((r) => r.kind)).toEqual(["watchlistItem"]);
    expect(items.flatMap((r) => r.notes)).toEqual([]);
  });

  it("warns that a function alias is taken by a saved search under another id", () => {
    const report = diffAfter((state) => {
      const fn = state.savedSearches.find((s) => s.name === "ExcludeAllowlistedIPs_AADNI")!;
      fn.name = "legacy-parser-id";
    });
    const create = changed(report).find((r) => r.classification === "create")!;
    expect(create.notes[0]).toContain("set savedSearchId: legacy-parser-id");
  });
});

describe("reports", () => {
  const emptyLive: LiveWorkspace = { alertRules: [], watchlists: [], savedSearches: [] };

  it("text: a summary per kind, then each difference with what the next deploy does", () => {
    const text = renderDriftText(
      diffAfter((state) => (rule(state)["severity"] = "Low")),
      { ...TEST_WORKSPACE },
      "content",
    );
    expect(text).toContain("  Analytics rules  0 to create, 1 to update, 0 unmanaged, 2 unchanged");
    expect(text).toContain('~ update    analytics rule "Non-Interactive Sign-In from Threat Intelligence IP"');
    expect(text).toContain('      severity: live "Low" -> git "High"');
    expect(text).toMatch(/Drift: 1 resource\(s\) differ\.\n$/);
  });

  it("markdown: stays under GitHub's comment limit with a truncation notice", () => {
    const many: DesiredResource[] = Array.from({ length: 400 }, (_, i) => {
      const base = project.find((r) => r.name === TI_RULE)!;
      const name = `${String(i).padStart(8, "0")}-0000-4000-8000-000000000000`;
      return {
        ...base,
        name,
        key: `${base.type}/${name}`,
        properties: { ...base.properties, query: `${"x".repeat(200)}\n`.repeat(20) },
      } as DesiredResource;
    });
    const state = deployedState(many);
    for (const r of state.alertRules) r.properties["query"] = `${"y".repeat(200)}\n`.repeat(20);
    const report = compareWorkspace(many, liveFromState(state));
    const markdown = renderDriftMarkdown(report, { ...TEST_WORKSPACE });
    expect(markdown.length).toBeLessThan(65_536);
    expect(markdown.length).toBeGreaterThan(MARKDOWN_LIMIT - 10_000);
    expect(markdown).toMatch(/> \*\*Truncated:\*\* \d+ of 400 changed resources are not shown/);
    expect(markdown).toContain("| Analytics rules | 0 | 400 | 0 | 0 |");
    expect(markdown.match(/<details>/g)!.length).toBe(markdown.match(/<\/details>/g)!.length);
  });

  it("markdown: says so when there is no drift", () => {
    expect(renderDriftMarkdown(compareWorkspace([], emptyLive), { ...TEST_WORKSPACE })).toContain(
      "**No drift**: the workspace matches Git.",
    );
  });
});
