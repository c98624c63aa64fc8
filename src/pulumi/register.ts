/**
 * Registers the desired state with Pulumi, one resource per model resource,
 * except where Azure needs another route:
 * - KQL functions: a dynamic resource that updates them in place (savedFunction.ts);
 * - NRT rules: azure-native's typed NRT rule of a parameterized package (nrtProvider.ts);
 * - the rows of a watchlist over PER_ROW_WATCHLIST_LIMIT: one resource for all of them
 *   (watchlistRows.ts).
 *
 * azure-native resources are registered as `pulumi.CustomResource`s with
 * azure-native's type tokens and provider version, and arguments typed by
 * azure-native's own `*Args` interfaces. We do not construct azure-native's
 * classes: each of them attaches ~100 aliases for historical API-version
 * types, which this project never used, and at a few thousand rules that
 * dominates the program's time and memory (measured in docs/performance.md).
 * A conformance test checks the real classes register the same types, inputs
 * and options, and the inputs against azure-native's type declarations.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { ScheduledAlertRuleArgs, WatchlistArgs, WatchlistItemArgs } from "@pulumi/azure-native/securityinsights";
import type { SavedSearchArgs } from "@pulumi/azure-native/operationalinsights";
import type { ResourceArgs } from "@pulumi/azure-native/resources";
import { hasErrors } from "../diagnostics/diagnostic";
import type { NrtMode } from "../model/stack";
import type { DesiredResource, DesiredState, NrtAlertRuleProperties, WatchlistItemResource, WatchlistResource } from "../model/types";
import { API_VERSIONS } from "../sentinel/arm";
import { watchlistRoutes, type PerRowLimits } from "../model/watchlistRoutes";
import { AZURE_NATIVE_VERSION, logicalName, TYPE_TOKENS, typeTokenFor } from "./naming";
import { nrtRegistration, type NrtRegistration } from "./nrtProvider";
import { PropagationWait } from "./propagationWait";
import { SavedFunction, type SavedFunctionInputs } from "./savedFunction";
import type { DeploymentTarget } from "./stackConfig";
import { packRows, rowsHash, WatchlistRows } from "./watchlistRows";

class AzureNativeResource extends pulumi.CustomResource {
  /** With a package reference (a parameterized package), the SDK sends the package's version instead of `version`. */
  constructor(type: string, name: string, args: pulumi.Inputs, opts: pulumi.CustomResourceOptions, packageRef?: Promise<string>) {
    super(type, name, args, { version: AZURE_NATIVE_VERSION, ...opts }, false, packageRef);
  }
}

/**
 * The inputs of the typed NRT rule (`NRT_PACKAGE`'s NrtAlertRule): like ScheduledAlertRule,
 * azure-native flattens the rule's `properties` next to the path parameters. No generated SDK
 * declares this type; the conformance test checks these keys against the preview REST spec.
 */
export interface NrtAlertRuleArgs extends NrtAlertRuleProperties {
  resourceGroupName: string;
  workspaceName: string;
  ruleId: string;
  kind: "NRT";
}

export interface Registration {
  type: string;
  args: pulumi.Inputs;
  opts?: pulumi.CustomResourceOptions;
  /** Registered through the NRT package (with its provider) rather than azure-native itself. */
  nrtPackage?: boolean;
  /** A function: the SavedFunction dynamic resource, not an azure-native one. */
  savedFunction?: SavedFunctionInputs;
}

/** The type token, inputs and options one model resource is registered with. */
export function registrationFor(r: DesiredResource, target: DeploymentTarget, nrtRules: NrtMode = "deploy"): Registration {
  const scope = { resourceGroupName: target.resourceGroupName, workspaceName: target.workspaceName };
  const type = typeTokenFor(r, nrtRules);
  switch (r.content) {
    case "analyticsRule": {
      if (r.kind === "NRT" && nrtRules !== "genericResource") {
        const args: NrtAlertRuleArgs = { ...scope, ruleId: r.name, kind: "NRT", ...r.properties };
        return { type, args, nrtPackage: true };
      }
      if (r.kind === "NRT") {
        // The earlier route, kept for stacks whose state holds NRT rules this way: the generic
        // resource addresses the same ARM path with the preview API version.
        const args: ResourceArgs = {
          resourceGroupName: target.resourceGroupName,
          resourceProviderNamespace: "Microsoft.OperationalInsights",
          parentResourcePath: `workspaces/${target.workspaceName}/providers/Microsoft.SecurityInsights`,
          resourceType: "alertRules",
          resourceName: r.name,
          apiVersion: API_VERSIONS.securityInsightsNrt,
          kind: "NRT",
          properties: r.properties,
        };
        return { type, args };
      }
      const args: ScheduledAlertRuleArgs = { ...scope, ruleId: r.name, kind: "Scheduled", ...r.properties };
      return { type, args };
    }
    case "huntingQuery": {
      const args: SavedSearchArgs = { ...scope, savedSearchId: r.name, ...r.properties };
      // An in-place update of a saved search without an etag is refused (409), and azure-native
      // takes no etag; so every change replaces it, deleting first because the id is fixed.
      // Nothing calls a hunting query, so the moment it is missing harms no rule.
      return { type, args, opts: { replaceOnChanges: ["*"], deleteBeforeReplace: true } };
    }
    case "function": {
      const inputs: SavedFunctionInputs = { ...scope, savedSearchId: r.name, properties: r.properties };
      // A stack that deployed the function as azure-native's SavedSearch moves to this resource
      // in place: the alias makes the engine treat that state as this resource's.
      return { type, args: inputs, opts: { aliases: [{ type: TYPE_TOKENS.savedSearch }] }, savedFunction: inputs };
    }
    case "watchlist": {
      const args: WatchlistArgs = { ...scope, watchlistAlias: r.name, ...r.properties };
      return { type, args };
    }
    case "watchlistItem": {
      const args: WatchlistItemArgs = { ...scope, watchlistAlias: r.watchlistAlias, watchlistItemId: r.name, ...r.properties };
      return { type, args };
    }
  }
}

