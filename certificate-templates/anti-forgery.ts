/// <reference types="pdfkit" />
import type { Font } from 'fontkit';

/**
 * The copy-deterrent background (地紋 with けん制文字, 網点方式).
 *
 * The whole sheet is covered with fine square dots; inside the outlines of the hidden word
 * (「複写」, repeated diagonally) the fine dots are replaced by coarse dots of the SAME area
 * coverage (dot/pitch is equal), so the original looks like an even light tint. A copier acts
 * as a low-pass filter: it loses the fine dots and keeps the coarse ones, and the word appears
 * on the copy.
 *
 * Dots are vector squares sized and spaced in whole device pixels of the kiosk printer
 * (600 dpi by default), placed on the page's device grid from its top-left corner, and painted
 * in one solid colorant (DeviceCMYK K=100 by default) so the printer never halftones them.
 * Each dot field is a PDF tiling pattern (one square per cell), so a page costs a few kB.
 */
export interface CopyDeterrentOptions {
  /** Printer resolution the dots are sized for (device pixels per inch). */
  deviceDpi: number;
  /** Fine background dot: side and pitch in device pixels (2 px on 8 px = 6.25 % coverage). */
  fineDotPx: number;
  finePitchPx: number;
  /** Coarse latent-word dot: side and pitch in device pixels (5 px on 20 px = 6.25 %). */
  coarseDotPx: number;
  coarsePitchPx: number;
  /** The hidden word, drawn from the body font's outlines. */
  word: string;
  /** Em size of the hidden word's characters, in points. */
  wordSizePt: number;
  /** Rotation of the word rows, in degrees (counter-clockwise on the page). */
  wordAngleDeg: number;
  /** Distance between word rows, and the gap between words in a row, in points. */
  rowPitchPt: number;
  wordGapPt: number;
  /** Emboldening of the word outline, in points (half the width of a stroke along the outline). */
  wordBoldPt: number;
  /** Dot colour as DeviceCMYK percentages (one solid colorant keeps the dots crisp). */
  cmyk: [number, number, number, number];
}

export const DEFAULT_COPY_DETERRENT: Readonly<CopyDeterrentOptions> = {
  deviceDpi: 600,
  fineDotPx: 2,
  finePitchPx: 8,
  coarseDotPx: 5,
  coarsePitchPx: 20,
  word: '複写',
  wordSizePt: 110,
  wordAngleDeg: 25,
  rowPitchPt: 180,
  wordGapPt: 80,
  wordBoldPt: 3,
  cmyk: [0, 0, 0, 100],
};

export type CopyDeterrentError =
  | { kind: 'copy-deterrent-unbalanced'; fineCoverage: number; coarseCoverage: number }
  | { kind: 'copy-deterrent-invalid'; field: keyof CopyDeterrentOptions };

/** Area coverage (0–1) of square dots of `dotPx` on a `pitchPx` grid. */
export function dotCoverage(dotPx: number, pitchPx: number): number {
  return (dotPx * dotPx) / (pitchPx * pitchPx);
}

export function checkCopyDeterrent(options: CopyDeterrentOptions): CopyDeterrentError | undefined {
  const positiveInts = ['deviceDpi', 'fineDotPx', 'finePitchPx', 'coarseDotPx', 'coarsePitchPx'] as const;
  for (const field of positiveInts) {
    if (!Number.isInteger(options[field]) || options[field] <= 0)
      return { kind: 'copy-deterrent-invalid', field };
  }
  if (options.fineDotPx >= options.finePitchPx) return { kind: 'copy-deterrent-invalid', field: 'fineDotPx' };
  if (options.coarseDotPx >= options.coarsePitchPx)
    return { kind: 'copy-deterrent-invalid', field: 'coarseDotPx' };
  if (options.coarseDotPx <= options.fineDotPx)
    return { kind: 'copy-deterrent-invalid', field: 'coarseDotPx' };
  if (options.word.length === 0) return { kind: 'copy-deterrent-invalid', field: 'word' };
  for (const field of ['wordSizePt', 'rowPitchPt'] as const) {
    if (!(options[field] > 0)) return { kind: 'copy-deterrent-invalid', field };
  }
  const fineCoverage = dotCoverage(options.fineDotPx, options.finePitchPx);
  const coarseCoverage = dotCoverage(options.coarseDotPx, options.coarsePitchPx);
  if (Math.abs(fineCoverage - coarseCoverage) > 0.01 * fineCoverage) {
    return { kind: 'copy-deterrent-unbalanced', fineCoverage, coarseCoverage };
  }
  return undefined;
}

/** The affine map page ← word outline of one placed word (font units, y up). */
export interface WordPlacement {
  /** [a, b, c, d, e, f]: x' = a·x + c·y + e, y' = b·x + d·y + f, in points, y down. */
  matrix: [number, number, number, number, number, number];
}

