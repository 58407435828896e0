import { describe, expect, it } from 'vitest';
import { createPageSeals } from '../protocol/seal.ts';
import { publishedKeys, testSealKey } from '../protocol/test-support/seal-keys.ts';
import { sampleHousehold } from './sample-documents.ts';
import { qrTextToSeal, SEAL_QR_PREFIX, sealToQrText, verifyPrintedSeal } from './verify.ts';

describe('QR seal text (Base45)', () => {
  const document = sampleHousehold(3);
  const sealKey = testSealKey(document.municipality.code);
  const keys = publishedKeys(sealKey);

  it('round-trips seal bytes, also from a shared Buffer slice, in the QR alphanumeric set', async () => {
    const seal = (await createPageSeals(document, sealKey.signer))[0]!;
    const pooled = Buffer.concat([Buffer.from([1, 2, 3]), seal]).subarray(3);
    for (const bytes of [seal, pooled, new Uint8Array([0]), new Uint8Array([255, 255, 255])]) {
      const text = sealToQrText(bytes);
      expect(text.startsWith(SEAL_QR_PREFIX)).toBe(true);
      expect(text).toMatch(/^[0-9A-Z $%*+\-./:]+$/);
      expect(qrTextToSeal(text)).toEqual({ ok: true, seal: new Uint8Array(bytes) });
    }
  });

  it('verifies offline from the QR text', async () => {
    const result = verifyPrintedSeal(
      sealToQrText((await createPageSeals(document, sealKey.signer))[0]!),
      keys,
    );
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
