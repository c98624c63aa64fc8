/**
 * Reading a live workspace with the real SDK clients and the real credentials, against the
 * local stand-in over HTTPS: paging, raw fields, retries, timeouts, broken bodies and errors.
 */
import { ClientSecretCredential } from "@azure/identity";
import { rootCertificates } from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureReadError } from "../src/azure/readError";
import { readLiveWorkspace, readTables, type LiveReadOptions } from "../src/azure/liveWorkspace";
import { redactSecrets } from "../src/azure/redact";
import { resolveEndpoints, type AzureTarget } from "../src/azure/target";
import { startStandIn, type StandIn } from "../stand-in/src/standIn";
import { withStandInEnvironment } from "./helpers/azureEnvironment";
import type { StandInState } from "../stand-in/src/state";

const ARM_SCOPE = "https://management.azure.com/.default";
const SUB = "00000000-0000-4000-8000-0000000000a1";
const RULES = 120;
const ITEMS = 230;

/** Fields the SDK's 2022-09-01-preview models drop: they must come back exactly as sent. */
const RAW_EXTRAS = {
  subTechniques: ["T1078.004"],
  sentinelEntitiesMappings: [{ columnName: "Accounts" }],
  alertDetailsOverride: {
    alertDisplayNameFormat: "Sign-in by {{UserPrincipalName}}",
    alertDynamicProperties: [{ alertProperty: "ProductName", value: "ProductColumn" }],
  },
  someFutureField: { nested: [1, "two", null] },
};

function workspace(rules = RULES): StandInState {
  return {
    subscriptionId: SUB,
    resourceGroupName: "rg-soc",
    workspaceName: "law-soc",
    alertRules: Array.from({ length: rules }, (_, i) => ({
      name: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      kind: i % 10 === 0 ? "NRT" : "Scheduled",
      properties: {
        displayName: `Rule ${i}`,
        enabled: true,
        severity: "Medium",
        query: `SigninLogs\n| where ResultType == ${i}`,
        queryFrequency: "PT1H",
        queryPeriod: "PT1H",
        triggerOperator: "GreaterThan",
        triggerThreshold: 0,
        suppressionDuration: "PT5H",
        suppressionEnabled: false,
        tactics: ["InitialAccess"],
        techniques: ["T1078"],
        ...RAW_EXTRAS,
      },
    })),
    watchlists: [
      {
        name: "NetworkAllowlist",
        properties: { displayName: "Network allowlist", provider: "SecOps", itemsSearchKey: "IPOrRange", source: "NetworkAllowlist.csv" },
        items: Array.from({ length: ITEMS }, (_, i) => ({
          name: `item-${i}`,
          properties: { itemsKeyValue: { IPOrRange: `192.0.2.${i % 256}`, Owner: "NetEng" } },
        })),
      },
      { name: "Empty", properties: { displayName: "Empty", provider: "SecOps", itemsSearchKey: "Key" }, items: [] },
    ],
    savedSearches: [
      {
        name: "hunt-1",
        properties: {
          category: "Hunting Queries",
          displayName: "Hunt",
          query: "SigninLogs",
          tags: [{ name: "tactics", value: "InitialAccess" }],
        },
      },
      {
        name: "func-1",
        properties: {
          category: "Security",
          displayName: "Fn",
          query: "T",
          functionAlias: "MyFunc",
          functionParameters: "T:(IPAddress:string)",
          version: 2,
        },
      },
    ],
    tables: Array.from({ length: 5 }, (_, i) => ({
      name: i === 0 ? "Custom_CL" : `Table${i}`,
      properties: {
        schema: {
          name: `Table${i}`,
          columns: [{ name: "Col", type: "string" }],
          standardColumns: [{ name: "TimeGenerated", type: "dateTime" }],
        },
      },
    })),
  };
}

