import { verifySeal, type SealError, type SealVerification } from '../protocol/seal.ts';
import type { PublishedSealKeys } from '../protocol/seal-keys.ts';
import { qrTextToSeal, type SealTextError } from './seal-text.ts';

export { qrTextToSeal, sealToQrText, SEAL_QR_PREFIX } from './seal-text.ts';
export type { SealTextError } from './seal-text.ts';

export type PrintedSealVerification =
  Extract<SealVerification, { ok: true }> | { ok: false; error: SealTextError | SealError };

/**
 * Offline check of the QR seal read from one printed page: decode the QR text to the seal bytes,
 * then verify it against the published keys (signature, key owner, validity, revocation).
 * Whether the pages belong together and match their text is verify-document.ts's job.
 */
export function verifyPrintedSeal(qrText: string, publicKeys: PublishedSealKeys): PrintedSealVerification {
  const decoded = qrTextToSeal(qrText);
  if (!decoded.ok) return decoded;
  return verifySeal(decoded.seal, publicKeys);
}
