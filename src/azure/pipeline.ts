/**
 * Pipeline policies added to the SDK clients so a read is complete, raw and bounded in time.
 *
 * - Raw capture: the SDK models drop fields they do not know (and the Sentinel package's
 *   models are two API versions old), so the final response text of every GET is kept and
 *   parsed by us. It runs per call, outside the retry policy, so it sees only the response the
 *   SDK acts on. The SDK's modular clients fetch next pages without the caller's options, so
 *   per-call `onResponse` callbacks miss pages 2..n; a pipeline policy sees them all. Which
 *   read a response belongs to comes from AsyncLocalStorage, so concurrent reads never mix.
 * - Attempts: core-rest-pipeline's `timeout` aborts the request with an AbortError, which its
 *   retry policy never retries, and a connection cut in the middle of the body surfaces as a
 *   PARSE_ERROR, which it does not retry either. This per-attempt policy has its own timeout
 *   and turns both into RestErrors with a system error code (ETIMEDOUT, ECONNRESET) that the
 *   exponential retry strategy retries. A body that arrived whole but is not JSON is not
 *   retried: that is parsed outside the retry policy and reported as malformed.
 * - Guards (readGuard.ts): every attempt, redirects included, goes only to the Resource
 *   Manager endpoint's origin, since the SDK attaches the bearer token to whatever URL a
 *   `nextLink` or a redirect names; a list follows each link once, never past a page cap, and
 *   a page that repeats resources already read ends it; a Retry-After beyond its cap, or beyond
 *   the command's total, ends the read instead of stalling it.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { originOf, ReadGuardError, retryAfterMs } from "./readGuard";
import {
  isRestError,
  RestError,
  type PipelinePolicy,
  type PipelineRequest,
  type PipelineResponse,
  type SendRequest,
} from "@azure/core-rest-pipeline";

export interface CapturedResponse {
  url: string;
  status: number;
  bodyText: string | undefined;
}

/** Everything seen while one read ran. */
export interface ReadRecording {
  /** URLs the read asked for, one per page (retries and redirects of one request count once). */
  urls: Set<string>;
  /** Ids of the resources its pages held, lower-case. */
  resourceIds: Set<string>;
  /** Final responses (after retries), in order. */
  responses: CapturedResponse[];
  /** HTTP attempts, retries included. */
  attempts: number;
  /** Attempts that hit the per-attempt timeout. */
  timeouts: number;
  /** Attempts whose connection was cut before the whole body arrived. */
  cutBodies: number;
}

const recordings = new AsyncLocalStorage<ReadRecording>();

/** Runs `read` with a fresh recording that the policies below fill in. */
export async function recordRead<T>(read: () => Promise<T>): Promise<{ result?: T; error?: unknown; recording: ReadRecording }> {
  const recording: ReadRecording = { responses: [], attempts: 0, timeouts: 0, cutBodies: 0, urls: new Set(), resourceIds: new Set() };
  try {
    const result = await recordings.run(recording, read);
    return { result, recording };
  } catch (error) {
    return { error, recording };
  }
}

export const rawCapturePolicy: PipelinePolicy = {
  name: "sentinelIacRawCapture",
  async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
    const response = await next(request);
    recordings.getStore()?.responses.push({ url: request.url, status: response.status, bodyText: response.bodyAsText ?? undefined });
    return response;
  },
};

/**
 * The per-call guard of a list: the link each page comes from (the caller's first URL, then
 * each `nextLink`) must be on the Resource Manager origin and new to this read, the pages stay
 * under the cap, and no page repeats a resource an earlier page held.
 */
export function pagingGuardPolicy(armOrigin: string, maxPages: number): PipelinePolicy {
  return {
    name: "sentinelIacPagingGuard",
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      const recording = recordings.getStore();
      const origin = originOf(request.url);
      if (origin !== armOrigin) {
        throw new ReadGuardError(
          "foreign-origin",
          `the service sent a link to ${origin ?? "something that is not a URL"}, not to the Resource Manager endpoint ${armOrigin}; it was not followed, and the token was not sent there`,
        );
      }
      if (recording) {
        if (recording.urls.has(request.url)) {
          throw new ReadGuardError(
            "repeated-link",
            `the service sent a next-page link that was already followed (page ${recording.urls.size + 1}); the list would never end`,
          );
        }
        if (recording.urls.size >= maxPages) {
          throw new ReadGuardError("page-cap", `the list did not end within ${maxPages} pages, the most sentinel-iac reads of one list`);
        }
        recording.urls.add(request.url);
      }
      const response = await next(request);
      if (recording && response.status >= 200 && response.status < 300) checkNewResources(response.bodyAsText ?? undefined, recording);
      return response;
    },
  };
}

