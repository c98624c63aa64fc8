/**
 * The implementations the stored dynamic providers load where they run
 * (dynamicProviderShim.ts). Never move this file or rename `createProvider`:
 * existing stacks' states name them.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { DynamicProviderKind } from "./dynamicProviderShim";
import { savedFunctionProvider } from "./savedFunction";
import { watchlistRowsProvider } from "./watchlistRows";

// The engine's side is untyped (`ResourceProvider<any, any>`): each provider checks what it reads
// from the state itself (providerConnection.ts's movedTo), so widening the typed ones is safe here.
const providers = new Map<string, pulumi.dynamic.ResourceProvider>();

/** One provider per kind in the provider's process: the engine configures it once, then calls it. */
export function createProvider(kind: DynamicProviderKind): pulumi.dynamic.ResourceProvider {
  let provider = providers.get(kind);
  if (provider) return provider;
  switch (kind) {
    case "savedFunction":
      provider = savedFunctionProvider() as pulumi.dynamic.ResourceProvider;
      break;
    case "watchlistRows":
      provider = watchlistRowsProvider() as pulumi.dynamic.ResourceProvider;
      break;
    default:
      throw new Error(`unknown dynamic provider '${String(kind)}': this state was written by a newer sentinel-iac`);
  }
  providers.set(kind, provider);
  return provider;
}
