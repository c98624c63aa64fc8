/**
 * The Azure Resource Manager surface of the stand-in: routing, the checks ARM makes
 * (bearer token, api-version, subscription / resource group / workspace), paging with
 * nextLink + $skipToken, ARM's error bodies `{ "error": { "code", "message" } }`, and the
 * writes of saved searches, watchlists and watchlist items (armWrites.ts).
 *
 * Routes (segments are case-insensitive, as in ARM; names are matched case-insensitively):
 *   {ws} = /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{w}
 *   {ws}/providers/Microsoft.SecurityInsights/alertRules[/{ruleId}]
 *   {ws}/providers/Microsoft.SecurityInsights/watchlists[/{alias}[/watchlistItems[/{itemId}]]]
 *   {ws}/savedSearches[/{id}]
 *   {ws}/tables[/{name}]
 * PUT and DELETE of a saved search, a watchlist or a watchlist item are served (armWrites.ts).
 * Every other write (alert rules, tables, POST, PATCH) is answered 405. Every write is flagged,
 * so tests of read-only commands can assert none happened.
 */
import { randomUUID } from "node:crypto";
import type { ArmResourceBody, RenderedWorkspace } from "./armResources";
import { alertRuleForApiVersion } from "./apiVersions";
import { WorkspaceWriter, type WriterOptions } from "./armWrites";
import type { EntraStandIn } from "./entra";
import type { ArmRoute, FaultKind, PagedCollection, StandInFault } from "./faults";
import type { StandInState } from "./state";

export interface ArmRequest {
  method: string;
  /** URL path, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  /** The request body as text (writes). */
  body?: string;
}

export interface ArmReply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  route?: ArmRoute;
  apiVersion?: string;
  /** ARM error code of an error reply, for the request log. */
  error?: string;
  /** The request carried a token this stand-in issued, unexpired, for an ARM audience. */
  authenticated: boolean;
  write: boolean;
  /** How the body must go on the wire; set by `malformed`/`truncated` faults. */
  delivery: "normal" | "malformed" | "truncated";
  delayMs: number;
  fault?: FaultKind;
}

const READ_METHODS = new Set(["GET", "HEAD"]);
/** The routes whose PUT and DELETE the stand-in serves. */
const WRITABLE_ROUTES = new Set<ArmRoute>(["savedSearch", "watchlist", "watchlistItem"]);
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

interface Located {
  route: ArmRoute;
  /** Names after the workspace, already decoded. */
  names: string[];
}

function armError(status: number, code: string, message: string, extra: Partial<ArmReply> = {}): Omit<ArmReply, "authenticated" | "write"> {
  return { status, body: { error: { code, message } }, headers: {}, error: code, delivery: "normal", delayMs: 0, ...extra };
}

function decodeSegments(path: string): string[] | undefined {
  try {
    return path
      .split("/")
      .filter((s) => s !== "")
      .map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

const eq = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();

/** Maps the segments after `.../workspaces/{w}` to a route. */
function locate(rest: string[]): Located | undefined {
  const [a, b, c, d, e, f] = rest;
  if (eq(a, "providers") && eq(b, "Microsoft.SecurityInsights")) {
    if (eq(c, "alertRules")) {
      if (rest.length === 3) return { route: "alertRules", names: [] };
      if (rest.length === 4 && d) return { route: "alertRule", names: [d] };
    }
    if (eq(c, "watchlists")) {
      if (rest.length === 3) return { route: "watchlists", names: [] };
      if (rest.length === 4 && d) return { route: "watchlist", names: [d] };
      if (rest.length === 5 && d && eq(e, "watchlistItems")) return { route: "watchlistItems", names: [d] };
      if (rest.length === 6 && d && eq(e, "watchlistItems") && f) return { route: "watchlistItem", names: [d, f] };
    }
    return undefined;
  }
  if (eq(a, "savedSearches")) {
    if (rest.length === 1) return { route: "savedSearches", names: [] };
    if (rest.length === 2 && b) return { route: "savedSearch", names: [b] };
  }
  if (eq(a, "tables")) {
    if (rest.length === 1) return { route: "tables", names: [] };
    if (rest.length === 2 && b) return { route: "table", names: [b] };
  }
  return undefined;
}

function findByName<T extends { name: string }>(list: readonly T[], name: string): T | undefined {
  const key = name.toLowerCase();
  return list.find((r) => r.name.toLowerCase() === key);
}

function findBody(list: readonly ArmResourceBody[], name: string): ArmResourceBody | undefined {
  return findByName(list, name);
}

function encodeSkipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset, r: randomUUID().slice(0, 8) })).toString("base64url");
}

