/**
 * The one error a live read throws: what was being read, what went wrong (HTTP status and ARM
 * error code, or the sign-in failure), and what to do. It never carries the SDK's error
 * object, whose request holds the Authorization header, and its message is redacted.
 */
import type { RestError } from "@azure/core-rest-pipeline";
import { originOf, ReadGuardError } from "./readGuard";
import { printable } from "../util/printable";
import { redactSecrets } from "./redact";
import type { ReadRecording } from "./pipeline";
import { describeTlsFailure } from "./tlsFailure";

export type AzureReadFailure =
  "auth" | "http" | "throttled" | "transient" | "timeout" | "network" | "tls" | "malformed" | "refused" | "unexpected";

export interface AzureReadErrorDetails {
  /** What was being read, e.g. `listing alert rules of workspace 'ws' (...)`. */
  operation: string;
  kind: AzureReadFailure;
  /** HTTP status of the last response, when there was one. */
  status?: number;
  /** ARM error code (`ResourceNotFound`, ...), AAD error (`invalid_client`), network code, or what the reader refused (`page-cap`, ...). */
  code?: string;
  /** HTTP attempts made, retries included. */
  attempts?: number;
}

export class AzureReadError extends Error {
  override readonly name = "AzureReadError";
  constructor(
    message: string,
    readonly details: AzureReadErrorDetails,
  ) {
    super(printable(redactSecrets(message)));
  }
}

export interface FailureContext {
  operation: string;
  armEndpoint: string;
  timeoutMs: number;
  maxRetries: number;
}

// @azure/identity's error classes, by name (an instanceof check would fail across duplicate installs).
const AUTH_ERRORS = new Set([
  "AuthenticationError",
  "AuthenticationRequiredError",
  "CredentialUnavailableError",
  "AggregateAuthenticationError",
]);

interface ArmErrorBody {
  code?: string;
  message?: string;
}

function armErrorOf(bodyText: string | undefined): ArmErrorBody {
  if (!bodyText) return {};
  try {
    const parsed: unknown = JSON.parse(bodyText);
    const error = (parsed as { error?: { code?: unknown; message?: unknown } }).error;
    return {
      ...(typeof error?.code === "string" ? { code: error.code } : {}),
      ...(typeof error?.message === "string" ? { message: error.message } : {}),
    };
  } catch {
    return {};
  }
}

function httpHint(status: number, code: string | undefined, ctx: FailureContext): string {
  if (status === 401) {
    return "Azure did not accept the token. Check that the credential signs in to the tenant that owns the subscription, and that the authority host matches the ARM endpoint's cloud.";
  }
  if (status === 403) {
    return "The identity lacks permission: grant it Microsoft Sentinel Reader (alert rules, watchlists) and Log Analytics Reader (saved searches, tables) on the workspace or its resource group.";
  }
  if (status === 404) {
    if (code === "SubscriptionNotFound") return "Check the subscription id, and that the credential's tenant owns it.";
    if (code === "ResourceGroupNotFound") return "Check the resource group name.";
    return "Check the subscription id, resource group name and workspace name, and that Microsoft Sentinel is enabled on the workspace.";
  }
  if (status === 400)
    return "Azure rejected the request itself; check the target's names and, for a custom ARM endpoint, that it is Azure Resource Manager.";
  return `Azure answered ${status}; run again, and if it persists check the Azure status page for ${ctx.armEndpoint}.`;
}

/**
 * The SDK's own test for its HTTP errors. Loaded when a read fails, so that modules which only
 * check for an AzureReadError (the CLI's error handling) do not load the Azure SDK (~0.3 s).
 */
function isRestError(error: unknown): error is RestError {
  return (require("@azure/core-rest-pipeline") as typeof import("@azure/core-rest-pipeline")).isRestError(error);
}

