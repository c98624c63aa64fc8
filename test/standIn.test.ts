/**
 * The local Azure stand-in: real HTTPS with a throwaway CA, Entra ID's client-credentials flow
 * driven by the real @azure/identity credentials, and ARM GET bodies shaped like Azure's.
 */
import { SecurityInsights } from "@azure/arm-securityinsight";
import { ClientSecretCredential, DefaultAzureCredential } from "@azure/identity";
import { spawn, execFile } from "node:child_process";
import { request } from "node:https";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { exampleStateText } from "../stand-in/src/exampleState";
import { parseFaultSpec } from "../stand-in/src/faults";
import { startStandIn, type StandIn } from "../stand-in/src/standIn";
import { withStandInEnvironment } from "./helpers/azureEnvironment";
import { loadStandInState, parseStandInState, StandInStateError, type StandInState } from "../stand-in/src/state";

const ARM_SCOPE = "https://management.azure.com/.default";
const SUB = "00000000-0000-4000-8000-0000000000a1";
const WS_PATH = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws`;
const SENTINEL = `${WS_PATH}/providers/Microsoft.SecurityInsights`;

function state(): StandInState {
  return {
    subscriptionId: SUB,
    resourceGroupName: "rg",
    workspaceName: "ws",
    alertRules: Array.from({ length: 7 }, (_, i) => ({
      name: `rule-${i}`,
      kind: "Scheduled",
      properties: { displayName: `Rule ${i}`, enabled: true, query: "SigninLogs", subTechniques: ["T1078.004"] },
    })),
    watchlists: [
      {
        name: "Allow",
        properties: { displayName: "Allow", provider: "SecOps", itemsSearchKey: "IP" },
        items: [{ name: "item-1", properties: { itemsKeyValue: { IP: "192.0.2.1" } } }],
      },
    ],
    savedSearches: [{ name: "search-1", properties: { category: "Hunting Queries", displayName: "S", query: "T", version: 2 } }],
    tables: [
      {
        name: "SigninLogs",
        properties: { schema: { name: "SigninLogs", columns: [], standardColumns: [{ name: "TimeGenerated", type: "dateTime" }] } },
      },
    ],
  };
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A plain HTTPS request that trusts only the stand-in's CA, or Node's roots when `ca` is false. */
function raw(
  standIn: StandIn,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  ca: string | false = standIn.caPem,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${standIn.url}${path}`, { method, headers, ...(ca ? { ca } : {}) }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("stand-in", () => {
  let standIn: StandIn;
  let credential: ClientSecretCredential;
  let token: string;

  beforeAll(async () => {
    standIn = await startStandIn({ state: state(), pageSize: { alertRules: 3 } });
    credential = new ClientSecretCredential(standIn.credentials.tenantId, standIn.credentials.clientId, standIn.credentials.clientSecret, {
      authorityHost: standIn.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: [...rootCertificates, standIn.caPem] },
    });
    token = (await credential.getToken(ARM_SCOPE)).token;
  });
  afterAll(() => standIn.close());
  afterEach(() => standIn.setFaults([]));

  const get = (path: string) => raw(standIn, "GET", path, { Authorization: `Bearer ${token}` });

  describe("TLS", () => {
    it("serves a certificate for 127.0.0.1 that verifies against the exposed CA, and only against it", async () => {
      expect(standIn.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(standIn.caPem).toContain("-----BEGIN CERTIFICATE-----");
      expect((await raw(standIn, "GET", `${SENTINEL}/alertRules?api-version=2024-09-01`)).status).toBe(401);
      await expect(raw(standIn, "GET", "/", {}, false)).rejects.toThrow(/certificate/i);
    });
  });

  describe("Entra ID", () => {
    it("runs MSAL's real client-credentials flow: OpenID discovery, then the token endpoint", () => {
      expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      const entra = standIn.requests.filter((r) => r.surface === "entra");
      expect(entra.map((r) => [r.method, r.route, r.status])).toEqual([
        ["GET", "openidConfiguration", 200],
        ["POST", "token", 200],
      ]);
      expect(entra[0]?.path).toBe(`/${standIn.credentials.tenantId}/v2.0/.well-known/openid-configuration`);
    });

    it("refuses a wrong secret as Entra does: 401 invalid_client, AADSTS7000215", async () => {
      const wrong = new ClientSecretCredential(standIn.credentials.tenantId, standIn.credentials.clientId, "not-the-secret-value", {
        authorityHost: standIn.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: [...rootCertificates, standIn.caPem] },
      });
      const error = await wrong.getToken(ARM_SCOPE).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message).toContain("AADSTS7000215");
      expect(error?.message).toContain("invalid_client");
      expect(error?.message).not.toContain("not-the-secret-value");
      expect(standIn.requests.filter((r) => r.route === "token").at(-1)).toMatchObject({ status: 401, error: "invalid_client" });
    });

    it("refuses an unknown client (AADSTS700016) and an unknown tenant (AADSTS90002)", async () => {
      const opts = {
        authorityHost: standIn.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: [...rootCertificates, standIn.caPem] },
      };
      const unknownClient = new ClientSecretCredential(
        standIn.credentials.tenantId,
        "11111111-1111-4111-8111-111111111111",
        standIn.credentials.clientSecret,
        opts,
      );
      await expect(unknownClient.getToken(ARM_SCOPE)).rejects.toThrow(/AADSTS700016/);
      const unknownTenant = new ClientSecretCredential(
        "22222222-2222-4222-8222-222222222222",
        standIn.credentials.clientId,
        standIn.credentials.clientSecret,
        opts,
      );
      await expect(unknownTenant.getToken(ARM_SCOPE)).rejects.toThrow();
      expect(standIn.requests.some((r) => r.route === "openidConfiguration" && r.status === 400 && r.error === "invalid_tenant")).toBe(
        true,
      );
    });

    it("issues tokens only for ARM's audience (AADSTS500011 otherwise)", async () => {
      await expect(credential.getToken("https://vault.azure.net/.default")).rejects.toThrow(/AADSTS500011/);
    });

    it("works for DefaultAzureCredential through EnvironmentCredential (AZURE_* variables + disableInstanceDiscovery)", async () => {
      await withStandInEnvironment(standIn, async () => {
        const fromEnv = new DefaultAzureCredential({
          disableInstanceDiscovery: true,
          tlsOptions: { ca: [...rootCertificates, standIn.caPem] },
        });
        const envToken = await fromEnv.getToken(ARM_SCOPE);
        const reply = await raw(standIn, "GET", `${SENTINEL}/alertRules/rule-0?api-version=2024-09-01`, {
          Authorization: `Bearer ${envToken.token}`,
        });
        expect(reply.status).toBe(200);
      });
    });

    it("never records a secret or a token", () => {
      const log = JSON.stringify(standIn.requests);
      expect(log).not.toContain(standIn.credentials.clientSecret);
      expect(log).not.toContain(token);
    });
  });

  describe("ARM", () => {
    it("requires a bearer token it issued, answering 401 with ARM's error body", async () => {
      const none = await raw(standIn, "GET", `${SENTINEL}/alertRules?api-version=2024-09-01`);
      expect(none.status).toBe(401);
      expect(JSON.parse(none.text)).toEqual({
        error: { code: "AuthenticationFailed", message: expect.stringContaining("'Authorization' header is missing") },
      });
      expect(none.headers["www-authenticate"]).toMatch(/^Bearer authorization_uri=/);
      const forged = await raw(standIn, "GET", `${SENTINEL}/alertRules?api-version=2024-09-01`, { Authorization: "Bearer forged" });
      expect(JSON.parse(forged.text).error.code).toBe("InvalidAuthenticationToken");
      expect(standIn.requests.at(-1)).toMatchObject({ status: 401, authenticated: false });
    });

    it("serves an alert rule like GetScheduledAlertRule.json, adding the server's fields", async () => {
      const reply = await get(`${SENTINEL}/alertRules/RULE-0?api-version=2024-09-01`);
      expect(reply.status).toBe(200);
      expect(reply.headers["content-type"]).toBe("application/json; charset=utf-8");
      const body = JSON.parse(reply.text);
      expect(body).toMatchObject({
        id: `${SENTINEL}/alertRules/rule-0`,
        name: "rule-0",
        type: "Microsoft.SecurityInsights/alertRules",
        kind: "Scheduled",
        etag: expect.stringMatching(/^"[0-9a-f]{8}-0000-0000-0000-[0-9a-f]{12}"$/),
        properties: { displayName: "Rule 0", alertRuleTemplateName: null },
      });
      expect(body.properties.lastModifiedUtc).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
      expect(standIn.requests.at(-1)).toMatchObject({ route: "alertRule", apiVersion: "2024-09-01", authenticated: true, status: 200 });
    });

    it("shapes an alert rule by api-version, as the specs define each version", async () => {
      const rule = {
        name: "versioned",
        kind: "NRT",
        properties: {
          displayName: "Versioned",
          query: "SigninLogs",
          subTechniques: ["T1078.004"],
          sentinelEntitiesMappings: [{ columnName: "Entities" }],
          alertDetailsOverride: { alertDisplayNameFormat: "x", alertDynamicProperties: [{ alertProperty: "ProductName", value: "P" }] },
        },
      };
      standIn.setState({ ...state(), alertRules: [rule] });
      try {
        const at = async (version: string) =>
          JSON.parse((await get(`${SENTINEL}/alertRules/versioned?api-version=${version}`)).text).properties;
        const preview = await at("2025-04-01-preview");
        expect(preview).toMatchObject(rule.properties);
        const stable = await at("2024-09-01");
        expect(stable).not.toHaveProperty("subTechniques");
        expect(stable).not.toHaveProperty("sentinelEntitiesMappings");
        expect(stable.alertDetailsOverride.alertDynamicProperties).toEqual(rule.properties.alertDetailsOverride.alertDynamicProperties);
        // The version @azure/arm-securityinsight 1.0.0-beta.6 sends by default predates alertDynamicProperties.
        const sdkDefault = await at("2022-09-01-preview");
        expect(sdkDefault.alertDetailsOverride).toEqual({ alertDisplayNameFormat: "x" });
        expect(sdkDefault).not.toHaveProperty("subTechniques");
      } finally {
        standIn.setState(state());
      }
    });

    it("serves watchlists and items with Sentinel's server-side fields", async () => {
      const watchlist = JSON.parse((await get(`${SENTINEL}/watchlists/Allow?api-version=2024-09-01`)).text);
      expect(watchlist).toMatchObject({
        id: `${SENTINEL}/watchlists/Allow`,
        type: "Microsoft.SecurityInsights/Watchlists",
        properties: { watchlistAlias: "Allow", watchlistType: "watchlist", isDeleted: false, sourceType: "Local", provider: "SecOps" },
      });
      for (const field of ["watchlistId", "created", "updated", "createdBy", "updatedBy", "tenantId"])
        expect(watchlist.properties).toHaveProperty(field);
      const item = JSON.parse((await get(`${SENTINEL}/watchlists/Allow/watchlistItems/item-1?api-version=2024-09-01`)).text);
      expect(item).toMatchObject({
        id: `${SENTINEL}/Watchlists/Allow/WatchlistItems/item-1`,
        type: "Microsoft.SecurityInsights/Watchlists/WatchlistItems",
        properties: {
          watchlistItemType: "watchlist-item",
          watchlistItemId: "item-1",
          isDeleted: false,
          itemsKeyValue: { IP: "192.0.2.1" },
        },
      });
      for (const field of ["tenantId", "created", "updated"]) expect(item.properties).toHaveProperty(field);
    });

    it("serves saved searches unpaged and tables with their schema", async () => {
      const searches = JSON.parse((await get(`${WS_PATH}/savedSearches?api-version=2025-07-01`)).text);
      expect(searches.nextLink).toBeUndefined();
      expect(searches.value[0]).toMatchObject({
        name: "search-1",
        type: "Microsoft.OperationalInsights/savedSearches",
        etag: expect.stringMatching(/^W\/"datetime'/),
      });
      const tables = JSON.parse((await get(`${WS_PATH}/tables?api-version=2025-07-01`)).text);
      expect(tables.value[0]).toMatchObject({
        type: "Microsoft.OperationalInsights/workspaces/tables",
        properties: { plan: "Analytics", schema: { name: "SigninLogs", standardColumns: [{ name: "TimeGenerated", type: "dateTime" }] } },
      });
    });

    it("pages with nextLink carrying api-version and an opaque $skipToken", async () => {
      const first = JSON.parse((await get(`${SENTINEL}/alertRules?api-version=2024-09-01`)).text);
      expect(first.value.map((r: { name: string }) => r.name)).toEqual(["rule-0", "rule-1", "rule-2"]);
      const next = new URL(first.nextLink);
      expect(next.origin).toBe(standIn.url);
      expect(next.searchParams.get("api-version")).toBe("2024-09-01");
      expect(next.searchParams.get("$skipToken")).toBeTruthy();
      const names: string[] = [];
      let link: string | undefined = first.nextLink;
      while (link) {
        const page = JSON.parse((await get(link.slice(standIn.url.length))).text);
        names.push(...page.value.map((r: { name: string }) => r.name));
        link = page.nextLink;
      }
      expect(names).toEqual(["rule-3", "rule-4", "rule-5", "rule-6"]);
      standIn.setPageSize({ alertRules: 0 });
      expect(JSON.parse((await get(`${SENTINEL}/alertRules?api-version=2024-09-01`)).text).value).toHaveLength(7);
      standIn.setPageSize({ alertRules: 3 });
    });

    it("answers 404 with ARM's error codes for a missing workspace, resource group, subscription or resource", async () => {
      const codeOf = async (path: string) => {
        const reply = await get(path);
        expect(reply.status).toBe(404);
        return JSON.parse(reply.text).error.code as string;
      };
      expect(await codeOf(`${WS_PATH.replace("/ws", "/other")}/savedSearches?api-version=2025-07-01`)).toBe("ResourceNotFound");
      expect(await codeOf(`${WS_PATH.replace("/rg/", "/rg2/")}/tables?api-version=2025-07-01`)).toBe("ResourceGroupNotFound");
      expect(await codeOf(`${WS_PATH.replace(SUB, "00000000-0000-4000-8000-000000000bad")}/tables?api-version=2025-07-01`)).toBe(
        "SubscriptionNotFound",
      );
      expect(await codeOf(`${SENTINEL}/alertRules/missing?api-version=2024-09-01`)).toBe("ResourceNotFound");
    });

    it("requires api-version", async () => {
      const reply = await get(`${SENTINEL}/alertRules`);
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.text).error.code).toBe("MissingApiVersionParameter");
    });

    it("records writes from the real SDK client and refuses them with 405", async () => {
      const client = new SecurityInsights(credential, SUB, {
        endpoint: standIn.armEndpoint,
        credentialScopes: [ARM_SCOPE],
        apiVersion: "2024-09-01",
        tlsOptions: { ca: [...rootCertificates, standIn.caPem] },
        retryOptions: { maxRetries: 0 },
      });
      const before = standIn.writes().length;
      await expect(
        client.alertRules.createOrUpdate("rg", "ws", "rule-9", { kind: "Fusion", alertRuleTemplateName: "t", enabled: true }),
      ).rejects.toMatchObject({ statusCode: 405 });
      await expect(client.alertRules.delete("rg", "ws", "rule-0")).rejects.toMatchObject({ statusCode: 405 });
      const writes = standIn.writes().slice(before);
      expect(writes.map((w) => [w.method, w.route, w.status, w.error])).toEqual([
        ["PUT", "alertRule", 405, "MethodNotAllowed"],
        ["DELETE", "alertRule", 405, "MethodNotAllowed"],
      ]);
      expect(writes[0]?.path).toBe(`${SENTINEL}/alertRules/rule-9`);
    });
  });

  describe("faults", () => {
    it("throttles N times with Retry-After, then answers normally", async () => {
      standIn.setFaults([{ kind: "throttle", route: "alertRule", times: 2, retryAfterSeconds: 7 }]);
      const path = `${SENTINEL}/alertRules/rule-1?api-version=2024-09-01`;
      const first = await get(path);
      expect(first.status).toBe(429);
      expect(first.headers["retry-after"]).toBe("7");
      expect(JSON.parse(first.text).error.code).toBe("TooManyRequests");
      expect((await get(path)).status).toBe(429);
      expect((await get(path)).status).toBe(200);
      expect(standIn.faultsRemaining()).toBe(0);
    });

    it("applies a fault only to its route", async () => {
      standIn.setFaults([{ kind: "unavailable", route: "tables", times: 1 }]);
      expect((await get(`${WS_PATH}/savedSearches?api-version=2025-07-01`)).status).toBe(200);
      expect((await get(`${WS_PATH}/tables?api-version=2025-07-01`)).status).toBe(503);
      expect((await get(`${WS_PATH}/tables?api-version=2025-07-01`)).status).toBe(200);
    });

    it("sends a malformed body, a 500 and a 404 on request", async () => {
      const path = `${WS_PATH}/savedSearches?api-version=2025-07-01`;
      standIn.setFaults([
        { kind: "malformed", times: 1 },
        { kind: "serverError", times: 1 },
        { kind: "notFound", times: 1 },
      ]);
      const malformed = await get(path);
      expect(malformed.status).toBe(200);
      expect(() => JSON.parse(malformed.text)).toThrow();
      expect((await get(path)).status).toBe(500);
      expect((await get(path)).status).toBe(404);
      expect((await get(path)).status).toBe(200);
    });

    it("cuts a truncated body's connection half-way", async () => {
      standIn.setFaults([{ kind: "truncated", times: 1 }]);
      await expect(get(`${WS_PATH}/savedSearches?api-version=2025-07-01`)).rejects.toThrow(/aborted|ECONNRESET|socket hang up/);
    });

    it("delays a slow response", async () => {
      standIn.setFaults([{ kind: "slow", times: 1, delayMs: 300 }]);
      const started = Date.now();
      expect((await get(`${WS_PATH}/tables?api-version=2025-07-01`)).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });

    it("rejects invalid faults and reads command-line specs", () => {
      expect(() => standIn.setFaults([{ kind: "throttle", route: "alertRulez" as "alertRules" }])).toThrow(/route must be/);
      expect(() => standIn.setFaults([{ kind: "throttle", times: 0 }])).toThrow(/times must be/);
      expect(parseFaultSpec("throttle:alertRules:2:retryAfterSeconds=5")).toEqual({
        kind: "throttle",
        route: "alertRules",
        times: 2,
        retryAfterSeconds: 5,
      });
      expect(parseFaultSpec("slow:*:1:delayMs=2500")).toEqual({ kind: "slow", route: "*", times: 1, delayMs: 2500 });
      expect(() => parseFaultSpec("explode")).toThrow(/kind must be one of/);
    });
  });
});

