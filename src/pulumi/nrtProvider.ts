/**
 * The provider NRT rules are registered with: azure-native's plugin,
 * parameterized to Microsoft.SecurityInsights at the preview API version
 * (`NRT_PACKAGE`), registered the way an SDK from `pulumi package add` would.
 *
 * Why an explicit provider instead of the package's default provider: the
 * engine gives a default provider only the config keys of its own package
 * name (`azure-native_securityinsights_v20250401preview:*`), never the
 * `azure-native:*` keys a stack already sets. A default provider would then
 * fall back to ARM_* variables or the az CLI's subscription, and could write
 * NRT rules to another subscription than the rest of the stack. This provider
 * receives every `azure-native:*` key of the stack, so NRT rules go exactly
 * where the other resources go, authenticated the same way. azure-native's
 * DiffConfig never asks for a replacement, so moving a rule between this
 * provider and a default one (after a `pulumi import`) changes nothing in Azure.
 */
import * as pulumi from "@pulumi/pulumi";
import { AZURE_NATIVE_PLUGIN } from "./parameterizedPackage";
import { NRT_PACKAGE } from "./naming";

const AZURE_NATIVE_CONFIG_PREFIX = `${AZURE_NATIVE_PLUGIN}:`;

/** The stack's `azure-native:*` configuration, keyed without the namespace, as the default provider would receive it. */
export function azureNativeConfig(): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (key.startsWith(AZURE_NATIVE_CONFIG_PREFIX)) config[key.slice(AZURE_NATIVE_CONFIG_PREFIX.length)] = value;
  }
  return config;
}

/** Registers the NRT package with the engine; the SDK caches the reference per deployment. */
export function registerNrtPackage(): Promise<string> {
  return pulumi.runtime.registerPackage({
    baseProviderName: AZURE_NATIVE_PLUGIN,
    baseProviderVersion: NRT_PACKAGE.version,
    // azure-native's SDK sets no download URL: the plugin comes from Pulumi's registry.
    baseProviderDownloadUrl: "",
    packageName: NRT_PACKAGE.name,
    packageVersion: NRT_PACKAGE.version,
    base64Parameter: NRT_PACKAGE.base64Parameter,
  });
}

/** The NRT package's provider resource (what a generated SDK's `Provider` class is). */
class NrtPackageProvider extends pulumi.ProviderResource {
  constructor(name: string, inputs: pulumi.Inputs, packageRef: Promise<string>) {
    super(NRT_PACKAGE.name, name, inputs, {}, false, packageRef);
  }
}

/**
 * azure-native reads an explicit provider's settings from the engine's `variables`, keyed
 * `<package>:config:<key>`. Before pulumi-azure-native PR #4755 it stripped only the
 * `azure-native:config:` prefix, so a parameterized provider lost every setting and signed in
 * from the ARM_* variables instead (docs/azure-behaviours.md §3). Whether the pinned plugin has
 * the fix could not be verified from here, so the one case where the two readings would send NRT
 * rules to different subscriptions is refused: ARM_SUBSCRIPTION_ID set to another subscription
 * than azure-native:subscriptionId.
 */
export function checkSubscriptionAgreement(config: Record<string, string>, env: NodeJS.ProcessEnv): void {
  const configured = config["subscriptionId"];
  const fromEnv = env["ARM_SUBSCRIPTION_ID"];
  if (!configured || !fromEnv || configured.toLowerCase() === fromEnv.toLowerCase()) return;
  throw new Error(
    `azure-native:subscriptionId is ${configured} but ARM_SUBSCRIPTION_ID is ${fromEnv}: NRT rules go through a parameterized azure-native provider, and an azure-native plugin without pulumi-azure-native#4755 would sign that provider in from ARM_SUBSCRIPTION_ID, writing NRT rules to another subscription than the rest of the stack. Make them the same, or unset ARM_SUBSCRIPTION_ID (docs/azure-behaviours.md §3).`,
  );
}

/** Logical name of the provider resource in the stack. */
export const NRT_PROVIDER_NAME = `${NRT_PACKAGE.module}-${NRT_PACKAGE.apiVersion}`;

export interface NrtRegistration {
  packageRef: Promise<string>;
  provider: pulumi.ProviderResource;
}

/**
 * The package reference and the provider for NRT rules. Every config value is passed as a
 * secret: the stack may hold credentials under azure-native:* (clientSecret, oidcToken, ...),
 * and the provider's inputs are stored in the state.
 */
export function nrtRegistration(env: NodeJS.ProcessEnv = process.env): NrtRegistration {
  const config = azureNativeConfig();
  checkSubscriptionAgreement(config, env);
  const packageRef = registerNrtPackage();
  const inputs: pulumi.Inputs = {};
  for (const [key, value] of Object.entries(config)) inputs[key] = pulumi.secret(value);
  const provider = new NrtPackageProvider(NRT_PROVIDER_NAME, inputs, packageRef);
  return { packageRef, provider };
}
