/**
 * The Entra ID (AAD) endpoints MSAL's client-credentials flow uses, so the real
 * `ClientSecretCredential` and `DefaultAzureCredential` (EnvironmentCredential) run unmodified:
 *
 *   GET  /{tenant}/v2.0/.well-known/openid-configuration   (MSAL's endpoint discovery)
 *   POST /{tenant}/oauth2/v2.0/token                      (grant_type=client_credentials)
 *
 * MSAL's *instance* discovery always goes to login.microsoftonline.com, never to a custom
 * authority, so a client must set `disableInstanceDiscovery: true` to use this authority.
 *
 * Errors have AAD's shape and status: an unknown tenant is 400 invalid_request (AADSTS90002),
 * an unknown client 400 unauthorized_client (AADSTS700016), a wrong or missing secret
 * 401 invalid_client (AADSTS7000215 / AADSTS7000216), an unknown resource 400 invalid_resource
 * (AADSTS500011). Issued tokens are random opaque strings, kept only in memory.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

export interface EntraCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface EntraOptions extends EntraCredentials {
  /** Origin of the stand-in, e.g. https://127.0.0.1:8443 (the authority host). */
  origin: string;
  /** Resources (audiences) tokens may be issued for, without `/.default`. */
  audiences: readonly string[];
  tokenLifetimeSeconds: number;
}

export interface EntraResponse {
  status: number;
  body: Record<string, unknown>;
  route: "openidConfiguration" | "token" | "keys" | "unknown";
  /** AAD error code, for the request log. */
  error?: string;
}

export type BearerCheck = { valid: true } | { valid: false; code: string; message: string };

interface IssuedToken {
  expiresAt: number;
  audience: string;
}

