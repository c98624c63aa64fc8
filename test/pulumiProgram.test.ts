/** The Pulumi program under the SDK's mock monitor: types, names, rule ids, dependsOn, options and config overrides. */
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { deploy } from "../src/pulumi/program";
import { checkSubscriptionAgreement } from "../src/pulumi/nrtProvider";
import { propagationWaitProvider } from "../src/pulumi/propagationWait";
import { REGISTRATION_BATCH } from "../src/pulumi/register";
import { TYPE_TOKENS } from "../src/pulumi/naming";
import { unpackRows } from "../src/pulumi/watchlistRows";
import { PER_ROW_STACK_LIMIT, PER_ROW_WATCHLIST_LIMIT } from "../src/sentinel/limits";
import { MockDeployment } from "./helpers/pulumiMocks";
import { copySeedContent, ruleYaml, writeContent } from "./helpers/content";

const AZURE_NATIVE_VERSION = (createRequire(__filename)("@pulumi/azure-native/package.json") as { version: string }).version;
const TARGET = { resourceGroupName: "rg-soc", workspaceName: "law-soc" };

function config(contentDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "sentinel-iac:resourceGroupName": TARGET.resourceGroupName,
    "sentinel-iac:workspaceName": TARGET.workspaceName,
    "sentinel-iac:contentDir": contentDir,
    ...extra,
  };
}

async function run(contentDir: string, extra: Record<string, string> = {}) {
  const mock = new MockDeployment(config(contentDir, extra));
  const deployment = await deploy("/");
  await mock.settle(deployment.resources.values());
  return { mock, deployment };
}

