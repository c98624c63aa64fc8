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
 */
import { AsyncLocalStorage } from "node:async_hooks";
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
  const recording: ReadRecording = { responses: [], attempts: 0, timeouts: 0, cutBodies: 0 };
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

// core-rest-pipeline's wording when the response stream fails while it reads the body.
const CUT_BODY = /^Error reading response as text/;

/** Gives each attempt `timeoutMs` for the whole response, body included; timeouts and cut bodies are retryable. */
export function attemptPolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: "sentinelIacAttempt",
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
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
    },
  };
}
