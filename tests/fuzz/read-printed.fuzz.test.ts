import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileKindOf, parseBboxPages, readPrintedBytes } from '../../certificate-templates/read-printed.ts';
import type { PageWord } from '../../certificate-templates/verify-document.ts';
import { bytes, fuzzParameters } from './settings.ts';

/**
 * Reading a printed certificate back (certificate-templates/read-printed.ts) under hostile input:
 * the text layer of `pdftotext -bbox` reads back every word written into it, any text gives pages
 * without a throw, and a damaged scan (PNG or JPEG magic, then anything) gives pages or a typed
 * error, never a rejection.
 */
function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

const coordinate = fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 1000);
const wordArb: fc.Arbitrary<PageWord> = fc.record({
  xMin: coordinate,
  yMin: coordinate,
  xMax: coordinate,
  yMax: coordinate,
  text: fc.string({ unit: 'grapheme', maxLength: 12 }),
});

function bboxXhtml(pages: readonly PageWord[][]): string {
  const body = pages
    .map(
      (words) =>
        `<page width="595.276000" height="841.890000">\n${words
          .map(
            (w) =>
              `  <word xMin="${w.xMin.toFixed(6)}" yMin="${w.yMin.toFixed(6)}" xMax="${w.xMax.toFixed(6)}" yMax="${w.yMax.toFixed(6)}">${escapeXml(w.text)}</word>\n`,
          )
          .join('')}</page>\n`,
    )
    .join('');
  return `<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">\n<body>\n<doc>\n${body}</doc>\n</body>\n</html>\n`;
}

describe('the printed certificate’s text layer and scans under hostile input', () => {
  it('reads back every word of every page written as pdftotext -bbox writes it', () => {
    fc.assert(
      fc.property(fc.array(fc.array(wordArb, { maxLength: 6 }), { maxLength: 4 }), (pages) => {
        expect(parseBboxPages(bboxXhtml(pages))).toEqual(pages);
      }),
      fuzzParameters(),
    );
  });

  it('reads any text to pages of well-formed words, never throwing', () => {
    const fragments = fc.array(
      fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.constantFrom(
          '<page>',
          '<page width="1">',
          '</page>',
          '<word xMin="1" yMin="2" xMax="3" yMax="4">',
          '</word>',
          '&amp;',
          '&lt;',
        ),
      ),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(fragments, (parts) => {
        for (const words of parseBboxPages(parts.join(''))) {
          for (const word of words) {
            for (const n of [word.xMin, word.yMin, word.xMax, word.yMax]) expect(typeof n).toBe('number');
            expect(word.text).not.toContain('<');
          }
        }
      }),
      fuzzParameters(),
    );
  });

  it('turns a damaged scan into pages or a typed error, never a rejection', async () => {
    const magic = fc.constantFrom(
      Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Uint8Array.from([0xff, 0xd8, 0xff]),
      new Uint8Array(0),
    );
    await fc.assert(
      fc.asyncProperty(magic, bytes(400), async (head, rest) => {
        const file = Uint8Array.from([...head, ...rest]);
        const result = await readPrintedBytes(file, 'scan');
        if (Array.isArray(result)) {
          expect(fileKindOf(file)).not.toBe('pdf');
          expect(result.map((p) => p.qrTexts)).toEqual([[]]);
        } else {
          expect(result).toEqual({ kind: 'file-type-unknown', path: 'scan' });
        }
      }),
      fuzzParameters(60),
    );
  });
});
