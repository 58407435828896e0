/// <reference types="pdfkit" />
import type { Font } from 'fontkit';
import { addWordPath } from './anti-forgery.ts';
import { INK } from './draw.ts';
import { PAGE, PAGE_FRAME as F } from './page.ts';

/**
 * The anti-forgery marks every page carries besides the 複写 地紋 (anti-forgery.ts):
 *
 * - Microtext: a line of the document id in 1.4 pt capitals along the top and the bottom edge.
 *   Under a loupe it reads as the document number of the page; to the eye and to a copier it is
 *   a thin grey rule (a copier's scan cannot resolve 0.5 mm letters), so a copied or re-typeset
 *   page carries a plain line, or another number. It is kept out of the PDF's text layer (an
 *   empty /ActualText), so it never mixes with the text `npm run verify` compares with the seal.
 *
 * - Latent mark (潜像): a box of fine lines in the top right corner. The background lines run
 *   horizontally, the lines inside the outline of the word 「無効」 vertically, with the same
 *   width and pitch, so both cover the same share of the box and the original shows an even grey
 *   box. A copier or scanner resolves the two directions differently (its sensor row and its
 *   paper feed), and a line-screen decoder film laid on the box shows the word; on such a copy the
 *   word 「無効」 (void) stands out. Drawn in whole device pixels like the 地紋.
 */
export interface MarkOptions {
  /** Printer resolution the latent lines are sized for (device pixels per inch). */
  deviceDpi: number;
  /** Microtext size in points (1.4 pt ≈ 0.5 mm capitals). */
  microtextPt: number;
  /** Latent mark: line width and pitch in device pixels (2 on 8: 25 % coverage both ways). */
  latentLinePx: number;
  latentPitchPx: number;
  /** The latent word and its em size in points. */
  latentWord: string;
  latentWordPt: number;
}

export const DEFAULT_MARKS: Readonly<MarkOptions> = {
  deviceDpi: 600,
  microtextPt: 1.4,
  latentLinePx: 2,
  latentPitchPx: 8,
  latentWord: '無効',
  latentWordPt: 26,
};

/** The latent mark's box (points, y down): right of the title, above the form's body. */
export const LATENT_BOX = { x: F.right - 84, y: 20, width: 84, height: 36 } as const;

/** Where the microtext lines run (their baselines' top, in points). */
export const MICROTEXT_LINES_Y = [10, PAGE.height - 12] as const;

export interface MarkPatterns {
  horizontal: PDFKit.PDFTilingPattern;
  vertical: PDFKit.PDFTilingPattern;
}

/** The two line patterns of a document. Create while no transform is active. */
export function createMarkPatterns(pdf: PDFKit.PDFDocument, options: MarkOptions): MarkPatterns {
  const px = 72 / options.deviceDpi;
  const pitch = options.latentPitchPx * px;
  const width = options.latentLinePx * px;
  const n = (v: number): string => String(+v.toFixed(5));
  // Each line runs one device pixel into the neighbouring cells, so tiles join without a seam.
  const over = px;
  const long = pitch + 2 * over;
  return {
    horizontal: pdf.pattern(
      [-over, 0, pitch + over, pitch],
      pitch,
      pitch,
      `${n(-over)} 0 ${n(long)} ${n(width)} re f`,
    ),
    vertical: pdf.pattern(
      [0, -over, pitch, pitch + over],
      pitch,
      pitch,
      `0 ${n(-over)} ${n(width)} ${n(long)} re f`,
    ),
  };
}

/** The microtext of one line: the document id repeated, as many times as fill `width`. */
export function microtextLine(
  pdf: PDFKit.PDFDocument,
  documentId: string,
  size: number,
  width: number,
): string {
  // Separated by spaces: pdfkit lays out and caches each word once, not one 700-glyph string.
  const unit = `${documentId} `;
  pdf.font('body').fontSize(size);
  const count = Math.max(1, Math.floor(width / pdf.widthOfString(unit)));
  return unit.repeat(count);
}

/** Draws the microtext lines of the current page, outside the text layer. */
export function drawMicrotext(pdf: PDFKit.PDFDocument, documentId: string, options: MarkOptions): void {
  const width = F.right - F.left;
  const text = microtextLine(pdf, documentId, options.microtextPt, width);
  pdf.addContent('/Span << /ActualText () >> BDC');
  pdf.font('body').fontSize(options.microtextPt).fillColor(INK);
  for (const y of MICROTEXT_LINES_Y) pdf.text(text, F.left, y, { lineBreak: false });
  pdf.addContent('EMC');
}

/** Draws the latent mark (潜像) of the current page in its box. */
export function drawLatentMark(
  pdf: PDFKit.PDFDocument,
  font: Font,
  patterns: MarkPatterns,
  options: MarkOptions,
): void {
  const { x, y, width, height } = LATENT_BOX;
  const scale = options.latentWordPt / font.unitsPerEm;
  const wordWidth = font.layout(options.latentWord).advanceWidth * scale;
  // Baseline so that the em box is centred vertically (IPA 明朝: ascent 0.88 em).
  const ox = x + (width - wordWidth) / 2;
  const oy = y + height / 2 + options.latentWordPt * 0.38;
  const matrix: [number, number, number, number, number, number] = [scale, 0, 0, -scale, ox, oy];
  pdf.save();
  pdf.rect(x, y, width, height).fill('white');
  pdf.rect(x, y, width, height).fill([patterns.horizontal, INK]);
  addWordPath(pdf, font, options.latentWord, matrix);
  pdf.fill('white');
  addWordPath(pdf, font, options.latentWord, matrix);
  pdf.fill([patterns.vertical, INK]);
  pdf.restore();
}
