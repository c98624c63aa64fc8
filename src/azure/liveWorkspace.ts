/**
 * Reads what a Sentinel workspace holds now, read-only, with the real SDK clients:
 * `@azure/arm-securityinsight` for alert rules, watchlists and their items, and
 * `@azure/arm-operationalinsights` for saved searches and tables.
 *
 * The SDKs do the sign-in, paging, retries and endpoints; the resources returned are the raw
 * JSON Azure sent (see pipeline.ts), because the SDK models drop fields. Watchlists are read
 * with api-version 2024-09-01 and alert rules with 2025-04-01-preview, the versions this
 * project deploys them with; the Sentinel package would otherwise send its own
 * 2022-09-01-preview, which lacks alertDynamicProperties (docs/azure-behaviours.md).
 *
 * A read either returns everything or throws an AzureReadError: never a partial result.
 */
import type { OperationalInsightsManagementClient } from "@azure/arm-operationalinsights";
import type { SecurityInsights } from "@azure/arm-securityinsight";
import type { TokenCredential } from "@azure/identity";
import { API_VERSIONS } from "../sentinel/arm";
import { createCredential, effectiveAuthorityHost } from "./credential";
import { NO_PROGRESS, type ProgressReporter } from "../util/progress";
import {
  guardedCredential,
  logAnalyticsClient,
  READ_CLIENT_LIMITS,
  retryBudget,
  sentinelClient,
  type ClientTarget,
  type GuardLimits,
  type GuardOptions,
} from "./guardedClients";
import { recordRead, type CapturedResponse, type RetryWait } from "./pipeline";
import { AzureReadError, malformedBody, tlsReadError, toAzureReadError, type FailureContext } from "./readError";
import { describeTlsFailure, probeTls } from "./tlsFailure";
import { describeTarget, resolveEndpoints, type AzureTarget } from "./target";

export interface LiveResource {
  id: string;
  name: string;
  type: string;
  kind?: string;
  etag?: string;
  /** Exactly what Azure returned under `properties`. */
  properties: Record<string, unknown>;
}

export interface LiveWatchlist extends LiveResource {
  items: LiveResource[];
}

export interface LiveWorkspace {
  alertRules: LiveResource[];
  watchlists: LiveWatchlist[];
  savedSearches: LiveResource[];
}

export interface LiveReadOptions {
  /** Default: DefaultAzureCredential for the target's authority host (see credential.ts). */
  credential?: TokenCredential;
  /** Trust this CA (PEM) in-process, in addition to Node's roots: for the local stand-in. */
  caPem?: string;
  /** Per attempt, response body included. Default 30,000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt, for 408 / 429 / 5xx, timeouts and connection errors. Default 4. */
  maxRetries?: number;
  /** First backoff for errors without Retry-After; it doubles per retry, with jitter. Default 1,000 ms. */
  retryDelayMs?: number;
  /** Longest backoff between two attempts without a Retry-After header. Default 30,000 ms. */
  maxRetryDelayMs?: number;
  /** Longest single wait a Retry-After header may ask for; a longer one ends the read. Default 60,000 ms. */
  maxRetryAfterMs?: number;
  /** Longest total of Retry-After waits in one command. Default 180,000 ms. */
  maxTotalRetryWaitMs?: number;
  /** Most pages one list is read to. Default 5,000. */
  maxPages?: number;
  /** Told the phase (signing in, reading), how many resources were read, and each retry's wait. */
  progress?: ProgressReporter;
}

/** The api-version this project deploys Scheduled rules and watchlists with. */
export const SECURITY_INSIGHTS_API_VERSION = API_VERSIONS.securityInsights;
/**
 * Alert rules are listed with the preview version NRT rules deploy with: it returns every
 * field of Scheduled rules plus NRT's subTechniques and sentinelEntitiesMappings, which
 * the stable version leaves out (and would show as drift). Bump it with API_VERSIONS.
 */
export const ALERT_RULES_API_VERSION = API_VERSIONS.securityInsightsNrt;
/** The newest stable Log Analytics version; saved searches have the same schema since 2025-02-01. */
export const OPERATIONAL_INSIGHTS_API_VERSION = "2025-07-01";

