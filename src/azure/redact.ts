/**
 * Removes secrets and tokens from text before it reaches an error message, output or a log.
 *
 * Messages we build quote Azure's error bodies and the credential's explanation; neither is
 * supposed to echo a secret, but a proxy, a misconfigured endpoint or a future SDK could, so
 * every message passes through here: known secret values from the environment, bearer
 * tokens, JWTs and form or JSON fields named like credentials are replaced.
 */

const SECRET_ENV_VARS = ["AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "AZURE_PASSWORD", "ARM_CLIENT_SECRET"];
const REDACTED = "[REDACTED]";

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

/** `text` with every known secret value and token-shaped substring replaced by [REDACTED]. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = [], env: NodeJS.ProcessEnv = process.env): string {
  let result = text;
  const known = [...secrets, ...SECRET_ENV_VARS.map((name) => env[name])]
    // Very short values would redact ordinary words; real secrets are long.
    .filter((s): s is string => typeof s === "string" && s.length >= 6)
    .sort((a, b) => b.length - a.length);
  for (const secret of known) result = result.split(secret).join(REDACTED);
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}