/** Ends the read when a page holds a resource an earlier page of the same list held. */
function checkNewResources(bodyText: string | undefined, recording: ReadRecording): void {
  let body: unknown;
  try {
    body = JSON.parse(bodyText ?? "");
  } catch {
    return; // A malformed body is reported by the reader, with what it was reading.
  }
  const value = (body as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) return;
  const page = recording.urls.size;
  for (const item of value) {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id !== "string") continue;
    const key = id.toLowerCase();
    if (recording.resourceIds.has(key)) {
      throw new ReadGuardError(
        "repeated-items",
        `page ${page} of the list repeats a resource an earlier page held (${id}); a list that repeats itself cannot be trusted to be complete`,
      );
    }
    recording.resourceIds.add(key);
  }
}

/** The waits Retry-After headers asked for in one command, across its reads. */
export interface RetryWaitBudget {
  /** Longest single wait to honour. */
  maxWaitMs: number;
  /** Longest total of waits to honour. */
  maxTotalMs: number;
  /** Honoured so far. */
  spentMs: number;
}

// core-rest-pipeline's wording when the response stream fails while it reads the body.
const CUT_BODY = /^Error reading response as text/;

/**
 * Per attempt: only to `armOrigin` (a redirect re-enters here with its new URL); `timeoutMs`
 * for the whole response, body included, with timeouts and cut bodies made retryable; and a
 * Retry-After the retry policy would wait out is refused beyond the budget's caps. The last
 * attempt (after `maxRetries` retries) is not checked: nothing waits after it.
 */
export function attemptPolicy(timeoutMs: number, armOrigin: string, maxRetries: number, budget: RetryWaitBudget): PipelinePolicy {
  const attemptsOf = new WeakMap<PipelineRequest, number>();
  return {
    name: "sentinelIacAttempt",
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      const origin = originOf(request.url);
      if (origin !== armOrigin) {
        throw new ReadGuardError(
          "foreign-origin",
          `the service redirected to ${origin ?? "something that is not a URL"}, not to the Resource Manager endpoint ${armOrigin}; the redirect was not followed, and the token was not sent there`,
        );
      }
      const attempt = (attemptsOf.get(request) ?? 0) + 1;
      attemptsOf.set(request, attempt);
      const response = await attemptOnce(request, next, timeoutMs);
      const wait = retryAfterMs(response.status, (name) => response.headers.get(name) ?? undefined);
      if (wait !== undefined && attempt <= maxRetries) spendRetryWait(budget, wait);
      return response;
    },
  };
}

function spendRetryWait(budget: RetryWaitBudget, wait: number): void {
  const seconds = (ms: number) => `${Math.ceil(ms / 1000).toLocaleString("en-US")} s`;
  if (wait > budget.maxWaitMs) {
    throw new ReadGuardError(
      "retry-after-cap",
      `Azure asked to wait ${seconds(wait)} before retrying (Retry-After), longer than the ${seconds(budget.maxWaitMs)} sentinel-iac waits at once; run again later`,
    );
  }
  if (budget.spentMs + wait > budget.maxTotalMs) {
    throw new ReadGuardError(
      "retry-wait-cap",
      `Azure kept asking to wait (Retry-After); another ${seconds(wait)} would exceed the ${seconds(budget.maxTotalMs)} sentinel-iac waits in total for one command; run again later`,
    );
  }
  budget.spentMs += wait;
}