const DEFAULTS: GuardLimits = { ...READ_CLIENT_LIMITS };
/** Watchlists whose items are read at the same time. */
const ITEM_READ_CONCURRENCY = 4;

interface Clients {
  credential: TokenCredential;
  /** `${armAudience}/.default` */
  scope: string;
  /** Watchlists and items, at SECURITY_INSIGHTS_API_VERSION. */
  sentinel: SecurityInsights;
  /** Alert rules, at ALERT_RULES_API_VERSION. */
  alertRules: SecurityInsights;
  logAnalytics: OperationalInsightsManagementClient;
  context: Omit<FailureContext, "operation">;
  /** Where the credential signs in, and the extra CA the clients trust: to diagnose a failed sign-in. */
  authorityHost: string;
  caPem?: string;
  /** Set when any part of the read failed, so no new part starts. */
  failed: boolean;
  progress: ProgressReporter;
  /** Resources read so far, across the concurrent lists. */
  read: number;
}

/** "throttled by Azure (429), retrying in 20 s (2/5)" */
export function describeRetryWait(wait: RetryWait): string {
  const seconds = Math.max(1, Math.round(wait.waitMs / 1000));
  const when = wait.exact ? `in ${seconds} s` : `in up to ${seconds} s`;
  const why =
    wait.reason === "throttled"
      ? `throttled by Azure (${wait.cause})`
      : wait.reason === "status"
        ? `Azure answered ${wait.cause}`
        : `the connection failed (${wait.cause})`;
  return `${why}, retrying ${when} (${wait.attempt}/${wait.maxAttempts})`;
}

function createClients(target: AzureTarget, options: LiveReadOptions): Clients {
  const endpoints = resolveEndpoints(target);
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = settings[key];
    const whole = key === "maxRetries" || key === "maxPages";
    const positive = key === "timeoutMs" || key === "maxPages";
    if (!Number.isFinite(value) || value < 0 || (positive && value === 0) || (whole && !Number.isInteger(value))) {
      throw new Error(
        `${key} must be ${whole ? `a whole number ${positive ? "> 0" : ">= 0"}` : positive ? "a number > 0" : "a number >= 0"}, not ${String(value)}`,
      );
    }
  }
  // Every token it hands out is remembered, so no message or log can print one (redact.ts).
  const credential = guardedCredential(
    createCredential(target, {
      ...(options.credential ? { credential: options.credential } : {}),
      ...(options.caPem ? { caPem: options.caPem } : {}),
    }),
  );
  const progress = options.progress ?? NO_PROGRESS;
  const guard: GuardOptions = {
    limits: settings,
    // One budget for the command's clients: the total cap is per command.
    budget: retryBudget(settings),
    captureRaw: true,
    ...(options.progress ? { onRetryWait: (wait: RetryWait) => progress.wait(describeRetryWait(wait)) } : {}),
  };
  const clientTarget: ClientTarget = {
    credential,
    subscriptionId: target.subscriptionId,
    armEndpoint: endpoints.armEndpoint,
    armScope: endpoints.armScope,
    ...(options.caPem ? { caPem: options.caPem } : {}),
  };
  return {
    credential,
    scope: endpoints.armScope,
    sentinel: sentinelClient(clientTarget, SECURITY_INSIGHTS_API_VERSION, guard),
    alertRules: sentinelClient(clientTarget, ALERT_RULES_API_VERSION, guard),
    logAnalytics: logAnalyticsClient(clientTarget, OPERATIONAL_INSIGHTS_API_VERSION, guard),
    context: { armEndpoint: endpoints.armEndpoint, timeoutMs: settings.timeoutMs, maxRetries: settings.maxRetries },
    authorityHost: effectiveAuthorityHost(target),
    ...(options.caPem ? { caPem: options.caPem } : {}),
    failed: false,
    progress,
    read: 0,
  };
}

