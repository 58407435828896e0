import type { PublishedSealKey } from './seal-keys.ts';

/**
 * Whether a published key vouches for one seal: the key belongs to the municipality the seal
 * names, the seal was made inside the key's validity, not at or after its revocation, and the key
 * is still valid for verification now. A seal made before its key was revoked is accepted with a
 * note, so a verifier can report "sealed before revocation" (the kiosk refuses it outright).
 */
export type SealKeyRefusal =
  | { kind: 'seal-key-wrong-municipality'; kid: string; keyMunicipality: string; sealMunicipality: string }
  | { kind: 'seal-key-revoked'; kid: string; revokedAt: string }
  | { kind: 'seal-key-expired'; kid: string; validTo: string }
  | { kind: 'seal-key-not-yet-valid'; kid: string; validFrom: string }
  | { kind: 'seal-issued-at-invalid'; kid: string };

export type SealKeyCheck =
  { ok: true; note?: 'sealed-before-revocation' } | { ok: false; error: SealKeyRefusal };

/** What the check reads from a seal's payload. */
export interface SealedBy {
  municipalityCode: string;
  /** ISO 8601 with offset: when the seal was made, as the seal says. */
  issuedAt: string;
}

export function checkSealKey(key: PublishedSealKey, seal: SealedBy, now: Date): SealKeyCheck {
  const { kid } = key;
  if (key.municipalityCode !== seal.municipalityCode) {
    return {
      ok: false,
      error: {
        kind: 'seal-key-wrong-municipality',
        kid,
        keyMunicipality: key.municipalityCode,
        sealMunicipality: seal.municipalityCode,
      },
    };
  }
  const sealedAt = Date.parse(seal.issuedAt);
  if (!Number.isFinite(sealedAt)) return { ok: false, error: { kind: 'seal-issued-at-invalid', kid } };
  const validFrom = Date.parse(key.validFrom);
  const validTo = Date.parse(key.validTo);
  if (sealedAt < validFrom)
    return { ok: false, error: { kind: 'seal-key-not-yet-valid', kid, validFrom: key.validFrom } };
  if (key.status === 'revoked' && key.revokedAt !== undefined && sealedAt >= Date.parse(key.revokedAt)) {
    return { ok: false, error: { kind: 'seal-key-revoked', kid, revokedAt: key.revokedAt } };
  }
  if (sealedAt >= validTo || now.getTime() >= validTo) {
    return { ok: false, error: { kind: 'seal-key-expired', kid, validTo: key.validTo } };
  }
  return key.status === 'revoked' ? { ok: true, note: 'sealed-before-revocation' } : { ok: true };
}