/**
 * Where the hidden word is placed on a page of `width` × `height` points: rows at
 * `wordAngleDeg`, every other row shifted by half a word, only words that touch the page.
 */
export function wordPlacements(
  font: Font,
  width: number,
  height: number,
  options: CopyDeterrentOptions,
): WordPlacement[] {
  const scale = options.wordSizePt / font.unitsPerEm;
  const wordWidth = font.layout(options.word).advanceWidth * scale;
  const step = wordWidth + options.wordGapPt;
  const angle = (-options.wordAngleDeg * Math.PI) / 180; // y grows downwards on the page
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const reach = Math.hypot(width, height);
  const cx = width / 2;
  const cy = height / 2;
  const placements: WordPlacement[] = [];
  const rows = Math.ceil(reach / options.rowPitchPt) + 1;
  const cols = Math.ceil(reach / step) + 1;
  for (let r = -rows; r <= rows; r++) {
    for (let c = -cols; c <= cols; c++) {
      // Word origin (baseline start) in the rotated frame centred on the page.
      const u = c * step + (r % 2 === 0 ? 0 : step / 2) - wordWidth / 2;
      const v = r * options.rowPitchPt + options.wordSizePt * 0.35;
      const ox = cx + u * cos - v * sin;
      const oy = cy + u * sin + v * cos;
      // Bounding circle test: skip words wholly off the page.
      const mx = ox + (wordWidth / 2) * cos;
      const my = oy + (wordWidth / 2) * sin;
      const radius = Math.hypot(wordWidth / 2, options.wordSizePt);
      if (mx < -radius || my < -radius || mx > width + radius || my > height + radius) continue;
      // Font units (y up) → rotated frame → page.
      placements.push({ matrix: [scale * cos, scale * sin, scale * sin, -scale * cos, ox, oy] });
    }
  }
  return placements;
}

/** The subset of PDFKit's document this module draws with. */
type Doc = PDFKit.PDFDocument;

