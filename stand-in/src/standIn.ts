/**
 * A local stand-in for Azure over real HTTPS on loopback: Entra ID's client-credentials token
 * endpoint and the ARM endpoints for one Sentinel workspace (reads, and the writes of saved
 * searches, watchlists and watchlist items). The real Azure SDK
 * clients and credential classes run against it unmodified; only their endpoints, the CA they
 * trust and `disableInstanceDiscovery` differ from production.
 *
 * Every request is recorded (method, path, query, status, whether it carried a valid token),
 * never a header or body, so no secret or token ends up in the log.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { ArmStandIn, type ArmReply } from "./arm";
import { renderWorkspace, DEFAULT_STAND_IN_TENANT_ID } from "./armResources";
import { createServerCertificates } from "./certificates";
import { EntraStandIn, type EntraCredentials } from "./entra";
import { FaultPlan, resolvePageSizes, type ArmRoute, type FaultKind, type PageSizeOption, type StandInFault } from "./faults";
import { parseStandInState, type StandInState } from "./state";

export interface StandInOptions {
  state: StandInState;
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Page size of every paged collection, or per collection (0 = no paging). Defaults: 50 rules / watchlists, 100 items, tables unpaged. */
  pageSize?: PageSizeOption;
  /** Faults active from the start (see `setFaults`). */
  faults?: readonly StandInFault[];
  /** The service principal the token endpoint accepts; random values when absent (tenant: the state's tenantId). */
  credentials?: Partial<EntraCredentials>;
  /** `expires_in` of issued tokens. Default 3599, like Entra. */
  tokenLifetimeSeconds?: number;
  /** Resources tokens may be issued for. Default: ARM's audiences in the public cloud. */
  audiences?: readonly string[];
  /** Names the server certificate is valid for (default: localhost, 127.0.0.1, ::1); others make clients see a host-name mismatch. */
  certificateNames?: readonly string[];
  /** Called once per request, after its response was sent (or dropped). */
  onRequest?: (request: Readonly<StandInRequest>) => void;
  /**
   * Serve resource names ARM refuses ('/', '?', '#', '%', '\\'), as a hostile server or a man in
   * the middle could; for tests of what clients do with them.
   */
  allowUnsafeNames?: boolean;
  /** How long a watchlist's rawContent upload stays InProgress before its items appear. Default 0. */
  watchlistUploadDelayMs?: number;
}

export interface StandInRequest {
  /** 1-based order of arrival. */
  seq: number;
  method: string;
  /** URL path as sent (percent-encoded). */
  path: string;
  /** Query parameters (ARM queries carry no secrets: api-version, $skipToken). */
  query: Record<string, string>;
  surface: "arm" | "entra" | "other";
  /** ARM route, or `token` / `openidConfiguration` for Entra. */
  route?: ArmRoute | "token" | "openidConfiguration" | "keys" | "unknown";
  apiVersion?: string;
  /** 0 until the response is sent. */
  status: number;
  /** ARM: the request carried a token this stand-in issued, unexpired. Entra: always false. */
  authenticated: boolean;
  /** PUT / PATCH / POST / DELETE to ARM. */
  write: boolean;
  /** ARM error code or AAD error of an error response. */
  error?: string;
  fault?: FaultKind;
}

export interface StandIn {
  /** https://127.0.0.1:{port} */
  readonly url: string;
  /** Pass as the ARM endpoint (`--arm-endpoint`, AzureTarget.armEndpoint). Same origin as `url`. */
  readonly armEndpoint: string;
  /** Pass as the authority host (`--authority-host`, AZURE_AUTHORITY_HOST). Same origin as `url`. */
  readonly authorityHost: string;
  /** The throwaway CA that signed the server certificate; trust it in the client. */
  readonly caPem: string;
  /** The one service principal the token endpoint accepts. */
  readonly credentials: Readonly<EntraCredentials>;
  /** Every request so far, in order of arrival (live array). */
  readonly requests: readonly StandInRequest[];
  /** Every write attempted against ARM (PUT / PATCH / POST / DELETE). */
  writes(): StandInRequest[];
  /**
   * A second HTTPS server on another port (another origin), which the `foreignLink` and
   * `redirect` faults send clients to. It answers every GET with a page of made-up rules.
   */
  readonly decoyUrl: string;
  /** What reached the decoy: path, and whether the request carried an Authorization header. */
  readonly decoyRequests: readonly { path: string; authorization: boolean }[];
  /** The workspace as it is now, with every write applied. */
  currentState(): StandInState;
  /** The access tokens issued so far, so tests can prove none leaks into output or logs. */
  issuedTokens(): string[];
  /** Replaces the pending faults; takes effect for the next request. */
  setFaults(faults: readonly StandInFault[]): void;
  /** Uses left of the faults that have a `times` count. */
  faultsRemaining(): number;
  setPageSize(pageSize: PageSizeOption): void;
  /** Serves another workspace state from now on. */
  setState(state: StandInState): void;
  /** Forgets the recorded requests. */
  clearRequests(): void;
  close(): Promise<void>;
}

