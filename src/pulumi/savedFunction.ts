/**
 * KQL functions (saved searches with a function alias), updated in place.
 *
 * azure-native's SavedSearch cannot update a saved search: Log Analytics
 * refuses an update without the current etag, and azure-native removes etag
 * from every input. Replacing it means deleting the function first, and every
 * rule that calls it fails its runs until it is back (or for good, if the
 * create fails). This dynamic resource writes the function with the etag it
 * just read (src/azure/savedSearchWriter.ts), so the function never stops
 * existing (docs/azure-behaviours.md §1).
 *
 * - It signs in as azure-native does, from the same `azure-native:*` config
 *   and environment, when the dynamic provider starts (`configure`); nothing
 *   about the connection is captured in the provider's code or the state.
 * - Create adopts a saved search that already has this id (Azure keeps one
 *   per id), so an exported function needs no `pulumi import`.
 * - It carries an alias of azure-native's SavedSearch type: a stack that
 *   deployed the function with azure-native moves to this resource with one
 *   in-place update, never a delete.
 * - `pulumi refresh` reads the live function, so an edit in the portal shows
 *   in the next preview and is written back.
 */
import * as pulumi from "@pulumi/pulumi";
import type { SavedSearchProperties } from "../model/types";
import { deployConnection, type DeployConnection, type SettingLookup } from "../azure/deployConnection";
import { CONFIG_NAMESPACE, readProjectSettings } from "../config/settings";
import { SavedSearchWriter, type SavedSearchScope } from "../azure/savedSearchWriter";
import { dynamicProviderShim } from "./dynamicProviderShim";
import { AZURE_NATIVE_PLUGIN } from "./parameterizedPackage";

export interface SavedFunctionInputs extends SavedSearchScope {
  savedSearchId: string;
  properties: SavedSearchProperties;
}

export interface SavedFunctionOutputs extends SavedFunctionInputs {
  etag?: string;
}

/** The stack config the dynamic provider receives (`pulumi.dynamic.Config`). */
export interface ProviderConfig {
  get(key: string): string | undefined;
}

/**
 * How the dynamic providers find Azure: azure-native's settings, plus two overrides of
 * `sentinel-iac:` config for endpoints that are not the cloud's (a private endpoint, the local
 * stand-in). A CA for such an endpoint is given to the Pulumi CLI with NODE_EXTRA_CA_CERTS.
 */
export function connectionFromConfig(config: ProviderConfig, env: NodeJS.ProcessEnv = process.env): Promise<DeployConnection> {
  const get: SettingLookup = (key, envName) => {
    const fromConfig = config.get(`${AZURE_NATIVE_PLUGIN}:${key}`);
    if (fromConfig !== undefined && fromConfig !== "") return fromConfig;
    const fromEnv = env[envName];
    return fromEnv !== undefined && fromEnv !== "" ? fromEnv : undefined;
  };
  // The same checks the program applies to these settings (https, no credentials in the URL).
  const { deployEndpoints } = readProjectSettings((key) =>
    key === "armEndpoint" || key === "authorityHost" ? config.get(`${CONFIG_NAMESPACE}:${key}`) : undefined,
  );
  return deployConnection(get, deployEndpoints);
}

/** Stable text of the properties a PUT sends, for comparing. */
export function savedSearchText(properties: SavedSearchProperties | undefined): string {
  if (!properties) return "";
  const p = properties;
  return JSON.stringify([
    p.category,
    p.displayName,
    p.query,
    p.functionAlias ?? null,
    p.functionParameters ?? null,
    p.version ?? 2,
    (p.tags ?? []).map((t) => [t.name, t.value]),
  ]);
}

/** A writer per connection promise; the provider creates one when the engine configures it. */
export function savedFunctionProvider(
  connect: (config: ProviderConfig) => Promise<DeployConnection> = connectionFromConfig,
): pulumi.dynamic.ResourceProvider<SavedFunctionInputs, SavedFunctionOutputs> & { connectWith(config: ProviderConfig): void } {
  let writer: Promise<SavedSearchWriter> | undefined;
  const writerOf = (): Promise<SavedSearchWriter> => {
    if (!writer) throw new Error("the saved-function provider was used before the engine configured it");
    return writer;
  };
  const write = async (inputs: SavedFunctionInputs): Promise<SavedFunctionOutputs> => {
    const written = await (await writerOf()).put(inputs, inputs.savedSearchId, inputs.properties);
    return { ...inputs, ...(written.etag !== undefined ? { etag: written.etag } : {}) };
  };
  const armId = async (inputs: SavedFunctionInputs): Promise<string> => {
    const found = await (await writerOf()).get(inputs, inputs.savedSearchId);
    return found?.id ?? inputs.savedSearchId;
  };
  return {
    connectWith(config: ProviderConfig) {
      writer = connect(config).then((connection) => new SavedSearchWriter(connection));
      // A sign-in problem surfaces on first use, with its message; never as an unhandled rejection.
      writer.catch(() => undefined);
    },
    async configure(req) {
      this.connectWith(req.config);
    },
    async diff(_id, olds, news) {
      // A stack that deployed this function with azure-native's SavedSearch has its outputs
      // here (no `properties`): update in place, never replace, or the old provider would
      // delete the function after the new one wrote it.
      const ours = typeof olds.savedSearchId === "string" && olds.properties !== undefined;
      const moved =
        ours &&
        (olds.savedSearchId.toLowerCase() !== news.savedSearchId.toLowerCase() ||
          olds.resourceGroupName.toLowerCase() !== news.resourceGroupName.toLowerCase() ||
          olds.workspaceName.toLowerCase() !== news.workspaceName.toLowerCase());
      const changed = !ours || savedSearchText(olds.properties) !== savedSearchText(news.properties);
      return { changes: moved || changed, replaces: moved ? ["savedSearchId"] : [], deleteBeforeReplace: false };
    },
    async create(inputs) {
      const outs = await write(inputs);
      return { id: await armId(inputs), outs };
    },
    async update(_id, _olds, news) {
      return { outs: await write(news) };
    },
    async read(id, props) {
      if (!props) return { id, props: props as unknown as SavedFunctionOutputs };
      const found = await (await writerOf()).get(props, props.savedSearchId);
      // Gone from Azure: an empty id tells the engine so.
      if (!found) return {};
      return { id, props: { ...props, properties: found.properties, ...(found.etag !== undefined ? { etag: found.etag } : {}) } };
    },
    async delete(_id, props) {
      await (await writerOf()).delete(props, props.savedSearchId);
    },
  };
}

/** What the state stores: a shim that loads savedFunctionProvider where it runs; one object, serialized once. */
const SAVED_FUNCTION_SHIM = dynamicProviderShim("savedFunction");

export class SavedFunction extends pulumi.dynamic.Resource {
  constructor(name: string, inputs: SavedFunctionInputs, opts?: pulumi.CustomResourceOptions) {
    super(SAVED_FUNCTION_SHIM, name, { ...inputs, etag: undefined }, opts, "sentinel-iac", "SavedFunction");
  }
}
