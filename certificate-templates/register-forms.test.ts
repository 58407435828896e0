import { describe, expect, it } from 'vitest';
import { CERTIFICATE_TITLES_JA } from '../protocol/certificate-types.ts';
import { createPageSeals } from '../protocol/seal.ts';
import { publishedKeys, testSealKey } from '../protocol/test-support/seal-keys.ts';
import type { CertificateDocument } from '../protocol/documents.ts';
import { renderCertificatePdf } from './render.ts';
import { STANDARD_FORM_TEXTS } from './form-texts.ts';
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
  'juminhyo-kisai': ['山田花子', '宮崎県都城市姫城町6街区21号', '昭和56年9月3日', '（個人）'],
  inkan: ['482913', '山田太郎', 'ヤマダタロウ', '印影', '平成21年4月1日'],
  'shotoku-kazei': [
    '令和8年度令和7年分所得',
    '4,000,000円',
    '2,760,000円',
    '115,000円',
    '社会保険料控除560,000円',
    '配偶者控除330,000円',
    '所得控除合計1,650,000円',
    '控除対象配偶者',
    '徴収方法特別徴収',
  ],
  nozei: [
    '市県民税（普通徴収）第4期令和9年1月31日28,700円0円28,700円',
    '軽自動車税（種別割）全期',
    '未納額28,700円があります',
  ],
  'koseki-zenbu': [
    '本籍宮崎県都城市姫城町3街区1号',
    '【名】山田太郎',
    '【生年月日】昭和53年4月12日【配偶者区分】夫',
    '除籍',
    '【父】山田清',
    '出生【出生日】昭和53年4月12日',
    '【届出日】昭和53年4月20日',
    '【届出人】父',
    '【従前戸籍】神奈川県横浜市港北区日吉本町一丁目5番佐藤一郎',
    '平成30年8月12日',
  ],
  'koseki-kojin': ['【名】花子', '【続柄】長女', '【配偶者区分】妻', '身分事項'],
  'koseki-fuhyo': [
    '東京都千代田区九段南一丁目2番1号',
    '平成21年3月28日',
    '筆頭者',
    '性別男',
    '住所を定めた年月日',
  ],
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
        STANDARD_FORM_TEXTS[kind],
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
