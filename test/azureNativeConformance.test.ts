/**
 * The program registers azure-native resources as plain CustomResources (register.ts says why).
 * This keeps them honest against azure-native itself:
 * - the real azure-native classes, given the same inputs and options, register the same type,
 *   inputs and options (version, protect, deleteBeforeReplace, replaceOnChanges, parent,
 *   dependsOn, deletedWith), and the only aliases they add are historical versioned types;
 * - every input, at every depth, type-checks against azure-native's own declarations
 *   (node_modules/@pulumi/azure-native: the *Args interfaces and types/input.d.ts), with the
 *   TypeScript compiler, so a misspelt nested key cannot pass;
 * - the typed NRT rule, which no installed SDK declares, matches the preview REST spec that
 *   azure-native generates it from.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { buildDesiredState } from "../src/loader/desiredState";
import { applyStackSettings } from "../src/loader/stackSelection";
import { DEFAULT_STACK_SETTINGS } from "../src/model/stack";
import type { DesiredState } from "../src/model/types";
import { AZURE_NATIVE_VERSION, TYPE_TOKENS } from "../src/pulumi/naming";
import { registerDesiredState, registrationFor, type Registration, type ResourceFactory } from "../src/pulumi/register";
import { azureNativeTypeErrors, type TypedValue } from "./helpers/azureNativeTypes";
import { copySeedContent, HAS_SHARED, SHARED_DIR, writeContentInto } from "./helpers/content";
import { MockDeployment, type Registration as Recorded } from "./helpers/pulumiMocks";

const TARGET = { resourceGroupName: "rg-soc", workspaceName: "law-soc" };
const NRT_ID = "abcdefab-1234-4abc-8def-0123456789ab";

/** The project's content, plus what it lacks: every optional field the model can emit. */
function richContent(): string {
  const dir = copySeedContent();
  const common = `severity: Medium
tactics:
  - InitialAccess
relevantTechniques:
  - T1078.004
query: |
  SigninLogs
  | project TimeGenerated, UserPrincipalName, IPAddress, AppDisplayName
entityMappings:
  - entityType: Account
    fieldMappings:
      - identifier: FullName
        columnName: UserPrincipalName
customDetails:
  App: AppDisplayName
alertDetailsOverride:
  alertDisplayNameFormat: "Sign-in by {{UserPrincipalName}}"
  alertDescriptionFormat: "From {{IPAddress}}"
  alertDynamicProperties:
    - alertProperty: ProductName
      value: AppDisplayName
eventGroupingSettings:
  aggregationKind: AlertPerResult
suppressionEnabled: true
suppressionDuration: 2h
incidentConfiguration:
  createIncident: true
  groupingConfiguration:
    enabled: true
    reopenClosedIncident: true
    lookbackDuration: 1d
    matchingMethod: Selected
    groupByEntities:
      - Account
    groupByAlertDetails:
      - DisplayName
    groupByCustomDetails:
      - App
`;
  writeContentInto(dir, {
    "rules/analytics/rich-nrt.yaml": `id: ${NRT_ID}\nname: Rich NRT rule\ndescription: Every NRT field.\nkind: NRT\n${common}sentinelEntitiesMappings:\n  - columnName: UserPrincipalName\n`,
    "rules/analytics/rich-scheduled.yaml": `id: 0f1e2d3c-4b5a-4697-8877-665544332211\nname: Rich scheduled rule\ndescription: Every scheduled field.\nkind: Scheduled\nqueryFrequency: 1h\nqueryPeriod: 2h\ntriggerOperator: gt\ntriggerThreshold: 3\n${common}`,
    "watchlists/Labelled/Labelled.yaml":
      "alias: Labelled\ndisplayName: Labelled list\ndescription: With labels and a duration.\nprovider: SecOps\nitemsSearchKey: Key\nlabels:\n  - Allowlist\ndefaultDuration: P30D\ncolumns:\n  Key: { type: string }\n",
    "watchlists/Labelled/Labelled.csv": "Key,Note\nalpha,first\nbeta,\n",
  });
  return dir;
}

function richState(nrtRules: "deploy" | "genericResource" = "deploy"): DesiredState {
  const state = applyStackSettings(buildDesiredState(richContent()), { ...DEFAULT_STACK_SETTINGS, nrtRules });
  const problems = state.diagnostics.filter((d) => d.severity === "error");
  if (problems.length > 0) throw new Error(`the sample content has errors: ${JSON.stringify(problems)}`);
  return state;
}