function definedOnly(options: LiveReadOptions): Partial<typeof DEFAULTS> {
  const result: Partial<typeof DEFAULTS> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = options[key];
    if (value !== undefined) result[key] = value;
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One raw ARM resource, checked for the fields every ARM resource has. */
function toLiveResource(raw: unknown, ctx: FailureContext, status: number, attempts: number): LiveResource {
  const bad = (why: string) => malformedBody(ctx, status, attempts, `has a resource that ${why}`);
  // e.g. "has a resource that lacks its id, name or type"
  if (!isObject(raw)) throw bad("is not a JSON object");
  const { id, name, type, kind, etag, properties } = raw;
  if (typeof id !== "string" || typeof name !== "string" || typeof type !== "string") throw bad("lacks its id, name or type");
  if (properties !== undefined && !isObject(properties)) throw bad(`('${name}') has properties that are not an object`);
  return {
    id,
    name,
    type,
    ...(typeof kind === "string" ? { kind } : {}),
    ...(typeof etag === "string" ? { etag } : {}),
    properties: properties ?? {},
  };
}

/** The resources in captured list pages, in order. */
function resourcesOf(responses: readonly CapturedResponse[], ctx: FailureContext, attempts: number, paged: boolean): LiveResource[] {
  const resources: LiveResource[] = [];
  for (const response of responses) {
    let body: unknown;
    try {
      body = JSON.parse(response.bodyText ?? "");
    } catch {
      throw malformedBody(ctx, response.status, attempts);
    }
    if (!isObject(body) || !Array.isArray(body.value)) throw malformedBody(ctx, response.status, attempts, "has no 'value' array");
    if (!paged && typeof body.nextLink === "string" && body.nextLink !== "") {
      throw malformedBody(
        ctx,
        response.status,
        attempts,
        "is paged (it has a nextLink), which this API never was; the SDK would silently drop the later pages",
      );
    }
    for (const raw of body.value) resources.push(toLiveResource(raw, ctx, response.status, attempts));
  }
  return resources;
}

/**
 * Runs one list through the SDK and returns the raw resources Azure sent for it. `list` must
 * drive the SDK through every page and return how many items the SDK saw, which must match.
 */
async function readList(operation: string, clients: Clients, paged: boolean, list: () => Promise<number>): Promise<LiveResource[]> {
  const ctx: FailureContext = { ...clients.context, operation };
  const { result: sdkCount, error, recording } = await recordRead(list);
  if (error !== undefined || sdkCount === undefined) throw toAzureReadError(error, recording, ctx);
  const resources = resourcesOf(recording.responses, ctx, recording.attempts, paged);
  if (resources.length !== sdkCount) {
    // Our pages and the SDK's disagree: some response was not captured. Refuse rather than guess.
    throw new AzureReadError(
      `${operation} failed: the SDK read ${sdkCount} resources but ${resources.length} were captured. This is a bug in sentinel-iac's reader; report it.`,
      { operation, kind: "unexpected", attempts: recording.attempts },
    );
  }
  return resources;
}

async function count(clients: Clients, iterable: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of iterable) {
    n += 1;
    clients.progress.advance(++clients.read);
  }
  return n;
}

/**
 * Awaits every read, even after one failed, and then throws the first failure. Reads in flight
 * are not cancelled: an aborted request may still reach Azure after the call returned, and
 * reads finish quickly anyway. Work not yet started is skipped once anything failed.
 */
async function allOrNothing<T>(clients: Clients, reads: readonly (() => Promise<T>)[]): Promise<T[]> {
  const settled = await Promise.allSettled(
    reads.map((read) =>
      read().catch((error: unknown) => {
        clients.failed = true;
        throw error;
      }),
    ),
  );
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) throw failure.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** Maps with at most `limit` reads pending; all or nothing, like allOrNothing. */
async function mapLimited<T, R>(clients: Clients, items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !clients.failed) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await allOrNothing(
    clients,
    Array.from({ length: Math.min(limit, items.length) }, () => worker),
  );
  return results;
}

function readAlertRules(target: AzureTarget, clients: Clients): Promise<LiveResource[]> {
  return readList(`Listing the alert rules of ${describeTarget(target)}`, clients, true, () =>
    count(clients, clients.alertRules.alertRules.list(target.resourceGroupName, target.workspaceName)),
  );
}