function decodeSkipToken(token: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    const offset = (parsed as { o?: unknown }).o;
    return typeof offset === "number" && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}

export class ArmStandIn {
  private state: StandInState;
  private rendered: RenderedWorkspace;
  private writer: WorkspaceWriter;

  constructor(
    private readonly origin: string,
    /** The decoy server's origin: where `foreignLink` and `redirect` faults send the client. */
    private readonly decoyOrigin: string,
    private readonly entra: EntraStandIn,
    initial: { state: StandInState; rendered: RenderedWorkspace },
    private pageSizes: Record<PagedCollection, number>,
    private readonly writerOptions: WriterOptions,
  ) {
    this.state = initial.state;
    this.rendered = initial.rendered;
    this.writer = new WorkspaceWriter(this.state, this.rendered, writerOptions);
  }

  setWorkspace(state: StandInState, rendered: RenderedWorkspace): void {
    this.state = state;
    this.rendered = rendered;
    this.writer = new WorkspaceWriter(state, rendered, this.writerOptions);
  }

  /** The workspace as it is now, writes included. */
  currentState(): StandInState {
    return this.state;
  }

  setPageSizes(pageSizes: Record<PagedCollection, number>): void {
    this.pageSizes = pageSizes;
  }

  handle(request: ArmRequest, takeFault: (route: ArmRoute | undefined) => StandInFault | undefined): ArmReply {
    const write = !READ_METHODS.has(request.method);
    const bearer = this.entra.checkBearer(request.authorization);
    const authenticated = bearer.valid;
    const finish = (reply: Omit<ArmReply, "authenticated" | "write">): ArmReply => ({ ...reply, authenticated, write });

    // ARM authenticates before anything else.
    if (!bearer.valid) {
      return finish(
        armError(401, bearer.code, bearer.message, {
          headers: {
            "WWW-Authenticate": `Bearer authorization_uri="${this.origin}/", error="invalid_token", error_description="${bearer.message.replace(/"/g, "'")}"`,
          },
        }),
      );
    }
    const apiVersion = request.query.get("api-version") ?? undefined;
    if (apiVersion === undefined || apiVersion === "") {
      return finish(
        armError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."),
      );
    }
    if (!API_VERSION.test(apiVersion)) {
      return finish(
        armError(
          400,
          "InvalidApiVersionParameter",
          `The api-version '${apiVersion}' is invalid. The supported versions look like 'yyyy-mm-dd' or 'yyyy-mm-dd-preview'.`,
          { apiVersion },
        ),
      );
    }

    const segments = decodeSegments(request.path);
    const located = segments ? this.locate(segments) : { error: armError(400, "InvalidRequestUri", "The request URI is not valid.") };
    const route = "route" in located ? located.route : undefined;
    const fault = takeFault(route);
    const replaced = fault ? this.faultReply(fault, apiVersion, route, request) : undefined;
    if (replaced) return finish(replaced);
    const reply =
      "error" in located
        ? { ...located.error, apiVersion }
        : {
            ...(write ? this.write(located, request) : this.serve(located, request, apiVersion, fault?.kind)),
            route: located.route,
            apiVersion,
          };
    if (!fault) return finish(reply);
    return finish({
      ...reply,
      fault: fault.kind,
      delivery: deliveryOf(fault),
      delayMs: fault.kind === "slow" ? (fault.delayMs ?? 1000) : 0,
    });
  }

