import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { encode } from 'cbor2';
import {
  checkPageSeals,
  checkSealMatchesDocument,
  createPageSeals,
  decodeSealPayload,
  encodeSealPayload,
  holderBindingFor,
  sealPayloadFor,
  verifySeal,
} from './seal.ts';
import { sealFactsForPage, shotokuAmounts } from './seal-facts.ts';
import { signCoseSign1 } from './seal-signer.ts';
import type { CertificateDocument } from './documents.ts';
import { publishedKeys, testSealKey } from './test-support/seal-keys.ts';

const fingerprint = createHash('sha256').update('certificate').digest('hex');
const salt = '0f'.repeat(16);

function member(name: string) {
  return {
    name,
    nameKana: 'ヤマダ タロウ',
    birthDate: '1980-04-01',
    sex: '男' as const,
    relationship: '世帯主',
    residentSince: '2010-05-01',
  };
}

const document: CertificateDocument = {
  documentId: 'A1B2C3D4E5F6G7H8',
  transactionId: '6f1c2b1e-8a4b-4c1e-9a55-3f1f1d2a9b10',
  certificateType: 'juminhyo',
  issuedAt: '2026-11-25T10:00:00+09:00',
  municipality: { code: '131016', name: '千代田区', mayorTitle: '千代田区長', mayorName: '試験 太郎' },
  holderSalt: salt,
  holderBinding: holderBindingFor(salt, fingerprint),
  pageCount: 2,
  content: {
    kind: 'juminhyo',
    scope: 'household',
    address: '東京都千代田区九段南一丁目2番1号',
    householdHead: '山田 太郎',
    members: ['山田 太郎', '山田 花子', '山田 一郎', '山田 二郎', '山田 三郎'].map(member),
  },
};

const chiyoda = testSealKey('131016');
const keys = publishedKeys(chiyoda);

