/**
 * What the reader refuses to do for a server, whatever it answers: follow a link to another
 * origin (the bearer token would go with it), follow a link twice, accept a page that repeats
 * resources already read, read past a page cap, or wait longer than a cap because the server
 * said so. Each refusal ends the read with an error that names it; the pipeline policies in
 * pipeline.ts throw it and readError.ts turns it into the read's AzureReadError.
 */

export type GuardRefusal = "foreign-origin" | "repeated-link" | "repeated-items" | "page-cap" | "retry-after-cap" | "retry-wait-cap";

export class ReadGuardError extends Error {
  override readonly name = "ReadGuardError";
  constructor(
    readonly refusal: GuardRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** Limits that bound a read against a server that never stops; documented in docs/live.md and docs/security.md. */
export const READ_LIMITS: Readonly<{ maxPages: number; maxRetryAfterMs: number; maxTotalRetryWaitMs: number }> = {
  /** Pages of one list (at ARM's 50-100 items a page, hundreds of thousands of resources). */
  maxPages: 5_000,
  /** One wait that a Retry-After header may ask for. */
  maxRetryAfterMs: 60_000,
  /** All such waits of one command together. */
  maxTotalRetryWaitMs: 180_000,
};

/** `https://host:port` of a URL, for comparisons; undefined when it is not a URL. */
export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * How long a 429 or 503 response asks the client to wait, read the way the Azure SDK's retry
 * policy reads it: `retry-after-ms`, then `x-ms-retry-after-ms`, then `Retry-After` (seconds,
 * or an HTTP date). Undefined when it asks for nothing.
 */
export function retryAfterMs(status: number, header: (name: string) => string | undefined): number | undefined {
  if (status !== 429 && status !== 503) return undefined;
  for (const [name, factor] of [
    ["retry-after-ms", 1],
    ["x-ms-retry-after-ms", 1],
    ["retry-after", 1000],
  ] as const) {
    const value = header(name);
    if (value === undefined || value.trim() === "") continue;
    const n = Number(value);
    if (Number.isFinite(n)) return Math.max(0, n * factor);
    if (name === "retry-after") {
      const date = Date.parse(value);
      if (Number.isFinite(date)) return Math.max(0, date - Date.now());
    }
  }
  return undefined;
}