async function attemptOnce(request: PipelineRequest, next: SendRequest, timeoutMs: number): Promise<PipelineResponse> {
  const recording = recordings.getStore();
  if (recording) recording.attempts += 1;
  const callerSignal = request.abortSignal;
  const controller = new AbortController();
  const onCallerAbort = (): void => controller.abort();
  if (callerSignal?.aborted) controller.abort();
  callerSignal?.addEventListener("abort", onCallerAbort);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  // The caller's signal goes back before returning: the retry policy checks it to tell a
  // cancellation (never retried) from our timeout (retried).
  request.abortSignal = controller.signal;
  try {
    return await next(request);
  } catch (error) {
    if (timedOut && !callerSignal?.aborted) {
      if (recording) recording.timeouts += 1;
      throw new RestError(`no response within ${timeoutMs} ms`, { code: "ETIMEDOUT", request });
    }
    // isRestError, not instanceof: the SDKs may load the CommonJS build and we the ESM one.
    if (isRestError(error) && error.code === "PARSE_ERROR" && CUT_BODY.test(error.message)) {
      if (recording) recording.cutBodies += 1;
      throw new RestError("the connection closed before the whole response arrived", { code: "ECONNRESET", request });
    }
    throw error;
  } finally {
    clearTimeout(timer);
    request.abortSignal = callerSignal;
    callerSignal?.removeEventListener("abort", onCallerAbort);
  }
}

/** A retry the SDK's retry policy is about to wait for, for progress reports. */
export interface RetryWait {
  /** Why: Azure throttled (429, or 503 with Retry-After), answered an error status, or the connection failed. */
  reason: "throttled" | "status" | "connection";
  /** The status or error code, e.g. 503 or ECONNRESET. */
  cause: string;
  /** The server's Retry-After, when it sent one; otherwise the backoff's upper bound. */
  waitMs: number;
  /** true: waitMs is the server's Retry-After; false: an upper bound (the backoff is jittered). */
  exact: boolean;
  /** The attempt that follows the wait (2 = the first retry), and how many there are at most. */
  attempt: number;
  maxAttempts: number;
}

export interface RetryWatch {
  maxRetries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  onWait(wait: RetryWait): void;
}

// What core-rest-pipeline's default retry strategies retry (throttling and exponential backoff).
const RETRIED_ERROR_CODES = new Set(["ETIMEDOUT", "ESOCKETTIMEDOUT", "ECONNREFUSED", "ECONNRESET", "ENOENT", "ENOTFOUND"]);

/** The wait that follows this attempt's outcome, when the retry policy will retry it. */
function retryWaitAfter(
  outcome: { response?: PipelineResponse; errorCode?: string },
  attempt: number,
  watch: RetryWatch,
): RetryWait | undefined {
  if (attempt > watch.maxRetries) return undefined;
  const backoff = Math.min(watch.retryDelayMs * 2 ** (attempt - 1), watch.maxRetryDelayMs);
  const base = { attempt: attempt + 1, maxAttempts: watch.maxRetries + 1 };
  const status = outcome.response?.status;
  if (status !== undefined) {
    const response = outcome.response;
    const after = response ? retryAfterMs(status, (name) => response.headers.get(name) ?? undefined) : undefined;
    if ((status === 429 || status === 503) && after !== undefined)
      return { ...base, reason: "throttled", cause: String(status), waitMs: after, exact: true };
    if (status === 408 || (status >= 500 && status !== 501 && status !== 505))
      return { ...base, reason: "status", cause: String(status), waitMs: backoff, exact: false };
    return undefined;
  }
  if (outcome.errorCode && RETRIED_ERROR_CODES.has(outcome.errorCode))
    return { ...base, reason: "connection", cause: outcome.errorCode, waitMs: backoff, exact: false };
  return undefined;
}

/**
 * Tells `watch` about each retry core-rest-pipeline's retry policy is about to wait for, so a
 * slow or throttled read can say "throttled by Azure, retrying in 20 s (2/5)". A per-retry
 * policy sees every attempt's outcome; added before attemptPolicy, it sees that policy's
 * retryable timeouts and cut connections too.
 */
export function retryWatchPolicy(watch: RetryWatch): PipelinePolicy {
  const attemptsOf = new WeakMap<PipelineRequest, number>();
  const report = (request: PipelineRequest, outcome: { response?: PipelineResponse; errorCode?: string }) => {
    const wait = retryWaitAfter(outcome, attemptsOf.get(request) ?? 1, watch);
    if (wait && !request.abortSignal?.aborted) watch.onWait(wait);
  };
  return {
    name: "sentinelIacRetryWatch",
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      attemptsOf.set(request, (attemptsOf.get(request) ?? 0) + 1);
      try {
        const response = await next(request);
        report(request, { response });
        return response;
      } catch (error) {
        if (isRestError(error))
          report(request, { ...(error.response ? { response: error.response } : {}), ...(error.code ? { errorCode: error.code } : {}) });
        throw error;
      }
    },
  };
}
