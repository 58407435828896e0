import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createPageSeals } from '../protocol/seal.ts';
import { publishedKeys, testSealKey } from '../protocol/test-support/seal-keys.ts';
import type { CertificateDocument } from '../protocol/documents.ts';
import { backSideText } from './back-side.ts';
import { STANDARD_FORM_TEXTS } from './form-texts.ts';
import { DEFAULT_MARKS, LATENT_BOX, MICROTEXT_LINES_Y } from './marks.ts';
import { renderCertificatePdf, type RenderOptions } from './render.ts';
import { sampleCertificate, sampleHousehold } from './sample-documents.ts';
import { normaliseText, type PageWord } from './verify-document.ts';
import { verifyPrintedFiles } from './verify-files.ts';
import { PAGE_FRAME } from './page.ts';
import { parseBboxPages } from './read-printed.ts';
import { pdfInfo, pdfText, renderGrey } from './test-support/poppler.ts';

const execFileAsync = promisify(execFile);

/** Words with their boxes, per page (pdftotext -bbox). */
async function pdfWords(pdf: Uint8Array): Promise<PageWord[][]> {
  const dir = await mkdtemp(join(tmpdir(), 'kofu-marks-'));
  try {
    await writeFile(join(dir, 'doc.pdf'), pdf);
    const { stdout } = await execFileAsync('pdftotext', ['-bbox', join(dir, 'doc.pdf'), '-'], {
      maxBuffer: 16 << 20,
    });
    return parseBboxPages(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const sealKey = testSealKey('131016');
const keys = publishedKeys(sealKey);

async function render(document: CertificateDocument, options: RenderOptions = {}): Promise<Uint8Array> {
  const result = await renderCertificatePdf({
    document,
    seals: await createPageSeals(document, sealKey.signer),
    options,
  });
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.error)}`);
  return result.pdf;
}

const occurrences = (text: string, part: string): number => text.split(part).length - 1;
const DPI = DEFAULT_MARKS.deviceDpi;
const px = (pt: number): number => Math.round((pt * DPI) / 72);

describe('anti-forgery marks on every page', () => {
  it('prints the 偽造防止 notice, and keeps the microtext out of the text layer', async () => {
    const document = sampleCertificate('shotoku-kazei');
    const pdf = await render(document);
    const text = normaliseText(pdfText(pdf, 1));
    // The notice stands in the top margin above the title: its words in reading order.
    const words = (await pdfWords(pdf))[0] ?? [];
    const notice = words.filter((w) => w.yMax < PAGE_FRAME.titleY - 14);
    expect(normaliseText(notice.map((w) => w.text).join(''))).toBe(
      normaliseText(STANDARD_FORM_TEXTS['notice.front']),
    );
    // The id is in the text layer once (the footer); the microtext repeats it dozens of times.
    expect(occurrences(text, document.documentId)).toBe(1);
  });

  it('draws the microtext as a dense line of ink along the top and bottom edges', async () => {
    const pdf = await render(sampleHousehold(1));
    for (const y of MICROTEXT_LINES_Y) {
      const band = renderGrey(pdf, 1, DPI, {
        x: px(60),
        y: px(y),
        w: px(400),
        h: px(DEFAULT_MARKS.microtextPt),
      });
      let inked = 0;
      for (const v of band.data) if (v < 128) inked++;
      // Letters fill far more of their band than the 6.25 % 地紋 around them.
      expect(inked / band.data.length).toBeGreaterThan(0.2);
    }
  });

  it('draws a latent mark that is even on the original and shows its word after a directional copy', async () => {
    const pdf = await render(sampleHousehold(1));
    const box = renderGrey(pdf, 1, DPI, {
      x: px(LATENT_BOX.x) + 4,
      y: px(LATENT_BOX.y) + 4,
      w: px(LATENT_BOX.width) - 8,
      h: px(LATENT_BOX.height) - 8,
    });
    const ink = (x: number, y: number): number =>
      x < 0 || x >= box.width ? 0 : (box.data[y * box.width + x] ?? 255) < 128 ? 1 : 0;
    const pitch = DEFAULT_MARKS.latentPitchPx;
    // Windows of one pitch square: vertical lines inside the word, horizontal lines around it.
    const window = (x0: number, y0: number) => {
      let original = 0;
      let copied = 0;
      for (let y = y0; y < y0 + pitch; y++) {
        for (let x = x0; x < x0 + pitch; x++) {
          original += ink(x, y);
          // The copy: a scan that blurs along x over one pitch, then a 50 % threshold.
          let sum = 0;
          for (let dx = -pitch / 2; dx < pitch / 2; dx++) sum += ink(x + dx, y);
          copied += sum / pitch >= 0.5 ? 1 : 0;
        }
      }
      return { original: original / pitch ** 2, copied: copied / pitch ** 2 };
    };
    const wordWindows: number[] = [];
    const plainWindows: number[] = [];
    const originals: number[] = [];
    for (let y = 0; y + pitch <= box.height; y += pitch) {
      for (let x = pitch; x + 2 * pitch <= box.width; x += pitch) {
        const w = window(x, y);
        // Whole windows only: every row alike (vertical lines) or every column alike (horizontal).
        let vertical = true;
        let horizontal = true;
        for (let j = 0; j < pitch; j++) {
          for (let k = 0; k < pitch; k++) {
            if (ink(x + k, y + j) !== ink(x + k, y)) vertical = false;
            if (ink(x + j, y + k) !== ink(x, y + k)) horizontal = false;
          }
        }
        if (w.original === 0.25 && vertical) wordWindows.push(w.copied);
        if (w.original === 0.25 && horizontal) plainWindows.push(w.copied);
        originals.push(w.original);
      }
    }
    expect(wordWindows.length).toBeGreaterThan(20);
    expect(plainWindows.length).toBeGreaterThan(100);
    // The original: the same 25 % everywhere in the box (word edges aside).
    const even = originals.filter((c) => c === 0.25).length / originals.length;
    expect(even).toBeGreaterThan(0.8);
    // The copy: the background keeps its lines, the word loses its ink and appears.
    const mean = (a: number[]) => a.reduce((n, v) => n + v, 0) / a.length;
    expect(mean(plainWindows)).toBeGreaterThan(0.2);
    expect(mean(wordWindows)).toBeLessThan(0.02);
  });
});

describe('duplex: a back side per sheet', () => {
  it('adds a back after each front, counts front pages only, and `npm run verify` accepts it', async () => {
    const document = sampleHousehold(6); // two front pages
    const pdf = await render(document, { duplex: true });
    expect(pdfInfo(pdf)['Pages']).toBe('4');
    const squash = (s: string) => s.replace(/\s+/gu, '');
    expect(squash(pdfText(pdf, 1))).toContain('1/2ページ');
    expect(squash(pdfText(pdf, 3))).toContain('2/2ページ');
    expect(normaliseText(pdfText(pdf, 2))).toBe(normaliseText(backSideText(document.documentId, 1, 2)));
    expect(normaliseText(pdfText(pdf, 4))).toBe(normaliseText(backSideText(document.documentId, 2, 2)));

    const verified = await verifyPrintedFiles([{ name: 'duplex.pdf', bytes: pdf }], keys);
    if (!verified.ok) throw new Error(JSON.stringify(verified.error));
    expect(verified.report.failures).toEqual([]);
    expect(verified.report.ok).toBe(true);
    expect(verified.report.pages.map((p) => [p.position, p.payload.page, p.textChecked])).toEqual([
      [1, 1, true],
      [3, 2, true],
    ]);
    expect(verified.report.backSides.map((b) => [b.position, b.page])).toEqual([
      [2, 1],
      [4, 2],
    ]);
  });
});
