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
 * - Create adopts a saved search that already has this id only when it is
 *   exactly this function (as `sentinel-iac export` writes it), so an exported
 *   function needs no `pulumi import`; any other search with the id (a Content
 *   Hub parser, another team's function, a typo) is refused, never overwritten.
 * - It carries an alias of azure-native's SavedSearch type: a stack that
 *   deployed the function with azure-native moves to this resource with one
 *   in-place update, never a delete.
 * - `pulumi refresh` reads the live function, so an edit in the portal shows
 *   in the next preview and is written back.
 * - Delete removes only what this resource last wrote: a search whose etag
 *   moved on since (another resource of the stack wrote it, as after a change
 *   of the alias's case, which is a new URN for the same Azure search; or
 *   someone edited it) is left in place with a warning.
 */
import * as pulumi from "@pulumi/pulumi";
import type { SavedSearchProperties } from "../model/types";
import type { DeployConnection } from "../azure/deployConnection";
import { SavedSearchWriter, type LiveSavedSearch, type SavedSearchScope } from "../azure/savedSearchWriter";
import { dynamicProviderShim } from "./dynamicProviderShim";
import { connectionFromConfig, movedTo, writerSlot, type ProviderConfig } from "./providerConnection";

export interface SavedFunctionInputs extends SavedSearchScope {
  savedSearchId: string;
  properties: SavedSearchProperties;
}

export interface SavedFunctionOutputs extends SavedFunctionInputs {
  etag?: string;
}

/**
 * Stable text of the properties a PUT sends, for comparing. The query's trailing whitespace is
 * not part of it: content drops it as it loads, as the live diff does.
 */
export function savedSearchText(properties: SavedSearchProperties | undefined): string {
  if (!properties) return "";
  const p = properties;
  return JSON.stringify([
    p.category,
    p.displayName,
    (p.query ?? "").trimEnd(),
    p.functionAlias ?? null,
    p.functionParameters ?? null,
    p.version ?? 2,
    (p.tags ?? []).map((t) => [t.name, t.value]),
  ]);
}

/** The error of a create that finds another saved search under its id. */
function takeOverRefused(inputs: SavedFunctionInputs, live: LiveSavedSearch): Error {
  const theirs = live.properties.functionAlias ? `function '${live.properties.functionAlias}'` : `'${live.properties.displayName}'`;
  const ours = inputs.properties.functionAlias ?? inputs.savedSearchId;
  const liveName = live.id.split("/").at(-1) ?? "";
  // Azure names ignore case: a new spelling of the same name is a new Pulumi resource over the same search.
  if (liveName !== inputs.savedSearchId && liveName.toLowerCase() === inputs.savedSearchId.toLowerCase()) {
    return new Error(
      `function '${ours}' would take over saved search '${liveName}' of workspace '${inputs.workspaceName}', which this stack deployed under that spelling: a change of case only is a new Pulumi resource for the same Azure search, and the old one's delete would remove the function. Keep the spelling '${liveName}', or rename the resource in the state first (\`pulumi state rename\`, docs/safe-deletes.md).`,
    );
  }
  return new Error(
    `saved search '${inputs.savedSearchId}' of workspace '${inputs.workspaceName}' (resource group '${inputs.resourceGroupName}') already exists and holds ${theirs}, which differs from function '${ours}' of this stack; it was not overwritten. If it is this function, make the content equal the live one (\`sentinel-iac export\` writes it), deploy, then change it; if it is someone else's (a Content Hub parser, another repository's function), give this function another savedSearchId.`,
  );
}

/** Why the live search is no longer what this resource last wrote (`props`, its state), or undefined when it is. */
export function writtenSince(props: SavedFunctionOutputs, live: LiveSavedSearch): string | undefined {
  // The etag changes with every write, and refresh records the live one: the surest sign.
  if (props.etag !== undefined && live.etag !== undefined) return props.etag === live.etag ? undefined : "it was written again";
  // A state without an etag (written before etags were kept): compare what was written.
  if (props.properties !== undefined && savedSearchText(props.properties) !== savedSearchText(live.properties)) return "it was changed";
  return undefined;
}

/** A writer per connection promise; the provider creates one when the engine configures it. */
export function savedFunctionProvider(
  connect: (config: ProviderConfig) => Promise<DeployConnection> = connectionFromConfig,
): pulumi.dynamic.ResourceProvider<SavedFunctionInputs, SavedFunctionOutputs> & { connectWith(config: ProviderConfig): void } {
  const slot = writerSlot("saved-function", connect, (connection) => new SavedSearchWriter(connection));
  const writerOf = slot.writer;
  const write = async (inputs: SavedFunctionInputs): Promise<SavedFunctionOutputs> => {
    const written = await (await writerOf()).put(inputs, inputs.savedSearchId, inputs.properties);
    return { ...inputs, ...(written.etag !== undefined ? { etag: written.etag } : {}) };
  };
  return {
    connectWith: slot.connectWith,
    configure: slot.configure,
    async diff(_id, olds, news) {
      // A stack that deployed this function with azure-native's SavedSearch has its outputs
      // here (no `properties`): update in place, never replace, or the old provider would
      // delete the function after the new one wrote it.
      const ours = typeof olds.savedSearchId === "string" && olds.properties !== undefined;
      const moved = ours && movedTo(olds as unknown as Record<string, unknown>, news as unknown as Record<string, string>, "savedSearchId");
      const changed = !ours || savedSearchText(olds.properties) !== savedSearchText(news.properties);
      return { changes: moved || changed, replaces: moved ? ["savedSearchId"] : [], deleteBeforeReplace: false };
    },
    async create(inputs) {
      const writer = await writerOf();
      const live = await writer.get(inputs, inputs.savedSearchId);
      if (live && savedSearchText(live.properties) !== savedSearchText(inputs.properties)) throw takeOverRefused(inputs, live);
      const written = await writer.put(inputs, inputs.savedSearchId, inputs.properties);
      return {
        id: written.id || inputs.savedSearchId,
        outs: { ...inputs, ...(written.etag !== undefined ? { etag: written.etag } : {}) },
      };
    },
    async update(_id, _olds, news) {
      return { outs: await write(news) };
    },
    async read(id, props) {
      // The engine passes the state's outputs on refresh; without them there is nothing to read.
      if (!props) return {};
      const found = await (await writerOf()).get(props, props.savedSearchId);
      // Gone from Azure: an empty id tells the engine so.
      if (!found) return {};
      return { id, props: { ...props, properties: found.properties, ...(found.etag !== undefined ? { etag: found.etag } : {}) } };
    },
    async delete(_id, props) {
      const writer = await writerOf();
      const live = await writer.get(props, props.savedSearchId);
      if (!live) return;
      const why = writtenSince(props, live);
      if (why) {
        await pulumi.log.warn(
          `function '${props.properties?.functionAlias ?? props.savedSearchId}' (saved search '${props.savedSearchId}' of workspace '${props.workspaceName}') was not deleted: ${why} since this resource last wrote it, so it is someone else's now (another resource of this stack, as after a change of the alias's case, or a person). It stays in the workspace; delete it by hand if it should go.`,
        );
        return;
      }
      await writer.delete(props, props.savedSearchId);
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