describe("the program on the project's own content", () => {
  it("registers every resource with azure-native's type, a logical name from its Azure name, and the plugin version", async () => {
    const { mock, deployment } = await run(copySeedContent());
    expect(deployment.summary).toEqual({
      analyticsRules: 3,
      enabledRules: 3,
      huntingQueries: 2,
      functions: 1,
      watchlists: 1,
      watchlistItems: 5,
    });
    const types = mock.registrations.map((r) => `${r.type} ${r.name}`);
    expect(types).toContain("azure-native:securityinsights:Watchlist NetworkAllowlist");
    expect(types).toContain("pulumi-nodejs:dynamic/sentinel-iac:SavedFunction ExcludeAllowlistedIPs_AADNI");
    expect(types).toContain("azure-native:securityinsights:ScheduledAlertRule c3d4e5f6-a7b8-9c0d-1e2f-3a4b5c6d7e8f");
    expect(types).toContain("azure-native:operationalinsights:SavedSearch 6962473c-bcb8-421d-a0db-826078cad280");
    expect(types.filter((t) => t.startsWith("azure-native:securityinsights:WatchlistItem NetworkAllowlist-"))).toHaveLength(5);
    expect(mock.registrations.filter((r) => r.type.startsWith("azure-native:")).every((r) => r.version === AZURE_NATIVE_VERSION)).toBe(
      true,
    );
  });

  it("passes the rule id as the ARM name and the properties exactly as converted", async () => {
    const { mock } = await run(copySeedContent());
    const rule = mock.byName("f1a7b9c0-d5e6-8f2a-3b4c-5d6e7f8a9b0c");
    expect(rule.inputs).toMatchObject({
      resourceGroupName: "rg-soc",
      workspaceName: "law-soc",
      ruleId: "f1a7b9c0-d5e6-8f2a-3b4c-5d6e7f8a9b0c",
      kind: "Scheduled",
      displayName: "ROPC Authentication Detected - Credential Pass-Through Bypass",
      enabled: true,
      queryFrequency: "PT1H",
      queryPeriod: "PT1H",
      triggerOperator: "GreaterThan",
      suppressionDuration: "PT1H",
      suppressionEnabled: false,
    });
    const item = mock.registrations.find((r) => r.type === TYPE_TOKENS.watchlistItem)!;
    expect(item.inputs).toMatchObject({ watchlistAlias: "NetworkAllowlist", watchlistItemId: item.name.slice("NetworkAllowlist-".length) });
  });

  it("orders watchlist -> items -> function -> wait -> rules through dependsOn", async () => {
    const { mock } = await run(copySeedContent());
    const watchlist = mock.urnOf("NetworkAllowlist");
    const fn = mock.byName("ExcludeAllowlistedIPs_AADNI");
    expect(fn.dependencies).toEqual([watchlist]);
    const items = mock.registrations.filter((r) => r.type === TYPE_TOKENS.watchlistItem);
    expect(items.every((i) => i.dependencies.length === 1 && i.dependencies[0] === watchlist)).toBe(true);
    // Items are Pulumi children of their watchlist (docs/architecture.md): nested in previews, named by it in their URNs.
    expect(
      items.every(
        (i) =>
          i.parent === watchlist && i.urn.includes("azure-native:securityinsights:Watchlist$azure-native:securityinsights:WatchlistItem::"),
      ),
    ).toBe(true);
    expect(mock.registrations.filter((r) => r.type !== TYPE_TOKENS.watchlistItem).every((r) => !r.parent.includes("Watchlist"))).toBe(true);
    const wait = mock.byName("content-propagation");
    expect(new Set(wait.dependencies)).toEqual(new Set([fn.urn, watchlist, ...items.map((i) => i.urn)]));
    expect(mock.byName("c3d4e5f6-a7b8-9c0d-1e2f-3a4b5c6d7e8f").dependencies.sort()).toEqual([fn.urn, wait.urn].sort());
    // The threat-intel rule uses neither the function nor a watchlist, so it never waits.
    expect(mock.byName("c8d4e6f7-a2b3-5c9d-0e1f-2a3b4c5d6e7f").dependencies).toEqual([]);
  });

  it("replaces hunting queries on any change, deleting first (azure-native cannot send the etag an update needs)", async () => {
    const { mock } = await run(copySeedContent());
    for (const name of ["9644e2ae-07a2-4086-a85a-6ee2bca45f4e", "6962473c-bcb8-421d-a0db-826078cad280"]) {
      expect(mock.byName(name)).toMatchObject({ replaceOnChanges: ["*"], deleteBeforeReplace: true });
    }
    expect(mock.byName("c3d4e5f6-a7b8-9c0d-1e2f-3a4b5c6d7e8f")).toMatchObject({ replaceOnChanges: [], deleteBeforeReplace: false });
  });

  it("registers functions as the in-place SavedFunction resource, aliased to azure-native's SavedSearch so existing stacks move in place", async () => {
    const { mock } = await run(copySeedContent());
    const fn = mock.byName("ExcludeAllowlistedIPs_AADNI");
    expect(fn).toMatchObject({
      type: "pulumi-nodejs:dynamic/sentinel-iac:SavedFunction",
      replaceOnChanges: [],
      deleteBeforeReplace: false,
      aliases: [JSON.stringify({ type: "azure-native:operationalinsights:SavedSearch" })],
    });
    expect(fn.inputs).toMatchObject({
      resourceGroupName: "rg-soc",
      workspaceName: "law-soc",
      savedSearchId: "ExcludeAllowlistedIPs_AADNI",
      properties: {
        category: "Security",
        functionAlias: "ExcludeAllowlistedIPs_AADNI",
        functionParameters: "T:(IPAddress:string)",
        version: 2,
      },
    });
    // The stored provider is the small shim, which loads the implementation where it runs; no credential in it.
    const provider = String(fn.inputs["__provider"]);
    expect(provider).toContain("src/pulumi/dynamicProviders.ts");
    expect(provider.length).toBeLessThan(8_000);
  });

  it("deletes a watchlist's items with it: each item is deletedWith its watchlist, so Pulumi does not delete them one by one", async () => {
    const { mock } = await run(copySeedContent());
    const watchlist = mock.urnOf("NetworkAllowlist");
    const items = mock.registrations.filter((r) => r.type === TYPE_TOKENS.watchlistItem);
    expect(items.map((i) => i.deletedWith)).toEqual(items.map(() => watchlist));
  });
});