const ARM_AUDIENCES = ["https://management.azure.com", "https://management.core.windows.net"];
const CREDENTIAL_PARAMETER = /secret|password|assertion|access_token|refresh_token|^code$/i;

interface WireReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  delivery: ArmReply["delivery"];
  delayMs: number;
}

/** ARM refuses request bodies over 4 MB; nothing the stand-in serves needs more. */
const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

function readBody(req: IncomingMessage, limit = BODY_LIMIT_BYTES): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("end", () => resolve({ text: Buffer.concat(chunks).toString("utf8"), tooLarge: size > limit }));
    req.on("error", reject);
  });
}

export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  const parseState = (value: unknown) =>
    parseStandInState(value, "the stand-in state", { allowUnsafeNames: options.allowUnsafeNames === true });
  let state = parseState(options.state);
  const credentials: EntraCredentials = {
    tenantId: options.credentials?.tenantId ?? state.tenantId ?? DEFAULT_STAND_IN_TENANT_ID,
    clientId: options.credentials?.clientId ?? randomUUID(),
    clientSecret: options.credentials?.clientSecret ?? `standin~${randomBytes(24).toString("base64url")}`,
  };
  const tls = createServerCertificates(undefined, options.certificateNames);
  const faults = new FaultPlan();
  faults.set(options.faults ?? []);
  const requests: StandInRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  // The origin is known only once the port is; handlers read these after listen().
  let origin = "";
  let entra: EntraStandIn | undefined;
  let arm: ArmStandIn | undefined;

  const server: Server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    void handle(req, res).catch((error: unknown) => {
      // A bug in the stand-in must surface as a 500 the client sees, not as a hang.
      if (!res.headersSent)
        send(res, {
          status: 500,
          headers: {},
          body: { error: { code: "StandInError", message: String(error) } },
          delivery: "normal",
          delayMs: 0,
        });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", origin);
    const method = (req.method ?? "GET").toUpperCase();
    const record: StandInRequest = {
      seq: requests.length + 1,
      method,
      path: url.pathname,
      // Neither ARM nor MSAL puts credentials in a query; drop any that look like one anyway.
      query: Object.fromEntries([...url.searchParams].filter(([key]) => !CREDENTIAL_PARAMETER.test(key))),
      surface: "other",
      status: 0,
      authenticated: false,
      write: false,
    };
    requests.push(record);
    const { text: body, tooLarge } = await readBody(req);

    if (EntraStandIn.owns(url.pathname) && entra) {
      record.surface = "entra";
      const reply = entra.handle(method, url.pathname, new URLSearchParams(body));
      record.route = reply.route;
      if (reply.error) record.error = reply.error;
      record.status = reply.status;
      send(
        res,
        {
          status: reply.status,
          headers: { "Cache-Control": "no-store, no-cache", Pragma: "no-cache" },
          body: reply.body,
          delivery: "normal",
          delayMs: 0,
        },
        record,
      );
      return;
    }
    if (!arm) throw new Error("the stand-in received a request before it finished starting");
    record.surface = "arm";
    if (tooLarge) {
      record.status = 413;
      record.error = "RequestEntityTooLarge";
      send(
        res,
        {
          status: 413,
          headers: {},
          body: { error: { code: "RequestEntityTooLarge", message: `The request body is larger than ${BODY_LIMIT_BYTES} bytes.` } },
          delivery: "normal",
          delayMs: 0,
        },
        record,
      );
      return;
    }
    const reply = arm.handle(
      { method, path: url.pathname, query: url.searchParams, authorization: req.headers.authorization, body },
      (route) => faults.take(route),
    );
    record.authenticated = reply.authenticated;
    record.write = reply.write;
    if (reply.route) record.route = reply.route;
    if (reply.apiVersion) record.apiVersion = reply.apiVersion;
    if (reply.error) record.error = reply.error;
    if (reply.fault) record.fault = reply.fault;
    record.status = reply.status;
    const requestId = randomUUID();
    send(
      res,
      {
        ...reply,
        headers: {
          "x-ms-request-id": requestId,
          "x-ms-correlation-request-id": requestId,
          "x-ms-routing-request-id": `LOCAL:${new Date().toISOString().replace(/[-:.]/g, "")}:${requestId}`,
          ...reply.headers,
        },
      },
      record,
    );
  }

  function send(res: ServerResponse, reply: WireReply, record?: StandInRequest): void {
    const write = (): void => {
      if (record) options.onRequest?.(record);
      if (res.destroyed || res.writableEnded) return;
      const text = JSON.stringify(reply.body);
      const headers = { "Content-Type": "application/json; charset=utf-8", ...reply.headers };
      if (reply.delivery === "malformed") {
        // A complete HTTP response whose JSON stops mid-way: a parser error, not a network error.
        const broken = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
        res.writeHead(reply.status, { ...headers, "Content-Length": Buffer.byteLength(broken) });
        res.end(broken);
      } else if (reply.delivery === "truncated") {
        // Promise the whole body, send half, then cut the connection.
        res.writeHead(reply.status, { ...headers, "Content-Length": Buffer.byteLength(text) });
        res.write(text.slice(0, Math.floor(text.length / 2)), () => res.destroy());
      } else {
        res.writeHead(reply.status, { ...headers, "Content-Length": Buffer.byteLength(text) });
        res.end(text);
      }
    };
    if (reply.delayMs <= 0) return write();
    const timer = setTimeout(() => {
      timers.delete(timer);
      write();
    }, reply.delayMs);
    timers.add(timer);
  }

  // The decoy: another origin that a hostile nextLink or redirect can name. It never sees a
  // valid request in a correct client; tests assert it saw nothing, token or not.
  const decoyRequests: { path: string; authorization: boolean }[] = [];
  const decoy: Server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    const url = new URL(req.url ?? "/", "https://decoy");
    decoyRequests.push({ path: url.pathname, authorization: req.headers.authorization !== undefined });
    const body = JSON.stringify({
      value: [
        {
          id: `${url.pathname}/ffffffff-0000-4000-8000-000000000001`,
          name: "ffffffff-0000-4000-8000-000000000001",
          type: "Microsoft.SecurityInsights/alertRules",
          kind: "Scheduled",
          properties: { displayName: "Injected by the decoy", enabled: true, query: "print 1" },
        },
      ],
    });
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  });
  const listen = (s: Server, port: number) =>
    new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => {
        s.off("error", reject);
        resolve();
      });
    });
  await listen(server, options.port ?? 0);
  await listen(decoy, 0);
  const port = (server.address() as AddressInfo).port;
  origin = `https://127.0.0.1:${port}`;
  const decoyOrigin = `https://127.0.0.1:${(decoy.address() as AddressInfo).port}`;
  entra = new EntraStandIn({
    ...credentials,
    origin,
    audiences: options.audiences ?? ARM_AUDIENCES,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
  });
  const schedule = (fn: () => void, ms: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  arm = new ArmStandIn(origin, decoyOrigin, entra, { state, rendered: renderWorkspace(state) }, resolvePageSizes(options.pageSize), {
    uploadDelayMs: options.watchlistUploadDelayMs ?? 0,
    schedule,
  });
  const armRef = arm;

  return {
    url: origin,
    armEndpoint: origin,
    authorityHost: origin,
    caPem: tls.caPem,
    credentials,
    requests,
    writes: () => requests.filter((r) => r.write),
    decoyUrl: decoyOrigin,
    decoyRequests,
    currentState: () => armRef.currentState(),
    issuedTokens: () => entra.issuedTokens(),
    setFaults: (next) => faults.set(next),
    faultsRemaining: () => faults.remaining(),
    setPageSize: (pageSize) => armRef.setPageSizes(resolvePageSizes(pageSize)),
    setState: (next) => {
      state = parseState(next);
      armRef.setWorkspace(state, renderWorkspace(state));
    },
    clearRequests: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        decoy.close();
        decoy.closeAllConnections();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
