/** Runs code with the AZURE_* variables a pipeline would set to sign in to the stand-in, then restores the environment. */
import type { StandIn } from "../../stand-in/src/standIn";

/** The variables EnvironmentCredential reads, for the stand-in's service principal. */
export function standInEnvironment(standIn: StandIn): Record<string, string> {
  return {
    AZURE_TENANT_ID: standIn.credentials.tenantId,
    AZURE_CLIENT_ID: standIn.credentials.clientId,
    AZURE_CLIENT_SECRET: standIn.credentials.clientSecret,
    AZURE_AUTHORITY_HOST: standIn.authorityHost,
    // Keep DefaultAzureCredential from probing managed identity, which is not on loopback.
    AZURE_TOKEN_CREDENTIALS: "EnvironmentCredential",
  };
}

export async function withStandInEnvironment<T>(standIn: StandIn, run: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  try {
    Object.assign(process.env, standInEnvironment(standIn));
    return await run();
  } finally {
    process.env = saved;
  }
}
