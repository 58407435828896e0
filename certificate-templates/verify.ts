import { verifySeal, type SealError, type SealPayload } from '../protocol/seal.ts';
import { qrTextToSeal, type SealTextError } from './seal-text.ts';

export { qrTextToSeal, sealToQrText, SEAL_QR_PREFIX } from './seal-text.ts';
export type { SealTextError } from './seal-text.ts';

export type PrintedSealVerification =
  { ok: true; kid: string; payload: SealPayload } | { ok: false; error: SealTextError | SealError };

/**
 * Offline check of the QR seal read from a printed page: decode the QR text to the seal bytes,
 * then verify the COSE_Sign1 signature against the municipalities' public keys (kid → SPKI DER).
 * Compare `payload.names`, `address`, `documentId` and `pageCount` with the paper by eye.
 */
export function verifyPrintedSeal(
  qrText: string,
  publicKeys: ReadonlyMap<string, Uint8Array>,
): PrintedSealVerification {
  const decoded = qrTextToSeal(qrText);
  if (!decoded.ok) return decoded;
  return verifySeal(decoded.seal, publicKeys);
}