/** Content with the project's function and watchlist plus `count` generated rules that call the function. */
function manyRulesContent(count: number): string {
  const content = copySeedContent();
  for (let i = 0; i < count; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    const query = "|\n  SigninLogs\n  | project IPAddress\n  | invoke ExcludeAllowlistedIPs_AADNI()";
    mkdirSync(join(content, "rules/analytics/generated"), { recursive: true });
    writeFileSync(join(content, `rules/analytics/generated/r${i}.yaml`), ruleYaml({ name: `Generated ${i}`, query }, id));
  }
  return content;
}

/** Runs the program with mocks that record Error.stackTraceLimit whenever the engine is asked to register something. */
async function limitsDuringRegistration(contentDir: string): Promise<number[]> {
  const limits: number[] = [];
  pulumi.runtime.setMocks(
    { newResource: (a) => (limits.push(Error.stackTraceLimit), { id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs },
    "sentinel-iac",
    "test",
    false,
  );
  pulumi.runtime.setAllConfig(config(contentDir, { "sentinel-iac:validateQueries": "false" }));
  const deployment = await deploy("/");
  await Promise.all([...deployment.resources.values()].map((r) => new Promise((resolve) => r.urn.apply(resolve))));
  return limits;
}

describe("registration at scale", () => {
  const ruleCount = REGISTRATION_BATCH * 3 + 7;

  it("registers every rule of a large content set after its dependencies, across event-loop turns, and restores Error.stackTraceLimit", async () => {
    const limit = Error.stackTraceLimit;
    const { mock, deployment } = await run(manyRulesContent(ruleCount), { "sentinel-iac:validateQueries": "false" });
    expect(Error.stackTraceLimit).toBe(limit);
    expect(deployment.summary.analyticsRules).toBe(ruleCount + 3);
    expect(mock.registrations).toHaveLength(deployment.resources.size + 1); // and the propagation wait
    const fn = mock.urnOf("ExcludeAllowlistedIPs_AADNI");
    const wait = mock.urnOf("content-propagation");
    const generated = mock.registrations.filter((r) => r.name.startsWith("00000000-0000-4000-8000-"));
    expect(generated).toHaveLength(ruleCount);
    expect(generated.every((r) => r.dependencies.includes(fn) && r.dependencies.includes(wait))).toBe(true);
  });

  it("skips the SDK's per-promise stack traces while registering, unless PULUMI_DEBUG_PROMISE_LEAKS asks for them", async () => {
    const content = manyRulesContent(ruleCount);
    const limit = Error.stackTraceLimit;
    expect(await limitsDuringRegistration(content)).toContain(0);
    expect(Error.stackTraceLimit).toBe(limit);
    const previous = process.env["PULUMI_DEBUG_PROMISE_LEAKS"];
    process.env["PULUMI_DEBUG_PROMISE_LEAKS"] = "true";
    try {
      expect((await limitsDuringRegistration(content)).every((l) => l === limit)).toBe(true);
    } finally {
      if (previous === undefined) delete process.env["PULUMI_DEBUG_PROMISE_LEAKS"];
      else process.env["PULUMI_DEBUG_PROMISE_LEAKS"] = previous;
    }
  });
});

describe("stack configuration", () => {
  it("protects analytics rules by default (a removed rule file then fails the deploy), and protectRules=false turns it off", async () => {
    const { mock } = await run(copySeedContent());
    const protectedTypes = new Set(mock.registrations.filter((r) => r.protect).map((r) => r.type));
    expect([...protectedTypes]).toEqual(["azure-native:securityinsights:ScheduledAlertRule"]);
    expect(mock.registrations.filter((r) => r.type === "azure-native:securityinsights:ScheduledAlertRule").every((r) => r.protect)).toBe(
      true,
    );
    const { mock: unprotected } = await run(copySeedContent(), { "sentinel-iac:protectRules": "false" });
    expect(unprotected.registrations.some((r) => r.protect)).toBe(false);
  });

  it("rulesEnabled=allDisabled registers every rule disabled", async () => {
    const { mock } = await run(copySeedContent(), { "sentinel-iac:rulesEnabled": "allDisabled" });
    const rules = mock.registrations.filter((r) => r.type === TYPE_TOKENS.scheduledAlertRule);
    expect(rules.map((r) => r.inputs["enabled"])).toEqual([false, false, false]);
  });

  it("include selects content and propagationWaitSeconds=0 removes the wait", async () => {
    const { mock, deployment } = await run(copySeedContent(), {
      "sentinel-iac:include": JSON.stringify(["rules/analytics/ROPC-*", "functions/**", "watchlists/**"]),
      "sentinel-iac:propagationWaitSeconds": "0",
    });
    expect(deployment.summary).toMatchObject({ analyticsRules: 2, huntingQueries: 0, functions: 1 });
    expect(mock.registrations.some((r) => r.name === "content-propagation")).toBe(false);
    expect(mock.byName("c3d4e5f6-a7b8-9c0d-1e2f-3a4b5c6d7e8f").dependencies).toEqual([mock.urnOf("ExcludeAllowlistedIPs_AADNI")]);
  });

  it("invalid content stops the program before anything is registered", async () => {
    const dir = writeContent({ "rules/analytics/bad.yaml": ruleYaml({ queryPeriod: "30d" }) });
    const mock = new MockDeployment(config(dir));
    await expect(deploy("/")).rejects.toThrow(pulumi.RunError);
    await expect(deploy("/")).rejects.toThrow(/1 error in the content; nothing was deployed/);
    await new Promise((r) => setTimeout(r, 50));
    expect(mock.registrations).toEqual([]);
  });

  it("a contentDir that is missing or holds no content stops the program instead of removing everything, unless allowEmptyContent", async () => {
    const missing = new MockDeployment(config(join(writeContent({}), "nope")));
    await expect(deploy("/")).rejects.toThrow(pulumi.RunError);
    await expect(deploy("/")).rejects.toThrow(
      /content folder .*nope does not exist \(from sentinel-iac:contentDir\); set sentinel-iac:contentDir/,
    );
    expect(missing.registrations).toEqual([]);
    // A folder with only a retired.yaml and tests deploys nothing: a wrong folder, not an empty workspace.
    const empty = writeContent({ "retired.yaml": "retired: []\n", "README.md": "not content\n" });
    const refused = new MockDeployment(config(empty));
    await expect(deploy("/")).rejects.toThrow(
      /no rules, functions or watchlists were found under .*sentinel-iac:allowEmptyContent to true/,
    );
    expect(refused.registrations).toEqual([]);
    const allowed = new MockDeployment(config(empty, { "sentinel-iac:allowEmptyContent": "true" }));
    const deployment = await deploy("/");
    await allowed.settle(deployment.resources.values());
    expect(deployment.summary).toMatchObject({ analyticsRules: 0, functions: 0, watchlists: 0 });
  });

  it("a KQL error (unknown column) stops the deploy too; validateQueries=false skips the KQL checks", async () => {
    const dir = writeContent({ "rules/analytics/bad.yaml": ruleYaml({ query: "|\n  SigninLogs\n  | project UserPrincipalNam" }) });
    const mock = new MockDeployment(config(dir));
    await expect(deploy("/")).rejects.toThrow(/1 error in the content/);
    expect(mock.registrations).toEqual([]);
    const unchecked = new MockDeployment(config(dir, { "sentinel-iac:validateQueries": "false" }));
    const deployment = await deploy("/");
    await unchecked.settle(deployment.resources.values());
    expect(unchecked.registrations.map((r) => r.type)).toEqual(["azure-native:securityinsights:ScheduledAlertRule"]);
  });

  it("an unknown sentinel-iac setting stops the program with did-you-mean, before anything is registered", async () => {
    const mock = new MockDeployment(config(copySeedContent(), { "sentinel-iac:nrtRule": "skip" }));
    await expect(deploy("/")).rejects.toThrow(pulumi.RunError);
    await expect(deploy("/")).rejects.toThrow(
      "stack test: sentinel-iac:nrtRule is not a setting of sentinel-iac. Did you mean 'sentinel-iac:nrtRules'? Remove it with `pulumi config rm <key>`",
    );
    expect(mock.registrations).toEqual([]);
  });

  it("missing required configuration is reported by name", async () => {
    new MockDeployment({ "sentinel-iac:workspaceName": "w" });
    await expect(deploy("/")).rejects.toThrow(/sentinel-iac:resourceGroupName/);
  });
});

const NRT_RULE_ID = "abcdefab-1234-4abc-8def-0123456789ab";
const nrtContent = () =>
  writeContent({
    "rules/analytics/nrt.yaml": ruleYaml(
      {
        kind: "NRT",
        queryFrequency: "<omit>",
        queryPeriod: "<omit>",
        triggerOperator: "<omit>",
        triggerThreshold: "<omit>",
        relevantTechniques: "\n  - T1078.004",
      },
      NRT_RULE_ID,
    ),
    "rules/analytics/scheduled.yaml": ruleYaml({}),
  });

describe("NRT rules: azure-native's typed NRT rule at the preview API version, through a parameterized package", () => {
  const azureNative = {
    "azure-native:subscriptionId": "11111111-2222-3333-4444-555555555555",
    "azure-native:useOidc": "true",
    "azure-native:clientSecret": "not-a-real-secret",
  };

  it("refuses ARM_SUBSCRIPTION_ID naming another subscription than azure-native:subscriptionId (a plugin without azure-native#4755 would use it)", () => {
    const config = { subscriptionId: azureNative["azure-native:subscriptionId"] };
    expect(() => checkSubscriptionAgreement(config, { ARM_SUBSCRIPTION_ID: "99999999-2222-3333-4444-555555555555" })).toThrow(
      "azure-native:subscriptionId is 11111111-2222-3333-4444-555555555555 but ARM_SUBSCRIPTION_ID is 99999999-2222-3333-4444-555555555555",
    );
    expect(() => checkSubscriptionAgreement(config, { ARM_SUBSCRIPTION_ID: config.subscriptionId.toUpperCase() })).not.toThrow();
    expect(() => checkSubscriptionAgreement(config, {})).not.toThrow();
  });

  it("the program stops before registering the NRT provider when the two subscriptions differ", async () => {
    const saved = process.env["ARM_SUBSCRIPTION_ID"];
    process.env["ARM_SUBSCRIPTION_ID"] = "99999999-2222-3333-4444-555555555555";
    try {
      await expect(run(nrtContent(), azureNative)).rejects.toThrow("but ARM_SUBSCRIPTION_ID is 99999999-2222-3333-4444-555555555555");
    } finally {
      if (saved === undefined) delete process.env["ARM_SUBSCRIPTION_ID"];
      else process.env["ARM_SUBSCRIPTION_ID"] = saved;
    }
  });

  it("registers the package once, as a generated SDK would: base plugin, package name and version, and its parameter", async () => {
    const { mock } = await run(nrtContent(), azureNative);
    expect(mock.packages).toHaveLength(1);
    const registered = mock.packages[0]!;
    expect(registered).toMatchObject({
      name: "azure-native",
      version: AZURE_NATIVE_VERSION,
      downloadUrl: "",
      parameterization: { name: "azure-native_securityinsights_v20250401preview", version: AZURE_NATIVE_VERSION },
    });
    // The plugin reads the parameter as base64 text of {"module","version"} (provider_parameterize.go).
    const parameter = Buffer.from(registered.parameterization!.value).toString("ascii");
    expect(JSON.parse(Buffer.from(parameter, "base64").toString("utf8"))).toEqual({
      module: "securityinsights",
      version: "v20250401preview",
    });
  });

  it("registers the rule with the package's type token and reference, its own provider, and the preview shape", async () => {
    const { mock } = await run(nrtContent(), azureNative);
    const rule = mock.byName(NRT_RULE_ID);
    const provider = mock.byName("securityinsights-2025-04-01-preview");
    expect(rule).toMatchObject({
      type: "azure-native_securityinsights_v20250401preview:securityinsights:NrtAlertRule",
      packageRef: mock.packages[0]!.ref,
      provider: `${provider.urn}::${provider.name}-id`,
      protect: true,
      // With a package reference the engine takes the version from the package.
      version: "",
    });
    expect(rule.inputs).toMatchObject({
      resourceGroupName: "rg-soc",
      workspaceName: "law-soc",
      ruleId: NRT_RULE_ID,
      kind: "NRT",
      displayName: "Test rule",
      techniques: ["T1078"],
      subTechniques: ["T1078.004"],
      suppressionDuration: "PT1H",
    });
    for (const absent of ["queryFrequency", "queryPeriod", "triggerOperator", "triggerThreshold", "location", "properties", "apiVersion"]) {
      expect(rule.inputs).not.toHaveProperty(absent);
    }
    // The scheduled rule stays on azure-native's own package and default provider.
    expect(mock.byName("3f2b8c1e-6d4a-4e9b-9c1f-2a7d5e8b0c46")).toMatchObject({
      packageRef: "",
      provider: "",
      version: AZURE_NATIVE_VERSION,
    });
  });

  it("configures the package's provider from the stack's azure-native:* keys, as secrets, and nothing else", async () => {
    const { mock } = await run(nrtContent(), azureNative);
    const provider = mock.byName("securityinsights-2025-04-01-preview");
    expect(provider).toMatchObject({
      type: "pulumi:providers:azure-native_securityinsights_v20250401preview",
      packageRef: mock.packages[0]!.ref,
    });
    const secret = (value: string) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });
    expect(provider.inputs).toEqual({
      subscriptionId: secret("11111111-2222-3333-4444-555555555555"),
      useOidc: secret("true"),
      clientSecret: secret("not-a-real-secret"),
    });
  });

  it("registers neither package nor provider when the content has no NRT rule", async () => {
    const { mock } = await run(copySeedContent(), azureNative);
    expect(mock.packages).toEqual([]);
    expect(mock.registrations.some((r) => r.type.startsWith("pulumi:providers:"))).toBe(false);
  });

  it("nrtRules=genericResource keeps the earlier route for stacks that used it: no package, the generic resource", async () => {
    const { mock } = await run(nrtContent(), { ...azureNative, "sentinel-iac:nrtRules": "genericResource" });
    expect(mock.packages).toEqual([]);
    expect(mock.byName(NRT_RULE_ID)).toMatchObject({ type: "azure-native:resources:Resource", packageRef: "", provider: "" });
  });

  it("nrtRules=skip and nrtRules=error keep them out", async () => {
    const { mock } = await run(nrtContent(), { "sentinel-iac:nrtRules": "skip" });
    expect(mock.registrations.map((r) => r.name)).toEqual(["3f2b8c1e-6d4a-4e9b-9c1f-2a7d5e8b0c46"]);
    new MockDeployment(config(nrtContent(), { "sentinel-iac:nrtRules": "error" }));
    await expect(deploy("/")).rejects.toThrow(/1 error in the content/);
  });
});

