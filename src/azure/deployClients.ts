/**
 * The SDK clients the deploy's own writes use (functions, large watchlists),
 * built from a DeployConnection, and the one error those writes throw.
 *
 * The clients retry 408, 429 (following Retry-After) and 5xx, as the SDKs do
 * by default; AzureWriteError names the operation, the HTTP status and ARM's
 * error code and message, never the request (which holds the bearer token),
 * and its message is redacted.
 */
import { OperationalInsightsManagementClient } from "@azure/arm-operationalinsights";
import { SecurityInsights } from "@azure/arm-securityinsight";
import { isRestError } from "@azure/core-rest-pipeline";
import { API_VERSIONS } from "../sentinel/arm";
import type { DeployConnection } from "./deployConnection";
import { redactSecrets } from "./redact";
import { extraCaTrust } from "./trust";

export interface WriteClientOptions {
  /** Retries after the first attempt, for 408 / 429 / 5xx and connection errors. Default 6. */
  maxRetries?: number;
  /** First backoff without Retry-After, doubled per retry. Default 2,000 ms. */
  retryDelayMs?: number;
}

export interface DeployClients {
  /** Saved searches, at Log Analytics' newest stable api-version (same schema as azure-native's). */
  logAnalytics: OperationalInsightsManagementClient;
  /** Watchlists and their items, at the api-version the model follows. */
  sentinel: SecurityInsights;
}

/** The newest stable Log Analytics version; saved searches have the same schema since 2025-02-01. */
export const SAVED_SEARCH_WRITE_API_VERSION = "2025-07-01";

export function deployClients(connection: DeployConnection, options: WriteClientOptions = {}): DeployClients {
  const common = {
    retryOptions: { maxRetries: options.maxRetries ?? 6, retryDelayInMs: options.retryDelayMs ?? 2_000, maxRetryDelayInMs: 60_000 },
    userAgentOptions: { userAgentPrefix: "sentinel-iac" },
    ...extraCaTrust(connection.caPem),
  };
  return {
    logAnalytics: new OperationalInsightsManagementClient(connection.credential, connection.subscriptionId, {
      ...common,
      endpoint: connection.armEndpoint,
      credentials: { scopes: [connection.armScope] },
      apiVersion: SAVED_SEARCH_WRITE_API_VERSION,
    }),
    sentinel: new SecurityInsights(connection.credential, connection.subscriptionId, {
      ...common,
      endpoint: connection.armEndpoint,
      $host: connection.armEndpoint,
      credentialScopes: [connection.armScope],
      apiVersion: API_VERSIONS.securityInsights,
    }),
  };
}

export class AzureWriteError extends Error {
  override readonly name = "AzureWriteError";
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(redactSecrets(message));
  }
}

/** The HTTP status of an SDK error, or undefined for sign-in and network errors. */
export function statusOf(error: unknown): number | undefined {
  return isRestError(error) ? error.statusCode : undefined;
}

/** `operation failed: 409 Conflict: <ARM's message>`, from whatever the SDK threw. */
export function writeError(operation: string, error: unknown): AzureWriteError {
  if (error instanceof AzureWriteError) return error;
  if (isRestError(error)) {
    let code = error.code;
    let message = error.message;
    const details = error.details as { error?: { code?: unknown; message?: unknown } } | undefined;
    if (typeof details?.error?.code === "string") code = details.error.code;
    if (typeof details?.error?.message === "string") message = details.error.message;
    return new AzureWriteError(
      `${operation} failed: ${error.statusCode ?? "no response"}${code ? ` ${code}` : ""}: ${message}`,
      error.statusCode,
      code,
    );
  }
  const name = (error as { name?: unknown })?.name;
  const text = error instanceof Error ? error.message : String(error);
  return new AzureWriteError(`${operation} failed: ${typeof name === "string" ? `${name}: ` : ""}${text}`);
}
