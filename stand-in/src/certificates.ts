/**
 * A throwaway certificate authority and a loopback server certificate it
 * signs, so the stand-in serves real HTTPS and clients verify it the normal
 * way (trusting the CA, never by turning verification off). Both are made at
 * start-up and live only in memory; nothing touches the machine's trust store.
 *
 * Keys come from node:crypto (fast, native); node-forge builds and signs the
 * X.509 structures, which node:crypto cannot do. Why node-forge: it has no
 * dependencies and needs no global set-up, and its typings are maintained in
 * DefinitelyTyped. @peculiar/x509 2.x needs the `reflect-metadata` polyfill
 * installed on the global `Reflect` before it loads, and `selfsigned` 5 is a
 * wrapper over @peculiar/x509 1.x and pkijs (two more dependency trees).
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import forge from "node-forge";

export interface ServerCertificates {
  /** The CA certificate (PEM) clients must trust: write it to a file for NODE_EXTRA_CA_CERTS. */
  caPem: string;
  /** The server's certificate (PEM), valid for localhost, 127.0.0.1 and ::1. */
  certPem: string;
  /** The server's private key (PEM). */
  keyPem: string;
}

function keyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString()),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString()) as forge.pki.rsa.PublicKey,
  };
}

/** Positive serial numbers of 16 random bytes, as RFC 5280 expects. */
const serial = () => `01${randomBytes(15).toString("hex")}`;

type Name = forge.pki.CertificateField[];

/** One certificate, signed by `issuerKey`. */
function certificate(
  subject: Name,
  issuer: Name,
  publicKey: forge.pki.rsa.PublicKey,
  issuerKey: forge.pki.rsa.PrivateKey,
  validDays: number,
  extensions: object[],
) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + validDays * 86_400_000);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  cert.setExtensions(extensions);
  cert.sign(issuerKey, forge.md.sha256.create());
  return cert;
}

/** The names the server certificate is valid for by default: every way a client on this machine reaches the stand-in. */
export const LOOPBACK_NAMES: readonly string[] = ["localhost", "127.0.0.1", "::1"];

/** `names` are host names and IP addresses; a test passes others to serve a certificate for the wrong host. */
export function createServerCertificates(validDays = 2, names: readonly string[] = LOOPBACK_NAMES): ServerCertificates {
  const caKeys = keyPair();
  const caName: Name = [{ name: "commonName", value: "sentinel-iac stand-in throwaway CA" }];
  const ca = certificate(caName, caName, caKeys.publicKey, caKeys.privateKey, validDays, [
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);

  const serverKeys = keyPair();
  const cert = certificate(
    [{ name: "commonName", value: names[0] ?? "localhost" }],
    caName,
    serverKeys.publicKey,
    caKeys.privateKey,
    validDays,
    [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: names.map((n) => (isIP(n) === 0 ? { type: 2, value: n } : { type: 7, ip: n })),
      },
    ],
  );

  return {
    caPem: forge.pki.certificateToPem(ca),
    certPem: forge.pki.certificateToPem(cert),
    keyPem: forge.pki.privateKeyToPem(serverKeys.privateKey),
  };
}
