/**
 * TLS failures said as what they are. A certificate the client does not trust (the local
 * stand-in's, or a corporate proxy that inspects TLS) or one issued for another host name
 * otherwise surfaces as a sign-in failure ("check the client id and secret": MSAL reports
 * only `endpoints_resolution_error`) or as an unreachable endpoint, which sends the user the
 * wrong way.
 */
import { connect } from "node:tls";
import { isIP } from "node:net";
import { rootCertificates } from "node:tls";

// Node's (OpenSSL's) verification codes, by what the user has to do about them.
const UNTRUSTED = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);
const WRONG_NAME = new Set(["ERR_TLS_CERT_ALTNAME_INVALID", "HOSTNAME_MISMATCH"]);
const WRONG_TIME = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);
const NOT_TLS = new Set(["ERR_SSL_WRONG_VERSION_NUMBER", "EPROTO"]);

export function isTlsFailure(code: string | undefined): boolean {
  return code !== undefined && (UNTRUSTED.has(code) || WRONG_NAME.has(code) || WRONG_TIME.has(code) || NOT_TLS.has(code));
}

/** What went wrong with `url`'s certificate and how to fix it; undefined when `code` is not a TLS failure. */
export function describeTlsFailure(code: string | undefined, url: string): string | undefined {
  if (!isTlsFailure(code)) return undefined;
  const host = new URL(url).host;
  if (UNTRUSTED.has(code as string)) {
    return (
      `the TLS certificate of ${host} is not signed by a certificate authority this machine trusts (${code}). ` +
      "For the local stand-in, start the command with NODE_EXTRA_CA_CERTS set to the stand-in's CA file (`npm run stand-in` prints it); " +
      "behind a corporate proxy that inspects TLS, set NODE_EXTRA_CA_CERTS to the proxy's root CA certificate (a PEM file). " +
      "Do not turn certificate checks off"
    );
  }
  if (WRONG_NAME.has(code as string)) {
    return (
      `the TLS certificate of ${host} was issued for another host name (${code}). ` +
      "Use the host name the certificate names (the local stand-in's are 127.0.0.1 and localhost), " +
      "or check that a proxy is not answering in the endpoint's place"
    );
  }
  if (WRONG_TIME.has(code as string)) {
    return `the TLS certificate of ${host} has expired or is not valid yet (${code}); check this machine's clock and date`;
  }
  return `${host} did not answer with TLS (${code}); check that the endpoint is an https:// address of the right port`;
}

/**
 * Opens a TLS connection to `url` with the client's trust (Node's roots, NODE_EXTRA_CA_CERTS,
 * and `caPem` when given) and returns the verification failure's code, or undefined when the
 * handshake succeeds or fails for another reason. Used after a sign-in failed, to tell a
 * certificate problem from a credential problem.
 */
export function probeTls(url: string, caPem: string | undefined, timeoutMs: number): Promise<string | undefined> {
  const { hostname, port } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, "");
  return new Promise((done) => {
    const socket = connect({
      host,
      port: Number(port || 443),
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ...(caPem ? { ca: [...rootCertificates, caPem] } : {}),
    });
    const finish = (code: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      done(code);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.once("secureConnect", () => finish(undefined));
    socket.once("error", (error: NodeJS.ErrnoException) => finish(isTlsFailure(error.code) ? error.code : undefined));
  });
}