// Outline points are rounded to 0.1 pt (a 600 dpi device pixel is 0.12 pt): short numbers
// keep the page content small.
const coordinate = (v: number): string => {
  const r = Math.round(v * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
};

/**
 * The outline of `word` mapped by `m`, as PDF path operators (m, l, c, h; quadratic segments
 * raised to cubic), not painted.
 */
export function wordPathOperators(font: Font, word: string, m: WordPlacement['matrix']): string {
  const run = font.layout(word);
  const ops: string[] = [];
  let penX = 0;
  run.glyphs.forEach((glyph, i) => {
    const pos = run.positions[i];
    const dx = penX + (pos?.xOffset ?? 0);
    const dy = pos?.yOffset ?? 0;
    const at = (x: number, y: number): [number, number] => [
      m[0] * (x + dx) + m[2] * (y + dy) + m[4],
      m[1] * (x + dx) + m[3] * (y + dy) + m[5],
    ];
    const point = (p: [number, number]): string => `${coordinate(p[0])} ${coordinate(p[1])}`;
    let current: [number, number] = [0, 0];
    for (const { command, args } of glyph.path.commands) {
      switch (command) {
        case 'moveTo':
          current = at(args[0]!, args[1]!);
          ops.push(`${point(current)} m`);
          break;
        case 'lineTo':
          current = at(args[0]!, args[1]!);
          ops.push(`${point(current)} l`);
          break;
        case 'quadraticCurveTo': {
          const q = at(args[0]!, args[1]!);
          const end = at(args[2]!, args[3]!);
          const c1: [number, number] = [
            current[0] + (2 / 3) * (q[0] - current[0]),
            current[1] + (2 / 3) * (q[1] - current[1]),
          ];
          const c2: [number, number] = [
            end[0] + (2 / 3) * (q[0] - end[0]),
            end[1] + (2 / 3) * (q[1] - end[1]),
          ];
          ops.push(`${point(c1)} ${point(c2)} ${point(end)} c`);
          current = end;
          break;
        }
        case 'bezierCurveTo': {
          const end = at(args[4]!, args[5]!);
          ops.push(`${point(at(args[0]!, args[1]!))} ${point(at(args[2]!, args[3]!))} ${point(end)} c`);
          current = end;
          break;
        }
        case 'closePath':
          ops.push('h');
          break;
      }
    }
    penX += pos?.xAdvance ?? glyph.advanceWidth;
  });
  return ops.join('\n');
}

/** Adds the outline of `word`, mapped by `m`, to the current path of the page. */
export function addWordPath(doc: Doc, font: Font, word: string, m: WordPlacement['matrix']): void {
  doc.addContent(wordPathOperators(font, word, m));
}

export interface CopyDeterrentPatterns {
  fine: PDFKit.PDFTilingPattern;
  coarse: PDFKit.PDFTilingPattern;
}

function dotPattern(doc: Doc, dotPx: number, pitchPx: number, dpi: number): PDFKit.PDFTilingPattern {
  const px = 72 / dpi;
  const pitch = pitchPx * px;
  const dot = dotPx * px;
  const n = (v: number): string => String(+v.toFixed(5));
  return doc.pattern([0, 0, pitch, pitch], pitch, pitch, `0 0 ${n(dot)} ${n(dot)} re f`);
}

/**
 * Creates the two dot patterns of a document. Call while no transform is active (the pattern
 * space is then the page's own, from its top-left corner).
 */
export function createCopyDeterrentPatterns(doc: Doc, options: CopyDeterrentOptions): CopyDeterrentPatterns {
  return {
    fine: dotPattern(doc, options.fineDotPx, options.finePitchPx, options.deviceDpi),
    coarse: dotPattern(doc, options.coarseDotPx, options.coarsePitchPx, options.deviceDpi),
  };
}

/** The hidden word's two forms (white, then coarse dots), made once per document. */
interface WordForms {
  white: PDFKit.PDFKitReference;
  coarse: PDFKit.PDFKitReference;
}
const wordForms = new WeakMap<CopyDeterrentPatterns, WordForms>();

/**
 * The hidden word as two form XObjects, one painting it white and one with the coarse dots: its
 * outline rotated and scaled as every placement is, origin at (0, 0), filled and stroked
 * (stroke = emboldening, as けん制文字 are bold) with the line width current where it is
 * painted. Every placement differs only by a translation, so a page holds `cm … Do` per
 * placement instead of the outline. The coarse dots are a pattern of the form's own, so their
 * space is the form's: placements are translated by whole coarse pitches, so the dots of every
 * word land on the same page-wide device grid as before.
 */
function makeWordForms(
  doc: Doc,
  font: Font,
  rotation: WordPlacement['matrix'],
  options: CopyDeterrentOptions,
): WordForms {
  const path = wordPathOperators(font, options.word, [
    ...rotation.slice(0, 4),
    0,
    0,
  ] as WordPlacement['matrix']);
  const paint = options.wordBoldPt > 0 ? 'B' : 'f';
  const reach = options.wordSizePt * (options.word.length + 1) + 2 * options.wordBoldPt;
  const bbox = [-reach, -reach, reach, reach];
  const px = 72 / options.deviceDpi;
  const pitch = options.coarsePitchPx * px;
  const dot = options.coarseDotPx * px;
  const n = (v: number): string => String(+v.toFixed(5));
  const [c, m, y, k] = options.cmyk.map((v) => n(v / 100));
  const coarseDots = doc.ref({
    Type: 'Pattern',
    PatternType: 1,
    PaintType: 1,
    TilingType: 1,
    BBox: [0, 0, pitch, pitch],
    XStep: pitch,
    YStep: pitch,
    Resources: {},
  });
  coarseDots.end(`${c} ${m} ${y} ${k} k 0 0 ${n(dot)} ${n(dot)} re f`);
  const white = doc.ref({ Type: 'XObject', Subtype: 'Form', BBox: bbox, Resources: {} });
  white.end(`1 g 1 G\n${path}\n${paint}`);
  const coarse = doc.ref({
    Type: 'XObject',
    Subtype: 'Form',
    BBox: bbox,
    Resources: { Pattern: { CoarseDots: coarseDots } },
  });
  coarse.end(`/Pattern cs /CoarseDots scn /Pattern CS /CoarseDots SCN\n${path}\n${paint}`);
  return { white, coarse };
}

/**
 * Paints the background of the current page. Call first on each page, with no transform
 * active, so everything drawn afterwards lies on top of it.
 */
export function drawCopyDeterrent(
  doc: Doc,
  font: Font,
  patterns: CopyDeterrentPatterns,
  options: CopyDeterrentOptions,
): void {
  const { width, height } = doc.page;
  doc.save();
  doc.rect(0, 0, width, height).fill([patterns.fine, options.cmyk]);
  const placements = wordPlacements(font, width, height, options);
  const first = placements[0];
  if (first) {
    const forms = wordForms.get(patterns) ?? makeWordForms(doc, font, first.matrix, options);
    wordForms.set(patterns, forms);
    const xobjects = doc.page.xobjects as Record<string, PDFKit.PDFKitReference>;
    xobjects['CopyWordWhite'] = forms.white;
    xobjects['CopyWordDots'] = forms.coarse;
    const pitch = (options.coarsePitchPx * 72) / options.deviceDpi;
    const onGrid = (v: number): string => coordinate(Math.round(v / pitch) * pitch);
    const paint = (form: string): void => {
      for (const { matrix } of placements)
        doc.addContent(`q 1 0 0 1 ${onGrid(matrix[4])} ${onGrid(matrix[5])} cm /${form} Do Q`);
    };
    doc.lineWidth(2 * options.wordBoldPt).lineJoin('round');
    // First in white to take the fine dots out, then with the coarse dots.
    paint('CopyWordWhite');
    paint('CopyWordDots');
  }
  doc.restore();
}