  /** Faults that replace the response entirely; slow/malformed/truncated only change its delivery. */
  private faultReply(
    fault: StandInFault,
    apiVersion: string,
    route: ArmRoute | undefined,
    request: ArmRequest,
  ): Omit<ArmReply, "authenticated" | "write"> | undefined {
    const common = { apiVersion, fault: fault.kind, ...(route ? { route } : {}) };
    switch (fault.kind) {
      case "redirect":
        return {
          status: 307,
          body: {},
          headers: { Location: `${this.decoyOrigin}${request.path}?${request.query.toString()}` },
          delivery: "normal",
          delayMs: 0,
          ...common,
        };
      case "echoToken": {
        const token = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? "")?.[1] ?? "";
        return armError(
          400,
          "InvalidRequestContent",
          `The request could not be processed for the caller holding ${token}; check the request and retry.`,
          common,
        );
      }
      case "throttle":
        return armError(
          429,
          "TooManyRequests",
          "The request is being throttled as the limit has been reached for operation type - Read. For more information, see - https://aka.ms/srpthrottlinglimits",
          {
            ...common,
            headers: { "Retry-After": String(fault.retryAfterSeconds ?? 1), "x-ms-ratelimit-remaining-subscription-reads": "0" },
          },
        );
      case "serverError":
        return armError(
          500,
          "InternalServerError",
          "Encountered internal server error. Diagnostic information: timestamp, correlation id and tracking id are in the response headers.",
          common,
        );
      case "unavailable":
        return armError(503, "ServiceUnavailable", "The service is temporarily unavailable. Please retry the request.", {
          ...common,
          headers: fault.retryAfterSeconds !== undefined ? { "Retry-After": String(fault.retryAfterSeconds) } : {},
        });
      case "conflict":
        return armError(
          409,
          "Conflict",
          "The resource was changed by another request (injected by the stand-in's conflict fault).",
          common,
        );
      case "notFound":
        return armError(
          404,
          "ResourceNotFound",
          "The requested resource was not found (injected by the stand-in's notFound fault).",
          common,
        );
      default:
        return undefined;
    }
  }

  private locate(segments: string[]): Located | { error: Omit<ArmReply, "authenticated" | "write"> } {
    const [s0, sub, s2, rg, s4, s5, s6, ws, ...rest] = segments;
    if (!eq(s0, "subscriptions") || sub === undefined)
      return { error: armError(404, "InvalidResourceType", "The stand-in serves only resources under /subscriptions/{subscriptionId}.") };
    if (!eq(sub, this.state.subscriptionId))
      return { error: armError(404, "SubscriptionNotFound", `The subscription '${sub}' could not be found.`) };
    if (!eq(s2, "resourceGroups") || rg === undefined)
      return { error: armError(404, "InvalidResourceType", "The stand-in serves only resources in a resource group.") };
    if (!eq(rg, this.state.resourceGroupName))
      return { error: armError(404, "ResourceGroupNotFound", `Resource group '${rg}' could not be found.`) };
    if (!eq(s4, "providers") || !eq(s5, "Microsoft.OperationalInsights") || !eq(s6, "workspaces") || ws === undefined) {
      return {
        error: armError(
          404,
          "InvalidResourceType",
          `The stand-in serves only Microsoft.OperationalInsights/workspaces in resource group '${rg}'.`,
        ),
      };
    }
    if (!eq(ws, this.state.workspaceName)) {
      return {
        error: armError(
          404,
          "ResourceNotFound",
          `The Resource 'Microsoft.OperationalInsights/workspaces/${ws}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
        ),
      };
    }
    const located = locate(rest);
    if (!located) {
      return {
        error: armError(
          404,
          "InvalidResourceType",
          `The resource type '${rest.filter((_, i) => i % 2 === 0).join("/")}' could not be found under workspace '${ws}'.`,
        ),
      };
    }
    return located;
  }

  private write(located: Located, request: ArmRequest): Omit<ArmReply, "authenticated" | "write"> {
    if (!WRITABLE_ROUTES.has(located.route) || (request.method !== "PUT" && request.method !== "DELETE")) {
      return armError(
        405,
        "MethodNotAllowed",
        `The requested resource does not support http method '${request.method}'. The stand-in writes only saved searches, watchlists and watchlist items: the request was recorded and refused.`,
      );
    }
    const [first = "", second = ""] = located.names;
    const body = request.body ?? "";
    const put = request.method === "PUT";
    const reply =
      located.route === "savedSearch"
        ? put
          ? this.writer.putSavedSearch(first, body)
          : this.writer.deleteSavedSearch(first)
        : located.route === "watchlist"
          ? put
            ? this.writer.putWatchlist(first, body)
            : this.writer.deleteWatchlist(first)
          : put
            ? this.writer.putItem(first, second, body)
            : this.writer.deleteItem(first, second);
    return {
      status: reply.status,
      body: reply.body,
      headers: {},
      delivery: "normal",
      delayMs: 0,
      ...(reply.error ? { error: reply.error } : {}),
    };
  }

  private serve(located: Located, request: ArmRequest, apiVersion: string, fault?: FaultKind): Omit<ArmReply, "authenticated" | "write"> {
    const ok = (body: unknown): Omit<ArmReply, "authenticated" | "write"> => ({
      status: 200,
      body,
      headers: {},
      delivery: "normal",
      delayMs: 0,
    });
    const missing = (type: string, name: string) =>
      armError(404, "ResourceNotFound", `The Resource '${type}/${name}' under workspace '${this.state.workspaceName}' was not found.`);
    const w = this.rendered;
    const [first = "", second = ""] = located.names;
    switch (located.route) {
      case "alertRules":
        return this.page("alertRules", w.alertRules, request, apiVersion, fault, (rule) => alertRuleForApiVersion(rule, apiVersion));
      case "alertRule":
        return maybe(
          findBody(w.alertRules, first),
          (rule) => ok(alertRuleForApiVersion(rule, apiVersion)),
          () => missing("Microsoft.SecurityInsights/alertRules", first),
        );
      case "watchlists":
        return this.page(
          "watchlists",
          w.watchlists.map((x) => x.body),
          request,
          apiVersion,
          fault,
        );
      case "watchlist":
        return maybe(
          findByName(
            w.watchlists.map((x) => x.body),
            first,
          ),
          ok,
          () => missing("Microsoft.SecurityInsights/watchlists", first),
        );
      case "watchlistItems": {
        const watchlist = w.watchlists.find((x) => eq(x.body.name, first));
        if (!watchlist) return missing("Microsoft.SecurityInsights/watchlists", first);
        return this.page("watchlistItems", watchlist.items, request, apiVersion, fault);
      }
      case "watchlistItem": {
        const watchlist = w.watchlists.find((x) => eq(x.body.name, first));
        if (!watchlist) return missing("Microsoft.SecurityInsights/watchlists", first);
        return maybe(findBody(watchlist.items, second), ok, () =>
          missing(`Microsoft.SecurityInsights/watchlists/${first}/watchlistItems`, second),
        );
      }
      case "savedSearches":
        // The saved-search list has no nextLink in the API: always everything.
        return ok({ value: w.savedSearches });
      case "savedSearch":
        return maybe(findBody(w.savedSearches, first), ok, () => missing("Microsoft.OperationalInsights/workspaces/savedSearches", first));
      case "tables":
        return this.page("tables", w.tables, request, apiVersion, fault);
      case "table":
        return maybe(findBody(w.tables, first), ok, () => missing("Microsoft.OperationalInsights/workspaces/tables", first));
    }
  }

  private page(
    collection: PagedCollection,
    items: readonly ArmResourceBody[],
    request: ArmRequest,
    apiVersion: string,
    fault: FaultKind | undefined,
    shape: (body: ArmResourceBody) => ArmResourceBody = (body) => body,
  ): Omit<ArmReply, "authenticated" | "write"> {
    const hostile = fault ? this.hostilePage(items, request, apiVersion, fault, shape) : undefined;
    if (hostile) return hostile;
    const size = this.pageSizes[collection];
    const token = request.query.get("$skipToken");
    let offset = 0;
    if (token !== null) {
      const decoded = decodeSkipToken(token);
      if (decoded === undefined)
        return armError(400, "InvalidSkipToken", "The $skipToken is not valid; it must be the one from the previous page's nextLink.");
      offset = decoded;
    }
    if (size === 0) return { status: 200, body: { value: items.slice(offset).map(shape) }, headers: {}, delivery: "normal", delayMs: 0 };
    const end = offset + size;
    const body: { value: readonly ArmResourceBody[]; nextLink?: string } = { value: items.slice(offset, end).map(shape) };
    if (end < items.length) {
      // ARM's nextLink repeats the path and api-version and adds an opaque, encoded $skipToken.
      body.nextLink = `${this.origin}${request.path}?api-version=${encodeURIComponent(apiVersion)}&%24skipToken=${encodeSkipToken(end)}`;
    }
    return { status: 200, body, headers: {}, delivery: "normal", delayMs: 0 };
  }

  /** Pages that a hostile server sends (see faults.ts); undefined for faults that are not about pages. */
  private hostilePage(
    items: readonly ArmResourceBody[],
    request: ArmRequest,
    apiVersion: string,
    fault: FaultKind,
    shape: (body: ArmResourceBody) => ArmResourceBody,
  ): Omit<ArmReply, "authenticated" | "write"> | undefined {
    if (!PAGE_FAULTS.has(fault)) return undefined;
    const size = Math.max(1, this.pageSizes.alertRules || 50);
    const token = request.query.get("$skipToken");
    const offset = token === null ? 0 : (decodeSkipToken(token) ?? 0);
    const link = (origin: string, skipToken: string) =>
      `${origin}${request.path}?api-version=${encodeURIComponent(apiVersion)}&%24skipToken=${skipToken}`;
    // Past the real items, made-up ones with ids of their own, so each endless page is new.
    const made = (i: number): ArmResourceBody => {
      const real = items[i];
      if (real) return shape(real);
      const template = items[0] ?? { id: `${request.path}/x`, name: "x", type: "made-up", properties: {} };
      const name = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
      return { ...shape(template), id: `${request.path}/${name}`, name };
    };
    const value = Array.from({ length: size }, (_, i) => made(offset + i)).filter(
      (_, i) => fault === "endlessPages" || offset + i < items.length,
    );
    const nextLink =
      fault === "selfLink"
        ? link(this.origin, token ?? Buffer.from(JSON.stringify({ o: size, r: "loop" })).toString("base64url"))
        : fault === "repeatPage"
          ? link(this.origin, encodeSkipToken(offset))
          : fault === "endlessPages"
            ? link(this.origin, encodeSkipToken(offset + size))
            : link(this.decoyOrigin, encodeSkipToken(offset + size));
    return { status: 200, body: { value, nextLink }, headers: {}, delivery: "normal", delayMs: 0 };
  }
}

const PAGE_FAULTS = new Set<FaultKind>(["selfLink", "repeatPage", "endlessPages", "foreignLink"]);

function maybe<T>(
  value: T | undefined,
  found: (v: T) => Omit<ArmReply, "authenticated" | "write">,
  notFound: () => Omit<ArmReply, "authenticated" | "write">,
) {
  return value === undefined ? notFound() : found(value);
}

function deliveryOf(fault: StandInFault): ArmReply["delivery"] {
  return fault.kind === "malformed" || fault.kind === "truncated" ? fault.kind : "normal";
}