describe("npm run stand-in", () => {
  it("prints the environment a child process needs, and that process reads the workspace trusting the CA via NODE_EXTRA_CA_CERTS", async () => {
    const root = join(__dirname, "..");
    const caFile = join(mkdtempSync(join(tmpdir(), "stand-in-ca-")), "ca.pem");
    const server = spawn(
      process.execPath,
      ["--import", "tsx", "stand-in/serve.ts", "--state", "stand-in/example-state.json", "--ca-file", caFile, "--quiet"],
      {
        cwd: root,
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = "";
        server.stdout.setEncoding("utf8");
        server.stdout.on("data", (chunk: string) => {
          text += chunk;
          if (text.includes("Ctrl+C stops it")) resolve(text);
        });
        server.on("exit", (code) => reject(new Error(`the stand-in script exited (${code}): ${text}`)));
      });
      const env = Object.fromEntries([...output.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
      expect(Object.keys(env).sort()).toEqual([
        "AZURE_AUTHORITY_HOST",
        "AZURE_CLIENT_ID",
        "AZURE_CLIENT_SECRET",
        "AZURE_TENANT_ID",
        "NODE_EXTRA_CA_CERTS",
      ]);
      expect(env.NODE_EXTRA_CA_CERTS).toBe(caFile);
      const armEndpoint = /--arm-endpoint (\S+) --authority-host (\S+)/.exec(output)?.[1];
      expect(armEndpoint).toBe(env.AZURE_AUTHORITY_HOST);

      const example = loadStandInState(join(root, "stand-in", "example-state.json"));
      const child = `const { readLiveWorkspace } = require(${JSON.stringify(join(root, "src", "azure", "liveWorkspace.ts"))});
readLiveWorkspace(JSON.parse(process.env.TARGET)).then(
  (w) => console.log(JSON.stringify({ rules: w.alertRules.length, searches: w.savedSearches.length })),
  (e) => { console.log(JSON.stringify({ error: e.message })); process.exitCode = 1; });`;
      const result = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ["--import", "tsx", "-e", child],
          {
            cwd: root,
            env: {
              PATH: process.env.PATH,
              ...env,
              // Only the environment credential: the chain's managed identity would probe a non-loopback address.
              AZURE_TOKEN_CREDENTIALS: "EnvironmentCredential",
              TARGET: JSON.stringify({
                subscriptionId: example.subscriptionId,
                resourceGroupName: example.resourceGroupName,
                workspaceName: example.workspaceName,
                armEndpoint,
              }),
            },
          },
          (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout)),
        ),
      );
      expect(JSON.parse(result)).toEqual({ rules: example.alertRules.length, searches: example.savedSearches.length });
    } finally {
      server.kill("SIGINT");
    }
  });
});

