/**
 * The delivery report's signature: billing follows a signed "delivered" or "voided" call. The
 * kiosk signs with its terminal key (the key of its mutual-TLS certificate), like the heartbeat;
 * the centre checks it against the certificate the connection proved and keeps it with the
 * billing record.
 *
 * ECDSA P-256 / SHA-256 (DER, base64) over the canonical JSON (RFC 8785) of
 * `{ transactionId, terminalId, outcome, copies, reportedAt }`.
 */
import canonicalize from 'canonicalize';
import { createPublicKey, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import type { DeliveryReport, DeliveryRequest } from './api.ts';

/** The bytes that are signed: the canonical JSON of the report with its transaction id, UTF-8. */
export function deliverySigningInput(
  transactionId: string,
  report: DeliveryReport & { reportedAt: string },
): Buffer {
  const json = canonicalize({
    transactionId,
    terminalId: report.terminalId,
    outcome: report.outcome,
    copies: report.copies,
    reportedAt: report.reportedAt,
  });
  if (json === undefined) throw new TypeError('delivery report cannot be canonicalized');
  return Buffer.from(json, 'utf8');
}

/** Signs a delivery report with the terminal's private key (PEM, EC P-256), at `reportedAt`. */
export function signDeliveryReport(
  transactionId: string,
  report: DeliveryReport,
  terminalPrivateKeyPem: string,
  reportedAt: Date,
): DeliveryRequest & { reportedAt: string; signature: string } {
  const dated = { ...report, reportedAt: reportedAt.toISOString() };
  const signature = sign(
    'sha256',
    deliverySigningInput(transactionId, dated),
    terminalPrivateKeyPem,
  ).toString('base64');
  return { ...dated, signature };
}

export type DeliverySignatureCheck =
  | { ok: true; signature: string; reportedAt: string }
  | { ok: false; problem: 'signature-missing' | 'signature-invalid' | 'key-unusable' };

/**
 * Checks a delivery report's signature against the terminal certificate (DER or PEM) of the
 * connection it came over: the key that signs must be the key of that certificate.
 */
export function verifyDeliverySignature(
  transactionId: string,
  request: DeliveryRequest,
  terminalCertificate: Uint8Array | string,
): DeliverySignatureCheck {
  const { signature, reportedAt } = request;
  if (signature === undefined || reportedAt === undefined) return { ok: false, problem: 'signature-missing' };
  let key: KeyObject;
  try {
    const certificate = new X509Certificate(
      typeof terminalCertificate === 'string' ? terminalCertificate : Buffer.from(terminalCertificate),
    );
    key = createPublicKey(certificate.publicKey.export({ type: 'spki', format: 'pem' }));
  } catch {
    return { ok: false, problem: 'key-unusable' };
  }
  let valid: boolean;
  try {
    valid = verify(
      'sha256',
      deliverySigningInput(transactionId, { ...request, reportedAt }),
      key,
      Buffer.from(signature, 'base64'),
    );
  } catch {
    valid = false;
  }
  return valid ? { ok: true, signature, reportedAt } : { ok: false, problem: 'signature-invalid' };
}
