/// <reference types="pdfkit" />
import { SEAL_RED } from './draw.ts';

/**
 * The drawn 公印 (official seal): a red square with a double border and the seal's legend
 * (e.g. 「千代田区長之印」) in columns read right to left, top to bottom, each character
 * stretched to fill its cell as engraved seals do. Drawn as vector text, not an image.
 */
export function sealLegend(mayorTitle: string): string {
  return `${mayorTitle}之印`;
}

/** How many characters go in each column, right column first. */
export function sealColumns(count: number): number[] {
  const columns = count <= 1 ? 1 : count <= 4 ? 2 : count <= 9 ? 3 : 4;
  const base = Math.floor(count / columns);
  const extra = count % columns;
  return Array.from({ length: columns }, (_, i) => base + (i < extra ? 1 : 0));
}

export function drawOfficialSeal(
  doc: PDFKit.PDFDocument,
  legend: string,
  x: number,
  y: number,
  side: number,
): void {
  const chars = Array.from(legend);
  const columns = sealColumns(chars.length);
  doc.save();
  doc
    .lineWidth(side * 0.04)
    .rect(x, y, side, side)
    .stroke(SEAL_RED);
  const inset = side * 0.07;
  doc
    .lineWidth(side * 0.012)
    .rect(x + inset, y + inset, side - 2 * inset, side - 2 * inset)
    .stroke(SEAL_RED);
  const pad = side * 0.1;
  const innerW = side - 2 * pad;
  const colW = innerW / columns.length;
  let next = 0;
  columns.forEach((count, col) => {
    const colX = x + side - pad - (col + 1) * colW; // right to left
    const cellH = (side - 2 * pad) / count;
    for (let i = 0; i < count; i++) {
      const ch = chars[next++] ?? '';
      const cellY = y + pad + i * cellH;
      // Glyphs are drawn at 1 em = 10 pt and scaled into the cell (0.92 of it), centred.
      const sx = (colW * 0.92) / 10;
      const sy = (cellH * 0.92) / 10;
      doc.save();
      doc.translate(colX + colW * 0.04, cellY + cellH * 0.04).scale(sx, sy);
      doc.font('body').fontSize(10).fillColor(SEAL_RED).text(ch, 0, -0.6, { lineBreak: false });
      doc.restore();
    }
  });
  doc.restore();
}
