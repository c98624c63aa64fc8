/**
 * The deploy's own Azure calls (functions and large watchlists, during `pulumi up`) have the
 * same server guards as the reads (hostileServer.test.ts): against the stand-in's hostile
 * faults over real HTTPS, with the real SDK clients and the credential deployConnection builds.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureWriteError } from "../../src/azure/deployClients";
import { deployConnection, type DeployConnection } from "../../src/azure/deployConnection";
import { standInConnection } from "../helpers/standInConnection";
import { redactSecrets } from "../../src/azure/redact";
import { SavedSearchWriter } from "../../src/azure/savedSearchWriter";
import { WatchlistRowsWriter } from "../../src/azure/watchlistRowsWriter";
import { startStandIn, type StandIn } from "../../stand-in/src/standIn";
import type { StandInState } from "../../stand-in/src/state";

const SUB = "00000000-0000-4000-8000-0000000000a1";
const SCOPE = { resourceGroupName: "rg-soc", workspaceName: "law-soc" };
const LIST = { ...SCOPE, watchlistAlias: "BigList", itemsSearchKey: "IPOrRange" };
const FUNCTION = { category: "Security", displayName: "My function", query: "print 1", functionAlias: "MyFn", version: 2 };

function workspace(): StandInState {
  return {
    subscriptionId: SUB,
    ...SCOPE,
    alertRules: [],
    watchlists: [
      {
        name: "BigList",
        properties: { displayName: "Big list", provider: "SOC", itemsSearchKey: "IPOrRange", source: "BigList.csv", sourceType: "Local" },
        items: Array.from({ length: 30 }, (_, i) => ({
          name: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
          properties: { itemsKeyValue: { IPOrRange: `10.0.0.${i}`, Description: `Row ${i}` } },
        })),
      },
    ],
    savedSearches: [{ name: "MyFn", properties: { ...FUNCTION } }],
    tables: [],
  };
}

let standIn: StandIn;
let connection: DeployConnection;
const FAST = { limits: { maxRetries: 3, retryDelayMs: 10, maxRetryDelayMs: 50, timeoutMs: 2_000 } };

beforeAll(async () => {
  standIn = await startStandIn({ state: workspace(), pageSize: { watchlistItems: 5 } });
  connection = await standInConnection(standIn, SUB);
});
afterEach(() => {
  standIn.setState(workspace());
  standIn.setFaults([]);
  standIn.clearRequests();
});
afterAll(async () => {
  // Whatever the server sent, the decoy origin never received a request, with a token or without.
  expect(standIn.decoyRequests).toEqual([]);
  await standIn.close();
});

async function refused(work: Promise<unknown>): Promise<AzureWriteError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AzureWriteError);
  return error as AzureWriteError;
}
const itemRequests = () => standIn.requests.filter((r) => r.route === "watchlistItems").length;

describe("the large-watchlist writer against a hostile server", () => {
  it("never follows a nextLink to another origin: the token stays home", async () => {
    standIn.setFaults([{ kind: "foreignLink", route: "watchlistItems" }]);
    const error = await refused(new WatchlistRowsWriter(connection, FAST).readRows(LIST));
    expect(error.code).toBe("foreign-origin");
    expect(error.message).toMatch(/^reading the items of watchlist 'BigList' .* failed: the service sent a link to https:\/\/127\.0\.0\.1/);
    expect(error.message).toContain("the token was not sent there");
    expect(standIn.decoyRequests).toEqual([]);
  });

  it("stops on a nextLink that names a page already read, after a handful of requests", async () => {
    standIn.setFaults([{ kind: "selfLink", route: "watchlistItems" }]);
    const started = Date.now();
    const rows = Array.from({ length: 30 }, (_, i) => ({ IPOrRange: `10.0.0.${i}`, Description: `Row ${i}` }));
    const error = await refused(
      new WatchlistRowsWriter(connection, { ...FAST, pollMs: 10 }).reconcile(
        LIST,
        workspace().watchlists[0]!.properties as never,
        ["IPOrRange", "Description"],
        rows,
      ),
    );
    expect(error.code).toBe("repeated-link");
    expect(error.message).toContain("the service sent a next-page link that was already followed");
    expect(itemRequests()).toBeLessThanOrEqual(3);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(standIn.writes()).toEqual([]);
  });

  it("stops at the page cap on a list that never ends", async () => {
    standIn.setFaults([{ kind: "endlessPages", route: "watchlistItems" }]);
    const error = await refused(new WatchlistRowsWriter(connection, { limits: { ...FAST.limits, maxPages: 20 } }).readRows(LIST));
    expect(error.code).toBe("page-cap");
    expect(itemRequests()).toBe(20);
  });
});

describe("the function writer against a hostile server", () => {
  it("refuses a Retry-After longer than the cap at once, instead of waiting an hour", async () => {
    standIn.setFaults([{ kind: "throttle", route: "savedSearch", retryAfterSeconds: 3600 }]);
    const started = Date.now();
    const error = await refused(new SavedSearchWriter(connection, FAST).get(SCOPE, "MyFn"));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.code).toBe("retry-after-cap");
    expect(error.message).toContain(
      "Azure asked to wait 3,600 s before retrying (Retry-After), longer than the 60 s sentinel-iac waits at once",
    );
  });

  it("the Retry-After total is shared by the writers of one process (one `pulumi up`)", async () => {
    standIn.setFaults([{ kind: "throttle", route: "savedSearch", retryAfterSeconds: 1, times: 1 }]);
    const budget = { maxWaitMs: 60_000, maxTotalMs: 1_500, spentMs: 0 };
    await new SavedSearchWriter(connection, { ...FAST, budget }).get(SCOPE, "MyFn");
    expect(budget.spentMs).toBe(1_000);
    standIn.setFaults([{ kind: "throttle", route: "savedSearch", retryAfterSeconds: 1, times: 1 }]);
    const error = await refused(new SavedSearchWriter(connection, { ...FAST, budget }).get(SCOPE, "MyFn"));
    expect(error.code).toBe("retry-wait-cap");
  });

  it("an opaque token echoed in an error body is redacted from the error", async () => {
    standIn.setFaults([{ kind: "echoToken", route: "savedSearch" }]);
    const error = await refused(new SavedSearchWriter(connection, FAST).put(SCOPE, "MyFn", { ...FUNCTION, query: "print 2" }));
    const tokens = standIn.issuedTokens();
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) expect(token).not.toMatch(/^eyJ/);
    expect(error.message).toContain("for the caller holding [REDACTED]");
    for (const token of tokens) {
      expect(error.message).not.toContain(token);
      expect(JSON.stringify(error)).not.toContain(token);
    }
  });
});

describe("secrets the deploy signs in with", () => {
  it("every secret read from stack config or the environment is redacted by value from then on", async () => {
    const secrets = {
      clientSecret: "cfg-client-secret-0f3a9",
      clientCertificatePassword: "cfg-cert-password-77b1",
      oidcToken: "cfg-oidc-token-c0ffee",
      oidcRequestToken: "cfg-request-token-beef42",
    };
    // Only one method signs in, yet every configured secret can be echoed back by something.
    const settings: Record<string, string> = { tenantId: "t", clientId: "c", subscriptionId: SUB, ...secrets };
    await deployConnection((k) => settings[k], { armEndpoint: standIn.armEndpoint, authorityHost: standIn.authorityHost });
    const text = `failed with ${Object.values(secrets).join(" and ")}`;
    expect(redactSecrets(text, [], {})).toBe("failed with [REDACTED] and [REDACTED] and [REDACTED] and [REDACTED]");
  });

  it("ARM_OIDC_TOKEN, ARM_CLIENT_CERTIFICATE_PASSWORD and ACTIONS_ID_TOKEN_REQUEST_TOKEN are redacted from the environment", () => {
    const env = {
      ARM_OIDC_TOKEN: "env-oidc-token-1234",
      ARM_CLIENT_CERTIFICATE_PASSWORD: "env-cert-password-5678",
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "env-request-token-9abc",
    };
    expect(redactSecrets(`x ${Object.values(env).join(" ")}`, [], env)).toBe("x [REDACTED] [REDACTED] [REDACTED]");
  });
});
