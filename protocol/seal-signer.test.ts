import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySeal } from './seal.ts';
import { sealKeyIdFor } from './seal-keys.ts';
import { SealSignerError, inMemorySealSigner, signCoseSign1 } from './seal-signer.ts';
import { encode } from 'cbor2';

describe('signCoseSign1 with an asynchronous signer', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const kid = sealKeyIdFor(spki);
  const payload = encode({ v: 1, documentId: 'D1', documentHash: 'ab' });

  it('makes a COSE_Sign1 that verifySeal accepts under the signer’s kid', async () => {
    const seal = await signCoseSign1(payload, inMemorySealSigner(kid, privateKey));
    const verified = verifySeal(seal, new Map([[kid, spki]]));
    expect(verified).toMatchObject({ ok: true, kid, payload: { documentId: 'D1' } });
  });

  it('refuses a signer that does not answer a 64-byte ES256 signature', async () => {
    const der = { kid, sign: async () => new Uint8Array(71) };
    await expect(signCoseSign1(payload, der)).rejects.toThrow(SealSignerError);
  });
});
