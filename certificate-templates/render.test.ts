import { describe, expect, it } from 'vitest';
import { createPageSeals } from '../protocol/seal.ts';
import { publishedKeys, testSealKey } from '../protocol/test-support/seal-keys.ts';
import type { CertificateDocument } from '../protocol/documents.ts';
import { QR_CAPTION, renderCertificatePdf, type RenderResult } from './render.ts';
import { STANDARD_FORM_TEXTS } from './form-texts.ts';
import { sampleHousehold } from './sample-documents.ts';
import { verifyPrintedSeal } from './verify.ts';
import { pdfFonts, pdfInfo, pdfText, readQr, renderPng } from './test-support/poppler.ts';

const sealKey = testSealKey('131016');
const keys = publishedKeys(sealKey);

async function render(document: CertificateDocument): Promise<Uint8Array> {
  const result = await renderCertificatePdf({
    document,
    seals: await createPageSeals(document, sealKey.signer),
  });
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.error)}`);
  return result.pdf;
}

/** pdftotext keeps the line's spacing; compare text without any whitespace. */
const squash = (s: string): string => s.replace(/\s+/gu, '');
const CERTIFYING_STATEMENT = STANDARD_FORM_TEXTS['juminhyo.household'];

describe('renderCertificatePdf: 住民票の写し', () => {
  it('renders a one-person household on one page with names, address and the 認証文', async () => {
    const document = sampleHousehold(1);
    const pdf = await render(document);
    expect(pdfInfo(pdf)['Pages']).toBe('1');
    expect(pdfInfo(pdf)['Page size']).toMatch(/^595\.2\d? x 841\.8\d? pts \(A4\)/);
    const text = squash(pdfText(pdf));
    expect(text).toContain('住民票の写し');
    expect(text).toContain(squash(document.content.address));
    expect(text).toContain(squash(document.content.members[0]!.name));
    expect(text).toContain(squash(document.content.members[0]!.nameKana));
    expect(text).toContain('昭和25年1月10日（1950年1月10日）生');
    expect(text).toContain('前住所');
    expect(text).toContain(squash(CERTIFYING_STATEMENT));
    expect(text).toContain('令和8年11月25日');
    expect(text).toContain('千代田区長試験太郎');
    expect(text).toContain('1/1ページ');
    expect(text).toContain(document.documentId);
    expect(text).not.toContain('本籍');
  });

  it('renders six members on two pages: furniture on every page, 認証文 on the last', async () => {
    const document = sampleHousehold(6);
    expect(document.pageCount).toBe(2);
    const pdf = await render(document);
    expect(pdfInfo(pdf)['Pages']).toBe('2');
    const page1 = squash(pdfText(pdf, 1));
    const page2 = squash(pdfText(pdf, 2));
    for (const [i, m] of document.content.members.entries()) {
      expect(i < 4 ? page1 : page2).toContain(squash(m.name));
    }
    expect(page1).toContain('1/2ページ');
    expect(page2).toContain('2/2ページ');
    for (const page of [page1, page2]) {
      expect(page).toContain(document.documentId);
      expect(page).toContain(squash(document.content.address));
      expect(page).toContain(squash(QR_CAPTION));
    }
    expect(page1).not.toContain(squash(CERTIFYING_STATEMENT));
    expect(page1).toContain('次頁に続く');
    expect(page2).toContain(squash(CERTIFYING_STATEMENT));
    expect(page2).toContain('以下余白');
    expect(page1).toContain('旧氏佐藤'); // sampleHousehold gives member 2 a 旧氏
    expect(page2).not.toContain('旧氏');
  });

  it('prints 本籍・筆頭者 and 通称 only when given', async () => {
    const base = sampleHousehold(2);
    const document: CertificateDocument = {
      ...base,
      content: {
        ...base.content,
        honseki: '東京都千代田区千代田1番',
        hittousha: '山田\u3000太郎',
        members: [{ ...base.content.members[0]!, tsusho: '山田\u3000タロー' }, base.content.members[1]!],
      },
    };
    const text = squash(pdfText(await render(document)));
    expect(text).toContain('本籍東京都千代田区千代田1番');
    expect(text).toContain('筆頭者山田太郎');
    expect(text).toContain('通称山田タロー');
  });

  it('embeds both IPA 明朝 fonts as subsets and nothing else', async () => {
    const fonts = pdfFonts(await render(sampleHousehold(1)));
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual([
      'IPAexMincho',
      'IPAmjMincho',
    ]);
    for (const f of fonts) expect(f).toMatchObject({ embedded: true, subset: true });
  });

  it('keeps names and addresses out of the PDF metadata', async () => {
    const document = sampleHousehold(1);
    const info = pdfInfo(await render(document));
    const metadata = [info['Title'], info['Author'], info['Subject'], info['Keywords'], info['Creator']].join(
      ' ',
    );
    expect(metadata).toContain(document.documentId);
    expect(metadata).not.toContain('山田');
    expect(metadata).not.toContain('九段');
  });

  it('draws MJ characters and variation sequences from IPAmj明朝 (髙橋, 𠮷田, 葛󠄀城)', async () => {
    for (const family of [
      { name: '髙橋', kana: 'タカハシ' },
      { name: '𠮷田', kana: 'ヨシダ' },
      { name: '葛\u{E0100}城', kana: 'カツラギ' },
      { name: '葛\u{E0102}城', kana: 'カツラギ' },
    ]) {
      const text = pdfText(await render(sampleHousehold(1, family)));
      // pdftotext shows the base characters (a variation selector may follow, invisible).
      const base = squash(text).replace(/[\u{E0100}-\u{E01EF}\uFE00-\uFE0F]/gu, '');
      expect(base).toContain(`${family.name.replace(/[\u{E0100}-\u{E01EF}]/gu, '')}太郎`);
    }
  });

  it('refuses a character no embedded font can draw, naming the field and code point only', async () => {
    const base = sampleHousehold(2);
    const document: CertificateDocument = {
      ...base,
      content: {
        ...base.content,
        members: [base.content.members[0]!, { ...base.content.members[1]!, name: '山田\u{F0000}' }],
      },
    };
    const result = await renderCertificatePdf({
      document,
      seals: await createPageSeals(document, sealKey.signer),
    });
    expect(result).toEqual({
      ok: false,
      error: { kind: 'glyph-missing', field: 'members[1].name', codePoint: 'U+F0000' },
    });
  });

  it('refuses content longer than the form allows', async () => {
    const base = sampleHousehold(1);
    const document: CertificateDocument = {
      ...base,
      content: { ...base.content, address: '東京都千代田区'.repeat(20) },
    };
    const result = await renderCertificatePdf({
      document,
      seals: await createPageSeals(document, sealKey.signer),
    });
    expect(result).toEqual({ ok: false, error: { kind: 'content-too-long', field: 'address' } });
  });

  it('refuses a page count that does not match the members', async () => {
    const document = { ...sampleHousehold(6), pageCount: 1 };
    const result = await renderCertificatePdf({
      document,
      seals: await createPageSeals(document, sealKey.signer),
    });
    expect(result).toEqual({ ok: false, error: { kind: 'page-count-mismatch', expected: 2, actual: 1 } });
  });

  it('refuses an invalid document and one whose content is not of its certificate type', async () => {
    const bad = { ...sampleHousehold(1), documentId: 'lowercase' };
    const seals = await createPageSeals(sampleHousehold(1), sealKey.signer);
    expect(await renderCertificatePdf({ document: bad, seals })).toEqual({
      ok: false,
      error: { kind: 'invalid-document', path: 'documentId' },
    });
    const inkan = { ...sampleHousehold(1), certificateType: 'inkan' as const };
    expect(await renderCertificatePdf({ document: inkan, seals })).toEqual({
      ok: false,
      error: { kind: 'invalid-document', path: 'content.kind' },
    });
  });

  it('gives a typed error naming the Debian package when a font file is missing', async () => {
    const document = sampleHousehold(1);
    const result: RenderResult = await renderCertificatePdf({
      document,
      seals: await createPageSeals(document, sealKey.signer),
      options: { fonts: { nameFontPath: '/nonexistent/ipamjm.ttf' } },
    });
    expect(result).toEqual({
      ok: false,
      error: { kind: 'font-missing', path: '/nonexistent/ipamjm.ttf', debianPackage: 'fonts-ipamj-mincho' },
    });
  });
});

describe('the QR seal on the printed page', () => {
  it('refuses to print without exactly one seal per page', async () => {
    const document = sampleHousehold(6);
    const seals = await createPageSeals(document, sealKey.signer);
    expect(await renderCertificatePdf({ document, seals: seals.slice(0, 1) })).toEqual({
      ok: false,
      error: { kind: 'seal-count', expected: 2, actual: 1 },
    });
  });

  it(
    "decodes each page's own seal from a 300 dpi render and verifies offline",
    { timeout: 120_000 },
    async () => {
      const document = sampleHousehold(6);
      const pdf = await render(document);
      for (const page of [1, 2]) {
        // The QR sits bottom-left: crop that corner of the 2480 × 3508 px page.
        const png = renderPng(pdf, page, 300, { x: 0, y: 2500, w: 1300, h: 1008 });
        const text = readQr(png);
        expect(text).toBeDefined();
        const verified = verifyPrintedSeal(text ?? '', keys);
        expect(verified.ok).toBe(true);
        if (!verified.ok) return;
        expect(verified.payload.documentId).toBe(document.documentId);
        expect(verified.payload.page).toBe(page);
        expect(verified.payload.pageCount).toBe(2);
        const onPage = document.content.members.slice((page - 1) * 4, page * 4);
        expect(verified.payload.facts.names).toEqual(onPage.map((m) => m.name));
      }
    },
  );

  it('is refused by the verifier under another municipality key', async () => {
    const document = sampleHousehold(1);
    const png = renderPng(await render(document), 1, 300, { x: 0, y: 2500, w: 1300, h: 1008 });
    // Another key published under the same kid (a substituted key list entry).
    const other = { ...testSealKey('131016').published, kid: sealKey.kid };
    expect(verifyPrintedSeal(readQr(png) ?? '', new Map([[sealKey.kid, other]]))).toEqual({
      ok: false,
      error: { kind: 'seal-signature-invalid', kid: sealKey.kid },
    });
  });
});
