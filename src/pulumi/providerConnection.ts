/**
 * What the program's dynamic providers (savedFunction.ts, watchlistRows.ts) share: signing in
 * from the stack's config when the engine configures them, one writer per provider process, and
 * the "moved" test of their diffs.
 */
import type * as pulumi from "@pulumi/pulumi";
import { deployConnection, type DeployConnection, type SettingLookup } from "../azure/deployConnection";
import { CONFIG_NAMESPACE, readProjectSettings } from "../config/settings";
import { AZURE_NATIVE_PLUGIN } from "./parameterizedPackage";

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

/** The writer of a provider, made when the engine configures it. */
export interface WriterSlot<W> {
  /** The writer; an error when the engine has not configured the provider (it always does first). */
  writer(): Promise<W>;
  connectWith(config: ProviderConfig): void;
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
}

export function writerSlot<W>(
  what: string,
  connect: (config: ProviderConfig) => Promise<DeployConnection>,
  make: (connection: DeployConnection) => W,
): WriterSlot<W> {
  let writer: Promise<W> | undefined;
  const slot: WriterSlot<W> = {
    writer() {
      if (!writer) throw new Error(`the ${what} provider was used before the engine configured it`);
      return writer;
    },
    connectWith(config) {
      writer = connect(config).then(make);
      // A sign-in problem surfaces on first use, with its message; never as an unhandled rejection.
      writer.catch(() => undefined);
    },
    async configure(req) {
      slot.connectWith(req.config);
    },
  };
  return slot;
}

/**
 * Whether `news` names another Azure resource than `olds` (Azure names ignore case). `olds`
 * come from the state, written by any earlier version, so their fields are read defensively.
 */
export function movedTo(olds: Record<string, unknown>, news: Record<string, string>, nameKey: string): boolean {
  const same = (key: string) => typeof olds[key] === "string" && (olds[key] as string).toLowerCase() === (news[key] ?? "").toLowerCase();
  return !same(nameKey) || !same("resourceGroupName") || !same("workspaceName");
}
