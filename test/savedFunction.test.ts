/**
 * Functions are updated in place, never deleted and re-created: against the local stand-in
 * over HTTPS, with the real Azure SDK and credentials. The window during which the function is
 * missing is counted from the stand-in's own request log, for this route and for the replace
 * route azure-native's SavedSearch takes (delete, existence check, create).
 */
import { OperationalInsightsManagementClient } from "@azure/arm-operationalinsights";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DeployConnection } from "../src/azure/deployConnection";
import { standInConnection } from "./helpers/standInConnection";
import { SavedSearchWriter } from "../src/azure/savedSearchWriter";
import { extraCaTrust } from "../src/azure/trust";
import { savedFunctionProvider, type SavedFunctionInputs } from "../src/pulumi/savedFunction";
import { startStandIn, type StandIn, type StandInRequest } from "../stand-in/src/standIn";
import type { StandInState } from "../stand-in/src/state";

const SUB = "00000000-0000-4000-8000-0000000000a1";
const SCOPE = { resourceGroupName: "rg-soc", workspaceName: "law-soc" };
const FUNCTION = {
  category: "Security",
  displayName: "Exclude allowlisted IPs",
  query: "T | where not(ipv4_is_in_any_range(IPAddress, dynamic(['192.0.2.0/24'])))",
  functionAlias: "ExcludeAllowlistedIPs",
  functionParameters: "T:(IPAddress:string)",
  version: 2,
};

function workspace(): StandInState {
  return {
    subscriptionId: SUB,
    ...SCOPE,
    alertRules: [],
    watchlists: [],
    savedSearches: [{ name: "ExcludeAllowlistedIPs", properties: { ...FUNCTION } }],
    tables: [],
  };
}

let standIn: StandIn;
let connection: DeployConnection;
const timeline: { at: number; request: Readonly<StandInRequest> }[] = [];

beforeAll(async () => {
  standIn = await startStandIn({
    state: workspace(),
    onRequest: (request) => timeline.push({ at: performance.now(), request: { ...request } }),
  });
  connection = await standInConnection(standIn, SUB);
});
afterAll(() => standIn.close());
beforeEach(() => {
  standIn.setState(workspace());
  standIn.setFaults([]);
  standIn.clearRequests();
  timeline.length = 0;
});

const isFunctionRequest = (r: StandInRequest) => r.route === "savedSearch" && r.path.endsWith("/savedSearches/ExcludeAllowlistedIPs");

/**
 * The stand-in's log, replayed: from each successful DELETE of the function to the next
 * successful PUT, it does not exist. Returns those windows, with the GETs that found nothing.
 */
function missingWindows(): { ms: number; notFoundReads: number }[] {
  const windows: { ms: number; notFoundReads: number }[] = [];
  let open: { since: number; notFoundReads: number } | undefined;
  for (const { at, request } of timeline) {
    if (!isFunctionRequest(request) || request.status >= 300) {
      if (open && isFunctionRequest(request) && request.method === "GET" && request.status === 404) open.notFoundReads++;
      continue;
    }
    if (request.method === "DELETE") open ??= { since: at, notFoundReads: 0 };
    if (request.method === "PUT" && open) {
      windows.push({ ms: at - open.since, notFoundReads: open.notFoundReads });
      open = undefined;
    }
  }
  if (open) windows.push({ ms: Number.POSITIVE_INFINITY, notFoundReads: open.notFoundReads });
  return windows;
}

