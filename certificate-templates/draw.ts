/// <reference types="pdfkit" />

/** Small drawing helpers shared by the certificate layouts. Units are points, y down. */

export type Cmyk = [number, number, number, number];

/** Text and rules: one solid colorant (K), never a composite black. */
export const INK: Cmyk = [0, 0, 0, 100];
/** The 公印's red (M+Y), as printed seals are. */
export const SEAL_RED: Cmyk = [0, 100, 100, 0];

/** Registered font names of a certificate document. */
export type FontName = 'body' | 'name';

export type Align = 'left' | 'center' | 'right';

/**
 * The largest size ≤ preferred (in 0.25 pt steps) at which `text` fits `maxWidth`,
 * or undefined when even `min` is too wide.
 */
export function fitSize(
  doc: PDFKit.PDFDocument,
  font: FontName,
  text: string,
  maxWidth: number,
  preferred: number,
  min: number,
): number | undefined {
  if (text.length === 0) return preferred;
  doc.font(font).fontSize(10);
  return sizeForWidth(doc.widthOfString(text) / 10, maxWidth, preferred, min);
}

/** The largest size ≤ preferred (0.25 pt steps) for a text `perPoint` wide at 1 pt, or undefined below `min`. */
export function sizeForWidth(
  perPoint: number,
  maxWidth: number,
  preferred: number,
  min: number,
): number | undefined {
  if (perPoint === 0) return preferred;
  const size = Math.min(preferred, Math.floor((maxWidth / perPoint) * 4) / 4);
  return size >= min ? size : undefined;
}

/** Draws one line of text, vertically centred on `midY`, aligned inside [x, x + width]. */
export function line(
  doc: PDFKit.PDFDocument,
  font: FontName,
  size: number,
  text: string,
  x: number,
  midY: number,
  width: number,
  align: Align = 'left',
): void {
  if (text.length === 0) return;
  doc.font(font).fontSize(size).fillColor(INK);
  const w = doc.widthOfString(text);
  const left = align === 'left' ? x : align === 'center' ? x + (width - w) / 2 : x + width - w;
  // IPA 明朝 metrics: ascent 0.88 em, descent 0.12 em; pdfkit's y is the top of the ascent.
  doc.text(text, left, midY - size * 0.5 - size * 0.005, { lineBreak: false });
}

/** Evenly spread characters across a width (均等割り), as labels on official forms are. */
export function spread(
  doc: PDFKit.PDFDocument,
  font: FontName,
  size: number,
  text: string,
  x: number,
  midY: number,
  width: number,
): void {
  const count = Array.from(text).length;
  if (count <= 1) return line(doc, font, size, text, x, midY, width, 'center');
  doc.font(font).fontSize(size).fillColor(INK);
  const gap = Math.max(0, (width - doc.widthOfString(text)) / (count - 1));
  // One text run with character spacing: the label stays one extractable word.
  doc.text(text, x, midY - size * 0.5 - size * 0.005, { lineBreak: false, characterSpacing: gap });
}

export function box(
  doc: PDFKit.PDFDocument,
  x: number,
  y: number,
  w: number,
  h: number,
  lineWidth = 0.6,
): void {
  doc.save().lineWidth(lineWidth).rect(x, y, w, h).stroke(INK).restore();
}

export function rule(
  doc: PDFKit.PDFDocument,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  lineWidth = 0.4,
): void {
  doc.save().lineWidth(lineWidth).moveTo(x1, y1).lineTo(x2, y2).stroke(INK).restore();
}