function sameText(a: string, b: string): boolean {
  // Hash first so lengths match; compare in constant time so the stand-in is no timing oracle.
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

function normaliseAudience(resource: string): string {
  return resource.replace(/\/+$/, "").toLowerCase();
}

export class EntraStandIn {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly audiences: Set<string>;

  constructor(private readonly options: EntraOptions) {
    this.audiences = new Set(options.audiences.map(normaliseAudience));
  }

  /** True when the path belongs to the identity endpoints (its first segment is the tenant). */
  static owns(path: string): boolean {
    return /^\/[^/]+\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token|discovery\/v2\.0\/keys)\/?$/i.test(path);
  }

  handle(method: string, path: string, form: URLSearchParams): EntraResponse {
    const [, tenant = "", ...rest] = path.split("/");
    const tail = rest.join("/").toLowerCase().replace(/\/$/, "");
    if (tail === "v2.0/.well-known/openid-configuration" && method === "GET") return this.openidConfiguration(decodeURIComponent(tenant));
    if (tail === "discovery/v2.0/keys" && method === "GET") return { status: 200, body: { keys: [] }, route: "keys" };
    if (tail === "oauth2/v2.0/token" && method === "POST") return this.token(decodeURIComponent(tenant), form);
    return this.error(
      405,
      "invalid_request",
      900561,
      `The endpoint only accepts ${tail.startsWith("oauth2") ? "POST" : "GET"} requests. Received a ${method} request.`,
      "unknown",
    );
  }

  /** The access tokens issued so far: tests assert none of them ever appears in output or logs. */
  issuedTokens(): string[] {
    return [...this.tokens.keys()];
  }

  /** Checks an ARM request's Authorization header against the tokens this stand-in issued. */
  checkBearer(header: string | undefined): BearerCheck {
    if (!header)
      return { valid: false, code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is missing." };
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      return {
        valid: false,
        code: "InvalidAuthenticationToken",
        message: "The access token is invalid. The 'Authorization' header must be 'Bearer <token>'.",
      };
    }
    const issued = this.tokens.get(match[1]);
    if (!issued) return { valid: false, code: "InvalidAuthenticationToken", message: "The access token is invalid." };
    if (issued.expiresAt <= Date.now()) {
      return {
        valid: false,
        code: "ExpiredAuthenticationToken",
        message: `The access token expiry UTC time '${new Date(issued.expiresAt).toUTCString()}' is earlier than current UTC time '${new Date().toUTCString()}'.`,
      };
    }
    if (!this.audiences.has(issued.audience)) {
      return {
        valid: false,
        code: "InvalidAuthenticationTokenAudience",
        message: "The access token has been obtained for wrong audience or resource.",
      };
    }
    return { valid: true };
  }

  private tenantMatches(tenant: string): boolean {
    return tenant.toLowerCase() === this.options.tenantId.toLowerCase();
  }

  private openidConfiguration(tenant: string): EntraResponse {
    if (!this.tenantMatches(tenant)) return this.unknownTenant(tenant, "openidConfiguration", "invalid_tenant");
    const base = `${this.options.origin}/${this.options.tenantId}`;
    return {
      status: 200,
      route: "openidConfiguration",
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ["query", "fragment", "form_post"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        // MSAL checks that the issuer has the authority's scheme and host.
        issuer: `${base}/v2.0`,
        request_uri_parameter_supported: false,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        tenant_region_scope: "EU",
        cloud_instance_name: "microsoftonline.com",
        cloud_graph_host_name: "graph.windows.net",
        msgraph_host: "graph.microsoft.com",
      },
    };
  }

  private token(tenant: string, form: URLSearchParams): EntraResponse {
    if (!this.tenantMatches(tenant)) return this.unknownTenant(tenant, "token", "invalid_request");
    const grantType = form.get("grant_type");
    if (grantType !== "client_credentials") {
      return this.error(
        400,
        "unsupported_grant_type",
        70003,
        `The app requested an unsupported grant type '${grantType ?? ""}'. The stand-in supports client_credentials only.`,
        "token",
      );
    }
    const clientId = form.get("client_id") ?? "";
    if (clientId.toLowerCase() !== this.options.clientId.toLowerCase()) {
      return this.error(
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${this.options.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
        "token",
      );
    }
    const secret = form.get("client_secret");
    if (secret === null || secret === "") {
      return this.error(
        401,
        "invalid_client",
        7000216,
        "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
        "token",
      );
    }
    if (!sameText(secret, this.options.clientSecret)) {
      return this.error(
        401,
        "invalid_client",
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${this.options.clientId}'.`,
        "token",
      );
    }
    // Client credentials take exactly one `<resource>/.default` scope; MSAL may add OIDC scopes.
    const scopes = (form.get("scope") ?? "").split(/\s+/).filter((s) => s !== "" && !["openid", "profile", "offline_access"].includes(s));
    const resource = scopes.length === 1 && scopes[0]?.endsWith("/.default") ? scopes[0].slice(0, -"/.default".length) : undefined;
    if (resource === undefined) {
      return this.error(
        400,
        "invalid_scope",
        1002012,
        `The provided value for scope '${scopes.join(" ")}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        "token",
      );
    }
    if (!this.audiences.has(normaliseAudience(resource))) {
      return this.error(
        400,
        "invalid_resource",
        500011,
        `The resource principal named ${resource} was not found in the tenant named ${this.options.tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
        "token",
      );
    }
    const accessToken = randomBytes(32).toString("base64url");
    const lifetime = this.options.tokenLifetimeSeconds;
    this.tokens.set(accessToken, { expiresAt: Date.now() + lifetime * 1000, audience: normaliseAudience(resource) });
    return {
      status: 200,
      route: "token",
      body: { token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken },
    };
  }

  private unknownTenant(tenant: string, route: EntraResponse["route"], error: string): EntraResponse {
    return this.error(
      400,
      error,
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
      route,
    );
  }

  private error(status: number, error: string, code: number, description: string, route: EntraResponse["route"]): EntraResponse {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = new Date()
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d+Z$/, "Z");
    return {
      status,
      route,
      error,
      body: {
        error,
        error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
        error_codes: [code],
        timestamp,
        trace_id: traceId,
        correlation_id: correlationId,
        error_uri: `${this.options.origin}/error?code=${code}`,
      },
    };
  }
}