/** Turns whatever a read threw into an AzureReadError that says what to do. */
export function toAzureReadError(error: unknown, recording: ReadRecording, ctx: FailureContext): AzureReadError {
  if (error instanceof AzureReadError) return error;
  const attempts = recording.attempts;
  const base = { operation: ctx.operation, attempts };
  const prefix = `${ctx.operation} failed`;

  // What the reader refused to do for the server: never retried, never a partial result.
  if (error instanceof ReadGuardError) {
    return new AzureReadError(`${prefix}: ${error.message}. Nothing from this read was used.`, {
      ...base,
      kind: error.refusal === "retry-after-cap" || error.refusal === "retry-wait-cap" ? "throttled" : "refused",
      code: error.refusal,
    });
  }

  // A 2xx whose body is not JSON: the SDK reports it in its own words, quoting the body.
  const last = recording.responses.at(-1);
  if (
    (last && last.status >= 200 && last.status < 300 && !parsesAsJson(last.bodyText)) ||
    (isRestError(error) && error.code === "PARSE_ERROR")
  ) {
    return malformedBody(ctx, isRestError(error) ? error.statusCode : last?.status, attempts);
  }

  const name = error instanceof Error ? error.name : "";
  if (AUTH_ERRORS.has(name)) {
    const message = (error as Error).message;
    // `invalid_client`, `AADSTS7000215`: the AAD error and its number, when the message has them.
    const code = /\b(invalid_\w+|unauthorized_client|unsupported_grant_type)\b/.exec(message)?.[1] ?? /\bAADSTS\d+/.exec(message)?.[0];
    return new AzureReadError(
      `${prefix}: signing in to Entra ID failed (${name}): ${oneLine(message)}. ` +
        "Check the credential's tenant, client id and secret (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, or `az login`), and that the authority host belongs to the workspace's cloud.",
      { ...base, kind: "auth", ...(code ? { code } : {}) },
    );
  }

  if (isRestError(error)) {
    const status = error.statusCode;
    if (status === undefined) {
      const code = error.code ?? "network error";
      if (code === "ETIMEDOUT" && recording.timeouts > 0) {
        return new AzureReadError(
          `${prefix}: no response within ${ctx.timeoutMs} ms, ${attempts} attempt(s). Check the network path to ${ctx.armEndpoint}, or raise the timeout.`,
          { ...base, kind: "timeout", code },
        );
      }
      const tls = describeTlsFailure(code, ctx.armEndpoint);
      if (tls) return tlsReadError(ctx.operation, `could not reach ${ctx.armEndpoint}: ${tls}`, code, attempts);
      const what =
        recording.cutBodies > 0
          ? `the connection to ${ctx.armEndpoint} was cut before the whole response arrived`
          : `could not reach ${ctx.armEndpoint} (${code})`;
      return new AzureReadError(`${prefix}: ${what}, ${attempts} attempt(s). Check the network, proxy and ARM endpoint, then run again.`, {
        ...base,
        kind: "network",
        code,
      });
    }
    if (status >= 300 && status < 400) {
      // The SDK follows redirects only within one origin; one it did not follow ends here.
      const location = error.response?.headers.get("location");
      const where = location ? (originOf(new URL(location, ctx.armEndpoint).toString()) ?? location) : "nowhere";
      return new AzureReadError(
        `${prefix}: the service redirected (HTTP ${status}) to ${where}, not to the Resource Manager endpoint ${ctx.armEndpoint}; the redirect was not followed, and the token was not sent there. Nothing from this read was used.`,
        { ...base, kind: "refused", status, code: "foreign-origin" },
      );
    }
    const arm = armErrorOf(error.response?.bodyAsText ?? undefined);
    const code = arm.code ?? error.code;
    const what = `HTTP ${status}${code ? ` ${code}` : ""}${arm.message ? `: ${oneLine(arm.message)}` : ""}`;
    if (status === 429) {
      return new AzureReadError(
        `${prefix}: ${what}. Azure kept throttling after ${attempts} attempt(s); wait a few minutes and run again, or allow more retries.`,
        {
          ...base,
          kind: "throttled",
          status,
          ...(code ? { code } : {}),
        },
      );
    }
    if (status >= 500 || status === 408) {
      return new AzureReadError(
        `${prefix}: ${what}. Azure kept failing after ${attempts} attempt(s) (a transient service error); run again later.`,
        {
          ...base,
          kind: "transient",
          status,
          ...(code ? { code } : {}),
        },
      );
    }
    return new AzureReadError(`${prefix}: ${what}. ${httpHint(status, code, ctx)}`, {
      ...base,
      kind: "http",
      status,
      ...(code ? { code } : {}),
    });
  }

  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new AzureReadError(
    `${prefix}: ${oneLine(message)}. This is unexpected; run again, and report it with this message if it persists.`,
    {
      ...base,
      kind: "unexpected",
    },
  );
}

/** A certificate problem, said as one (see tlsFailure.ts). */
export function tlsReadError(operation: string, description: string, code: string, attempts?: number): AzureReadError {
  return new AzureReadError(`${operation} failed: ${description}.`, {
    operation,
    kind: "tls",
    code,
    ...(attempts !== undefined ? { attempts } : {}),
  });
}

export function malformedBody(
  ctx: FailureContext,
  status: number | undefined,
  attempts: number,
  why = "is not valid JSON (cut short or corrupted)",
): AzureReadError {
  return new AzureReadError(
    `${ctx.operation} failed: the response${status !== undefined ? ` (HTTP ${status})` : ""} from ${ctx.armEndpoint} ${why}. Nothing from this read was used; run again.`,
    { operation: ctx.operation, kind: "malformed", ...(status !== undefined ? { status } : {}), attempts },
  );
}

function parsesAsJson(text: string | undefined): boolean {
  if (text === undefined || text === "") return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().replace(/\.$/, "");
}
