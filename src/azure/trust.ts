/**
 * Trusting one extra CA (the local stand-in's) in this process only.
 *
 * The Azure SDK's Node HTTP client takes `tlsOptions.ca`, which *replaces* Node's bundled
 * Mozilla roots, so the extra CA is appended to `tls.rootCertificates` rather than used alone:
 * the same client can still reach real Azure. A child process is given the CA through
 * NODE_EXTRA_CA_CERTS instead, which Node reads once at start-up.
 */
import type { TlsSettings } from "@azure/core-rest-pipeline";
import { rootCertificates } from "node:tls";

/** Client options that trust Node's default roots plus `caPem`; empty when no CA is given. */
export function extraCaTrust(caPem: string | undefined): { tlsOptions?: TlsSettings } {
  if (caPem === undefined) return {};
  if (!/-----BEGIN CERTIFICATE-----/.test(caPem)) {
    throw new Error("caPem is not a PEM certificate; pass the text of the CA file (-----BEGIN CERTIFICATE----- ...), not its path");
  }
  return { tlsOptions: { ca: [...rootCertificates, caPem] } };
}
