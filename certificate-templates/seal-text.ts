import { decode, encode } from '@digitalbazaar/base45';

/**
 * The text carried by the QR seal on every page: a version prefix and the COSE_Sign1 seal bytes
 * in Base45 (RFC 9285), as the EU Digital COVID Certificate does. Every character is in the QR
 * alphanumeric set, so the code is about 20% smaller than Base64 in byte mode.
 */
export const SEAL_QR_PREFIX = 'KOFU1:';

export type SealTextError =
  | { kind: 'seal-text-prefix'; expected: string }
  | { kind: 'seal-text-encoding'; detail: string }
  | { kind: 'seal-text-empty' };

export function sealToQrText(seal: Uint8Array): string {
  // The Base45 library reads from the start of the underlying ArrayBuffer: give it a copy.
  return SEAL_QR_PREFIX + encode(Uint8Array.from(seal));
}

/** The inverse of sealToQrText. Never throws: hostile text gives a typed error. */
export function qrTextToSeal(
  text: string,
): { ok: true; seal: Uint8Array } | { ok: false; error: SealTextError } {
  const trimmed = text.trim();
  if (!trimmed.startsWith(SEAL_QR_PREFIX)) {
    return { ok: false, error: { kind: 'seal-text-prefix', expected: SEAL_QR_PREFIX } };
  }
  const body = trimmed.slice(SEAL_QR_PREFIX.length);
  if (body.length === 0) return { ok: false, error: { kind: 'seal-text-empty' } };
  try {
    return { ok: true, seal: decode(body) };
  } catch (e) {
    return {
      ok: false,
      error: { kind: 'seal-text-encoding', detail: e instanceof Error ? e.message : 'invalid' },
    };
  }
}