describe('page seals (COSE_Sign1, ES256)', () => {
  it('seals every page with its own index, facts and the document binding', async () => {
    const seals = await createPageSeals(document, chiyoda.signer);
    expect(seals).toHaveLength(2);
    const pages = seals.map((seal) => verifySeal(seal, keys));
    for (const [i, result] of pages.entries()) {
      if (!result.ok) throw new Error(result.error.kind);
      expect(result.payload.page).toBe(i + 1);
      expect(result.payload.pageCount).toBe(2);
      expect(result.payload.municipalityCode).toBe('131016');
      expect(result.payload.scope).toBe('household');
      expect(checkSealMatchesDocument(result.payload, document, i + 1)).toBeUndefined();
    }
    const [first, second] = pages;
    if (!first?.ok || !second?.ok) throw new Error('expected two valid seals');
    expect(first.payload.facts.names).toEqual(['山田 太郎', '山田 花子', '山田 一郎', '山田 二郎']);
    expect(second.payload.facts.names).toEqual(['山田 三郎']);
    expect(second.payload.facts.address).toBe(
      document.content.kind === 'juminhyo' && document.content.address,
    );
    expect(checkPageSeals(seals, document, keys)).toEqual({ ok: true, notices: [] });
  });

  it('a seal on the wrong page, or pages out of order, do not match the document', async () => {
    const seals = await createPageSeals(document, chiyoda.signer);
    expect(checkPageSeals([seals[1]!, seals[0]!], document, keys)).toMatchObject({
      ok: false,
      error: { kind: 'seal-document-mismatch', page: 1, field: 'page' },
    });
    expect(checkPageSeals([seals[0]!], document, keys)).toMatchObject({
      ok: false,
      error: { field: 'pageCount' },
    });
  });

  it('binds the holder per document: salted, checkable with the card, not linkable', async () => {
    const otherSalt = 'a0'.repeat(16);
    expect(holderBindingFor(otherSalt, fingerprint)).not.toBe(document.holderBinding);
    expect(document.holderBinding).not.toContain(fingerprint);
    const [seal] = await createPageSeals(document, chiyoda.signer);
    const result = verifySeal(seal!, keys);
    if (!result.ok) throw new Error(result.error.kind);
    const fromSeal = holderBindingFor(Buffer.from(result.payload.holderSalt).toString('hex'), fingerprint);
    expect(Buffer.from(result.payload.holderBinding).toString('hex')).toBe(fromSeal);
    const anotherCard = { ...document, holderBinding: holderBindingFor(salt, 'ff'.repeat(32)) };
    expect(checkSealMatchesDocument(result.payload, anotherCard, 1)).toEqual({
      kind: 'seal-document-mismatch',
      page: 1,
      field: 'holderBinding',
    });
  });

  it('checks each seal against the key it names, also when a list reuses a kid for another key', async () => {
    const [seal] = await createPageSeals(document, chiyoda.signer);
    expect(verifySeal(seal!, keys).ok).toBe(true);
    // Another published key object under the same kid (a key list that is not the one seen before):
    // the key imported for the first list must not answer for it.
    const impostor = testSealKey('131016');
    const swapped = new Map([
      [chiyoda.kid, { ...chiyoda.published, publicKeySpkiDer: impostor.published.publicKeySpkiDer }],
    ]);
    expect(verifySeal(seal!, swapped)).toEqual({
      ok: false,
      error: { kind: 'seal-signature-invalid', kid: chiyoda.kid },
    });
    expect(verifySeal(seal!, keys).ok).toBe(true);
  });

  it('names the page facts when only they differ from the document', async () => {
    const [seal] = await createPageSeals(document, chiyoda.signer);
    const result = verifySeal(seal!, keys);
    if (!result.ok) throw new Error(result.error.kind);
    const moved =
      document.content.kind === 'juminhyo'
        ? { ...document, content: { ...document.content, address: '東京都千代田区九段南一丁目2番2号' } }
        : document;
    expect(checkSealMatchesDocument(result.payload, moved, 1)).toMatchObject({ field: 'documentDigest' });
    const sameDigest = { ...result.payload, facts: { ...result.payload.facts, address: 'どこか' } };
    expect(checkSealMatchesDocument(sameDigest, document, 1)).toEqual({
      kind: 'seal-document-mismatch',
      page: 1,
      field: 'facts',
    });
  });

  it('refuses a tampered signature, an unknown key and garbage', async () => {
    const [seal] = await createPageSeals(document, chiyoda.signer);
    const tampered = Buffer.from(seal!);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 0x01, tampered.length - 1);
    expect(verifySeal(tampered, keys)).toEqual({
      ok: false,
      error: { kind: 'seal-signature-invalid', kid: chiyoda.kid },
    });
    expect(verifySeal(seal!, new Map())).toEqual({
      ok: false,
      error: { kind: 'seal-unknown-key', kid: chiyoda.kid },
    });
    expect(verifySeal(Buffer.from('not a seal'), keys)).toMatchObject({
      ok: false,
      error: { kind: 'seal-malformed' },
    });
  });

  it("refuses a seal whose municipality is not the key's owner", async () => {
    const yokohama = testSealKey('141003');
    const [seal] = await createPageSeals(document, yokohama.signer);
    expect(verifySeal(seal!, publishedKeys(chiyoda, yokohama))).toEqual({
      ok: false,
      error: {
        kind: 'seal-key-wrong-municipality',
        kid: yokohama.kid,
        keyMunicipality: '141003',
        sealMunicipality: '131016',
      },
    });
  });

  it('tells a revoked key from one revoked after the seal was made, and an expired key', async () => {
    const revokedBefore = testSealKey('131016', { status: 'revoked', revokedAt: '2026-11-01T00:00:00Z' });
    const [early] = await createPageSeals(document, revokedBefore.signer);
    expect(verifySeal(early!, publishedKeys(revokedBefore))).toEqual({
      ok: false,
      error: { kind: 'seal-key-revoked', kid: revokedBefore.kid, revokedAt: '2026-11-01T00:00:00Z' },
    });
    const revokedAfter = testSealKey('131016', { status: 'revoked', revokedAt: '2026-12-01T00:00:00Z' });
    const [late] = await createPageSeals(document, revokedAfter.signer);
    expect(verifySeal(late!, publishedKeys(revokedAfter))).toMatchObject({
      ok: true,
      notice: { kind: 'key-revoked-after-issue', revokedAt: '2026-12-01T00:00:00Z' },
    });
    const expired = testSealKey('131016', { validTo: '2026-01-01T00:00:00Z' });
    const [old] = await createPageSeals(document, expired.signer);
    expect(verifySeal(old!, publishedKeys(expired))).toMatchObject({
      ok: false,
      error: { kind: 'seal-key-expired', kid: expired.kid },
    });
  });

  it('refuses payloads with unknown keys or wrong field types even when signed', async () => {
    const good = encodeSealPayload(sealPayloadFor(document, 1));
    expect(decodeSealPayload(good)).toMatchObject({ page: 1 });
    const extra = new Map<number, unknown>([
      [0, 2],
      [99, 'x'],
    ]);
    expect(decodeSealPayload(encode(extra))).toEqual({ error: 'unknown payload key' });
    const signed = await signCoseSign1(encode(new Map<number, unknown>([[0, 2]])), chiyoda.signer);
    expect(verifySeal(signed, keys)).toMatchObject({ ok: false, error: { kind: 'seal-malformed' } });
  });
});

describe('sealFactsForPage', () => {
  it('carries every amount of a 所得・課税証明書 and the tax year', () => {
    const content = {
      kind: 'shotoku-kazei' as const,
      fiscalYear: 2026,
      incomeYear: 2025,
      name: '山田 太郎',
      birthDate: '1980-04-01',
      address: '東京都千代田区九段南一丁目2番1号',
      taxable: true,
      income: {
        salaryRevenue: 5_000_000,
        salaryIncome: 3_560_000,
        pensionRevenue: 0,
        pensionIncome: 0,
        otherIncome: 10_000,
        totalIncome: 3_570_000,
      },
      deductionsTotal: 1_200_000,
      taxableIncome: 2_370_000,
      dependents: 1,
      tax: {
        municipalIncomeLevy: 142_200,
        municipalPerCapita: 3_500,
        prefecturalIncomeLevy: 94_800,
        prefecturalPerCapita: 1_500,
        total: 242_000,
      },
    };
    const facts = sealFactsForPage(content, 0);
    expect(facts.taxYear).toBe(2026);
    expect(facts.amounts).toEqual(shotokuAmounts(content));
    expect(facts.amounts).toContain(242_000);
    expect(facts.amounts).toContain(5_000_000);
  });
});
