import { describe, expect, it } from 'vitest';
import { sampleCertificate, sampleHousehold } from '../../certificate-templates/sample-documents.ts';
import type { CertificateDocument } from '../../protocol/documents.ts';
import { memoisedPrintability, printedContentKey } from './printability-cache.ts';
import type { PrintabilityCheck } from './printability.ts';

function counting(): { check: PrintabilityCheck; calls: () => number } {
  let calls = 0;
  return {
    check: (document) => {
      calls++;
      return document.content.kind === 'juminhyo' && document.content.address.length > 40
        ? [{ reason: 'too-long', field: 'address' }]
        : [];
    },
    calls: () => calls,
  };
}

const base = sampleHousehold(2);
/** The same printed content in another document of another transaction. */
const again = (document: CertificateDocument): CertificateDocument => ({
  ...document,
  documentId: 'ZZZZZZZZZZZZZZZZ',
  transactionId: '00000000-0000-4000-8000-00000000abcd',
  holderSalt: 'f'.repeat(32),
  holderBinding: 'e'.repeat(64),
});

describe('printability remembered per printed content', () => {
  it('lays out the same printed content once, whatever the document id, transaction or holder salt', () => {
    const inner = counting();
    const check = memoisedPrintability(inner.check);
    expect(check(base)).toEqual([]);
    expect(check(again(base))).toEqual([]);
    expect(inner.calls()).toBe(1);
  });

  it('checks again when anything printed changes: the register content, the municipality, the date', () => {
    const inner = counting();
    const check = memoisedPrintability(inner.check);
    check(base);
    const longer = { ...base, content: { ...base.content, address: '東京都'.repeat(20) } };
    expect(check(longer)).toEqual([{ reason: 'too-long', field: 'address' }]);
    check({ ...base, municipality: { ...base.municipality, name: `${base.municipality.name}西` } });
    check({ ...base, issuedAt: new Date(Date.parse(base.issuedAt) + 86_400_000).toISOString() });
    expect(inner.calls()).toBe(4);
  });

  it('takes the issue time as the date it prints: the same day in Japan is one answer, the next day another', () => {
    const inner = counting();
    const check = memoisedPrintability(inner.check);
    const at = (iso: string): CertificateDocument => ({ ...base, issuedAt: iso });
    check(at('2026-11-25T00:00:01+09:00'));
    check(at('2026-11-25T23:59:59+09:00'));
    // 2026-11-25 in Japan, written in UTC.
    check(at('2026-11-25T14:59:59Z'));
    expect(inner.calls()).toBe(1);
    check(at('2026-11-25T15:00:00Z'));
    expect(inner.calls()).toBe(2);
  });

  it('forgets the oldest answers beyond its bound', () => {
    const inner = counting();
    const check = memoisedPrintability(inner.check, 1);
    const other = { ...base, content: { ...base.content, address: '大阪府' } };
    check(base);
    check(other);
    check(base);
    expect(inner.calls()).toBe(3);
  });
});

describe('the printed-content key of a 印鑑登録証明書', () => {
  const inkan = sampleCertificate('inkan');
  const withImage = (document: CertificateDocument, data: string, name?: string): CertificateDocument => {
    if (document.content.kind !== 'inkan') throw new Error('not an 印鑑登録証明書');
    return {
      ...document,
      content: {
        ...document.content,
        ...(name === undefined ? {} : { name }),
        sealImage: { ...document.content.sealImage, data },
      },
    };
  };

  it('is the same for the same impression, and differs when one character of the impression does', () => {
    if (inkan.content.kind !== 'inkan') throw new Error('not an 印鑑登録証明書');
    const data = inkan.content.sealImage.data;
    expect(printedContentKey(again(inkan))).toBe(printedContentKey(inkan));
    const changed = `${data.slice(0, -5)}${data.at(-5) === 'A' ? 'B' : 'A'}${data.slice(-4)}`;
    expect(printedContentKey(withImage(inkan, changed))).not.toBe(printedContentKey(inkan));
    expect(printedContentKey(withImage(inkan, data.slice(0, -4)))).not.toBe(printedContentKey(inkan));
  });

  it('keeps the impression apart from the rest of the content', () => {
    // The same characters moved from the name into the impression give another key.
    const one = withImage(inkan, 'QUJD', '山田');
    const other = withImage(inkan, 'QUJDQUJD', '山田');
    expect(printedContentKey(one)).not.toBe(printedContentKey(other));
    expect(printedContentKey(withImage(inkan, 'QUJD', '山田\u3000花子'))).not.toBe(printedContentKey(one));
  });
});