/** azure-native's class for each type token this project registers through azure-native itself. */
async function azureNativeClasses(): Promise<
  Record<string, new (name: string, args: never, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource>
> {
  const native = await import("@pulumi/azure-native");
  return {
    [TYPE_TOKENS.watchlist]: native.securityinsights.Watchlist as never,
    [TYPE_TOKENS.watchlistItem]: native.securityinsights.WatchlistItem as never,
    [TYPE_TOKENS.savedSearch]: native.operationalinsights.SavedSearch as never,
    [TYPE_TOKENS.scheduledAlertRule]: native.securityinsights.ScheduledAlertRule as never,
    [TYPE_TOKENS.genericResource]: native.resources.Resource as never,
  };
}

async function registerWith(state: DesiredState, nrtRules: "deploy" | "genericResource", factory?: ResourceFactory) {
  const mock = new MockDeployment({});
  const resources = await registerDesiredState(state, {
    target: TARGET,
    propagationWaitSeconds: 60,
    protectRules: true,
    nrtRules,
    ...(factory ? { resourceFactory: factory } : {}),
  });
  await mock.settle(resources.values());
  return mock;
}

/** Everything a registration asks the engine, aliases apart, keyed by URN. */
function view(mock: MockDeployment): Map<string, unknown> {
  return new Map(
    mock.registrations.map((r) => [
      r.urn,
      {
        type: r.type,
        name: r.name,
        inputs: r.inputs,
        version: r.version,
        protect: r.protect,
        deleteBeforeReplace: r.deleteBeforeReplace,
        replaceOnChanges: [...r.replaceOnChanges].sort(),
        parent: r.parent,
        dependencies: [...r.dependencies].sort(),
        deletedWith: r.deletedWith,
        provider: r.provider,
        packageRef: r.packageRef,
      },
    ]),
  );
}

describe("registrations match azure-native's own resource classes", () => {
  for (const nrtRules of ["deploy", "genericResource"] as const) {
    it(`builds the same registrations as the classes would, options included (nrtRules: ${nrtRules})`, async () => {
      const state = richState(nrtRules);
      const classes = await azureNativeClasses();
      const ours = await registerWith(state, nrtRules);
      const used = new Set<string>();
      const theirs = await registerWith(state, nrtRules, (registration: Registration, name, opts, packageRef) => {
        const Class = classes[registration.type];
        // The typed NRT rule has no class in the installed SDK: its check is against the REST spec below.
        if (!Class)
          return new (pulumi.CustomResource as unknown as new (...a: unknown[]) => pulumi.CustomResource)(
            registration.type,
            name,
            registration.args,
            { ...registration.opts, ...opts },
            false,
            packageRef,
          );
        used.add(registration.type);
        return new Class(name, registration.args as never, { ...registration.opts, ...opts });
      });
      expect(used.size).toBe(nrtRules === "deploy" ? 4 : 5);
      expect(view(ours)).toEqual(view(theirs));
    });
  }

  it("the only aliases the classes add are types this project never registered: pinned API versions, other alert-rule kinds", async () => {
    const state = richState("genericResource");
    const classes = await azureNativeClasses();
    const ours = await registerWith(state, "genericResource");
    const theirs = await registerWith(state, "genericResource", (registration, name, opts, packageRef) => {
      const Class = classes[registration.type];
      if (!Class)
        return new (pulumi.CustomResource as unknown as new (...a: unknown[]) => pulumi.CustomResource)(
          registration.type,
          name,
          registration.args,
          { ...registration.opts, ...opts },
          false,
          packageRef,
        );
      return new Class(name, registration.args as never, { ...registration.opts, ...opts });
    });
    const ourAliases = new Map(ours.registrations.map((r) => [r.urn, new Set(r.aliases)]));
    const registeredTypes = new Set<string>(Object.values(TYPE_TOKENS));
    let historical = 0;
    for (const r of theirs.registrations) {
      for (const alias of r.aliases) {
        if (ourAliases.get(r.urn)?.has(alias)) continue;
        const spec = JSON.parse(alias) as Record<string, string>;
        // A type-only alias to a token of the same module, pinned to an API version or (alert rules) another
        // kind: only state made with those classes has such resources, and this project never registered them.
        expect(Object.keys(spec)).toEqual(["type"]);
        expect(spec["type"]).toMatch(/^azure-native:[a-z]+(\/v\d{8}(preview|privatepreview)?)?:[A-Za-z]+$/);
        expect(spec["type"]!.split(":")[1]!.split("/")[0]).toBe(r.type.split(":")[1]);
        expect(registeredTypes.has(spec["type"]!)).toBe(false);
        historical++;
      }
    }
    expect(historical).toBeGreaterThan(100);
  });
});

/** The *Args declaration of each azure-native type token the program registers. */
const ARGS: Record<string, { module: string; typeName: string }> = {
  [TYPE_TOKENS.scheduledAlertRule]: { module: "securityinsights", typeName: "ScheduledAlertRuleArgs" },
  [TYPE_TOKENS.watchlist]: { module: "securityinsights", typeName: "WatchlistArgs" },
  [TYPE_TOKENS.watchlistItem]: { module: "securityinsights", typeName: "WatchlistItemArgs" },
  [TYPE_TOKENS.savedSearch]: { module: "operationalinsights", typeName: "SavedSearchArgs" },
  [TYPE_TOKENS.genericResource]: { module: "resources", typeName: "ResourceArgs" },
};

function typedValues(state: DesiredState, nrtRules: "deploy" | "genericResource"): TypedValue[] {
  const values: TypedValue[] = [];
  for (const r of state.resources) {
    const { type, args } = registrationFor(r, TARGET, nrtRules);
    const declared = ARGS[type];
    if (declared) values.push({ ...declared, value: args, label: `${type} ${r.name}` });
  }
  return values;
}

describe("inputs match azure-native's type declarations at every depth", () => {
  it("every azure-native input of the sample content type-checks against its *Args declaration", () => {
    const state = richState("genericResource");
    const values = [...typedValues(state, "genericResource"), ...typedValues(richState("deploy"), "deploy")];
    expect(new Set(values.map((v) => v.typeName))).toEqual(
      new Set(["ScheduledAlertRuleArgs", "WatchlistArgs", "WatchlistItemArgs", "SavedSearchArgs", "ResourceArgs"]),
    );
    // The function is the program's own resource, but its properties are a saved search's: check them as one.
    const fn = state.resources.find((r) => r.content === "function")!;
    values.push({
      module: "operationalinsights",
      typeName: "SavedSearchArgs",
      label: "function",
      value: { ...TARGET, savedSearchId: fn.name, ...fn.properties },
    });
    expect(azureNativeTypeErrors(values)).toEqual([]);
  }, 60_000);

  it("a misspelt key, however deep, is reported with its path", () => {
    const state = richState("deploy");
    const rule = typedValues(state, "deploy").find((v) => v.label.endsWith("0f1e2d3c-4b5a-4697-8877-665544332211"))!;
    // One misspelt key per value (TypeScript reports the first excess key of an object literal), at these paths.
    const mutations: Record<string, (string | number)[]> = {
      groupByEntitiez: ["incidentConfiguration", "groupingConfiguration"],
      columnNam: ["entityMappings", 0, "fieldMappings", 0],
      valu: ["alertDetailsOverride", "alertDynamicProperties", 0],
      queryFrequncy: [],
    };
    const values = Object.entries(mutations).map(([key, path]) => {
      const args = structuredClone(rule.value);
      const target = path.reduce<unknown>((node, step) => (node as Record<string | number, unknown>)[step], args) as Record<
        string,
        unknown
      >;
      target[key] = "x";
      return { ...rule, value: args, label: `with ${key}` };
    });
    const errors = azureNativeTypeErrors(values);
    for (const key of Object.keys(mutations)) {
      expect(errors.filter((e) => e.startsWith(`with ${key}:`))).toEqual([expect.stringContaining(`'"${key}"' does not exist in type`)]);
    }
  }, 60_000);
});

/** A JSON-schema walker over the preview AlertRules.json, resolving this file's and AlertTypes.json's $refs. */
describe.skipIf(!HAS_SHARED)("the typed NRT rule matches the 2025-04-01-preview REST spec azure-native generates it from", () => {
  const specDir = join(
    SHARED_DIR,
    "reference/azure-rest-api-specs/specification/securityinsights/resource-manager/Microsoft.SecurityInsights/preview/2025-04-01-preview",
  );
  type Schema = {
    $ref?: string;
    properties?: Record<string, Schema>;
    items?: Schema;
    additionalProperties?: Schema | boolean;
    allOf?: Schema[];
    enum?: string[];
    readOnly?: boolean;
    type?: string;
  };
  const files: Record<string, { definitions: Record<string, Schema>; paths?: Record<string, unknown> }> = {
    "AlertRules.json": JSON.parse(readFileSync(join(specDir, "AlertRules.json"), "utf8")),
    "./common/AlertTypes.json": JSON.parse(readFileSync(join(specDir, "common/AlertTypes.json"), "utf8")),
  };
  const resolve = (schema: Schema, file = "AlertRules.json"): { schema: Schema; file: string } => {
    if (!schema.$ref) return { schema, file };
    const [path, pointer] = schema.$ref.split("#");
    const target = path ? path : file;
    const name = pointer!.replace("/definitions/", "");
    const definition = files[target]?.definitions[name];
    if (!definition) throw new Error(`unresolved $ref ${schema.$ref}`);
    return resolve(definition, target);
  };
  const problems = (value: unknown, schema: Schema, path: string, file = "AlertRules.json"): string[] => {
    const { schema: s, file: f } = resolve(schema, file);
    if (s.readOnly) return [`${path} is read-only`];
    if (Array.isArray(value))
      return s.items ? value.flatMap((v, i) => problems(v, s.items!, `${path}[${i}]`, f)) : [`${path} is not an array`];
    if (typeof value === "object" && value !== null) {
      const props: Record<string, Schema> = { ...(s.properties ?? {}) };
      for (const part of s.allOf ?? []) Object.assign(props, resolve(part, f).schema.properties ?? {});
      return Object.entries(value).flatMap(([k, v]) => {
        if (props[k]) return problems(v, props[k], `${path}.${k}`, f);
        if (typeof s.additionalProperties === "object") return problems(v, s.additionalProperties, `${path}.${k}`, f);
        return [`${path}.${k} is not in the spec`];
      });
    }
    if (s.enum && !s.enum.includes(String(value))) return [`${path} '${String(value)}' is not one of ${s.enum.join(", ")}`];
    return [];
  };

  it("every flattened property is NrtAlertRuleProperties', the path parameters are the PUT's, and the kind its discriminator", () => {
    const state = richState("deploy");
    const rule = state.resources.find((r) => r.name === NRT_ID)!;
    const { args, type } = registrationFor(rule, TARGET, "deploy");
    expect(type).toBe(TYPE_TOKENS.nrtAlertRule);
    const { resourceGroupName, workspaceName, ruleId, kind, ...properties } = args as Record<string, unknown>;
    const definitions = files["AlertRules.json"]!.definitions;
    expect(problems(properties, definitions["NrtAlertRuleProperties"]!, "properties")).toEqual([]);
    expect(Object.keys(properties)).toEqual(expect.arrayContaining(["sentinelEntitiesMappings", "subTechniques", "alertDetailsOverride"]));
    const put = Object.keys(files["AlertRules.json"]!.paths ?? {}).find((p) => p.endsWith("/alertRules/{ruleId}"))!;
    for (const parameter of ["resourceGroupName", "workspaceName", "ruleId"]) expect(put).toContain(`{${parameter}}`);
    expect({ resourceGroupName, workspaceName, ruleId }).toEqual({ ...TARGET, ruleId: NRT_ID });
    expect((definitions["NrtAlertRule"] as { "x-ms-discriminator-value"?: string })["x-ms-discriminator-value"]).toBe(kind);
  });

  it("would catch a misspelt nested key", () => {
    const definitions = files["AlertRules.json"]!.definitions;
    expect(
      problems(
        { incidentConfiguration: { createIncident: true, groupingConfiguration: { enabled: true, groupByEntitiez: [] } } },
        definitions["NrtAlertRuleProperties"]!,
        "properties",
      ),
    ).toEqual(["properties.incidentConfiguration.groupingConfiguration.groupByEntitiez is not in the spec"]);
  });
});

// The version the registrations above carry is the installed SDK's, which the engine loads the plugin at.
it("registers azure-native resources at the installed SDK's version", async () => {
  const mock = await registerWith(richState("deploy"), "deploy");
  const azureNative = mock.registrations.filter((r: Recorded) => r.type.startsWith("azure-native:"));
  expect(azureNative.length).toBeGreaterThan(0);
  expect(azureNative.every((r) => r.version === AZURE_NATIVE_VERSION)).toBe(true);
});