export interface RegisterOptions {
  target: DeploymentTarget;
  propagationWaitSeconds: number;
  /**
   * Protect analytics rules: Pulumi then refuses to delete one that left the program, so a
   * removed rule file fails the preview instead of deleting a production detection. Retired
   * rules are unprotected by the pipeline first (docs/safe-deletes.md). Default false here;
   * the stack setting sentinel-iac:protectRules defaults to true.
   */
  protectRules?: boolean;
  /** How NRT rules are registered; the stack setting sentinel-iac:nrtRules (default: the typed NRT rule). */
  nrtRules?: NrtMode;
  /** Builds each azure-native resource; the conformance test passes one that builds azure-native's own classes. */
  resourceFactory?: ResourceFactory;
  /** Rows above which watchlists' items are managed as a whole. Default DEFAULT_PER_ROW_LIMITS. */
  perRowLimits?: PerRowLimits;
}

/** Builds the Pulumi resource for one registration, with the options the program chose. */
export type ResourceFactory = (
  registration: Registration,
  name: string,
  opts: pulumi.CustomResourceOptions,
  packageRef: Promise<string> | undefined,
) => pulumi.CustomResource;

const azureNativeResource: ResourceFactory = (registration, name, opts, packageRef) =>
  new AzureNativeResource(registration.type, name, registration.args, { ...registration.opts, ...opts }, packageRef);

/**
 * Resources registered between two turns of the event loop. A turn lets the
 * SDK serialize and send the batch before the next one is built, and lets
 * registrations the engine has already answered finish, so their short-lived
 * objects die young instead of piling up behind thousands of unsent ones.
 * Under the mock monitor, which answers at once, this cut peak memory per rule
 * by about two thirds at 3,000 rules and the garbage collector's time from
 * ~3 s to under 1 s (docs/performance.md); batches of 5 to 25 measured alike.
 */
export const REGISTRATION_BATCH = 10;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The model key of a bulk watchlist's rows resource, in the map registerDesiredState returns. */
export const rowsKey = (watchlistKey: string) => `${watchlistKey}#rows`;

/** The one resource holding the rows of a bulk watchlist: a child of it, deleted with it. */
function registerRows(
  list: WatchlistResource,
  items: WatchlistItemResource[],
  target: DeploymentTarget,
  parent: pulumi.Resource,
): WatchlistRows {
  const columns = [...new Set(items.flatMap((i) => Object.keys(i.properties.itemsKeyValue)))];
  const rows = items.map((i) => i.properties.itemsKeyValue);
  return new WatchlistRows(
    `${list.name}-rows`,
    {
      resourceGroupName: target.resourceGroupName,
      workspaceName: target.workspaceName,
      watchlistAlias: list.name,
      itemsSearchKey: list.properties.itemsSearchKey,
      watchlist: list.properties,
      columns,
      rowCount: rows.length,
      rowsHash: rowsHash(list.properties.itemsSearchKey, rows),
      rows: packRows(columns, rows),
    },
    { parent, deletedWith: parent, dependsOn: [parent] },
  );
}

