/**
 * How the deploy's own Azure calls sign in: exactly as azure-native does, from
 * the same stack config and environment, so functions and large watchlists are
 * written by the same identity as every other resource of the stack.
 *
 * azure-native (provider/pkg/provider/auth_azidentity.go) reads each setting
 * from `azure-native:<key>` config, else an environment variable, and uses the
 * first method that is configured, in this order:
 *   1. useDefaultAzureCredential            (ARM_USE_DEFAULT_AZURE_CREDENTIAL)
 *   2. clientCertificatePath (+ password)   (ARM_CLIENT_CERTIFICATE_PATH / _PASSWORD)
 *   3. clientSecret                         (ARM_CLIENT_SECRET)
 *   4. useOidc: oidcToken, oidcTokenFilePath, or GitHub's request URL and token
 *      (ARM_USE_OIDC, ARM_OIDC_TOKEN, ARM_OIDC_TOKEN_FILE_PATH,
 *       ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN)
 *   5. useMsi                               (ARM_USE_MSI)
 *   6. the Azure CLI's signed-in account, whose subscription is the default
 * with clientId, tenantId, subscriptionId and environment (ARM_CLIENT_ID,
 * ARM_TENANT_ID, ARM_SUBSCRIPTION_ID, ARM_ENVIRONMENT / AZURE_ENVIRONMENT).
 * A configured method that cannot be used is an error, never a fall-through.
 *
 * Nothing here is stored: the dynamic providers call this when they start, so
 * no secret ends up in their serialized code or in the stack's state. Every
 * secret read here (client secret, certificate password, OIDC token, GitHub's
 * request token, the assertion an OIDC source hands out) and every token the
 * credential obtains is redacted by value from then on (redact.ts).
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import type { TokenCredential } from "@azure/identity";
import {
  AzureCliCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
} from "@azure/identity";
import forge from "node-forge";
import { guardedCredential } from "./guardedClients";
import { rememberSecret } from "./redact";
import { AZURE_CLOUDS, checkUrl, type AzureCloud } from "./target";
import { extraCaTrust } from "./trust";

/** `azure-native:<key>` from the stack's config, else the environment variable, else undefined. */
export type SettingLookup = (configKey: string, envName: string) => string | undefined;

export type SignInMethod = "defaultAzureCredential" | "clientCertificate" | "clientSecret" | "oidc" | "managedIdentity" | "azureCli";

export interface DeployConnection {
  credential: TokenCredential;
  method: SignInMethod;
  subscriptionId: string;
  cloud: AzureCloud;
  /** Resource Manager, without a trailing slash. */
  armEndpoint: string;
  /** `${audience}/.default` of the cloud's Resource Manager. */
  armScope: string;
  /** Trust this CA too (the local stand-in); undefined in production. */
  caPem?: string;
}

export class DeploySignInError extends Error {
  override readonly name = "DeploySignInError";
}

/** azure-native's cloud names (azure.GetCloudByName), case-insensitive. */
const CLOUD_NAMES: Record<string, AzureCloud> = {
  public: "AzureCloud",
  azurecloud: "AzureCloud",
  azurepubliccloud: "AzureCloud",
  usgovernment: "AzureUSGovernment",
  usgov: "AzureUSGovernment",
  azureusgovernment: "AzureUSGovernment",
  azureusgovernmentcloud: "AzureUSGovernment",
  china: "AzureChinaCloud",
  azurechinacloud: "AzureChinaCloud",
};

export interface ConnectionOptions {
  /** Endpoint overrides (the local stand-in, a private link); default the cloud's. */
  armEndpoint?: string;
  authorityHost?: string;
  caPem?: string;
  /** Runs `az account show` for the CLI's default subscription; replaceable in tests. */
  azAccountShow?: () => Promise<{ id: string; environmentName?: string }>;
}

const GITHUB_OIDC_AUDIENCE = "api://AzureADTokenExchange";

