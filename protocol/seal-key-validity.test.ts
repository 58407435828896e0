import { describe, expect, it } from 'vitest';
import { checkSealKey } from './seal-key-validity.ts';
import type { PublishedSealKey } from './seal-keys.ts';

const key: PublishedSealKey = {
  kid: '0123456789abcdef',
  municipalityCode: '131016',
  publicKeySpkiDer: new Uint8Array([1]),
  validFrom: '2026-01-01T00:00:00Z',
  validTo: '2028-01-01T00:00:00Z',
  status: 'active',
};
const NOW = new Date('2026-12-01T00:00:00Z');
const sealed = (issuedAt: string, municipalityCode = '131016') => ({ issuedAt, municipalityCode });

describe('checkSealKey', () => {
  it('accepts a seal of the key’s municipality made within its validity, active or retired', () => {
    expect(checkSealKey(key, sealed('2026-06-01T12:00:00+09:00'), NOW)).toEqual({ ok: true });
    expect(checkSealKey({ ...key, status: 'retired' }, sealed('2026-06-01T12:00:00+09:00'), NOW)).toEqual({
      ok: true,
    });
  });

  it('refuses a seal naming another municipality than the key’s owner', () => {
    expect(checkSealKey(key, sealed('2026-06-01T00:00:00Z', '452025'), NOW)).toEqual({
      ok: false,
      error: {
        kind: 'seal-key-wrong-municipality',
        kid: key.kid,
        keyMunicipality: '131016',
        sealMunicipality: '452025',
      },
    });
  });

  it('splits a revoked key’s seals at the revocation instant', () => {
    const revoked = { ...key, status: 'revoked' as const, revokedAt: '2026-09-01T00:00:00Z' };
    expect(checkSealKey(revoked, sealed('2026-08-31T23:59:59Z'), NOW)).toEqual({
      ok: true,
      note: 'sealed-before-revocation',
    });
    expect(checkSealKey(revoked, sealed('2026-09-01T09:00:00+09:00'), NOW)).toEqual({
      ok: false,
      error: { kind: 'seal-key-revoked', kid: key.kid, revokedAt: '2026-09-01T00:00:00Z' },
    });
  });

  it('refuses seals before the key was valid, after it expired, and every seal once it has expired', () => {
    expect(checkSealKey(key, sealed('2025-12-31T23:59:59Z'), NOW)).toMatchObject({
      ok: false,
      error: { kind: 'seal-key-not-yet-valid' },
    });
    expect(checkSealKey(key, sealed('2028-01-01T00:00:00Z'), NOW)).toMatchObject({
      ok: false,
      error: { kind: 'seal-key-expired' },
    });
    expect(checkSealKey(key, sealed('2026-06-01T00:00:00Z'), new Date('2028-01-01T00:00:00Z'))).toMatchObject(
      {
        ok: false,
        error: { kind: 'seal-key-expired', validTo: key.validTo },
      },
    );
    expect(checkSealKey(key, sealed('not a date'), NOW)).toEqual({
      ok: false,
      error: { kind: 'seal-issued-at-invalid', kid: key.kid },
    });
  });
});
