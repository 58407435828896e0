import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { checkSealMatchesDocument, createSeal, verifySeal } from './seal.ts';
import type { CertificateDocument } from './documents.ts';

const document: CertificateDocument = {
  documentId: 'A1B2C3D4E5F6G7H8',
  transactionId: '6f1c2b1e-8a4b-4c1e-9a55-3f1f1d2a9b10',
  certificateType: 'juminhyo',
  issuedAt: '2026-11-25T10:00:00+09:00',
  municipality: { code: '131016', name: '千代田区', mayorTitle: '千代田区長', mayorName: '試験 太郎' },
  holderBinding: 'a'.repeat(64),
  pageCount: 1,
  content: {
    kind: 'juminhyo',
    address: '東京都千代田区九段南一丁目2番1号',
    householdHead: '山田 太郎',
    members: [
      {
        name: '山田 太郎',
        nameKana: 'ヤマダ タロウ',
        birthDate: '1980-04-01',
        sex: '男',
        relationship: '世帯主',
        residentSince: '2010-05-01',
      },
    ],
  },
};

describe('QR seal (COSE_Sign1, ES256)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = '0123456789abcdef';
  const keys = new Map([[kid, publicKey.export({ format: 'der', type: 'spki' })]]);

  it('verifies a seal it made and matches the document', () => {
    const seal = createSeal(document, kid, privateKey);
    expect(seal.length).toBeLessThan(600);
    const result = verifySeal(seal, keys);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.payload.documentId).toBe(document.documentId);
    expect(checkSealMatchesDocument(result.payload, document)).toBeUndefined();
  });

  it('refuses a seal for another holder', () => {
    const seal = createSeal(document, kid, privateKey);
    const result = verifySeal(seal, keys);
    if (!result.ok) throw new Error('expected a valid seal');
    const other = { ...document, holderBinding: 'b'.repeat(64) };
    expect(checkSealMatchesDocument(result.payload, other)).toEqual({
      kind: 'seal-document-mismatch',
      field: 'holderBinding',
    });
  });

  it('refuses a tampered signature, an unknown key and garbage', () => {
    const seal = Buffer.from(createSeal(document, kid, privateKey));
    seal.writeUInt8(seal.readUInt8(seal.length - 1) ^ 0x01, seal.length - 1);
    expect(verifySeal(seal, keys)).toEqual({ ok: false, error: { kind: 'seal-signature-invalid' } });
    expect(verifySeal(createSeal(document, kid, privateKey), new Map())).toMatchObject({
      ok: false,
      error: { kind: 'seal-unknown-key' },
    });
    expect(verifySeal(Buffer.from('not a seal'), keys)).toMatchObject({
      ok: false,
      error: { kind: 'seal-malformed' },
    });
  });
});
