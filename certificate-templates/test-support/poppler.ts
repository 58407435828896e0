import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import jsQRModule from 'jsqr';

// jsqr is CommonJS: its export is the decoder, also reachable as `.default`.
const jsQR = jsQRModule.default;

/**
 * Test helpers around poppler-utils (Debian `poppler-utils`). Each runs the real tool on a
 * temporary file and throws (ENOENT) when the tool is missing, so a test fails loudly.
 */
function withPdf<T>(pdf: Uint8Array, use: (path: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'cert-test-'));
  try {
    const path = join(dir, 'doc.pdf');
    writeFileSync(path, pdf);
    return use(path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfText(pdf: Uint8Array, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return withPdf(pdf, (path) =>
    execFileSync('pdftotext', ['-layout', ...range, path, '-'], { encoding: 'utf8' }),
  );
}

export function pdfInfo(pdf: Uint8Array): Record<string, string> {
  const out = withPdf(pdf, (path) => execFileSync('pdfinfo', [path], { encoding: 'utf8' }));
  const info: Record<string, string> = {};
  for (const row of out.split('\n')) {
    const i = row.indexOf(':');
    if (i > 0) info[row.slice(0, i).trim()] = row.slice(i + 1).trim();
  }
  return info;
}

export interface PdfFontRow {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
}

export function pdfFonts(pdf: Uint8Array): PdfFontRow[] {
  const out = withPdf(pdf, (path) => execFileSync('pdffonts', [path], { encoding: 'utf8' }));
  return out
    .split('\n')
    .slice(2)
    .filter((row) => row.trim().length > 0)
    .map((row) => {
      const cols = row.trim().split(/\s+/);
      // name, type (may be two words), encoding, emb, sub, uni, object, id
      const tail = cols.slice(-5);
      return {
        name: cols[0] ?? '',
        type: cols.slice(1, cols.length - 6).join(' '),
        embedded: tail[0] === 'yes',
        subset: tail[1] === 'yes',
      };
    });
}

export interface Crop {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Renders one page (1-based) to PNG with pdftoppm and decodes it. */
export function renderPng(pdf: Uint8Array, page: number, dpi: number, crop?: Crop): PNG {
  return withPdf(pdf, (path, dir) => {
    const cropArgs = crop ? ['-x', `${crop.x}`, '-y', `${crop.y}`, '-W', `${crop.w}`, '-H', `${crop.h}`] : [];
    const out = join(dir, 'page');
    execFileSync('pdftoppm', [
      '-r',
      String(dpi),
      '-f',
      `${page}`,
      '-l',
      `${page}`,
      '-png',
      '-singlefile',
      ...cropArgs,
      path,
      out,
    ]);
    return PNG.sync.read(readFileSync(`${out}.png`));
  });
}

/** Renders one page (1-based) in 8-bit grey (PGM) without anti-aliasing. */
export function renderGrey(
  pdf: Uint8Array,
  page: number,
  dpi: number,
  crop: Crop,
): { width: number; height: number; data: Uint8Array } {
  return withPdf(pdf, (path, dir) => {
    const out = join(dir, 'page');
    execFileSync('pdftoppm', [
      ...[
        '-r',
        String(dpi),
        '-f',
        `${page}`,
        '-l',
        `${page}`,
        '-gray',
        '-singlefile',
        '-aa',
        'no',
        '-aaVector',
        'no',
      ],
      ...['-x', `${crop.x}`, '-y', `${crop.y}`, '-W', `${crop.w}`, '-H', `${crop.h}`],
      path,
      out,
    ]);
    const pgm = readFileSync(`${out}.pgm`);
    // P5 header: "P5\n<w> <h>\n<max>\n" then bytes.
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
    if (!header) throw new Error('not a PGM');
    const width = Number(header[1]);
    const height = Number(header[2]);
    return { width, height, data: new Uint8Array(pgm.subarray(header[0].length)) };
  });
}

/** Decodes the QR code in a PNG (jsQR). */
export function readQr(png: PNG): string | undefined {
  const code = jsQR(
    new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
    png.width,
    png.height,
  );
  return code?.data;
}
