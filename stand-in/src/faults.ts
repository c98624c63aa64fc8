/**
 * Misbehaviour the stand-in can be told to show: throttling, transient errors, slow or broken
 * bodies, missing resources. Faults are consumed in order: each ARM request takes the first
 * fault that matches its route and still has uses left.
 */

/** Every ARM route the stand-in serves, by name: GETs, and the writes (PUT, DELETE) of the same paths. */
export const ARM_ROUTES = [
  "alertRules",
  "alertRule",
  "watchlists",
  "watchlist",
  "watchlistItems",
  "watchlistItem",
  "savedSearches",
  "savedSearch",
  "tables",
  "table",
] as const;
export type ArmRoute = (typeof ARM_ROUTES)[number];

/** The collections served in pages. Saved searches are not paged (the API has no nextLink for them). */
export const PAGED_COLLECTIONS = ["alertRules", "watchlists", "watchlistItems", "tables"] as const;
export type PagedCollection = (typeof PAGED_COLLECTIONS)[number];

export const FAULT_KINDS = [
  "throttle",
  "serverError",
  "unavailable",
  "slow",
  "malformed",
  "truncated",
  "notFound",
  "conflict",
  "selfLink",
  "repeatPage",
  "endlessPages",
  "foreignLink",
  "redirect",
  "echoToken",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * - `throttle`: 429 TooManyRequests with `Retry-After: retryAfterSeconds` (default 1).
 * - `serverError`: 500 InternalServerError. `unavailable`: 503 ServiceUnavailable, with
 *   `Retry-After` only when retryAfterSeconds is given.
 * - `slow`: the normal response, sent after `delayMs` (default 1000).
 * - `malformed`: 200 whose complete body is not valid JSON.
 * - `truncated`: 200 whose Content-Length promises the whole body, but the connection is cut
 *   half-way through it.
 * - `notFound`: 404 ResourceNotFound, as if the resource were missing.
 * - `conflict`: 409 Conflict, as when someone else wrote the resource in between (writes).
 *
 * Hostile servers (a compromised proxy, a man in the middle with a trusted certificate, a
 * buggy endpoint), for the reader's guards:
 * - `selfLink`: a page's nextLink names the page itself, forever.
 * - `repeatPage`: a page's nextLink (fresh each time) serves the same items again.
 * - `endlessPages`: pages never end; past the real items come made-up ones, each page new.
 * - `foreignLink`: a page's nextLink points at the decoy server (another origin), which
 *   records whether the request carried a token and answers with made-up rules.
 * - `redirect`: 307 to the same path on the decoy server.
 * - `echoToken`: 400 whose error message quotes the caller's bearer token, without "Bearer".
 */
export interface StandInFault {
  kind: FaultKind;
  /** The route it applies to; `*` (the default) is every ARM route. The token endpoint never gets faults. */
  route?: ArmRoute | "*";
  /** How many matching requests get it; every one when absent. */
  times?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
}

/** Page size for every paged collection, or per collection (others keep the default). 0 means "no paging". */
export type PageSizeOption = number | Partial<Record<PagedCollection, number>>;

export const DEFAULT_PAGE_SIZE: Readonly<Record<PagedCollection, number>> = {
  alertRules: 50,
  watchlists: 50,
  watchlistItems: 100,
  // Log Analytics returns every table in one response.
  tables: 0,
};

export function resolvePageSizes(
  option: PageSizeOption | undefined,
  base: Readonly<Record<PagedCollection, number>> = DEFAULT_PAGE_SIZE,
): Record<PagedCollection, number> {
  const sizes = { ...base };
  if (option === undefined) return sizes;
  const given: Partial<Record<string, unknown>> =
    typeof option === "number" ? Object.fromEntries(PAGED_COLLECTIONS.map((c) => [c, option])) : option;
  for (const [collection, size] of Object.entries(given)) {
    if (!(PAGED_COLLECTIONS as readonly string[]).includes(collection)) {
      throw new Error(`page size for '${collection}' cannot be set; the paged collections are ${PAGED_COLLECTIONS.join(", ")}`);
    }
    if (typeof size !== "number" || !Number.isInteger(size) || size < 0) {
      throw new Error(`page size for '${collection}' must be a whole number >= 0 (0 = no paging), not ${String(size)}`);
    }
    sizes[collection as PagedCollection] = size;
  }
  return sizes;
}

function checkFault(fault: StandInFault, index: number): void {
  const where = `fault ${index + 1} (${JSON.stringify(fault)})`;
  if (!(FAULT_KINDS as readonly string[]).includes(fault.kind)) throw new Error(`${where}: kind must be one of ${FAULT_KINDS.join(", ")}`);
  if (fault.route !== undefined && fault.route !== "*" && !(ARM_ROUTES as readonly string[]).includes(fault.route)) {
    throw new Error(`${where}: route must be '*' or one of ${ARM_ROUTES.join(", ")}`);
  }
  if (fault.times !== undefined && (!Number.isInteger(fault.times) || fault.times < 1))
    throw new Error(`${where}: times must be a whole number >= 1, or left out for every request`);
  if (fault.retryAfterSeconds !== undefined && (!Number.isInteger(fault.retryAfterSeconds) || fault.retryAfterSeconds < 0)) {
    throw new Error(`${where}: retryAfterSeconds must be a whole number >= 0 (HTTP Retry-After is in whole seconds)`);
  }
  if (fault.delayMs !== undefined && (!Number.isFinite(fault.delayMs) || fault.delayMs < 0))
    throw new Error(`${where}: delayMs must be a number >= 0`);
}

interface PlannedFault {
  fault: StandInFault;
  remaining: number;
}

export class FaultPlan {
  private planned: PlannedFault[] = [];

  /** Replaces every pending fault. Throws on an invalid fault, leaving the plan unchanged. */
  set(faults: readonly StandInFault[]): void {
    faults.forEach(checkFault);
    this.planned = faults.map((fault) => ({ fault: { ...fault }, remaining: fault.times ?? Number.POSITIVE_INFINITY }));
  }

  /** The fault for one request on `route`, using it up; undefined when none applies. */
  take(route: ArmRoute | undefined): StandInFault | undefined {
    const entry = this.planned.find(
      (p) => p.remaining > 0 && (p.fault.route === undefined || p.fault.route === "*" || p.fault.route === route),
    );
    if (!entry) return undefined;
    entry.remaining -= 1;
    return entry.fault;
  }

  /** Uses left across all faults with a count (faults without `times` are not counted). */
  remaining(): number {
    return this.planned.reduce((sum, p) => sum + (Number.isFinite(p.remaining) ? p.remaining : 0), 0);
  }
}

/**
 * Reads a fault from the command line: `kind[:route[:times]][:key=value...]`, e.g.
 * `throttle:alertRules:2:retryAfterSeconds=5`, `slow:*:1:delayMs=3000`, `serverError`.
 */
export function parseFaultSpec(spec: string): StandInFault {
  const [kind = "", ...parts] = spec.split(":");
  const fault: StandInFault = { kind: kind as FaultKind };
  const positional = parts.filter((p) => !p.includes("="));
  const [route, times] = positional;
  if (positional.length > 2)
    throw new Error(`fault '${spec}': expected kind[:route[:times]][:key=value...], e.g. throttle:alertRules:2:retryAfterSeconds=5`);
  if (route !== undefined && route !== "") fault.route = route as ArmRoute | "*";
  if (times !== undefined && times !== "") fault.times = Number(times);
  for (const pair of parts.filter((p) => p.includes("="))) {
    const [key, value = ""] = pair.split("=");
    if (key !== "retryAfterSeconds" && key !== "delayMs")
      throw new Error(`fault '${spec}': unknown setting '${key}'; use retryAfterSeconds=N or delayMs=N`);
    fault[key] = Number(value);
  }
  checkFault(fault, 0);
  return fault;
}