async function readWatchlists(target: AzureTarget, clients: Clients): Promise<LiveWatchlist[]> {
  const watchlists = await readList(`Listing the watchlists of ${describeTarget(target)}`, clients, true, () =>
    count(clients, clients.sentinel.watchlists.list(target.resourceGroupName, target.workspaceName)),
  );
  return mapLimited(clients, watchlists, ITEM_READ_CONCURRENCY, async (watchlist) => {
    const items = await readList(`Listing the items of watchlist '${watchlist.name}' in ${describeTarget(target)}`, clients, true, () =>
      count(clients, clients.sentinel.watchlistItems.list(target.resourceGroupName, target.workspaceName, watchlist.name)),
    );
    return { ...watchlist, items };
  });
}

function readSavedSearches(target: AzureTarget, clients: Clients): Promise<LiveResource[]> {
  return readList(`Listing the saved searches of ${describeTarget(target)}`, clients, false, async () => {
    const result = await clients.logAnalytics.savedSearches.listByWorkspace(target.resourceGroupName, target.workspaceName);
    clients.read += result.value?.length ?? 0;
    clients.progress.advance(clients.read);
    return result.value?.length ?? 0;
  });
}

/**
 * Gets the first token before the reads start: the clients would otherwise each sign in at
 * once, and a sign-in failure is reported once, as what it is.
 */
async function signIn(target: AzureTarget, clients: Clients): Promise<void> {
  const operation = `Reading ${describeTarget(target)}`;
  clients.progress.phase(`Signing in to Entra ID (${new URL(clients.authorityHost).host})`);
  const ctx: FailureContext = { ...clients.context, operation };
  // The credential retries on its own; this bounds the whole sign-in like the reads.
  const budgetMs = clients.context.timeoutMs * (clients.context.maxRetries + 1);
  const abortSignal = AbortSignal.timeout(budgetMs);
  const { result, error, recording } = await recordRead(() => clients.credential.getToken(clients.scope, { abortSignal }));
  if (abortSignal.aborted) {
    throw new AzureReadError(
      `${operation} failed: signing in to Entra ID got no answer within ${budgetMs} ms. Check the network path to the authority host, or raise the timeout.`,
      {
        operation,
        kind: "timeout",
      },
    );
  }
  if (error !== undefined) {
    // The credential reports a certificate it cannot verify as a generic sign-in failure; look for one first.
    const code = await probeTls(clients.authorityHost, clients.caPem, Math.min(clients.context.timeoutMs, 10_000));
    const tls = describeTlsFailure(code, clients.authorityHost);
    if (code && tls) throw tlsReadError(operation, `signing in to Entra ID at ${clients.authorityHost} is not possible: ${tls}`, code);
    throw toAzureReadError(error, recording, ctx);
  }
  if (!result?.token) {
    throw new AzureReadError(`${operation} failed: the credential returned no token. Check the credential's configuration.`, {
      operation,
      kind: "auth",
    });
  }
}

/** Alert rules, watchlists with their items, and saved searches (hunting queries and functions). */
export async function readLiveWorkspace(target: AzureTarget, options: LiveReadOptions = {}): Promise<LiveWorkspace> {
  const clients = createClients(target, options);
  await signIn(target, clients);
  clients.progress.phase(`Reading workspace ${target.workspaceName}: resources`);
  let alertRules: LiveResource[] = [];
  let watchlists: LiveWatchlist[] = [];
  let savedSearches: LiveResource[] = [];
  await allOrNothing<void>(clients, [
    async () => void (alertRules = await readAlertRules(target, clients)),
    async () => void (watchlists = await readWatchlists(target, clients)),
    async () => void (savedSearches = await readSavedSearches(target, clients)),
  ]);
  return { alertRules, watchlists, savedSearches };
}

/** The workspace's tables with their schemas (Log Analytics Tables - List By Workspace). */
export async function readTables(target: AzureTarget, options: LiveReadOptions = {}): Promise<LiveResource[]> {
  const clients = createClients(target, options);
  await signIn(target, clients);
  clients.progress.phase(`Reading the tables of workspace ${target.workspaceName}`);
  return readList(`Listing the tables of ${describeTarget(target)}`, clients, true, () =>
    count(clients, clients.logAnalytics.tables.listByWorkspace(target.resourceGroupName, target.workspaceName)),
  );
}