/** Registers every resource of a valid desired state, in dependency order. Returns them by model key. */
export async function registerDesiredState(state: DesiredState, options: RegisterOptions): Promise<Map<string, pulumi.CustomResource>> {
  if (hasErrors(state.diagnostics)) {
    throw new Error("refusing to register resources: the desired state has errors");
  }
  const registered = new Map<string, pulumi.CustomResource>();
  const routes = watchlistRoutes(state.resources, options.perRowLimits);
  const bulk = routes.bulk;
  const wait = propagationGate(state, registered, options, routes.items);
  const limit = Error.stackTraceLimit;
  // The SDK records a stack trace for every input property's promises, used only to report
  // leaked promises when PULUMI_DEBUG_PROMISE_LEAKS is set. At thousands of resources that
  // alone costs seconds, so unless that variable asks for them, capture none until every
  // batch has been handed to the SDK (the SDK is the only code running in between).
  if (!process.env["PULUMI_DEBUG_PROMISE_LEAKS"]) Error.stackTraceLimit = 0;
  try {
    let inBatch = 0;
    let nrt: NrtRegistration | undefined;
    for (const r of state.resources) {
      // A bulk watchlist's rows are one resource, registered with the watchlist.
      if (r.content === "watchlistItem" && bulk.has(r.watchlistKey)) continue;
      const registration = registrationFor(r, options.target, options.nrtRules);
      const dependsOn = r.dependsOn.map((k) => registered.get(k)).filter((d): d is pulumi.CustomResource => d !== undefined);
      if (wait && r.content === "analyticsRule" && wait.guards(r)) dependsOn.push(wait.resource());
      let resource: pulumi.CustomResource;
      if (registration.savedFunction) {
        resource = new SavedFunction(logicalName(r), registration.savedFunction, { ...registration.opts, dependsOn });
      } else {
        const protect = options.protectRules === true && r.content === "analyticsRule" ? { protect: true } : {};
        // Items live under their watchlist in Azure, and so in Pulumi: previews nest them, and their URNs say
        // whose they are. Deleting a watchlist deletes its items, so Pulumi skips their deletes then.
        const watchlist = r.content === "watchlistItem" ? registered.get(r.watchlistKey) : undefined;
        const parent = watchlist ? { parent: watchlist, deletedWith: watchlist } : {};
        // The NRT package and its provider are registered once, and only when a rule needs them.
        if (registration.nrtPackage) nrt ??= nrtRegistration();
        const provider = registration.nrtPackage && nrt ? { provider: nrt.provider } : {};
        resource = (options.resourceFactory ?? azureNativeResource)(
          registration,
          logicalName(r),
          { ...protect, ...parent, ...provider, dependsOn },
          registration.nrtPackage ? nrt?.packageRef : undefined,
        );
      }
      registered.set(r.key, resource);
      const rows = r.content === "watchlist" ? bulk.get(r.key) : undefined;
      if (r.content === "watchlist" && rows) registered.set(rowsKey(r.key), registerRows(r, rows, options.target, resource));
      if (++inBatch === REGISTRATION_BATCH) {
        inBatch = 0;
        await nextTurn();
      }
    }
    await nextTurn();
  } finally {
    Error.stackTraceLimit = limit;
  }
  return registered;
}

/**
 * One wait between the watchlists/functions rules use and those rules. Its
 * trigger hashes their definitions (and watchlist columns, not rows), so
 * changing an allowlist row never delays a deploy. It comes after a list's
 * rows are written, so a new rule never runs against a half-filled allowlist:
 * after each row for a list managed per row (at most PER_ROW_STACK_LIMIT rows
 * in all), after the one rows resource for a list managed as a whole.
 */
function propagationGate(
  state: DesiredState,
  registered: Map<string, pulumi.CustomResource>,
  options: RegisterOptions,
  itemsByList: Map<string, WatchlistItemResource[]>,
) {
  if (options.propagationWaitSeconds <= 0) return undefined;
  const byKey = new Map(state.resources.map((r) => [r.key, r]));
  // Everything a rule's query needs, transitively: a function's watchlists count too.
  const guarded = new Set<string>();
  const visit = (key: string) => {
    if (guarded.has(key)) return;
    guarded.add(key);
    for (const d of byKey.get(key)?.dependsOn ?? []) visit(d);
  };
  for (const r of state.resources) {
    if (r.content === "analyticsRule") r.dependsOn.forEach(visit);
  }
  if (guarded.size === 0) return undefined;
  let created: PropagationWait | undefined;
  return {
    guards: (r: DesiredResource) => r.dependsOn.some((d) => guarded.has(d)),
    resource(): PropagationWait {
      if (created) return created;
      const hash = createHash("sha256");
      const dependsOn: pulumi.Resource[] = [];
      for (const key of [...guarded].sort()) {
        const r = byKey.get(key);
        if (!r) continue;
        hash.update(JSON.stringify([key, r.properties]));
        const resource = registered.get(key);
        if (resource) dependsOn.push(resource);
        if (r.content === "watchlist") {
          const columns = new Set<string>();
          const rows = registered.get(rowsKey(key));
          if (rows) dependsOn.push(rows);
          for (const item of itemsByList.get(key) ?? []) {
            Object.keys(item.properties.itemsKeyValue).forEach((c) => columns.add(c));
            // Only a per-row list's items are registered; a bulk list's rows resource stands for them.
            const itemResource = registered.get(item.key);
            if (itemResource) dependsOn.push(itemResource);
          }
          hash.update(JSON.stringify([...columns].sort()));
        }
      }
      created = new PropagationWait(
        "content-propagation",
        { trigger: hash.digest("hex"), seconds: options.propagationWaitSeconds },
        { dependsOn },
      );
      return created;
    },
  };
}