describe("workspace limits stop the program before anything is registered", () => {
  it("51 enabled NRT rules in one stack", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 51; i++) {
      files[`rules/analytics/nrt${i}.yaml`] = ruleYaml(
        { kind: "NRT", queryFrequency: "<omit>", queryPeriod: "<omit>", triggerOperator: "<omit>", triggerThreshold: "<omit>" },
        `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      );
    }
    const mock = new MockDeployment(config(writeContent(files), { "sentinel-iac:validateQueries": "false" }));
    await expect(deploy("/")).rejects.toThrow(/1 error in the content; nothing was deployed/);
    await new Promise((r) => setTimeout(r, 50));
    expect(mock.registrations).toEqual([]);
    expect(mock.packages).toEqual([]);
  });
});

/** The project's content with `rows` generated allowlist rows. */
function largeWatchlistContent(rows: number, mutate: (lines: string[]) => string[] = (l) => l): string {
  const content = copySeedContent();
  const lines = Array.from({ length: rows }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255},Generated row ${i},Bench`);
  writeFileSync(
    join(content, "watchlists/NetworkAllowlist/NetworkAllowlist.csv"),
    `IPOrRange,Description,Owner\n${mutate(lines).join("\n")}\n`,
  );
  return content;
}

describe(`watchlists over ${PER_ROW_WATCHLIST_LIMIT} rows: one resource for all the rows`, () => {
  it(`a list of ${PER_ROW_WATCHLIST_LIMIT} rows is still managed row by row`, async () => {
    const { mock } = await run(largeWatchlistContent(PER_ROW_WATCHLIST_LIMIT), { "sentinel-iac:validateQueries": "false" });
    expect(mock.registrations.filter((r) => r.type === TYPE_TOKENS.watchlistItem)).toHaveLength(PER_ROW_WATCHLIST_LIMIT);
    expect(mock.registrations.some((r) => r.type === TYPE_TOKENS.watchlistRows)).toBe(false);
  });

  it("one more row moves the list to a single WatchlistRows resource under the watchlist, deleted with it", async () => {
    const { mock } = await run(largeWatchlistContent(PER_ROW_WATCHLIST_LIMIT + 1), { "sentinel-iac:validateQueries": "false" });
    expect(mock.registrations.filter((r) => r.type === TYPE_TOKENS.watchlistItem)).toEqual([]);
    const watchlist = mock.urnOf("NetworkAllowlist");
    const rows = mock.byName("NetworkAllowlist-rows");
    expect(rows).toMatchObject({ type: TYPE_TOKENS.watchlistRows, parent: watchlist, deletedWith: watchlist, dependencies: [watchlist] });
    expect(rows.inputs).toMatchObject({
      resourceGroupName: "rg-soc",
      workspaceName: "law-soc",
      watchlistAlias: "NetworkAllowlist",
      itemsSearchKey: "IPOrRange",
      columns: ["IPOrRange", "Description", "Owner"],
      rowCount: PER_ROW_WATCHLIST_LIMIT + 1,
      watchlist: { displayName: "Network allowlist", provider: "Security Operations", itemsSearchKey: "IPOrRange", sourceType: "Local" },
    });
    // The packed rows are a blob: a preview shows [secret] rather than it.
    const packed = rows.inputs["rows"] as Record<string, unknown>;
    expect(packed[pulumi.runtime.specialSigKey]).toBe(pulumi.runtime.specialSecretSig);
    const unpacked = unpackRows(["IPOrRange", "Description", "Owner"], String(packed["value"]));
    expect(unpacked).toHaveLength(PER_ROW_WATCHLIST_LIMIT + 1);
    expect(unpacked[1]).toEqual({ IPOrRange: "10.0.0.1", Description: "Generated row 1", Owner: "Bench" });
  });

  it("the propagation wait depends on the one rows resource, not on every row", async () => {
    const { mock } = await run(largeWatchlistContent(PER_ROW_WATCHLIST_LIMIT + 1), { "sentinel-iac:validateQueries": "false" });
    expect(new Set(mock.byName("content-propagation").dependencies)).toEqual(
      new Set([mock.urnOf("ExcludeAllowlistedIPs_AADNI"), mock.urnOf("NetworkAllowlist"), mock.urnOf("NetworkAllowlist-rows")]),
    );
  });

  it("the rows hash changes when a row changes or goes, not when rows are reordered", async () => {
    const hashOf = async (mutate: (lines: string[]) => string[]) => {
      const { mock } = await run(largeWatchlistContent(PER_ROW_WATCHLIST_LIMIT + 5, mutate), { "sentinel-iac:validateQueries": "false" });
      return mock.byName("NetworkAllowlist-rows").inputs["rowsHash"];
    };
    const base = await hashOf((l) => l);
    expect(await hashOf((l) => [...l].reverse())).toBe(base);
    expect(await hashOf((l) => l.slice(1))).not.toBe(base);
    expect(await hashOf((l) => [l[0]!.replace("Generated row 0", "Changed"), ...l.slice(1)])).not.toBe(base);
  });
});

describe(`per-row watchlists share a stack budget of ${PER_ROW_STACK_LIMIT} rows`, () => {
  it("past it, the largest lists are managed as a whole until the rest fit; the wait depends on the rest's rows", async () => {
    const dir = copySeedContent();
    const list = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => `10.${from}.${(i >> 8) & 255}.${i & 255},Row ${i},NetEng`).join("\n");
    writeFileSync(join(dir, "watchlists/NetworkAllowlist/NetworkAllowlist.csv"), `IPOrRange,Description,Owner\n${list(900, 1)}\n`);
    for (const [alias, rows] of [
      ["PartnerRanges", 950],
      ["LabRanges", 700],
    ] as const) {
      mkdirSync(join(dir, `watchlists/${alias}`));
      writeFileSync(
        join(dir, `watchlists/${alias}/${alias}.yaml`),
        `alias: ${alias}\ndisplayName: ${alias}\nprovider: SOC\nitemsSearchKey: IPOrRange\n`,
      );
      writeFileSync(join(dir, `watchlists/${alias}/${alias}.csv`), `IPOrRange,Description,Owner\n${list(rows, rows)}\n`);
    }
    const { mock } = await run(dir, { "sentinel-iac:validateQueries": "false" });
    // 2,550 rows: PartnerRanges (the largest) goes whole, leaving 1,600 row by row.
    expect(mock.registrations.filter((r) => r.type === TYPE_TOKENS.watchlistRows).map((r) => r.name)).toEqual(["PartnerRanges-rows"]);
    expect(mock.registrations.filter((r) => r.type === TYPE_TOKENS.watchlistItem)).toHaveLength(1_600);
    // The wait guards only what rules use: the function and NetworkAllowlist with its 900 rows.
    const items = new Set(mock.registrations.filter((r) => r.name.startsWith("NetworkAllowlist-")).map((r) => r.urn));
    const dependencies = mock.byName("content-propagation").dependencies;
    expect(dependencies).toHaveLength(902);
    expect(dependencies.filter((d) => items.has(d))).toHaveLength(900);
  });
});

describe("the propagation wait", () => {
  it("waits only when the guarded definitions change, not when watchlist rows change", async () => {
    const triggerFor = async (mutate: (dir: string) => void) => {
      const dir = copySeedContent();
      mutate(dir);
      const { mock } = await run(dir);
      return mock.byName("content-propagation").inputs["trigger"];
    };
    const { appendFileSync, writeFileSync } = await import("node:fs");
    const csv = "watchlists/NetworkAllowlist/NetworkAllowlist.csv";
    const kql = "functions/ExcludeAllowlistedIPs_AADNI/ExcludeAllowlistedIPs_AADNI.kql";
    const base = await triggerFor(() => undefined);
    const newRow = await triggerFor((d) =>
      appendFileSync(`${d}/${csv}`, "192.0.2.200,Another documentation address,Network Engineering\n"),
    );
    const newQuery = await triggerFor((d) => appendFileSync(`${d}/${kql}`, "| take 1000000\n"));
    const newColumn = await triggerFor((d) => writeFileSync(`${d}/${csv}`, "IPOrRange,Description,Owner,Site\n192.0.2.0/28,x,y,z\n"));
    expect(newRow).toBe(base);
    expect(newQuery).not.toBe(base);
    expect(newColumn).not.toBe(base);
  });

  it("its provider sleeps on create and asks for replacement when the trigger changes", async () => {
    const started = Date.now();
    const created = await propagationWaitProvider.create({ trigger: "abc", seconds: 0.2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(created.outs).toEqual({ trigger: "abc", seconds: 0.2 });
    expect(await propagationWaitProvider.diff!("id", { trigger: "abc", seconds: 60 }, { trigger: "abc", seconds: 60 })).toMatchObject({
      changes: false,
      replaces: [],
    });
    expect(await propagationWaitProvider.diff!("id", { trigger: "abc", seconds: 60 }, { trigger: "def", seconds: 60 })).toMatchObject({
      changes: true,
      replaces: ["trigger"],
    });
  });
});
