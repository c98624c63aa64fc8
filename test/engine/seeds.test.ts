/**
 * The project's seed rules and hunting queries run on the engine: every one runs on empty
 * tables, and the ROPC and threat-intel rules fire on their attack and stay quiet on their
 * exclusions, under the time range Sentinel gives a scheduled rule.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { KqlEngine, RunInput } from "../../src/engine";
import { projectEngine, projectWatchlists, ruleQuery, SEED_RULES } from "./project";

let engine: KqlEngine;
beforeAll(() => {
  engine = projectEngine();
});

const NOW = "2026-11-20T12:00:00Z";

function run(rule: string, input: Omit<RunInput, "now">) {
  const r = engine.run(ruleQuery(rule), { now: NOW, watchlists: projectWatchlists(), ...input });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.kind}: ${p.message} (${p.line})`).join("\n"));
  return r;
}

describe("every seed query", () => {
  it.each(SEED_RULES)("%s runs on empty tables", (rule) => {
    const r = run(rule, {});
    expect(r.rows).toEqual([]);
    expect(r.columns.length).toBeGreaterThan(0);
  });
});

const signin = (over: Record<string, unknown>) => ({
  TimeGenerated: "2026-11-20T11:30:00Z",
  UserPrincipalName: "a@contoso.com",
  IPAddress: "203.0.113.7",
  ResultType: "0",
  AuthenticationProtocol: "ropc",
  AppDisplayName: "Custom Script",
  Location: "NL",
  AutonomousSystemNumber: "64500",
  ...over,
});

describe("ROPC-SignInFromNewCountryOrASN", () => {
  const rule = "rules/analytics/ROPC-SignInFromNewCountryOrASN.yaml";
  const window = { start: "2026-11-06T12:00:00Z", end: NOW }; // queryPeriod 14d

  it("fires on a successful ROPC sign-in from a (country, ASN) pair unseen in the baseline", () => {
    const r = run(rule, {
      timeRange: window,
      tables: {
        AADNonInteractiveUserSignInLogs: [
          signin({}),
          signin({ TimeGenerated: "2026-11-15T10:00:00Z", Location: "US", AutonomousSystemNumber: "64501" }),
        ],
      },
    });
    expect(r.rows).toHaveLength(1);
    expect(r.columns.map((c) => c.name)).toEqual([
      "UserPrincipalName",
      "Count",
      "IPs",
      "Countries",
      "ASNs",
      "Apps",
      "FirstSeen",
      "LastSeen",
      "IPAddress",
    ]);
    expect(r.rows[0]![0]).toBe("a@contoso.com");
    expect(r.rows[0]![8]).toBe("203.0.113.7");
  });

  it("stays quiet for a known pair, an allowlisted address, a legitimate ROPC app and a failed sign-in", () => {
    const tables = (recent: Record<string, unknown>) => ({
      AADNonInteractiveUserSignInLogs: [
        signin(recent),
        signin({ TimeGenerated: "2026-11-15T10:00:00Z", UserPrincipalName: "A@Contoso.com" }),
      ],
    });
    expect(run(rule, { timeRange: window, tables: tables({}) }).rows).toEqual([]);
    expect(run(rule, { timeRange: window, tables: tables({ Location: "FR", IPAddress: "198.51.100.25" }) }).rows).toEqual([]);
    expect(
      run(rule, { timeRange: window, tables: tables({ Location: "FR", AppDisplayName: "Microsoft Authentication Broker" }) }).rows,
    ).toEqual([]);
    expect(run(rule, { timeRange: window, tables: tables({ Location: "FR", ResultType: "50126" }) }).rows).toEqual([]);
    expect(run(rule, { timeRange: window, tables: tables({ Location: "FR" }) }).rows).toHaveLength(1);
  });
});

describe("ROPC-AuthenticationDetected", () => {
  const rule = "rules/analytics/ROPC-AuthenticationDetected.yaml";
  const window = { start: "2026-11-20T11:00:00Z", end: NOW }; // queryPeriod 1h

  it("fires on a successful ROPC sign-in and stays quiet on a failure or an allowlisted range", () => {
    expect(run(rule, { timeRange: window, tables: { AADNonInteractiveUserSignInLogs: [signin({})] } }).rows).toHaveLength(1);
    expect(run(rule, { timeRange: window, tables: { AADNonInteractiveUserSignInLogs: [signin({ ResultType: "50126" })] } }).rows).toEqual(
      [],
    );
    expect(
      run(rule, { timeRange: window, tables: { AADNonInteractiveUserSignInLogs: [signin({ IPAddress: "203.0.113.15" })] } }).rows,
    ).toEqual([]);
  });
});

describe("NonInteractiveSignIn-ThreatIntelIP", () => {
  const rule = "rules/analytics/NonInteractiveSignIn-ThreatIntelIP.yaml";
  const indicator = (when: string) => ({
    TimeGenerated: when,
    IsActive: true,
    ValidUntil: "2026-12-31T00:00:00Z",
    Pattern: "[ipv4-addr:value = '203.0.113.7']",
    Tags: "botnet",
  });

  it("matches a sign-in from an indicator's address", () => {
    const r = run(rule, {
      timeRange: { start: "2026-11-20T11:00:00Z", end: NOW },
      tables: { AADNonInteractiveUserSignInLogs: [signin({})], ThreatIntelIndicators: [indicator("2026-11-20T11:45:00Z")] },
    });
    expect(r.rows).toHaveLength(1);
  });

  it("does not see an indicator older than the rule's 1h query period, although the query asks for 30 days", () => {
    const r = run(rule, {
      timeRange: { start: "2026-11-20T11:00:00Z", end: NOW },
      tables: { AADNonInteractiveUserSignInLogs: [signin({})], ThreatIntelIndicators: [indicator("2026-11-10T00:00:00Z")] },
    });
    expect(r.rows).toEqual([]);
  });
});
