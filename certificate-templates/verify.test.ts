import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { createSeal } from '../protocol/seal.ts';
import { sampleHousehold } from './sample-documents.ts';
import { qrTextToSeal, SEAL_QR_PREFIX, sealToQrText, verifyPrintedSeal } from './verify.ts';

describe('QR seal text (Base45)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = 'aabbccddeeff0011';
  const keys = new Map([[kid, new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }))]]);
  const document = sampleHousehold(3);

  it('round-trips seal bytes, also from a shared Buffer slice, in the QR alphanumeric set', () => {
    const seal = createSeal(document, kid, privateKey);
    const pooled = Buffer.concat([Buffer.from([1, 2, 3]), seal]).subarray(3);
    for (const bytes of [seal, pooled, new Uint8Array([0]), new Uint8Array([255, 255, 255])]) {
      const text = sealToQrText(bytes);
      expect(text.startsWith(SEAL_QR_PREFIX)).toBe(true);
      expect(text).toMatch(/^[0-9A-Z $%*+\-./:]+$/);
      expect(qrTextToSeal(text)).toEqual({ ok: true, seal: new Uint8Array(bytes) });
    }
  });

  it('verifies offline from the QR text', () => {
    const result = verifyPrintedSeal(sealToQrText(createSeal(document, kid, privateKey)), keys);
    expect(result.ok && result.payload.documentId).toBe(document.documentId);
  });

  it('gives typed errors for foreign, empty or corrupt text', () => {
    expect(qrTextToSeal('HC1:ABC')).toEqual({
      ok: false,
      error: { kind: 'seal-text-prefix', expected: SEAL_QR_PREFIX },
    });
    expect(qrTextToSeal(SEAL_QR_PREFIX)).toEqual({ ok: false, error: { kind: 'seal-text-empty' } });
    expect(qrTextToSeal(`${SEAL_QR_PREFIX}abc`)).toMatchObject({
      ok: false,
      error: { kind: 'seal-text-encoding' },
    });
    expect(qrTextToSeal(`${SEAL_QR_PREFIX}ABCD`)).toMatchObject({
      ok: false,
      error: { kind: 'seal-text-encoding' },
    });
    expect(qrTextToSeal(`${SEAL_QR_PREFIX}:::`)).toMatchObject({
      ok: false,
      error: { kind: 'seal-text-encoding' },
    });
    expect(verifyPrintedSeal(`${SEAL_QR_PREFIX}00`, keys)).toMatchObject({
      ok: false,
      error: { kind: 'seal-malformed' },
    });
  });
});
