/**
 * CRL fallback (RFC 5280 §6.3, simplified for one-level JPKI roots): the CA's CRL, fetched from
 * its distribution point, must be signed by that very CA (the one chosen by signature) with an
 * allowed algorithm, be current (thisUpdate not in the future, nextUpdate present and not
 * passed, both within the skew), and then says whether the serial is listed.
 */
import 'reflect-metadata'; // @peculiar/x509 needs it loaded first
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export type CrlProblem =
  | 'crl-unavailable'
  | 'crl-malformed'
  | 'crl-wrong-issuer'
  | 'crl-signature-algorithm-not-allowed'
  | 'crl-signature-invalid'
  | 'crl-this-update-in-future'
  | 'crl-stale';

export type CrlOutcome =
  | { kind: 'good' }
  | { kind: 'revoked'; reason?: number; revokedAt: Date }
  | { kind: 'problem'; problem: CrlProblem };

/** Fetches the DER CRL; throws on network failure. */
export type CrlFetcher = (url: string, signal: AbortSignal) => Promise<Uint8Array>;

export const httpCrlFetcher: CrlFetcher = async (url, signal) => {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
};

export interface RevocationEntry {
  reason?: number;
  revokedAt: Date;
}

/** A CRL that passed every check: its entries by normalised serial, and when it goes stale. */
export interface CheckedCrl {
  nextUpdate: Date;
  revoked: ReadonlyMap<string, RevocationEntry>;
}

function normalisedSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}

const ALLOWED_CRL_ALGORITHMS = new Set(['RSASSA-PKCS1-v1_5', 'ECDSA']);
const ALLOWED_CRL_HASHES = new Set(['SHA-256', 'SHA-384', 'SHA-512']);

/** Checks a DER CRL that must come from `issuerDer`. No I/O. */
export async function checkCrl(
  crlDer: Uint8Array,
  issuerDer: Uint8Array,
  now: Date,
  allowedSkewMs: number,
): Promise<{ ok: true; crl: CheckedCrl } | { ok: false; problem: CrlProblem }> {
  let crl: x509.X509Crl;
  let issuer: x509.X509Certificate;
  try {
    crl = new x509.X509Crl(Uint8Array.from(crlDer));
    issuer = new x509.X509Certificate(Uint8Array.from(issuerDer));
  } catch {
    return { ok: false, problem: 'crl-malformed' };
  }
  if (crl.issuer !== issuer.subject) return { ok: false, problem: 'crl-wrong-issuer' };
  const algorithm = crl.signatureAlgorithm as { name?: string; hash?: { name?: string } };
  if (
    !ALLOWED_CRL_ALGORITHMS.has(algorithm.name ?? '') ||
    !ALLOWED_CRL_HASHES.has(algorithm.hash?.name ?? '')
  )
    return { ok: false, problem: 'crl-signature-algorithm-not-allowed' };
  let signed: boolean;
  try {
    signed = await crl.verify({ publicKey: issuer });
  } catch {
    signed = false;
  }
  if (!signed) return { ok: false, problem: 'crl-signature-invalid' };

  const t = now.getTime();
  if (crl.thisUpdate.getTime() > t + allowedSkewMs)
    return { ok: false, problem: 'crl-this-update-in-future' };
  if (!crl.nextUpdate || crl.nextUpdate.getTime() < t - allowedSkewMs)
    return { ok: false, problem: 'crl-stale' };

  const revoked = new Map<string, RevocationEntry>();
  try {
    for (const entry of crl.entries) {
      revoked.set(normalisedSerial(entry.serialNumber), {
        revokedAt: entry.revocationDate,
        ...(entry.reason === undefined ? {} : { reason: entry.reason }),
      });
    }
  } catch {
    return { ok: false, problem: 'crl-malformed' };
  }
  return { ok: true, crl: { nextUpdate: crl.nextUpdate, revoked } };
}

/** What a checked CRL says about one serial (hex, any case). */
export function crlStatus(
  crl: CheckedCrl,
  serialNumberHex: string,
): Exclude<CrlOutcome, { kind: 'problem' }> {
  const entry = crl.revoked.get(normalisedSerial(serialNumberHex));
  return entry ? { kind: 'revoked', ...entry } : { kind: 'good' };
}
