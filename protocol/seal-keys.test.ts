import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  keyListPayloadBytes,
  sealKeyIdFor,
  verifyKeyList,
  type KeyListPayload,
  type SignedKeyList,
} from './seal-keys.ts';

function newKey(): { privateKey: KeyObject; spki: Uint8Array; kid: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
  return { privateKey, spki, kid: sealKeyIdFor(spki) };
}

const root = newKey();
const municipal = newKey();
const roots = new Map([[root.kid, root.spki]]);

function payloadWith(keys: KeyListPayload['keys']): KeyListPayload {
  return { v: 1, issuedAt: '2026-12-01T00:00:00.000Z', keys };
}

const entry = {
  kid: municipal.kid,
  municipalityCode: '131016',
  publicKeySpki: Buffer.from(municipal.spki).toString('base64'),
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: '2028-01-01T00:00:00.000Z',
  status: 'active' as const,
};

function signed(payload: KeyListPayload, signer = root): SignedKeyList {
  const bytes = keyListPayloadBytes(payload);
  const signature = sign('sha256', bytes, { key: signer.privateKey, dsaEncoding: 'ieee-p1363' });
  return {
    payload: Buffer.from(bytes).toString('base64'),
    signature: signature.toString('base64'),
    rootKid: signer.kid,
  };
}

describe('verifyKeyList', () => {
  it('returns the keys of a list the root signed', () => {
    const result = verifyKeyList(signed(payloadWith([entry])), roots);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.keys.get(municipal.kid)?.municipalityCode).toBe('131016');
    expect(Buffer.from(result.keys.get(municipal.kid)!.publicKeySpkiDer)).toEqual(
      Buffer.from(municipal.spki),
    );
  });

  it('refuses a list signed by a key that is not a provisioned root', () => {
    const other = newKey();
    expect(verifyKeyList(signed(payloadWith([entry]), other), roots)).toEqual({
      ok: false,
      error: { kind: 'key-list-unknown-root', rootKid: other.kid },
    });
  });

  it('refuses a list whose payload was changed after signing', () => {
    const list = signed(payloadWith([entry]));
    const forged = signed(payloadWith([{ ...entry, municipalityCode: '271004' }]));
    expect(verifyKeyList({ ...list, payload: forged.payload }, roots)).toEqual({
      ok: false,
      error: { kind: 'key-list-signature-invalid' },
    });
  });

  it('refuses a kid that does not name its key, a duplicate kid and a revoked key without a date', () => {
    const wrongKid = signed(payloadWith([{ ...entry, kid: root.kid }]));
    expect(verifyKeyList(wrongKid, roots)).toMatchObject({
      ok: false,
      error: { kind: 'key-list-malformed' },
    });
    const duplicate = signed(payloadWith([entry, entry]));
    expect(verifyKeyList(duplicate, roots)).toMatchObject({ ok: false, error: { detail: 'duplicate kid' } });
    const undated = signed(payloadWith([{ ...entry, status: 'revoked' }]));
    expect(verifyKeyList(undated, roots)).toMatchObject({ ok: false, error: { kind: 'key-list-malformed' } });
  });

  it('never throws on hostile input', () => {
    for (const input of [null, 42, 'x', {}, { payload: '!!', signature: '', rootKid: root.kid }]) {
      expect(verifyKeyList(input, roots).ok).toBe(false);
    }
  });
});
