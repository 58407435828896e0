import { describe, expect, it } from 'vitest';
import { CERTIFICATE_TITLES_JA } from '../protocol/certificate-types.ts';
import { createPageSeals } from '../protocol/seal.ts';
import { publishedKeys, testSealKey } from '../protocol/test-support/seal-keys.ts';
import type { CertificateDocument } from '../protocol/documents.ts';
import { renderCertificatePdf } from './render.ts';
import { CERTIFYING_STATEMENTS } from './register-forms.ts';
import { sampleCertificate } from './sample-documents.ts';
import { verifyPrintedSeal } from './verify.ts';
import { pdfInfo, pdfText, readQr, renderPng } from './test-support/poppler.ts';

const sealKey = testSealKey('452025');
const keys = publishedKeys(sealKey);
const squash = (s: string): string => s.replace(/\s+/gu, '');

async function render(document: CertificateDocument): Promise<Uint8Array> {
  const result = await renderCertificatePdf({
    document,
    seals: await createPageSeals(document, sealKey.signer),
  });
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.error)}`);
  return result.pdf;
}

const KINDS = [
  'juminhyo-kisai',
  'inkan',
  'shotoku-kazei',
  'nozei',
  'koseki-zenbu',
  'koseki-kojin',
  'koseki-fuhyo',
] as const;

/** Facts each type must print (as pdftotext extracts them, whitespace removed). */
const EXPECTED: Record<(typeof KINDS)[number], string[]> = {
  'juminhyo-kisai': ['山田花子', '東京都千代田区九段南一丁目2番1号', '昭和56年9月3日'],
  inkan: ['482913', '山田太郎', 'ヤマダタロウ', '印影', '平成21年4月1日'],
  'shotoku-kazei': ['令和8年度', '4,000,000円', '2,760,000円', '115,000円', '扶養人数'],
  nozei: ['市県民税（特別徴収）', '28,800円', '軽自動車税（種別割）'],
  'koseki-zenbu': [
    '宮崎県都城市姫城町3街区1号',
    '【名】山田太郎',
    '【除籍】',
    '【父】山田清',
    '平成30年8月12日',
  ],
  'koseki-kojin': ['【名】花子', '【続柄】妻'],
  'koseki-fuhyo': ['東京都千代田区九段南一丁目2番1号', '平成21年3月28日', '筆頭者'],
};

describe('renderCertificatePdf: every other certificate type', () => {
  for (const kind of KINDS) {
    it(`prints ${CERTIFICATE_TITLES_JA[kind]} with its facts, 認証文, document id, page i / n and a verifying seal`, async () => {
      const document = sampleCertificate(kind);
      const pdf = await render(document);
      expect(pdfInfo(pdf)['Pages']).toBe(String(document.pageCount));
      const text = squash(pdfText(pdf));
      for (const fact of [
        ...EXPECTED[kind],
        CERTIFYING_STATEMENTS[kind],
        document.documentId,
        `1/${document.pageCount}ページ`,
      ]) {
        expect(text).toContain(squash(fact));
      }
      const qr = readQr(renderPng(pdf, 1, 300, { x: 0, y: 2500, w: 1300, h: 1008 }));
      expect(qr).toBeDefined();
      const verified = verifyPrintedSeal(qr!, keys);
      expect(verified.ok && verified.payload.documentId).toBe(document.documentId);
    });
  }

  it('refuses a document whose page count disagrees with the contract', async () => {
    const document = { ...sampleCertificate('nozei'), pageCount: 2 };
    const result = await renderCertificatePdf({
      document,
      seals: await createPageSeals(document, sealKey.signer),
    });
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'page-count-mismatch', expected: 1, actual: 2 },
    });
  });
});
