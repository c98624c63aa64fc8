/**
 * The code Pulumi stores for the program's dynamic providers (functions and
 * large watchlists), kept to a few self-contained lines.
 *
 * Pulumi serializes a dynamic provider's functions, and everything they
 * capture, into every resource's state, and runs that text in a separate
 * process (`pulumi-resource-pulumi-nodejs`). Capturing the Azure SDK and this
 * project's modules would put thousands of lines of code in the state, make
 * the serialization depend on how each module was loaded, and keep running
 * old code for later deletes. So the stored provider captures nothing but two
 * strings: at run time it loads the implementation from the project's own
 * TypeScript (`dynamicProviders.ts`, through tsx), found from the provider
 * process's working directory, which Pulumi sets to the project's directory.
 *
 * Never move dynamicProviders.ts or rename its exports: the states of existing
 * stacks name them.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The implementations' module, relative to the Pulumi project's directory (where Pulumi.yaml is). */
export const DYNAMIC_PROVIDERS_MODULE = "src/pulumi/dynamicProviders.ts";

export type DynamicProviderKind = "savedFunction" | "watchlistRows";

type AnyProvider = pulumi.dynamic.ResourceProvider;

/** A provider whose every method runs the named implementation, loaded where it runs. */
export function dynamicProviderShim(kind: DynamicProviderKind, modulePath: string = DYNAMIC_PROVIDERS_MODULE): AnyProvider {
  // Runs in the provider's process, and only uses `require`, `process`, `globalThis` and the two
  // strings. Serialized functions get a fresh scope on every call, so what must last (tsx's
  // loader, the module) is kept on globalThis; dynamicProviders.ts keeps one provider per kind.
  const implementation = (): AnyProvider => {
    const cache = globalThis as { sentinelIacDynamicProviders?: { createProvider(kind: string): AnyProvider } };
    if (cache.sentinelIacDynamicProviders) return cache.sentinelIacDynamicProviders.createProvider(kind);
    const path = require("node:path") as typeof import("node:path");
    const fs = require("node:fs") as typeof import("node:fs");
    const file = path.resolve(process.cwd(), modulePath);
    if (!fs.existsSync(file)) {
      throw new Error(
        `sentinel-iac's ${kind} provider needs ${modulePath} in the Pulumi project (looked in ${process.cwd()}); run pulumi from the project's directory`,
      );
    }
    const tsx = require("tsx/cjs/api") as { register(options: { namespace: string }): { require(id: string, from: string): unknown } };
    cache.sentinelIacDynamicProviders = tsx.register({ namespace: "sentinel-iac-dynamic-providers" }).require(file, file) as {
      createProvider(kind: string): AnyProvider;
    };
    return cache.sentinelIacDynamicProviders.createProvider(kind);
  };
  return {
    async configure(req) {
      await implementation().configure?.(req);
    },
    async check(olds, news) {
      const impl = implementation();
      return impl.check ? impl.check(olds, news) : { inputs: news };
    },
    async diff(id, olds, news) {
      const impl = implementation();
      return impl.diff ? impl.diff(id, olds, news) : {};
    },
    async create(inputs) {
      return implementation().create(inputs);
    },
    async read(id, props) {
      const impl = implementation();
      return impl.read ? impl.read(id, props) : { id, props };
    },
    async update(id, olds, news) {
      const impl = implementation();
      return impl.update ? impl.update(id, olds, news) : { outs: news };
    },
    async delete(id, props) {
      await implementation().delete?.(id, props);
    },
  };
}
