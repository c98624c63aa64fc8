/**
 * Kusto.Language's completion grammar is built only when something uses it (kql/deferredGrammar.ts):
 * analysis never does, so worker threads skip ~1.2 s each; completion and control commands still work.
 * Each test file runs in its own process, so this thread starts without the grammar.
 */
import { describe, expect, it } from "vitest";
import { analyzeQuery } from "../src/kql/analyze";
import { buildGlobals } from "../src/kql/globals";
import { completionGrammarBuilt, loadKusto, toArray, type BridgeList, type KKustoCode } from "../src/kql/kusto";
import type { KqlEnvironment } from "../src/kql/environment";

const ENV: KqlEnvironment = {
  tables: [
    {
      name: "SigninLogs",
      columns: [
        ["TimeGenerated", "datetime"],
        ["UserPrincipalName", "string"],
        ["IPAddress", "string"],
      ],
    },
  ],
  functions: [{ name: "Allowed", parameters: "T:(IPAddress:string)", body: "T | where IPAddress != '10.0.0.1'" }],
  watchlists: [{ alias: "VIP", columns: ["Upn"] }],
};

/** The editor API the project does not otherwise use. */
interface CompletionService {
  GetCompletionItems(position: number): { Items: BridgeList<{ DisplayText: string }> };
}

describe("Kusto.Language's completion grammar", () => {
  it("is not built by analysis, which finds the same problems as before", () => {
    const built = buildGlobals(ENV);
    const bad = analyzeQuery({ text: "SigninLogs | invoke Allowed() | project Nope" }, built);
    const good = analyzeQuery(
      {
        text: "let vip = _GetWatchlist('VIP') | project Upn;\nSigninLogs | where UserPrincipalName in (vip) | summarize count() by IPAddress",
      },
      built,
    );
    const broken = analyzeQuery({ text: "SigninLogs | where (" }, built);
    expect(bad.findings.map((f) => f.code)).toEqual(["KS142"]);
    expect(good.findings).toEqual([]);
    expect(good.resultColumns).toEqual([
      { name: "IPAddress", type: "string" },
      { name: "count_", type: "long" },
    ]);
    expect(broken.findings.some((f) => f.kind === "syntax")).toBe(true);
    expect(completionGrammarBuilt()).toBe(false);
  });

  it("is built for what uses it: completion and control commands", () => {
    const K = loadKusto();
    const built = buildGlobals(ENV);
    const text = "SigninLogs | whe";
    const code: KKustoCode = K.KustoCode.ParseAndAnalyze(text, built.globals);
    const service = new K.Editor.KustoCodeService.ctor(code) as unknown as CompletionService;
    const items = toArray(service.GetCompletionItems(text.length).Items).map((i) => i.DisplayText);
    expect(items).toContain("where");
    expect(completionGrammarBuilt()).toBe(true);
    expect(toArray(K.KustoCode.Parse(".show tables").GetDiagnostics())).toEqual([]);
    expect(toArray(K.KustoCode.Parse(".show tablez").GetDiagnostics()).length).toBeGreaterThan(0);
  });
});
