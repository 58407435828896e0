import { describe, expect, it } from 'vitest';
import { createPageSeals } from '../protocol/seal.ts';
import { publishedKeys, testSealKey } from '../protocol/test-support/seal-keys.ts';
import { sampleCertificate, sampleHousehold } from './sample-documents.ts';
import { backSideText } from './back-side.ts';
import { sealToQrText } from './seal-text.ts';
import { normaliseText, verifyPrintedDocument, type PrintedPage } from './verify-document.ts';

const chiyoda = testSealKey('131016');
const keys = publishedKeys(chiyoda);
const document = sampleHousehold(6); // two pages: members 1–4, then 5–6

/** A page as a PDF would give it: its QR and a text layer showing what the form prints. */
async function pages(): Promise<PrintedPage[]> {
  const seals = await createPageSeals(document, chiyoda.signer);
  const members = document.content.members;
  return seals.map((seal, i) => ({
    source: `doc.pdf page ${i + 1}`,
    qrTexts: [sealToQrText(seal)],
    text: [document.content.address, ...members.slice(i * 4, i * 4 + 4).map((m) => m.name)].join('\n'),
    words: [],
  }));
}

const kinds = (report: { failures: { kind: string }[] }) => report.failures.map((f) => f.kind);

describe('verifyPrintedDocument', () => {
  it('passes the pages of one document in order, with their facts in the text', async () => {
    const report = verifyPrintedDocument(await pages(), keys);
    expect(kinds(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.pages.map((p) => p.payload.page)).toEqual([1, 2]);
  });

  it('finds pages out of order, missing or repeated', async () => {
    const [one, two] = await pages();
    expect(kinds(verifyPrintedDocument([two!, one!], keys))).toEqual([
      'page-out-of-order',
      'page-out-of-order',
    ]);
    expect(kinds(verifyPrintedDocument([one!], keys))).toEqual(['page-missing']);
    expect(kinds(verifyPrintedDocument([one!, one!], keys))).toEqual(['page-repeated', 'page-missing']);
  });

  it('finds a page whose text does not show the facts its seal signs', async () => {
    const [one, two] = await pages();
    const edited = { ...one!, text: one!.text!.replace(document.content.members[1]!.name, '佐藤\u3000花子') };
    const report = verifyPrintedDocument([edited, two!], keys);
    expect(report.failures).toEqual([
      expect.objectContaining({
        kind: 'text-differs',
        page: 1,
        fact: 'names',
        expected: document.content.members[1]!.name,
      }),
    ]);
  });

  it('finds a word laid over another word', async () => {
    const [one, two] = await pages();
    const words = [
      { text: '東京都千代田区九段南一丁目2番1号', xMin: 126, yMin: 93, xMax: 312, yMax: 104 },
      { text: '東京都港区芝公園四丁目2番8号', xMin: 127, yMin: 93.5, xMax: 300, yMax: 104.5 },
    ];
    expect(kinds(verifyPrintedDocument([{ ...one!, words }, two!], keys))).toEqual(['text-overlaid']);
  });

  it('checks every amount and the tax year of a tax certificate against the text', async () => {
    const tax = sampleCertificate('shotoku-kazei');
    if (tax.content.kind !== 'shotoku-kazei') throw new Error('sample');
    const key = testSealKey(tax.municipality.code);
    const [seal] = await createPageSeals(tax, key.signer);
    const c = tax.content;
    const amounts = [
      c.income.salaryRevenue,
      c.income.salaryIncome,
      c.income.pensionRevenue,
      c.income.pensionIncome,
      c.income.otherIncome,
      c.income.totalIncome,
      c.deductionsTotal,
      c.taxableIncome,
      ...Object.values(c.tax),
    ];
    const text = `令和${c.fiscalYear - 2018}年度\n${c.name}\n${c.address}\n${amounts.map((n) => `${n.toLocaleString('en-US')}円`).join('\n')}`;
    const page = { source: 'tax.pdf page 1', qrTexts: [sealToQrText(seal!)], text, words: [] };
    expect(verifyPrintedDocument([page], publishedKeys(key)).ok).toBe(true);
    const higher = text.replace(`${c.tax.total.toLocaleString('en-US')}円`, '999,999円');
    expect(verifyPrintedDocument([{ ...page, text: higher }], publishedKeys(key)).failures).toEqual([
      expect.objectContaining({
        kind: 'text-differs',
        fact: 'amounts',
        expected: c.tax.total.toLocaleString('en-US'),
      }),
    ]);
  });

  it('refuses a page without a seal or with two', async () => {
    const [one, two] = await pages();
    expect(kinds(verifyPrintedDocument([{ ...one!, qrTexts: [] }, two!], keys))).toEqual([
      'seal-missing',
      'page-missing',
    ]);
    expect(
      kinds(verifyPrintedDocument([{ ...one!, qrTexts: [...one!.qrTexts, ...two!.qrTexts] }, two!], keys)),
    ).toEqual(['several-seals', 'page-missing']);
  });

  it('compares text without spaces, width forms or variation selectors', () => {
    expect(normaliseText('山田\u3000太郎 １２３')).toBe('山田太郎123');
    expect(normaliseText('葛\u{E0100}飾')).toBe('葛飾');
  });
});

describe('verifyPrintedDocument: back sides of a duplex print', () => {
  const back = (page: number, extra = ''): PrintedPage => ({
    source: `doc.pdf back ${page}`,
    qrTexts: [],
    text: backSideText(document.documentId, page, 2) + extra,
    words: [],
  });

  it('takes the fixed back-side text after its front page as that page’s back, not as a page', async () => {
    const [one, two] = await pages();
    const report = verifyPrintedDocument([one!, back(1), two!, back(2)], keys);
    expect(kinds(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.pages.map((p) => [p.position, p.payload.page])).toEqual([
      [1, 1],
      [3, 2],
    ]);
    expect(report.backSides.map((b) => [b.position, b.page])).toEqual([
      [2, 1],
      [4, 2],
    ]);
  });

  it('refuses a back side carrying anything else, a back of another page, or a second back', async () => {
    const [one, two] = await pages();
    expect(kinds(verifyPrintedDocument([one!, back(1, '\n所得金額 9,999,999円'), two!], keys))).toEqual([
      'seal-missing',
    ]);
    expect(kinds(verifyPrintedDocument([one!, back(2), two!], keys))).toEqual(['seal-missing']);
    expect(kinds(verifyPrintedDocument([one!, back(1), back(1), two!], keys))).toEqual(['seal-missing']);
  });

  it('never takes a page without a text layer (a scan) for a back side', async () => {
    const [one, two] = await pages();
    const scannedBack: PrintedPage = { source: 'back.png', qrTexts: [] };
    expect(kinds(verifyPrintedDocument([one!, scannedBack, two!], keys))).toEqual(['seal-missing']);
  });
});
