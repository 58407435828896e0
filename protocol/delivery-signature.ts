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
import { sign, verify, type KeyObject } from 'node:crypto';
import type { DeliveryReport, DeliveryRequest } from './api.ts';
import { terminalPublicKey } from './terminal-key.ts';

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

/**
 * Signs a delivery report with the terminal's private key (EC P-256: a key object, or PEM, which is
 * parsed on each call), at `reportedAt`.
 */
export function signDeliveryReport(
  transactionId: string,
  report: DeliveryReport,
  terminalPrivateKey: KeyObject | string,
  reportedAt: Date,
): DeliveryRequest & { reportedAt: string; signature: string } {
  const dated = { ...report, reportedAt: reportedAt.toISOString() };
  const signature = sign('sha256', deliverySigningInput(transactionId, dated), terminalPrivateKey).toString(
    'base64',
  );
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
  const key = terminalPublicKey(terminalCertificate);
  if (!key) return { ok: false, problem: 'key-unusable' };
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
