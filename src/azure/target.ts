/**
 * Which workspace to read, and the endpoints of the cloud it lives in.
 *
 * The SDK clients default to the public cloud's ARM endpoint *and* token scope
 * (`https://management.azure.com/.default`), whatever endpoint they are given, so the scope
 * must be passed explicitly for the sovereign clouds; `resolveEndpoints` gives all three.
 */
import { AzureAuthorityHosts } from "@azure/identity";
import { EndpointError } from "./endpointError";

export type AzureCloud = "AzureCloud" | "AzureUSGovernment" | "AzureChinaCloud";

export interface AzureTarget {
  subscriptionId: string;
  resourceGroupName: string;
  workspaceName: string;
  /** Default AzureCloud. */
  cloud?: AzureCloud;
  /** Overrides the cloud's ARM endpoint, e.g. the local stand-in's. */
  armEndpoint?: string;
  /** Overrides the cloud's Entra ID authority host, e.g. the local stand-in's. */
  authorityHost?: string;
}

export interface CloudEndpoints {
  /** Resource Manager, without a trailing slash. */
  armEndpoint: string;
  /** Entra ID authority host, without a trailing slash. */
  authorityHost: string;
  /** The token audience for ARM; the scope to request is `${audience}/.default`. */
  armAudience: string;
}

export const AZURE_CLOUDS: Readonly<Record<AzureCloud, CloudEndpoints>> = {
  AzureCloud: {
    armEndpoint: "https://management.azure.com",
    authorityHost: AzureAuthorityHosts.AzurePublicCloud,
    armAudience: "https://management.azure.com",
  },
  AzureUSGovernment: {
    armEndpoint: "https://management.usgovcloudapi.net",
    authorityHost: AzureAuthorityHosts.AzureGovernment,
    armAudience: "https://management.usgovcloudapi.net",
  },
  AzureChinaCloud: {
    armEndpoint: "https://management.chinacloudapi.cn",
    authorityHost: AzureAuthorityHosts.AzureChina,
    armAudience: "https://management.chinacloudapi.cn",
  },
};

export interface ResolvedEndpoints extends CloudEndpoints {
  cloud: AzureCloud;
  /** `${armAudience}/.default` */
  armScope: string;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

export { EndpointError };

/** An endpoint URL: https, and without credentials in it (they would end up in messages). */
export function checkUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EndpointError(`${field} '${value}' is not a URL; give an https URL such as https://management.azure.com`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new EndpointError(
      `${field} must not contain a user name or password; sign in through the credential (az login, AZURE_CLIENT_SECRET, ...) instead`,
    );
  }
  if (url.protocol !== "https:")
    throw new EndpointError(`${field} '${value}' must use https: the Azure SDK sends bearer tokens only over TLS`);
  return trimSlash(value);
}

/** The target's endpoints: the cloud's, with explicit armEndpoint / authorityHost taking precedence. */
export function resolveEndpoints(target: AzureTarget): ResolvedEndpoints {
  const cloud = target.cloud ?? "AzureCloud";
  const known = AZURE_CLOUDS[cloud];
  if (!known) throw new EndpointError(`cloud '${String(cloud)}' is not known; use one of ${Object.keys(AZURE_CLOUDS).join(", ")}`);
  return {
    cloud,
    armEndpoint: target.armEndpoint ? checkUrl(target.armEndpoint, "armEndpoint") : known.armEndpoint,
    authorityHost: target.authorityHost ? checkUrl(target.authorityHost, "authorityHost") : known.authorityHost,
    // A custom ARM endpoint (the stand-in) still takes tokens for the cloud's ARM audience.
    armAudience: known.armAudience,
    armScope: `${known.armAudience}/.default`,
  };
}

/** `'ws' (resource group 'rg', subscription 'sub')`, for messages. */
export function describeTarget(target: AzureTarget): string {
  return `workspace '${target.workspaceName}' (resource group '${target.resourceGroupName}', subscription '${target.subscriptionId}')`;
}
