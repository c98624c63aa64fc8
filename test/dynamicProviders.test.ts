/**
 * The dynamic providers as Pulumi runs them: serialized by the SDK into the state, then loaded
 * from that text by a plain Node process started in the project's directory (what
 * `pulumi-resource-pulumi-nodejs` does with require-from-string), configured with the stack's
 * config, signing in as azure-native would, and writing to the local stand-in over HTTPS.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamicProviderShim } from "../src/pulumi/dynamicProviderShim";
import { packRows, rowsHash } from "../src/pulumi/watchlistRows";
import { startStandIn, type StandIn } from "../stand-in/src/standIn";
import { PROJECT_DIR } from "./helpers/content";

const SUB = "00000000-0000-4000-8000-0000000000a1";
const SCOPE = { resourceGroupName: "rg-soc", workspaceName: "law-soc" };
const FUNCTION = {
  category: "Security",
  displayName: "Fn",
  query: "T | take 1",
  functionAlias: "Fn",
  functionParameters: "T:(*)",
  version: 2,
};

let standIn: StandIn;
let dir: string;

beforeAll(async () => {
  standIn = await startStandIn({
    state: {
      subscriptionId: SUB,
      ...SCOPE,
      alertRules: [],
      watchlists: [{ name: "BigList", properties: { displayName: "Big", provider: "SecOps", itemsSearchKey: "Key" }, items: [] }],
      savedSearches: [{ name: "Fn", properties: { ...FUNCTION } }],
      tables: [],
    },
  });
  dir = mkdtempSync(join(tmpdir(), "sentinel-iac-dynamic-"));
  writeFileSync(join(dir, "ca.pem"), standIn.caPem);
});
afterAll(() => standIn.close());

/** What the dynamic-provider host does with a resource's `__provider`, in a fresh Node process. */
const HOST = `
const requireFromString = require(require.resolve("require-from-string", { paths: [require.resolve("@pulumi/pulumi", { paths: [process.cwd()] })] }));
const { steps, config } = JSON.parse(require("node:fs").readFileSync(process.argv[2], "utf8"));
(async () => {
  const results = [];
  for (const step of steps) {
    const provider = requireFromString(step.provider).handler();
    await provider.configure({ config: { get: (key) => config[key] } });
    const created = await provider.create(step.inputs);
    const diff = await provider.diff(created.id, created.outs, step.next);
    const updated = await provider.update(created.id, created.outs, step.next);
    results.push({ id: created.id, diff, outs: updated.outs });
  }
  process.stdout.write(JSON.stringify(results));
})().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });
`;

function runHost(input: unknown): Promise<string> {
  const script = join(dir, "host.js");
  const data = join(dir, "input.json");
  writeFileSync(script, HOST);
  writeFileSync(data, JSON.stringify(input));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [script, data],
      // Pulumi starts provider plugins in the project's directory; the CA reaches it as it would reach the CLI.
      { cwd: PROJECT_DIR, env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") }, timeout: 120_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

async function serialized(kind: "savedFunction" | "watchlistRows"): Promise<string> {
  // Exactly what pulumi.dynamic.Resource stores as `__provider`.
  const provider = dynamicProviderShim(kind);
  return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
}

describe("the stored dynamic providers run on their own, as Pulumi runs them", () => {
  it("load the implementation in the project directory, sign in from azure-native's config, and write to Azure", async () => {
    const { tenantId, clientId, clientSecret } = standIn.credentials;
    const config = {
      "azure-native:subscriptionId": SUB,
      "azure-native:tenantId": tenantId,
      "azure-native:clientId": clientId,
      "azure-native:clientSecret": clientSecret,
      "sentinel-iac:armEndpoint": standIn.armEndpoint,
      "sentinel-iac:authorityHost": standIn.authorityHost,
    };
    const fnProvider = await serialized("savedFunction");
    const rowsProvider = await serialized("watchlistRows");
    // Self-contained and small: no module or secret captured, nothing of the Azure SDK.
    for (const text of [fnProvider, rowsProvider]) {
      expect(text.length).toBeLessThan(8_000);
      expect(text).not.toContain(clientSecret);
      expect(text).not.toMatch(/@azure\/identity|ClientSecretCredential/);
    }
    const rows = Array.from({ length: 30 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    const rowsInputs = (r: typeof rows) => ({
      ...SCOPE,
      watchlistAlias: "BigList",
      itemsSearchKey: "Key",
      watchlist: { displayName: "Big", provider: "SecOps", itemsSearchKey: "Key", source: "BigList.csv", sourceType: "Local" },
      columns: ["Key", "Value"],
      rowCount: r.length,
      rowsHash: rowsHash("Key", r),
      rows: packRows(["Key", "Value"], r),
    });
    const fnInputs = { ...SCOPE, savedSearchId: "Fn", properties: FUNCTION };
    const output = await runHost({
      config,
      steps: [
        { provider: fnProvider, inputs: fnInputs, next: { ...fnInputs, properties: { ...FUNCTION, query: "T | take 2" } } },
        { provider: rowsProvider, inputs: rowsInputs(rows), next: rowsInputs(rows.slice(5)) },
      ],
    });
    const [fn, list] = JSON.parse(output) as { id: string; diff: { changes: boolean }; outs: Record<string, unknown> }[];
    expect(fn).toMatchObject({ id: expect.stringContaining("/savedSearches/Fn"), diff: { changes: true } });
    expect(list).toMatchObject({ id: "BigList/rows", diff: { changes: true }, outs: { deleted: 5, rowCount: 25 } });
    const state = standIn.currentState();
    expect(state.savedSearches[0]?.properties["query"]).toBe("T | take 2");
    expect(state.watchlists[0]?.items).toHaveLength(25);
    // The function was written in place twice and never deleted.
    expect(
      standIn
        .writes()
        .filter((w) => w.route === "savedSearch")
        .map((w) => `${w.method} ${w.status}`),
    ).toEqual(["PUT 200", "PUT 200"]);
    expect(standIn.requests.every((r) => r.surface !== "arm" || r.authenticated)).toBe(true);
  });
});
