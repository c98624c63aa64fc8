/**
 * The credential that signs ARM requests.
 *
 * `DefaultAzureCredential` tries, in order: environment variables (AZURE_TENANT_ID +
 * AZURE_CLIENT_ID + AZURE_CLIENT_SECRET or a certificate), workload identity
 * (AZURE_FEDERATED_TOKEN_FILE, as set up for AKS or a federated GitHub OIDC token file),
 * managed identity, then the developer tools (Azure CLI `az login`, which is also what the
 * azure/login GitHub Action signs in with, Azure Developer CLI, Azure PowerShell).
 * AZURE_TOKEN_CREDENTIALS narrows the chain (`prod`, `dev` or one credential's name).
 *
 * For an authority host that is not the cloud's own (the local stand-in), MSAL's instance
 * discovery must be off: MSAL asks login.microsoftonline.com whether the host is a known
 * authority, which it never is, and refuses it as untrusted. No environment variable switches
 * it off; it is the `disableInstanceDiscovery` option, set here whenever the host is custom.
 */
import type { TokenCredential } from "@azure/identity";
import { AzureAuthorityHosts, DefaultAzureCredential } from "@azure/identity";
import { checkUrl, resolveEndpoints, type AzureTarget } from "./target";
import { extraCaTrust } from "./trust";

export interface CredentialOptions {
  /** Use this credential as-is instead of DefaultAzureCredential. */
  credential?: TokenCredential;
  /** Trust this CA (PEM) for the token requests too; for the local stand-in. */
  caPem?: string;
}

const MICROSOFT_AUTHORITY_HOSTS = new Set(Object.values(AzureAuthorityHosts).map((h) => new URL(h).host.toLowerCase()));

/**
 * The authority host the credential will use: the target's, else AZURE_AUTHORITY_HOST (which
 * the credentials read themselves when no option is given), else the cloud's.
 */
export function effectiveAuthorityHost(target: AzureTarget, env: NodeJS.ProcessEnv = process.env): string {
  if (target.authorityHost) return resolveEndpoints(target).authorityHost;
  const fromEnv = env.AZURE_AUTHORITY_HOST?.trim();
  return fromEnv ? checkUrl(fromEnv, "AZURE_AUTHORITY_HOST") : resolveEndpoints(target).authorityHost;
}

export function createCredential(target: AzureTarget, options: CredentialOptions = {}): TokenCredential {
  if (options.credential) return options.credential;
  const authorityHost = effectiveAuthorityHost(target);
  const host = new URL(authorityHost).host.toLowerCase();
  return new DefaultAzureCredential({
    authorityHost,
    ...(MICROSOFT_AUTHORITY_HOSTS.has(host) ? {} : { disableInstanceDiscovery: true }),
    ...extraCaTrust(options.caPem),
  });
}
