import { describe, expect, it } from 'vitest';
import { createPageSeals } from '../protocol/seal.ts';
import { testSealKey } from '../protocol/test-support/seal-keys.ts';
import type { CertificateDocument } from '../protocol/documents.ts';
import { checkPrintable, type PrintProblem } from './printable.ts';
import { renderCertificatePdf } from './render.ts';
import { sampleCertificate, sampleHousehold } from './sample-documents.ts';
import { sampleSet } from './sample-set.ts';
import { pdfText } from './test-support/poppler.ts';

const sealKey = testSealKey('131016');

function problems(document: unknown): PrintProblem[] {
  const check = checkPrintable(document);
  if (!check.ok) throw new Error(`fonts: ${JSON.stringify(check.error)}`);
  return check.problems;
}

describe('checkPrintable', () => {
  it('finds nothing wrong with every sample type and option', () => {
    for (const sample of sampleSet()) expect(problems(sample.document), sample.id).toEqual([]);
  });

  it('refuses an address too long for its box, naming the field and not the value', () => {
    const document = sampleHousehold(2);
    document.content.address = '東京都千代田区九段南一丁目二番一号'.repeat(6);
    const found = problems(document);
    expect(found).toEqual([{ reason: 'too-long', field: 'address' }]);
    expect(JSON.stringify(found)).not.toContain('九段南');
  });

  it('refuses an overlong name with the member it belongs to', () => {
    const document = sampleHousehold(3);
    document.content.members[2]!.name = '長谷川'.repeat(20);
    expect(problems(document)).toEqual([{ reason: 'too-long', field: 'members[2].name' }]);
  });

  it('refuses a character that neither embedded font has (code point, not the text)', () => {
    const document = sampleHousehold(1);
    document.content.members[0]!.name = '山田\u3000\u{1F600}子';
    expect(problems(document)).toEqual([
      { reason: 'glyph-missing', field: 'members[0].name', codePoint: 'U+1F600' },
    ]);
  });

  it('prints a character its field font lacks in the other embedded font', async () => {
    // ⺟ (U+2E9F) is in IPAex明朝 only; Ċ (U+010A) in IPAmj明朝 only.
    const document = sampleHousehold(1);
    document.content.members[0]!.name = '山田\u3000⺟子';
    document.content.members[0]!.entry = { reason: 'Ċ転入', date: '2015-04-08' };
    expect(problems(document)).toEqual([]);
    const rendered = await renderCertificatePdf({
      document,
      seals: await createPageSeals(document, sealKey.signer),
    });
    if (!rendered.ok) throw new Error(JSON.stringify(rendered.error));
    // The radical's glyph is extracted as 母 (NFKC folds ⺟ to it as well).
    const text = pdfText(rendered.pdf).normalize('NFKC').replace(/\s+/gu, '');
    expect(text).toContain('山田母子');
    expect(text).toContain('Ċ転入');
  });

  it('lists every problem of a document, not only the first', () => {
    const document = sampleHousehold(2);
    document.content.address = '東京都千代田区九段南一丁目二番一号'.repeat(6);
    document.content.members[1]!.name = '山田\u3000\u{1F600}';
    expect(problems(document)).toEqual([
      { reason: 'glyph-missing', field: 'members[1].name', codePoint: 'U+1F600' },
      { reason: 'too-long', field: 'address' },
    ]);
  });

  it('refuses missing and empty required fields by path', () => {
    const document = sampleHousehold(1) as unknown as {
      content: { address?: string; members: Array<{ name?: string }> };
      municipality: { mayorName: string };
    };
    delete document.content.address;
    delete document.content.members[0]!.name;
    document.municipality.mayorName = '';
    const found = problems(document);
    expect(found).toContainEqual({ reason: 'required-missing', field: 'content.address' });
    expect(found).toContainEqual({ reason: 'required-missing', field: 'content.members[0].name' });
    expect(found).toContainEqual({ reason: 'required-missing', field: 'municipality.mayorName' });
    expect(found.every((p) => p.reason === 'required-missing')).toBe(true);
  });

  it('tells a wrong value from a missing one', () => {
    const document = { ...sampleHousehold(1), pageCount: 'one' };
    expect(problems(document)).toEqual([{ reason: 'invalid', field: 'pageCount' }]);
  });

  it('refuses a 印影 too coarse to print at its real size', () => {
    const document = sampleCertificate('inkan') as CertificateDocument;
    if (document.content.kind !== 'inkan') throw new Error('sample');
    document.content.sealImage = { ...document.content.sealImage, sizeMm: 25 };
    expect(problems(document)).toEqual([
      { reason: 'image-too-coarse', field: 'sealImage', ppi: expect.any(Number) as number },
    ]);
  });

  it('agrees with the renderer: what it refuses does not render, for the same reason', async () => {
    const document = sampleHousehold(1);
    document.content.members[0]!.name = '長谷川'.repeat(20);
    const rendered = await renderCertificatePdf({
      document,
      seals: await createPageSeals(document, sealKey.signer),
    });
    expect(rendered).toEqual({ ok: false, error: { kind: 'content-too-long', field: 'members[0].name' } });
  });
});
