import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { longestDeclaredSide, provenPng, type ProvenPng } from './png-check.ts';
import { pngFile } from './png-file.ts';
import { unfilteredRows } from './png-rows.ts';

/**
 * The registered seal impression (印影) as printed: the register's PNG (any colour) turned into
 * black ink with the impression's own coverage as alpha, as municipalities print it in black.
 * Decoding and re-encoding a 400 ppi impression costs milliseconds, so the result is cached by
 * the digest of the register's image (a few entries; an image holds no personal data beyond
 * the impression itself, which every copy of the certificate shows).
 */
export interface Impression {
  /**
   * Grey + alpha PNG: grey 0 (black) everywhere, alpha = the impression's ink. Made when first
   * asked for (at drawing): the printability check needs only that the image decodes and its size,
   * which the PNG's structure shows without unpacking its pixels (`png-check.ts`).
   */
  png(): Buffer;
  widthPx: number;
  heightPx: number;
}

const CACHE_LIMIT = 32;
const cache = new Map<string, Impression>();

/**
 * The most pixels a side of a registered impression may have: 25 mm (the largest 印影 a form takes)
 * at over 4,000 ppi. A larger PNG is not printed, and not handed to the decoder (`png-check.ts`).
 */
export const MAX_IMPRESSION_SIDE_PX = 4096;

/**
 * Ink of a pixel (0–255): its opacity times how far its palest channel is from white, so a red
 * impression on transparent prints solid black and white or transparent pixels print nothing.
 */
function inkOf(r: number, g: number, b: number, a: number): number {
  const colour = Math.min(1, (255 - Math.min(r, g, b)) / 200);
  return Math.round(a * colour);
}

export function blackImpression(base64Png: string): Impression | undefined {
  const key = createHash('sha256').update(base64Png, 'utf8').digest('hex');
  const hit = cache.get(key);
  if (hit) return hit;
  const bytes = Buffer.from(base64Png, 'base64');
  if (longestDeclaredSide(bytes) > MAX_IMPRESSION_SIDE_PX) return undefined;
  // A plain PNG is shown to decode from its structure; any other is decoded to find out.
  const proven = provenPng(bytes);
  let decoded: PNG | undefined;
  if (!proven) {
    try {
      decoded = PNG.sync.read(bytes);
    } catch {
      return undefined;
    }
  }
  // A palette image is drawn from its rows; any other through pngjs's RGBA.
  const palette = proven?.colourType === 3 ? proven : undefined;
  let encoded: Buffer | undefined;
  const impression: Impression = {
    png: () => (encoded ??= palette ? blackPalettePng(palette) : blackPng(decoded ?? PNG.sync.read(bytes))),
    widthPx: proven?.widthPx ?? decoded!.width,
    heightPx: proven?.heightPx ?? decoded!.height,
  };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, impression);
  return impression;
}

/** The impression in black ink: grey 0 with the source's ink as alpha, as a grey + alpha PNG. */
function blackPng(source: PNG): Buffer {
  const out = new PNG({ width: source.width, height: source.height, colorType: 4 });
  for (let i = 0; i < source.width * source.height; i++) {
    const at = i * 4;
    out.data[at] = 0;
    out.data[at + 1] = 0;
    out.data[at + 2] = 0;
    out.data[at + 3] = inkOf(
      source.data[at]!,
      source.data[at + 1]!,
      source.data[at + 2]!,
      source.data[at + 3]!,
    );
  }
  return PNG.sync.write(out, { colorType: 4, inputColorType: 6, deflateLevel: 9 });
}

/**
 * A palette PNG in black ink, from its rows: the ink of each palette entry worked out once, then
 * looked up a pixel (the same pixels as pngjs's RGBA through `inkOf`, without unpacking to RGBA).
 */
function blackPalettePng(source: ProvenPng): Buffer {
  const colours = source.palette!;
  const alphas = source.transparency;
  const inkOfEntry = new Uint8Array(colours.length / 3);
  for (let entry = 0; entry < inkOfEntry.length; entry++) {
    const at = entry * 3;
    inkOfEntry[entry] = inkOf(colours[at]!, colours[at + 1]!, colours[at + 2]!, alphas?.[entry] ?? 255);
  }
  const rows = unfilteredRows(source.rows, source.rowBytes, 1);
  const depth = source.bitDepth;
  const mask = (1 << depth) - 1;
  const width = source.widthPx;
  const outRow = 1 + width * 2;
  const out = Buffer.alloc(outRow * source.heightPx); // filter 0, then grey 0 and the ink a pixel
  for (let y = 0; y < source.heightPx; y++) {
    const row = y * source.rowBytes + 1;
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const index = (rows[row + (bit >> 3)]! >> (8 - depth - (bit & 7))) & mask;
      out[y * outRow + 2 + x * 2] = inkOfEntry[index]!;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(source.heightPx, 4);
  header[8] = 8; // bit depth
  header[9] = 4; // grey + alpha
  return pngFile([
    { type: 'IHDR', data: header },
    { type: 'IDAT', data: deflateSync(out, { level: 1 }) },
    { type: 'IEND', data: Buffer.alloc(0) },
  ]);
}
