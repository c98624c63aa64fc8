/**
 * The one place Azure SDK clients are built, for reads (`diff`, `export`, `plan`, `schemas
 * pull`) and for the deploy's own writes (functions, large watchlists) alike. Every client gets
 * the same defences against a hostile or broken server (docs/security.md):
 *
 * - every request and every attempt only to the Resource Manager endpoint's origin, so the
 *   bearer token never goes anywhere else (pipeline.ts);
 * - a list read under a recording (`recordRead`) follows each link once, stops on a page that
 *   repeats resources, and stops at `maxPages`;
 * - each attempt bounded by `timeoutMs`, body included;
 * - a Retry-After longer than `maxRetryAfterMs`, or past `maxTotalRetryWaitMs` for the budget
 *   (one command, or one provider process), ends the call instead of stalling it;
 * - the credential remembers every token it hands out, and the SDK's log is redacted, so no
 *   token is printed by value, whatever its shape (redact.ts);
 * - the extra CA of a stand-in is added to Node's roots, never replacing them.
 *
 * test/architecture/azureClients.test.ts checks that every `new` of an Azure SDK client in
 * src/ passes `guardedClientOptions(...)` and a `guardedCredential(...)`.
 */
import { OperationalInsightsManagementClient } from "@azure/arm-operationalinsights";
import { SecurityInsights } from "@azure/arm-securityinsight";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";
import { attemptPolicy, pagingGuardPolicy, rawCapturePolicy, retryWatchPolicy, type RetryWait, type RetryWaitBudget } from "./pipeline";
import { READ_LIMITS } from "./readGuard";
import { redactAzureLogs, rememberingTokens } from "./redact";
import { extraCaTrust } from "./trust";

/** What bounds one client's calls; documented in docs/live.md and docs/security.md. */
export interface GuardLimits {
  /** Per attempt, response body included. */
  timeoutMs: number;
  /** Retries after the first attempt, for 408 / 429 / 5xx, timeouts and connection errors. */
  maxRetries: number;
  /** First backoff for errors without Retry-After; it doubles per retry, with jitter. */
  retryDelayMs: number;
  /** Longest backoff between two attempts without a Retry-After header. */
  maxRetryDelayMs: number;
  /** Longest single wait a Retry-After header may ask for. */
  maxRetryAfterMs: number;
  /** Longest total of Retry-After waits in one budget. */
  maxTotalRetryWaitMs: number;
  /** Most pages one list is read to. */
  maxPages: number;
}

/** The commands that read a workspace. */
export const READ_CLIENT_LIMITS: Readonly<GuardLimits> = {
  timeoutMs: 30_000,
  maxRetries: 4,
  retryDelayMs: 1_000,
  maxRetryDelayMs: 30_000,
  ...READ_LIMITS,
};

/**
 * The deploy's own writes, during `pulumi up`. An attempt may carry a 3.8 MB watchlist upload,
 * so it gets longer than a read's; writes are retried a little more, since a deploy that stops
 * halfway costs more than a read that stops. The Retry-After total is per provider process,
 * that is per `pulumi up`: 10 minutes of waits, then the deploy fails with the reason.
 */
export const DEPLOY_CLIENT_LIMITS: Readonly<GuardLimits> = {
  timeoutMs: 120_000,
  maxRetries: 6,
  retryDelayMs: 2_000,
  maxRetryDelayMs: 60_000,
  maxRetryAfterMs: READ_LIMITS.maxRetryAfterMs,
  maxTotalRetryWaitMs: 600_000,
  maxPages: READ_LIMITS.maxPages,
};

/** A fresh Retry-After budget for these limits. */
export function retryBudget(limits: GuardLimits): RetryWaitBudget {
  return { maxWaitMs: limits.maxRetryAfterMs, maxTotalMs: limits.maxTotalRetryWaitMs, spentMs: 0 };
}

export interface GuardOptions {
  limits: GuardLimits;
  /** Shared by the clients of one command, or of one provider process. */
  budget: RetryWaitBudget;
  /** Keep each final response's raw body in the read's recording (the reader parses it). */
  captureRaw?: boolean;
  /** Told about each retry before its wait, for progress reports. */
  onRetryWait?: (wait: RetryWait) => void;
}

/** The client options every Azure SDK client of this project is built with. */
export function guardedClientOptions(
  armEndpoint: string,
  caPem: string | undefined,
  guard: GuardOptions,
): {
  additionalPolicies: { policy: PipelinePolicy; position: "perCall" | "perRetry" }[];
  retryOptions: { maxRetries: number; retryDelayInMs: number; maxRetryDelayInMs: number };
  userAgentOptions: { userAgentPrefix: string };
  tlsOptions?: ReturnType<typeof extraCaTrust>["tlsOptions"];
} {
  const { limits } = guard;
  const armOrigin = new URL(armEndpoint).origin;
  const onWait = guard.onRetryWait;
  return {
    additionalPolicies: [
      ...(guard.captureRaw ? [{ policy: rawCapturePolicy, position: "perCall" as const }] : []),
      { policy: pagingGuardPolicy(armOrigin, limits.maxPages), position: "perCall" },
      ...(onWait ? [{ policy: retryWatchPolicy({ ...limits, onWait }), position: "perRetry" as const }] : []),
      { policy: attemptPolicy(limits.timeoutMs, armOrigin, limits.maxRetries, guard.budget), position: "perRetry" },
    ],
    retryOptions: { maxRetries: limits.maxRetries, retryDelayInMs: limits.retryDelayMs, maxRetryDelayInMs: limits.maxRetryDelayMs },
    userAgentOptions: { userAgentPrefix: "sentinel-iac" },
    ...extraCaTrust(caPem),
  };
}

/** The credential every client signs with: each token it hands out is redacted by value, and so is the SDK's log. */
export function guardedCredential(credential: TokenCredential): TokenCredential {
  redactAzureLogs();
  return rememberingTokens(credential);
}

/** Where clients go, and who they are. */
export interface ClientTarget {
  credential: TokenCredential;
  subscriptionId: string;
  /** Resource Manager, without a trailing slash. */
  armEndpoint: string;
  /** `${audience}/.default` of that Resource Manager. */
  armScope: string;
  caPem?: string;
}

/** Microsoft.SecurityInsights at one api-version: the package applies its apiVersion to every request. */
export function sentinelClient(target: ClientTarget, apiVersion: string, guard: GuardOptions): SecurityInsights {
  return new SecurityInsights(guardedCredential(target.credential), target.subscriptionId, {
    ...guardedClientOptions(target.armEndpoint, target.caPem, guard),
    endpoint: target.armEndpoint,
    $host: target.armEndpoint,
    // Without this the client asks for `${endpoint}/.default`, which is wrong for a stand-in or proxy.
    credentialScopes: [target.armScope],
    apiVersion,
  });
}

/** Microsoft.OperationalInsights (saved searches, tables) at one api-version. */
export function logAnalyticsClient(target: ClientTarget, apiVersion: string, guard: GuardOptions): OperationalInsightsManagementClient {
  return new OperationalInsightsManagementClient(guardedCredential(target.credential), target.subscriptionId, {
    ...guardedClientOptions(target.armEndpoint, target.caPem, guard),
    endpoint: target.armEndpoint,
    // This client always asks for the public cloud's scope unless told otherwise.
    credentials: { scopes: [target.armScope] },
    apiVersion,
  });
}
