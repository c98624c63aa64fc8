/**
 * Removes secrets and tokens from text before it reaches an error message, output or a log.
 *
 * Messages we build quote Azure's error bodies and the credential's explanation; neither is
 * supposed to echo a secret, but a proxy, a misconfigured endpoint or a future SDK could, so
 * every message passes through here: every token the credential handed out (by value, whatever
 * its shape: an opaque token matches no pattern), known secret values from the environment,
 * bearer tokens, JWTs and form or JSON fields named like credentials are replaced. The Azure
 * SDK's own log (AZURE_LOG_LEVEL) passes through here too.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import { AzureLogger } from "@azure/logger";
import { format } from "node:util";

/**
 * Secrets in the environment: those the SDK's credentials and azure-native's sign-in read, and
 * Azure DevOps' job token. The deploy also registers each secret it read from stack config
 * (rememberSecret).
 */
export const SECRET_ENV_VARS = [
  "AZURE_CLIENT_SECRET",
  "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  "AZURE_PASSWORD",
  "ARM_CLIENT_SECRET",
  "ARM_CLIENT_CERTIFICATE_PASSWORD",
  "ARM_OIDC_TOKEN",
  "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
  "SYSTEM_ACCESSTOKEN",
];
const REDACTED = "[REDACTED]";
/** Very short values would redact ordinary words; real secrets are long. */
const MIN_SECRET_LENGTH = 6;

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // Authorization: Bearer <token>
  [/\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
  // JWTs (access, id and client-assertion tokens)
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // form fields: client_secret=..., access_token=..., client_assertion=...
  [/\b(client_secret|access_token|refresh_token|id_token|client_assertion|password|assertion)=[^&\s"']+/gi, `$1=${REDACTED}`],
  // JSON fields: "client_secret": "..."
  [
    /"(client_secret|clientSecret|access_token|accessToken|refresh_token|id_token|client_assertion|password|token)"\s*:\s*"[^"]*"/gi,
    `"$1":"${REDACTED}"`,
  ],
];

/** Every token a credential of this process handed out, and every secret it was configured with: redacted wherever it appears. */
const issuedTokens = new Set<string>();

/** Redacts `secret` by value from now on in this process (a client secret, a password, an OIDC token). */
export function rememberSecret(secret: string | undefined): void {
  if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH) issuedTokens.add(secret);
}

/** A credential that remembers each token it returns, so redactSecrets removes it by value. */
export function rememberingTokens(credential: TokenCredential): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const token = await credential.getToken(scopes, options);
      if (token?.token) issuedTokens.add(token.token);
      return token;
    },
  };
}

let logsRedacted = false;

/** Routes the Azure SDK's log output (AZURE_LOG_LEVEL) through redactSecrets, on stderr as before. */
export function redactAzureLogs(): void {
  if (logsRedacted) return;
  logsRedacted = true;
  AzureLogger.log = (...args: unknown[]) => {
    process.stderr.write(`${redactSecrets(format(...args))}\n`);
  };
}

/** `text` with every known secret value and token-shaped substring replaced by [REDACTED]. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = [], env: NodeJS.ProcessEnv = process.env): string {
  let result = text;
  const known = [...secrets, ...issuedTokens, ...SECRET_ENV_VARS.map((name) => env[name])]
    .filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  for (const secret of known) result = result.split(secret).join(REDACTED);
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}
