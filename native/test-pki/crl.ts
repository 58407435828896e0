/**
 * Test certificate revocation lists (RFC 5280 §5): the test JPKI CA's CRL (the centre's
 * fallback when OCSP is unavailable) and the centre's terminal CA's CRL (revoked kiosks).
 * Test and demo material only.
 */
import { webcrypto } from 'node:crypto';
import * as x509 from './x509.ts';

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

const SHA256_RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

/** RFC 5280 CRLReason codes the project uses (the numbers are the standard's). */
export const CrlReason = x509.X509CrlReason;
export type CrlReason = x509.X509CrlReason;

export interface RevokedEntry {
  /** Hex, any case; leading zeros allowed. */
  serialNumberHex: string;
  revokedAt: Date;
  reason?: CrlReason;
}

/** Who signs a CRL: any CA certificate and its private key (the JPKI test CA, the terminal CA). */
export interface CrlIssuer {
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
}

export interface CreateCrlOptions {
  entries: readonly RevokedEntry[];
  thisUpdate: Date;
  nextUpdate: Date;
  /** CRL number (monotonic); defaults to thisUpdate in seconds. */
  crlNumber?: number;
  /** Sign with another key than the issuer's (tests of a forged CRL). */
  signingKey?: CryptoKey;
  /** Default sha256WithRSAEncryption; ECDSA issuers pass `{ name: 'ECDSA', hash: 'SHA-256' }`. */
  signingAlgorithm?: Algorithm | EcdsaParams;
}

function evenHex(serial: string): string {
  let hex = serial
    .toLowerCase()
    .replace(/^0x/, '')
    .replace(/^0+(?=.)/, '');
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return hex;
}

/** A DER CRL signed by `issuer` (sha256WithRSAEncryption unless told otherwise). */
export async function createCrl(issuer: CrlIssuer, opts: CreateCrlOptions): Promise<Uint8Array> {
  const crlNumber = opts.crlNumber ?? Math.floor(opts.thisUpdate.getTime() / 1000);
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.certificate.subjectName,
    thisUpdate: opts.thisUpdate,
    nextUpdate: opts.nextUpdate,
    signingKey: opts.signingKey ?? issuer.privateKey,
    signingAlgorithm: opts.signingAlgorithm ?? SHA256_RSA,
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate, false, crypto),
      new x509.Extension('2.5.29.20', false, crlNumberValue(crlNumber)),
    ],
    entries: opts.entries.map((entry) => ({
      serialNumber: evenHex(entry.serialNumberHex),
      revocationDate: entry.revokedAt,
      ...(entry.reason === undefined ? {} : { reason: entry.reason }),
    })),
  });
  return new Uint8Array(crl.rawData);
}

/** DER INTEGER for the cRLNumber extension value. */
function crlNumberValue(n: number): ArrayBuffer {
  let hex = Math.max(0, Math.trunc(n)).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  const body = Buffer.from(hex, 'hex');
  return Uint8Array.from([0x02, body.length, ...body]).buffer;
}

export function crlPem(der: Uint8Array): string {
  return x509.PemConverter.encode(Uint8Array.from(der).buffer, 'X509 CRL') + '\n';
}
