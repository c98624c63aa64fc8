/** Dependencies come from the queries, parsed with Kusto.Language: watchlist, then function, then the rules. */
import { describe, expect, it } from "vitest";
import { extractReferences } from "../src/kql/references";
import { buildDesiredState } from "../src/loader/desiredState";
import { ruleYaml, writeContent } from "./helpers/content";

describe("query references", () => {
  it("finds functions called with invoke and directly, and watchlists by literal alias", () => {
    const refs = extractReferences(`
      let allow = 'Partners';
      SigninLogs
      | invoke ExcludeAllowlistedIPs_AADNI()
      | join (_GetWatchlist('VIPUsers') | project SearchKey) on $left.UserPrincipalName == $right.SearchKey
      | union (_GetWatchlist(allow)), (MyParser(AuditLogs))`);
    expect(refs.functions).toEqual(["ExcludeAllowlistedIPs_AADNI", "MyParser"]);
    expect(refs.watchlists).toEqual(["Partners", "VIPUsers"]);
  });

  it("ignores names in comments and strings, and names the query declares itself", () => {
    const refs = extractReferences(`
      // | invoke ExcludeAllowlistedIPs_AADNI()  _GetWatchlist('Commented')
      let MyParser = (T:(x:string)) { T | where x has "_GetWatchlist('InString')" };
      SigninLogs | invoke MyParser()`);
    expect(refs.functions).toEqual([]);
    expect(refs.watchlists).toEqual([]);
  });

  it("does not mistake built-in functions for user functions", () => {
    expect(
      extractReferences("SigninLogs | extend x = strcat(tostring(ago(1d)), 'a') | summarize count() by bin(TimeGenerated, 1h)").functions,
    ).toEqual([]);
  });
});

describe("dependency order", () => {
  const FUNCTION = {
    "functions/Parser.yaml": "alias: ParseThings\ncategory: Parsers\nparameters:\n  - name: T\n    type: table\n",
    "functions/Parser.kql": "T | where UserPrincipalName in ((_GetWatchlist('VIP') | project SearchKey))\n",
    "watchlists/VIP.yaml": "alias: VIP\ndisplayName: VIP\nprovider: Team\nitemsSearchKey: Upn\n",
    "watchlists/VIP.csv": "Upn\na@example.com\nb@example.com\n",
  };

  it("orders watchlist, items, function, rule; and links each to what its query uses", () => {
    const state = buildDesiredState(
      writeContent({
        ...FUNCTION,
        "rules/analytics/a.yaml": ruleYaml({ query: "|\n  SigninLogs\n  | invoke ParseThings()" }),
        "rules/analytics/b.yaml": ruleYaml(
          { query: "|\n  SigninLogs | where UserPrincipalName in ((_GetWatchlist('vip') | project SearchKey))" },
          "11111111-2222-4333-8444-555555555555",
        ),
        "rules/hunting/h.yaml":
          "id: 21111111-2222-4333-8444-555555555555\nname: h\ndescription: d\nquery: AuditLogs | invoke ParseThings()\n",
      }),
    );
    expect(state.resources.map((r) => `${r.content}:${r.name}`)).toEqual([
      "watchlist:VIP",
      expect.stringMatching(/^watchlistItem:/),
      expect.stringMatching(/^watchlistItem:/),
      "function:ParseThings",
      "analyticsRule:3f2b8c1e-6d4a-4e9b-9c1f-2a7d5e8b0c46",
      "analyticsRule:11111111-2222-4333-8444-555555555555",
      "huntingQuery:21111111-2222-4333-8444-555555555555",
    ]);
    const deps = Object.fromEntries(state.resources.map((r) => [r.name, r.dependsOn]));
    expect(deps["ParseThings"]).toEqual(["Microsoft.SecurityInsights/watchlists/vip"]);
    expect(deps["3f2b8c1e-6d4a-4e9b-9c1f-2a7d5e8b0c46"]).toEqual(["Microsoft.OperationalInsights/workspaces/savedSearches/parsethings"]);
    // Watchlist aliases are Azure resource names, matched without regard to case.
    expect(deps["11111111-2222-4333-8444-555555555555"]).toEqual(["Microsoft.SecurityInsights/watchlists/vip"]);
    expect(deps["21111111-2222-4333-8444-555555555555"]).toEqual(["Microsoft.OperationalInsights/workspaces/savedSearches/parsethings"]);
  });

  it("matches function names case-sensitively, as KQL does", () => {
    const state = buildDesiredState(
      writeContent({ ...FUNCTION, "rules/analytics/a.yaml": ruleYaml({ query: "|\n  SigninLogs | invoke parsethings()" }) }),
    );
    expect(state.resources.find((r) => r.content === "analyticsRule")?.dependsOn).toEqual([]);
  });

  it("reports a cycle between functions", () => {
    const state = buildDesiredState(
      writeContent({
        "functions/A.yaml": "alias: FnA\ncategory: c\n",
        "functions/A.kql": "FnB()\n",
        "functions/B.yaml": "alias: FnB\ncategory: c\n",
        "functions/B.kql": "FnA()\n",
      }),
    );
    expect(state.diagnostics.filter((d) => d.code === "dependencies/cycle").map((d) => d.file)).toEqual([
      "functions/A.yaml",
      "functions/B.yaml",
    ]);
  });
});