describe("stand-in state files", () => {
  it("loads the example state", () => {
    const example = loadStandInState(join(__dirname, "..", "stand-in", "example-state.json"));
    expect(example.alertRules.length).toBeGreaterThan(0);
    expect(example.watchlists[0]?.items.length).toBeGreaterThan(0);
    expect(example.savedSearches.length).toBeGreaterThan(0);
    expect(example.tables.length).toBeGreaterThan(0);
  });

  it("lists every problem, with the field and what to do", () => {
    const bad = {
      subscriptionId: "not-a-guid",
      resourceGroupName: "rg",
      alertRules: [
        { name: "a", properties: {} },
        { name: "A", kind: "NRT", properties: {} },
        { name: "x/y", kind: "NRT", properties: [] },
      ],
      watchlist: [],
    };
    let error: unknown;
    try {
      parseStandInState(bad, "bad.json");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StandInStateError);
    const problems = (error as StandInStateError).problems.join("\n");
    expect(problems).toContain("$.watchlist is not a known field");
    expect(problems).toContain("subscriptionId 'not-a-guid' must be a GUID");
    expect(problems).toContain("workspaceName is missing");
    expect(problems).toContain("alertRules[0].kind is missing; give the rule kind");
    expect(problems).toContain("alertRules[1].name 'A' is used twice");
    expect(problems).toContain("alertRules[2].name 'x/y' contains '/'");
    expect(problems).toContain("alertRules[2].properties must be an object");
    expect((error as Error).message).toMatch(/^bad\.json is not a valid stand-in state:/);
  });

  it("says when the file is missing or not JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "stand-in-state-"));
    expect(() => loadStandInState(join(dir, "nope.json"))).toThrow(/does not exist/);
    writeFileSync(join(dir, "broken.json"), "{ nope");
    expect(() => loadStandInState(join(dir, "broken.json"))).toThrow(/not valid JSON/);
  });
});