/** Reads the function every few milliseconds while `work` runs, as a rule's scheduled run would. */
async function whileReading<T>(work: () => Promise<T>): Promise<{ result: T; reads: number }> {
  const client = new OperationalInsightsManagementClient(connection.credential, SUB, {
    endpoint: connection.armEndpoint,
    credentials: { scopes: [connection.armScope] },
    retryOptions: { maxRetries: 0 },
    ...extraCaTrust(connection.caPem),
  });
  let done = false;
  let reads = 0;
  const reader = (async () => {
    while (!done) {
      await client.savedSearches.get(SCOPE.resourceGroupName, SCOPE.workspaceName, "ExcludeAllowlistedIPs").catch(() => undefined);
      reads++;
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  try {
    const result = await work();
    return { result, reads };
  } finally {
    done = true;
    await reader;
  }
}

describe("the stand-in is faithful to Log Analytics' saved-search updates", () => {
  it("refuses an update without an etag with 409, as Log Analytics does, and accepts '*' or the current etag", async () => {
    const client = new OperationalInsightsManagementClient(connection.credential, SUB, {
      endpoint: connection.armEndpoint,
      credentials: { scopes: [connection.armScope] },
      retryOptions: { maxRetries: 0 },
      ...extraCaTrust(connection.caPem),
    });
    const put = (etag?: string) =>
      client.savedSearches.createOrUpdate(SCOPE.resourceGroupName, SCOPE.workspaceName, "ExcludeAllowlistedIPs", {
        ...FUNCTION,
        query: `${FUNCTION.query} | take 1`,
        ...(etag ? { etag } : {}),
      });
    await expect(put()).rejects.toMatchObject({ statusCode: 409 });
    await expect(put("W/\"datetime'2001-01-01T00%3A00%3A00.0000000Z'\"")).rejects.toMatchObject({ statusCode: 409 });
    const current = await client.savedSearches.get(SCOPE.resourceGroupName, SCOPE.workspaceName, "ExcludeAllowlistedIPs");
    const written = await put(current.etag);
    expect(written.etag).not.toBe(current.etag);
    await expect(put("*")).resolves.toMatchObject({ query: `${FUNCTION.query} | take 1` });
  });
});

describe("updating a function never leaves the workspace without it", () => {
  it("the in-place route: the function is never missing while it changes", async () => {
    const writer = new SavedSearchWriter(connection);
    const changed = { ...FUNCTION, query: `${FUNCTION.query}\n| where isnotempty(IPAddress)` };
    const { reads } = await whileReading(() => writer.put(SCOPE, "ExcludeAllowlistedIPs", changed));
    expect(reads).toBeGreaterThan(0);
    expect(missingWindows()).toEqual([]);
    expect(timeline.filter(({ request }) => isFunctionRequest(request) && request.status === 404)).toEqual([]);
    expect(standIn.writes().map((w) => `${w.method} ${w.status}`)).toEqual(["PUT 200"]);
    expect(standIn.currentState().savedSearches[0]?.properties["query"]).toBe(changed.query);
  });

  it("for contrast, the replace route azure-native's SavedSearch takes leaves a window in which the function is missing", async () => {
    const client = new OperationalInsightsManagementClient(connection.credential, SUB, {
      endpoint: connection.armEndpoint,
      credentials: { scopes: [connection.armScope] },
      ...extraCaTrust(connection.caPem),
    });
    const replace = async () => {
      // Delete before replace, then azure-native's create: its existence check (must be 404), then the PUT.
      await client.savedSearches.delete(SCOPE.resourceGroupName, SCOPE.workspaceName, "ExcludeAllowlistedIPs");
      await client.savedSearches.get(SCOPE.resourceGroupName, SCOPE.workspaceName, "ExcludeAllowlistedIPs").catch(() => undefined);
      await client.savedSearches.createOrUpdate(SCOPE.resourceGroupName, SCOPE.workspaceName, "ExcludeAllowlistedIPs", {
        ...FUNCTION,
        query: `${FUNCTION.query} | take 1`,
      });
    };
    await whileReading(replace);
    const windows = missingWindows();
    expect(windows).toHaveLength(1);
    expect(windows[0]!.ms).toBeGreaterThan(0);
    expect(windows[0]!.notFoundReads).toBeGreaterThanOrEqual(1);
  });

  it("a write by someone else between the read and the write (409) is read again and retried", async () => {
    const writer = new SavedSearchWriter(connection, { limits: { maxRetries: 0 } });
    // Arm a conflict for the next request once the writer has read the etag: its PUT gets the 409.
    let injected = false;
    const read = writer.get.bind(writer);
    writer.get = async (...args) => {
      const found = await read(...args);
      if (!injected) {
        injected = true;
        standIn.setFaults([{ kind: "conflict", route: "savedSearch", times: 1 }]);
      }
      return found;
    };
    await writer.put(SCOPE, "ExcludeAllowlistedIPs", { ...FUNCTION, displayName: "Renamed" });
    expect(standIn.writes().map((w) => `${w.method} ${w.status}`)).toEqual(["PUT 409", "PUT 200"]);
    expect(standIn.currentState().savedSearches[0]?.properties["displayName"]).toBe("Renamed");
  });
});

describe("the SavedFunction dynamic provider, against the stand-in", () => {
  const inputs = (properties = FUNCTION): SavedFunctionInputs => ({ ...SCOPE, savedSearchId: "ExcludeAllowlistedIPs", properties });
  const provider = () => {
    const p = savedFunctionProvider(() => Promise.resolve(connection));
    p.connectWith({ get: () => undefined });
    return p;
  };

  it("create adopts the existing function in place; update changes it in place; delete removes it", async () => {
    const p = provider();
    const created = await p.create(inputs());
    expect(created.id).toBe(
      `/subscriptions/${SUB}/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc/savedSearches/ExcludeAllowlistedIPs`,
    );
    const changed = inputs({ ...FUNCTION, query: `${FUNCTION.query} | take 10` });
    expect(await p.diff!(created.id, created.outs!, changed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(await p.diff!(created.id, created.outs!, inputs())).toMatchObject({ changes: false });
    await p.update!(created.id, created.outs!, changed);
    expect(standIn.currentState().savedSearches[0]?.properties["query"]).toBe(changed.properties.query);
    expect(missingWindows()).toEqual([]);
    await p.delete!(created.id, { ...changed });
    expect(standIn.currentState().savedSearches).toEqual([]);
    await p.delete!(created.id, { ...changed }); // already gone: fine
  });

  it("refresh reads the live function, so a portal edit shows as a change to write back", async () => {
    const p = provider();
    const created = await p.create(inputs());
    const client = new SavedSearchWriter(connection);
    await client.put(SCOPE, "ExcludeAllowlistedIPs", { ...FUNCTION, query: "T | take 1" });
    const read = await p.read!(created.id, created.outs!);
    expect(read.props?.properties.query).toBe("T | take 1");
    expect(await p.diff!(created.id, read.props!, inputs())).toMatchObject({ changes: true, replaces: [] });
    await client.delete(SCOPE, "ExcludeAllowlistedIPs");
    expect(await p.read!(created.id, created.outs!)).toEqual({});
  });

  it("moving from azure-native's SavedSearch (its outputs, no `properties`) is an in-place update, never a replacement", async () => {
    const p = provider();
    const azureNativeOutputs = {
      ...FUNCTION,
      name: "ExcludeAllowlistedIPs",
      etag: 'W/"x"',
      type: "Microsoft.OperationalInsights/savedSearches",
    };
    expect(await p.diff!("id", azureNativeOutputs as never, inputs())).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("a rename of the saved-search id or a move to another workspace is a replacement", async () => {
    const p = provider();
    const outs = { ...inputs() };
    expect(await p.diff!("id", outs, { ...inputs(), savedSearchId: "Other" })).toMatchObject({ replaces: ["savedSearchId"] });
    expect(await p.diff!("id", outs, { ...inputs(), workspaceName: "law-other" })).toMatchObject({ replaces: ["savedSearchId"] });
  });

  it("create refuses a different saved search under its id, and overwrites nothing (a Content Hub parser, another team's function)", async () => {
    const p = provider();
    const theirs = { ...FUNCTION, query: "SigninLogs | take 5", displayName: "Their parser" };
    standIn.setState({ ...workspace(), savedSearches: [{ name: "ExcludeAllowlistedIPs", properties: theirs }] });
    await expect(p.create(inputs())).rejects.toThrow(
      /^saved search 'ExcludeAllowlistedIPs' of workspace 'law-soc' \(resource group 'rg-soc'\) already exists and holds function 'ExcludeAllowlistedIPs', which differs from function 'ExcludeAllowlistedIPs' of this stack; it was not overwritten\./,
    );
    expect(standIn.writes()).toEqual([]);
    expect(standIn.currentState().savedSearches[0]?.properties["query"]).toBe(theirs.query);
  });

  it("create adopts a live search equal to the content, trailing whitespace of the query aside (what export writes)", async () => {
    standIn.setState({
      ...workspace(),
      savedSearches: [{ name: "ExcludeAllowlistedIPs", properties: { ...FUNCTION, query: `${FUNCTION.query}\n` } }],
    });
    const created = await provider().create(inputs());
    expect(created.id).toMatch(/\/savedSearches\/ExcludeAllowlistedIPs$/);
    expect(standIn.writes().map((w) => `${w.method} ${w.status}`)).toEqual(["PUT 200"]);
  });

  describe("a change of the alias's case only (a new URN for the same Azure search)", () => {
    const renamed = (): SavedFunctionInputs => ({
      ...SCOPE,
      savedSearchId: "excludeAllowlistedIPs",
      properties: { ...FUNCTION, functionAlias: "excludeAllowlistedIPs" },
    });

    it("the engine's order (create the new, then delete the old) never deletes the function", async () => {
      const p = provider();
      const old = await p.create(inputs());
      // The new URN's create refuses to take the search over, so the deploy stops there.
      await expect(p.create(renamed())).rejects.toThrow(
        "function 'excludeAllowlistedIPs' would take over saved search 'ExcludeAllowlistedIPs' of workspace 'law-soc', which this stack deployed under that spelling",
      );
      expect(standIn.currentState().savedSearches).toHaveLength(1);
      // Had the search already been rewritten to the new spelling (a person, or an older deploy), the
      // create adopts it and the old URN's delete leaves it, since it is no longer what it wrote.
      await new SavedSearchWriter(connection).put(SCOPE, "ExcludeAllowlistedIPs", renamed().properties);
      const created = await p.create(renamed());
      await p.delete!(old.id, old.outs!);
      expect(standIn.currentState().savedSearches.map((s) => s.properties["functionAlias"])).toEqual(["excludeAllowlistedIPs"]);
      expect(standIn.writes().filter((w) => w.method === "DELETE")).toEqual([]);
      // The new resource still deletes what it wrote.
      await p.delete!(created.id, created.outs!);
      expect(standIn.currentState().savedSearches).toEqual([]);
    });

    it("delete leaves a search someone edited since this resource wrote it", async () => {
      const p = provider();
      const created = await p.create(inputs());
      await new SavedSearchWriter(connection).put(SCOPE, "ExcludeAllowlistedIPs", { ...FUNCTION, query: "T | take 1" });
      await p.delete!(created.id, created.outs!);
      expect(standIn.currentState().savedSearches).toHaveLength(1);
      // After a refresh the state holds the live etag, and the delete goes ahead.
      const refreshed = await p.read!(created.id, created.outs!);
      await p.delete!(created.id, refreshed.props!);
      expect(standIn.currentState().savedSearches).toEqual([]);
    });
  });
});
