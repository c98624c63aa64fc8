/**
 * Registers the desired state with Pulumi, one resource per model resource.
 *
 * Resources are registered as `pulumi.CustomResource`s with azure-native's
 * type tokens and provider version, and arguments typed by azure-native's own
 * `*Args` interfaces. We do not construct azure-native's classes: each of
 * them attaches ~100 aliases for historical API-version types, which this
 * project never used, and at a few thousand rules that dominates the
 * program's time and memory (measured in docs/performance.md). A test checks
 * that the real classes register the same type tokens and inputs.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { ScheduledAlertRuleArgs, WatchlistArgs, WatchlistItemArgs } from "@pulumi/azure-native/securityinsights";
import type { SavedSearchArgs } from "@pulumi/azure-native/operationalinsights";
import type { ResourceArgs } from "@pulumi/azure-native/resources";
import { hasErrors } from "../diagnostics/diagnostic";
import type { DesiredResource, DesiredState } from "../model/types";
import { API_VERSIONS } from "../sentinel/arm";
import { AZURE_NATIVE_VERSION, logicalName, typeTokenFor } from "./naming";
import { PropagationWait } from "./propagationWait";
import type { DeploymentTarget } from "./stackConfig";

class AzureNativeResource extends pulumi.CustomResource {
  constructor(type: string, name: string, args: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    super(type, name, args, { version: AZURE_NATIVE_VERSION, ...opts });
  }
}

interface Registration {
  type: string;
  args: pulumi.Inputs;
  opts?: pulumi.CustomResourceOptions;
}

/** The type token, inputs and options azure-native needs for one model resource. */
export function registrationFor(r: DesiredResource, target: DeploymentTarget): Registration {
  const scope = { resourceGroupName: target.resourceGroupName, workspaceName: target.workspaceName };
  const type = typeTokenFor(r);
  switch (r.content) {
    case "analyticsRule": {
      if (r.kind === "NRT") {
        // No NRT resource in azure-native v3's default module; the generic resource addresses the
        // same ARM path with the preview API version (opt-in: sentinel-iac:nrtRules = genericResource).
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
    case "huntingQuery":
    case "function": {
      const args: SavedSearchArgs = { ...scope, savedSearchId: r.name, ...r.properties };
      // An in-place update of a saved search without an etag is refused (409), and azure-native
      // takes no etag; so every change replaces it, deleting first because the id is fixed.
      return { type, args, opts: { replaceOnChanges: ["*"], deleteBeforeReplace: true } };
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
}

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

/** Registers every resource of a valid desired state, in dependency order. Returns them by model key. */
export async function registerDesiredState(state: DesiredState, options: RegisterOptions): Promise<Map<string, pulumi.CustomResource>> {
  if (hasErrors(state.diagnostics)) {
    throw new Error("refusing to register resources: the desired state has errors");
  }
  const registered = new Map<string, pulumi.CustomResource>();
  const wait = propagationGate(state, registered, options);
  const limit = Error.stackTraceLimit;
  // The SDK records a stack trace for every input property's promises, used only to report
  // leaked promises when PULUMI_DEBUG_PROMISE_LEAKS is set. At thousands of resources that
  // alone costs seconds, so unless that variable asks for them, capture none until every
  // batch has been handed to the SDK (the SDK is the only code running in between).
  if (!process.env["PULUMI_DEBUG_PROMISE_LEAKS"]) Error.stackTraceLimit = 0;
  try {
    let inBatch = 0;
    for (const r of state.resources) {
      const { type, args, opts } = registrationFor(r, options.target);
      const dependsOn = r.dependsOn.map((k) => registered.get(k)).filter((d): d is pulumi.CustomResource => d !== undefined);
      if (wait && r.content === "analyticsRule" && wait.guards(r)) dependsOn.push(wait.resource());
      const protect = options.protectRules === true && r.content === "analyticsRule" ? { protect: true } : {};
      // Items live under their watchlist in Azure, and so in Pulumi: previews nest them, and their URNs say whose they are.
      const parent = r.content === "watchlistItem" ? { parent: registered.get(r.watchlistKey) } : {};
      registered.set(r.key, new AzureNativeResource(type, logicalName(r), args, { ...opts, ...protect, ...parent, dependsOn }));
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
 * changing an allowlist row never delays a deploy.
 */
function propagationGate(state: DesiredState, registered: Map<string, pulumi.CustomResource>, options: RegisterOptions) {
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
          for (const item of state.resources) {
            if (item.content === "watchlistItem" && item.watchlistKey === key) {
              Object.keys(item.properties.itemsKeyValue).forEach((c) => columns.add(c));
              const itemResource = registered.get(item.key);
              if (itemResource) dependsOn.push(itemResource);
            }
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
