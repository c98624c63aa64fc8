/**
 * The SDK clients the deploy's own writes use (functions, large watchlists),
 * built from a DeployConnection with the same guards as every reader
 * (guardedClients.ts), and the one error those writes throw.
 *
 * The clients retry 408, 429 and 5xx, honouring Retry-After within the caps of
 * DEPLOY_CLIENT_LIMITS; the Retry-After total is shared by every client of the
 * provider process, that is one `pulumi up`. AzureWriteError names the
 * operation, the HTTP status and ARM's error code and message, never the
 * request (which holds the bearer token), and its message is redacted.
 */
import type { OperationalInsightsManagementClient } from "@azure/arm-operationalinsights";
import type { SecurityInsights } from "@azure/arm-securityinsight";
import { isRestError } from "@azure/core-rest-pipeline";
import { API_VERSIONS } from "../sentinel/arm";
import type { DeployConnection } from "./deployConnection";
import { DEPLOY_CLIENT_LIMITS, logAnalyticsClient, retryBudget, sentinelClient, type GuardLimits } from "./guardedClients";
import type { RetryWaitBudget } from "./pipeline";
import { ReadGuardError } from "./readGuard";
import { redactSecrets } from "./redact";

export interface WriteClientOptions {
  /** Limits other than DEPLOY_CLIENT_LIMITS (tests make them short). */
  limits?: Partial<GuardLimits>;
  /** The Retry-After budget; default the provider process's one. */
  budget?: RetryWaitBudget;
}

export interface DeployClients {
  /** Saved searches, at Log Analytics' newest stable api-version (same schema as azure-native's). */
  logAnalytics: OperationalInsightsManagementClient;
  /** Watchlists and their items, at the api-version the model follows. */
  sentinel: SecurityInsights;
}

/** The newest stable Log Analytics version; saved searches have the same schema since 2025-02-01. */
export const SAVED_SEARCH_WRITE_API_VERSION = "2025-07-01";

/** One Retry-After budget for every write of this process: the provider process lives for one `pulumi up`. */
const processBudget = retryBudget(DEPLOY_CLIENT_LIMITS);

export function deployClients(connection: DeployConnection, options: WriteClientOptions = {}): DeployClients {
  const limits = { ...DEPLOY_CLIENT_LIMITS, ...options.limits };
  const guard = { limits, budget: options.budget ?? (options.limits ? retryBudget(limits) : processBudget) };
  return {
    logAnalytics: logAnalyticsClient(connection, SAVED_SEARCH_WRITE_API_VERSION, guard),
    sentinel: sentinelClient(connection, API_VERSIONS.securityInsights, guard),
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
  // What the guards refused to do for the server (guardedClients.ts): it says why itself.
  if (error instanceof ReadGuardError)
    return new AzureWriteError(`${operation} failed: ${error.message}; nothing more was sent`, undefined, error.refusal);
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
