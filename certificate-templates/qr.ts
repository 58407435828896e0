/// <reference types="pdfkit" />
import QRCode from 'qrcode';

/**
 * The QR seal drawn as vector modules: each module is a whole number of printer device pixels
 * (8 px at 600 dpi = 0.34 mm by default), dark runs of a row merged into one rectangle, on a
 * white quiet zone of 4 modules that also keeps the copy-deterrent dots out of the code.
 */
export interface QrOptions {
  errorCorrectionLevel: 'M' | 'Q';
  deviceDpi: number;
  modulePx: number;
}

export const DEFAULT_QR: Readonly<QrOptions> = { errorCorrectionLevel: 'M', deviceDpi: 600, modulePx: 8 };

export const QR_QUIET_ZONE_MODULES = 4;

export interface QrSymbol {
  version: number;
  /** Modules per side, without the quiet zone. */
  modules: number;
  /** Side in points, with the quiet zone. */
  sidePt: number;
  dark(row: number, col: number): boolean;
}

export function qrSymbol(text: string, options: QrOptions): QrSymbol {
  const code = QRCode.create(text, { errorCorrectionLevel: options.errorCorrectionLevel });
  const size = code.modules.size;
  const modulePt = (options.modulePx * 72) / options.deviceDpi;
  return {
    version: code.version,
    modules: size,
    sidePt: (size + 2 * QR_QUIET_ZONE_MODULES) * modulePt,
    dark: (row, col) => code.modules.get(row, col) === 1,
  };
}

/** Draws `symbol` with its top-left quiet-zone corner at (x, y). */
export function drawQr(
  doc: PDFKit.PDFDocument,
  symbol: QrSymbol,
  x: number,
  y: number,
  options: QrOptions,
): void {
  const m = (options.modulePx * 72) / options.deviceDpi;
  doc.save();
  doc.rect(x, y, symbol.sidePt, symbol.sidePt).fill('white');
  const x0 = x + QR_QUIET_ZONE_MODULES * m;
  const y0 = y + QR_QUIET_ZONE_MODULES * m;
  for (let row = 0; row < symbol.modules; row++) {
    let col = 0;
    while (col < symbol.modules) {
      if (!symbol.dark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < symbol.modules && symbol.dark(row, col)) col++;
      doc.rect(x0 + start * m, y0 + row * m, (col - start) * m, m);
    }
  }
  doc.fill('black');
  doc.restore();
}