describe("readLiveWorkspace against the stand-in", () => {
  let standIn: StandIn;
  let target: AzureTarget;
  let credential: ClientSecretCredential;
  let token: string;
  /** Short backoffs and timeouts so the failure paths take milliseconds, not minutes. */
  let fast: LiveReadOptions;
  const errorMessages: string[] = [];

  async function readError(promise: Promise<unknown>): Promise<AzureReadError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AzureReadError);
    errorMessages.push((error as Error).message, JSON.stringify(error), String((error as Error).stack));
    return error as AzureReadError;
  }

  beforeAll(async () => {
    standIn = await startStandIn({ state: workspace(), pageSize: { alertRules: 50, watchlistItems: 100, tables: 2 } });
    target = {
      subscriptionId: SUB,
      resourceGroupName: "rg-soc",
      workspaceName: "law-soc",
      armEndpoint: standIn.armEndpoint,
      authorityHost: standIn.authorityHost,
    };
    credential = new ClientSecretCredential(standIn.credentials.tenantId, standIn.credentials.clientId, standIn.credentials.clientSecret, {
      authorityHost: standIn.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: [...rootCertificates, standIn.caPem] },
    });
    token = (await credential.getToken(ARM_SCOPE)).token;
    fast = { credential, caPem: standIn.caPem, timeoutMs: 1000, maxRetries: 2, retryDelayMs: 10, maxRetryDelayMs: 50 };
  });
  afterEach(() => {
    standIn.setFaults([]);
    standIn.setState(workspace());
  });
  afterAll(async () => {
    // Whatever went wrong, no write ever reached the stand-in, and no error leaked a secret.
    expect(standIn.writes()).toEqual([]);
    for (const message of errorMessages) {
      expect(message).not.toContain(standIn.credentials.clientSecret);
      expect(message).not.toContain(token);
    }
    await standIn.close();
  });

  it("reads every page of every collection, with the raw properties Azure sent", async () => {
    standIn.clearRequests();
    const live = await readLiveWorkspace(target, fast);
    expect(live.alertRules).toHaveLength(RULES);
    expect(live.alertRules.map((r) => r.name)).toEqual(workspace().alertRules.map((r) => r.name));
    const [first, nrt] = [live.alertRules[1], live.alertRules[0]];
    expect(nrt?.kind).toBe("NRT");
    expect(first).toMatchObject({ type: "Microsoft.SecurityInsights/alertRules", kind: "Scheduled", etag: expect.any(String) });
    // Fields the Sentinel SDK's models do not know survive untouched.
    expect(first?.properties).toMatchObject(RAW_EXTRAS);
    expect(first?.properties.lastModifiedUtc).toMatch(/\d{7}Z$/);

    const allow = live.watchlists.find((w) => w.name === "NetworkAllowlist");
    expect(allow?.items).toHaveLength(ITEMS);
    expect(allow?.properties).toMatchObject({ watchlistAlias: "NetworkAllowlist", isDeleted: false, watchlistType: "watchlist" });
    expect(allow?.items[0]?.properties).toMatchObject({ watchlistItemType: "watchlist-item", itemsKeyValue: { IPOrRange: "192.0.2.0" } });
    expect(live.watchlists.find((w) => w.name === "Empty")?.items).toEqual([]);
    expect(live.savedSearches.map((s) => s.properties)).toEqual(workspace().savedSearches.map((s) => s.properties));

    const arm = standIn.requests.filter((r) => r.surface === "arm");
    expect(arm.filter((r) => r.route === "alertRules")).toHaveLength(3);
    expect(arm.filter((r) => r.route === "watchlistItems")).toHaveLength(3 + 1);
    expect(arm.every((r) => r.method === "GET" && r.authenticated && r.status === 200)).toBe(true);
    // Sentinel resources are read with the versions the project deploys, not the SDK's 2022-09-01-preview:
    // alert rules with the NRT preview (a superset), watchlists with the stable version.
    expect(new Set(arm.filter((r) => r.route === "alertRules").map((r) => r.apiVersion))).toEqual(new Set(["2025-04-01-preview"]));
    expect(new Set(arm.filter((r) => r.route?.startsWith("watchlist")).map((r) => r.apiVersion))).toEqual(new Set(["2024-09-01"]));
    expect(arm.find((r) => r.route === "savedSearches")?.apiVersion).toBe("2025-07-01");
  });

  it("reads tables (paged) with their raw schemas", async () => {
    const tables = await readTables(target, fast);
    expect(tables.map((t) => t.name)).toEqual(["Custom_CL", "Table1", "Table2", "Table3", "Table4"]);
    expect(tables[1]?.properties.schema).toEqual({
      name: "Table1",
      columns: [{ name: "Col", type: "string" }],
      standardColumns: [{ name: "TimeGenerated", type: "dateTime" }],
    });
  });

  it("signs in with DefaultAzureCredential from AZURE_* variables, turning off instance discovery for the custom authority", async () => {
    await withStandInEnvironment(standIn, async () => {
      const { authorityHost: _, ...withoutAuthority } = target;
      const live = await readLiveWorkspace(withoutAuthority, { caPem: standIn.caPem });
      expect(live.alertRules).toHaveLength(RULES);
    });
  });

  it("waits out a 429 for its Retry-After, then succeeds", async () => {
    standIn.setFaults([{ kind: "throttle", route: "alertRules", times: 1, retryAfterSeconds: 1 }]);
    standIn.clearRequests();
    const started = Date.now();
    const live = await readLiveWorkspace(target, fast);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(live.alertRules).toHaveLength(RULES);
    expect(standIn.requests.filter((r) => r.route === "alertRules").map((r) => r.status)).toEqual([429, 200, 200, 200]);
  });

  it("retries transient 503 and 500 responses", async () => {
    standIn.setFaults([
      { kind: "unavailable", route: "watchlistItems", times: 2 },
      { kind: "serverError", route: "savedSearches", times: 1 },
    ]);
    const live = await readLiveWorkspace(target, fast);
    expect(live.watchlists.find((w) => w.name === "NetworkAllowlist")?.items).toHaveLength(ITEMS);
    expect(live.savedSearches).toHaveLength(2);
    expect(standIn.faultsRemaining()).toBe(0);
  });

  it("retries a response slower than the timeout, then succeeds", async () => {
    standIn.setFaults([{ kind: "slow", route: "alertRules", times: 1, delayMs: 4000 }]);
    standIn.clearRequests();
    const started = Date.now();
    const live = await readLiveWorkspace(target, fast);
    expect(live.alertRules).toHaveLength(RULES);
    // The retry went out after the 1 s timeout instead of waiting for the slow answer.
    expect(Date.now() - started).toBeLessThan(4000);
    expect(standIn.requests.filter((r) => r.route === "alertRules" && r.fault === "slow")).toHaveLength(1);
  });

  it("retries a body whose connection was cut half-way, then succeeds", async () => {
    standIn.setFaults([{ kind: "truncated", route: "alertRules", times: 1 }]);
    expect((await readLiveWorkspace(target, fast)).alertRules).toHaveLength(RULES);
  });

  it("refuses a malformed body with AzureReadError, never a partial result", async () => {
    standIn.setFaults([{ kind: "malformed", route: "watchlistItems", times: 1 }]);
    const error = await readError(readLiveWorkspace(target, fast));
    expect(error.details).toMatchObject({ kind: "malformed", status: 200 });
    expect(error.message).toMatch(
      /^Listing the items of watchlist 'NetworkAllowlist' in workspace 'law-soc' .* failed: the response \(HTTP 200\) .* is not valid JSON/,
    );
    // The Log Analytics client (a different SDK generation) is refused the same way.
    standIn.setFaults([{ kind: "malformed", route: "tables", times: 1 }]);
    expect((await readError(readTables(target, fast))).details.kind).toBe("malformed");
  });

  it("gives up with AzureReadError once retries are exhausted", async () => {
    standIn.setFaults([{ kind: "serverError", route: "alertRules" }]);
    const error = await readError(readLiveWorkspace(target, fast));
    expect(error.details).toMatchObject({ kind: "transient", status: 500, code: "InternalServerError", attempts: 3 });
    expect(error.message).toContain("HTTP 500 InternalServerError");
    expect(error.message).toContain("after 3 attempt(s)");

    standIn.setFaults([{ kind: "throttle", route: "savedSearches", retryAfterSeconds: 0 }]);
    expect((await readError(readLiveWorkspace(target, fast))).details).toMatchObject({ kind: "throttled", status: 429, attempts: 3 });

    standIn.setFaults([{ kind: "slow", route: "tables", delayMs: 2000 }]);
    const timeout = await readError(readTables(target, { ...fast, timeoutMs: 150, maxRetries: 1 }));
    expect(timeout.details).toMatchObject({ kind: "timeout", attempts: 2 });
    expect(timeout.message).toContain("no response within 150 ms");

    standIn.setFaults([{ kind: "truncated", route: "alertRules" }]);
    const cut = await readError(readLiveWorkspace(target, fast));
    expect(cut.details).toMatchObject({ kind: "network", attempts: 3 });
    expect(cut.message).toContain("cut before the whole response arrived");
  });

  it("reports a wrong secret as a sign-in failure, without the secret", async () => {
    const wrongSecret = "wrong-secret-0123456789";
    const wrong = new ClientSecretCredential(standIn.credentials.tenantId, standIn.credentials.clientId, wrongSecret, {
      authorityHost: standIn.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: [...rootCertificates, standIn.caPem] },
    });
    standIn.clearRequests();
    const error = await readError(readLiveWorkspace(target, { ...fast, credential: wrong }));
    expect(error.details.kind).toBe("auth");
    expect(error.message).toContain("signing in to Entra ID failed");
    expect(error.message).toContain("AADSTS7000215");
    expect(error.message).not.toContain(wrongSecret);
    // Nothing reached ARM.
    expect(standIn.requests.filter((r) => r.surface === "arm")).toEqual([]);
  });

  it("names the missing workspace and says what to check", async () => {
    const error = await readError(readLiveWorkspace({ ...target, workspaceName: "law-typo" }, fast));
    expect(error.details).toMatchObject({ kind: "http", status: 404, code: "ResourceNotFound", attempts: 1 });
    expect(error.message).toContain("workspace 'law-typo'");
    expect(error.message).toContain("Check the subscription id, resource group name and workspace name");
  });

  it("lists 1,000 alert rules at 50 a page in well under 2 s", async () => {
    standIn.setState(workspace(1000));
    await readLiveWorkspace(target, fast); // warm-up: first TLS handshakes and JIT
    const started = performance.now();
    const live = await readLiveWorkspace(target, fast);
    const elapsed = performance.now() - started;
    expect(live.alertRules).toHaveLength(1000);
    console.log(`readLiveWorkspace: 1,000 alert rules (20 pages of 50) + ${ITEMS} watchlist items in ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(2000);
  });
});

describe("azure helpers", () => {
  it("resolves each cloud's endpoints and lets explicit ones win", () => {
    expect(resolveEndpoints({ subscriptionId: "s", resourceGroupName: "r", workspaceName: "w" })).toMatchObject({
      armEndpoint: "https://management.azure.com",
      authorityHost: "https://login.microsoftonline.com",
      armScope: "https://management.azure.com/.default",
    });
    expect(resolveEndpoints({ subscriptionId: "s", resourceGroupName: "r", workspaceName: "w", cloud: "AzureUSGovernment" })).toMatchObject(
      {
        armEndpoint: "https://management.usgovcloudapi.net",
        authorityHost: "https://login.microsoftonline.us",
        armScope: "https://management.usgovcloudapi.net/.default",
      },
    );
    const custom = resolveEndpoints({
      subscriptionId: "s",
      resourceGroupName: "r",
      workspaceName: "w",
      cloud: "AzureChinaCloud",
      armEndpoint: "https://127.0.0.1:8443/",
    });
    expect(custom).toMatchObject({
      armEndpoint: "https://127.0.0.1:8443",
      authorityHost: "https://login.chinacloudapi.cn",
      armScope: "https://management.chinacloudapi.cn/.default",
    });
    expect(() =>
      resolveEndpoints({ subscriptionId: "s", resourceGroupName: "r", workspaceName: "w", armEndpoint: "http://127.0.0.1" }),
    ).toThrow(/must use https/);
  });

  it("redacts secrets, bearer tokens and JWTs", () => {
    const text =
      'Authorization: Bearer abc.def-ghi client_secret=s3cr3t-value&x=1 {"access_token":"tok"} eyJhbGciOi.eyJzdWIiOiIx.c2ln my-known-secret';
    const redacted = redactSecrets(text, ["my-known-secret"], {});
    expect(redacted).toBe(
      'Authorization: Bearer [REDACTED] client_secret=[REDACTED]&x=1 {"access_token":"[REDACTED]"} [REDACTED] [REDACTED]',
    );
    expect(redactSecrets("the value s3cr3t-from-env leaked", [], { AZURE_CLIENT_SECRET: "s3cr3t-from-env" })).toBe(
      "the value [REDACTED] leaked",
    );
  });
});
