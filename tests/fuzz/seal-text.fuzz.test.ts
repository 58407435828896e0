import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { qrTextToSeal, sealToQrText, SEAL_QR_PREFIX } from '../../certificate-templates/seal-text.ts';
import { sealKeyIdFor, verifyKeyList } from '../../protocol/seal-keys.ts';
import { fuzzParameters } from './settings.ts';

/** What a scanner hands the verifier: any text, and the key list a bank downloads. */
describe('QR seal text and published key lists under hostile input', () => {
  it('decodes any scanned text to seal bytes or a typed error, never throwing', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string().map((s) => SEAL_QR_PREFIX + s),
      fc.stringMatching(/^[0-9A-Z $%*+\-./:]{0,120}$/).map((s) => SEAL_QR_PREFIX + s),
    );
    fc.assert(
      fc.property(text, (input) => {
        const result = qrTextToSeal(input);
        if (!result.ok)
          expect(['seal-text-prefix', 'seal-text-encoding', 'seal-text-empty']).toContain(result.error.kind);
      }),
      fuzzParameters(1000),
    );
  });

  it('reads back any seal bytes it writes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 400 }), (seal) => {
        expect(qrTextToSeal(sealToQrText(seal))).toEqual({ ok: true, seal: Uint8Array.from(seal) });
      }),
      fuzzParameters(),
    );
  });

  it('refuses any key list it was not given by a provisioned root, never throwing', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
    const roots = new Map([[sealKeyIdFor(spki), spki]]);
    const envelope = fc.record({
      payload: fc.oneof(fc.base64String(), fc.string()),
      signature: fc.oneof(fc.base64String(), fc.string()),
      rootKid: fc.oneof(fc.constant(sealKeyIdFor(spki)), fc.stringMatching(/^[0-9a-f]{16}$/)),
    });
    fc.assert(
      fc.property(fc.oneof(envelope, fc.jsonValue()), (list) => {
        expect(verifyKeyList(list, roots).ok).toBe(false);
      }),
      fuzzParameters(),
    );
  });
});