/** Settings that hold secrets, with their environment variables: each is redacted by value, configured or not used. */
const SECRET_SETTINGS: ReadonlyArray<[string, string]> = [
  ["clientSecret", "ARM_CLIENT_SECRET"],
  ["clientCertificatePassword", "ARM_CLIENT_CERTIFICATE_PASSWORD"],
  ["oidcToken", "ARM_OIDC_TOKEN"],
  ["oidcRequestToken", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"],
];

/** An assertion source whose every assertion is redacted by value (a federated token is a credential too). */
function remembered(assertion: () => Promise<string>): () => Promise<string> {
  return async () => {
    const value = await assertion();
    rememberSecret(value);
    return value;
  };
}

function required(value: string | undefined, what: string, method: string): string {
  if (value === undefined || value === "") {
    throw new DeploySignInError(`A ${what} must be configured when signing in ${method} (the same setting azure-native needs).`);
  }
  return value;
}

/** Reads a PFX (PKCS#12) file, as azure-native accepts it, into the PEM key and certificates @azure/identity takes. */
function pfxToPem(path: string, password: string | undefined): string {
  let der: string;
  try {
    der = readFileSync(path).toString("binary");
  } catch (error) {
    throw new DeploySignInError(
      `the client certificate ${path} could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  try {
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), password ?? "");
    const bags = (type: string): forge.pkcs12.Bag[] => p12.getBags({ bagType: type })[type] ?? [];
    const oids = forge.pki.oids as Record<string, string>;
    const keys = [...bags(oids["pkcs8ShroudedKeyBag"]!), ...bags(oids["keyBag"]!)];
    const certs = bags(oids["certBag"]!).flatMap((b) => (b.cert ? [b.cert] : []));
    const key = keys.find((b) => b.key)?.key;
    if (!key || certs.length === 0) throw new Error("it holds no private key or no certificate");
    return [forge.pki.privateKeyToPem(key), ...certs.map((c) => forge.pki.certificateToPem(c))].join("\n");
  } catch (error) {
    throw new DeploySignInError(`the client certificate ${path} is not a PFX file this password opens: ${(error as Error).message}`);
  }
}

/** GitHub Actions' OIDC token for Entra ID, fetched as azure-native does (getOidcTokenExchangeAssertion). */
function githubAssertion(requestUrl: string, requestToken: string, audience: string): () => Promise<string> {
  return async () => {
    const url = new URL(checkUrl(requestUrl, "the OIDC request URL"));
    url.searchParams.set("audience", audience);
    const response = await fetch(url, {
      headers: { Accept: "application/json", Authorization: `Bearer ${requestToken}` },
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw new DeploySignInError(`GitHub's OIDC token endpoint answered ${response.status}`);
    const body = (await response.json()) as { value?: unknown };
    if (typeof body.value !== "string") throw new DeploySignInError("GitHub's OIDC token endpoint returned no token");
    return body.value;
  };
}

function defaultAzAccountShow(): Promise<{ id: string; environmentName?: string }> {
  return new Promise((resolve, reject) => {
    execFile("az", ["account", "show", "--output", "json"], { timeout: 60_000, windowsHide: true }, (error, stdout) => {
      if (error) {
        reject(
          new DeploySignInError(
            "no subscription is configured and `az account show` failed; run `az login`, or set azure-native:subscriptionId",
          ),
        );
        return;
      }
      try {
        const account = JSON.parse(stdout) as { id?: unknown; environmentName?: unknown };
        if (typeof account.id !== "string") throw new Error("no id");
        resolve({ id: account.id, ...(typeof account.environmentName === "string" ? { environmentName: account.environmentName } : {}) });
      } catch {
        reject(new DeploySignInError("`az account show` printed no subscription id"));
      }
    });
  });
}

/** The connection azure-native would use with these settings. */
export async function deployConnection(get: SettingLookup, options: ConnectionOptions = {}): Promise<DeployConnection> {
  // Before anything can fail: a secret of a method that is not used can still be echoed back.
  for (const [key, envName] of SECRET_SETTINGS) rememberSecret(get(key, envName));
  const environment = get("environment", "ARM_ENVIRONMENT") ?? get("environment", "AZURE_ENVIRONMENT");
  let cloud: AzureCloud = "AzureCloud";
  if (environment) {
    const known = CLOUD_NAMES[environment.toLowerCase()];
    if (!known)
      throw new DeploySignInError(
        `azure-native:environment '${environment}' is not a cloud this project knows (public, usgovernment, china)`,
      );
    cloud = known;
  }
  const endpoints = AZURE_CLOUDS[cloud];
  const authorityHost = options.authorityHost ? checkUrl(options.authorityHost, "authorityHost") : endpoints.authorityHost;
  const armEndpoint = options.armEndpoint ? checkUrl(options.armEndpoint, "armEndpoint") : endpoints.armEndpoint;
  const clientOptions = {
    authorityHost,
    // MSAL refuses an authority it cannot look up; only Microsoft's are known to it.
    ...(options.authorityHost ? { disableInstanceDiscovery: true } : {}),
    ...extraCaTrust(options.caPem),
  };
  const clientId = get("clientId", "ARM_CLIENT_ID");
  const tenantId = get("tenantId", "ARM_TENANT_ID");
  let subscriptionId = get("subscriptionId", "ARM_SUBSCRIPTION_ID");
  const flag = (key: string, env: string) => get(key, env) === "true";

  let credential: TokenCredential;
  let method: SignInMethod;
  if (flag("useDefaultAzureCredential", "ARM_USE_DEFAULT_AZURE_CREDENTIAL")) {
    method = "defaultAzureCredential";
    required(subscriptionId, "subscription id", "with DefaultAzureCredential");
    credential = new DefaultAzureCredential({ ...clientOptions, ...(tenantId ? { tenantId } : {}) });
  } else if (get("clientCertificatePath", "ARM_CLIENT_CERTIFICATE_PATH")) {
    method = "clientCertificate";
    const how = "as a service principal with a client certificate";
    required(subscriptionId, "subscription id", how);
    const pem = pfxToPem(
      get("clientCertificatePath", "ARM_CLIENT_CERTIFICATE_PATH")!,
      get("clientCertificatePassword", "ARM_CLIENT_CERTIFICATE_PASSWORD"),
    );
    credential = new ClientCertificateCredential(
      required(tenantId, "tenant id", how),
      required(clientId, "client id", how),
      { certificate: pem },
      clientOptions,
    );
  } else if (get("clientSecret", "ARM_CLIENT_SECRET")) {
    method = "clientSecret";
    const how = "as a service principal with a client secret";
    required(subscriptionId, "subscription id", how);
    credential = new ClientSecretCredential(
      required(tenantId, "tenant id", how),
      required(clientId, "client id", how),
      get("clientSecret", "ARM_CLIENT_SECRET")!,
      clientOptions,
    );
  } else if (flag("useOidc", "ARM_USE_OIDC")) {
    method = "oidc";
    const how = "with OIDC";
    required(subscriptionId, "subscription id", how);
    const token = get("oidcToken", "ARM_OIDC_TOKEN");
    const tokenFile = get("oidcTokenFilePath", "ARM_OIDC_TOKEN_FILE_PATH");
    const requestUrl = get("oidcRequestUrl", "ACTIONS_ID_TOKEN_REQUEST_URL");
    const requestToken = get("oidcRequestToken", "ACTIONS_ID_TOKEN_REQUEST_TOKEN");
    let assertion: () => Promise<string>;
    if (token) assertion = () => Promise.resolve(token);
    else if (tokenFile) assertion = () => Promise.resolve(readFileSync(tokenFile, "utf8").trim());
    else if (requestUrl && requestToken)
      assertion = githubAssertion(requestUrl, requestToken, get("oidcAudience", "ARM_OIDC_AUDIENCE") ?? GITHUB_OIDC_AUDIENCE);
    else throw new DeploySignInError("An OIDC token, token file, or request URL and token must be configured when signing in with OIDC.");
    credential = new ClientAssertionCredential(
      required(tenantId, "tenant id", how),
      required(clientId, "client id", how),
      remembered(assertion),
      clientOptions,
    );
  } else if (flag("useMsi", "ARM_USE_MSI")) {
    method = "managedIdentity";
    required(subscriptionId, "subscription id", "as a managed identity");
    credential = clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
  } else {
    method = "azureCli";
    credential = new AzureCliCredential({ ...(tenantId ? { tenantId } : {}) });
    // As azure-native does, the CLI's active subscription is the default.
    if (!subscriptionId) subscriptionId = (await (options.azAccountShow ?? defaultAzAccountShow)()).id;
  }
  return {
    // Every token it hands out is remembered, so no error or log of the deploy can print one.
    credential: guardedCredential(credential),
    method,
    subscriptionId: subscriptionId!,
    cloud,
    armEndpoint,
    armScope: `${endpoints.armAudience}/.default`,
    ...(options.caPem ? { caPem: options.caPem } : {}),
  };
}
