import { describe, expect, it } from 'vitest';
import PDFDocument from 'pdfkit';
import { createPageSeals } from '../protocol/seal.ts';
import { testSealKey } from '../protocol/test-support/seal-keys.ts';
import {
  checkCopyDeterrent,
  createCopyDeterrentPatterns,
  DEFAULT_COPY_DETERRENT,
  dotCoverage,
  drawCopyDeterrent,
  type CopyDeterrentOptions,
} from './anti-forgery.ts';
import { loadKioskFonts } from './fonts.ts';
import { renderCertificatePdf } from './render.ts';
import { sampleHousehold } from './sample-documents.ts';
import { renderGrey } from './test-support/poppler.ts';

async function backgroundOnly(options: CopyDeterrentOptions): Promise<Uint8Array> {
  const fonts = loadKioskFonts();
  if (!fonts.ok) throw new Error(JSON.stringify(fonts.error));
  const pdf = new PDFDocument({ size: 'A4', autoFirstPage: false, margin: 0 });
  const chunks: Uint8Array[] = [];
  pdf.on('data', (c: Uint8Array) => chunks.push(c));
  const done = new Promise((resolve) => pdf.on('end', resolve));
  const patterns = createCopyDeterrentPatterns(pdf, options);
  pdf.addPage({ size: 'A4', margin: 0 });
  drawCopyDeterrent(pdf, fonts.fonts.body, patterns, options);
  pdf.end();
  await done;
  return Buffer.concat(chunks);
}

describe('copy-deterrent background (地紋, 網点方式)', () => {
  it('balances fine and coarse dots by default and refuses unbalanced settings', async () => {
    expect(checkCopyDeterrent(DEFAULT_COPY_DETERRENT)).toBeUndefined();
    expect(dotCoverage(2, 8)).toBe(dotCoverage(5, 20));
    const unbalanced = { ...DEFAULT_COPY_DETERRENT, coarseDotPx: 6 };
    expect(checkCopyDeterrent(unbalanced)).toEqual({
      kind: 'copy-deterrent-unbalanced',
      fineCoverage: 0.0625,
      coarseCoverage: 0.09,
    });
    expect(checkCopyDeterrent({ ...DEFAULT_COPY_DETERRENT, fineDotPx: 1.5 })).toEqual({
      kind: 'copy-deterrent-invalid',
      field: 'fineDotPx',
    });
    const document = sampleHousehold(1);

    const result = await renderCertificatePdf({
      document,
      seals: await createPageSeals(document, testSealKey(document.municipality.code).signer),
      options: { copyDeterrent: { coarseDotPx: 6 } },
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'copy-deterrent-unbalanced' } });
  });

  it('looks even on the original at 600 dpi and shows the word on a low-pass copy', async () => {
    const options = DEFAULT_COPY_DETERRENT;
    const pdf = await backgroundOnly(options);
    // A 1200 × 1200 device-pixel patch from the middle of the page, no anti-aliasing.
    const img = renderGrey(pdf, 1, options.deviceDpi, { x: 1200, y: 2400, w: 1200, h: 1200 });
    const ink = (x: number, y: number): number => ((img.data[y * img.width + x] ?? 255) < 128 ? 1 : 0);
    let inked = 0;
    for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) inked += ink(x, y);
    const coverage = dotCoverage(options.fineDotPx, options.finePitchPx);
    expect(inked / (img.width * img.height)).toBeGreaterThan(coverage * 0.85);
    expect(inked / (img.width * img.height)).toBeLessThan(coverage * 1.15);

    // The copier: a 5 × 5 px box blur (≈ 120 dpi) and a 50 % threshold. A fine dot (2 × 2)
    // reaches 16 % at most and is lost; a coarse dot (5 × 5) reaches 100 % and survives.
    const survives = (x: number, y: number): boolean => {
      let sum = 0;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) sum += ink(x + dx, y + dy);
      return sum / 25 >= 0.5;
    };
    // Windows of 40 × 40 px (a whole number of both dot pitches): does the copy show ink there,
    // and what did the original have there?
    const W = 40;
    const wordCov: number[] = [];
    const plainCov: number[] = [];
    for (let wy = 0; wy + W <= img.height; wy += W) {
      for (let wx = 0; wx + W <= img.width; wx += W) {
        let original = 0;
        let copy = 0;
        for (let y = wy; y < wy + W; y++) {
          for (let x = wx; x < wx + W; x++) {
            original += ink(x, y);
            if (x >= 2 && y >= 2 && survives(x, y)) copy++;
          }
        }
        (copy > 0 ? wordCov : plainCov).push(original / (W * W));
      }
    }
    const windows = wordCov.length + plainCov.length;
    // The word is there on the copy, covering a fair part of the sheet, but not all of it.
    expect(wordCov.length / windows).toBeGreaterThan(0.1);
    expect(wordCov.length / windows).toBeLessThan(0.6);
    // On the original, where the copy shows the word and where it shows nothing carry the same
    // average ink: the word is hidden.
    const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    expect(Math.abs(mean(wordCov) - mean(plainCov))).toBeLessThan(coverage * 0.15);
    expect(Math.abs(mean(plainCov) - coverage)).toBeLessThan(coverage * 0.1);
  });

  it('costs little in PDF size (tiling patterns)', async () => {
    const pdf = await backgroundOnly(DEFAULT_COPY_DETERRENT);
    expect(pdf.length).toBeLessThan(50_000); // measured 44 kB: two word outlines, two patterns
  });
});
