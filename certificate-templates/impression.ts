import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import { longestDeclaredSide, provenPngSize } from './png-check.ts';

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
  let decoded: PNG | undefined;
  let size = provenPngSize(bytes);
  if (!size) {
    try {
      decoded = PNG.sync.read(bytes);
    } catch {
      return undefined;
    }
    size = { widthPx: decoded.width, heightPx: decoded.height };
  }
  let encoded: Buffer | undefined;
  const impression: Impression = {
    png: () => (encoded ??= blackPng(decoded ?? PNG.sync.read(bytes))),
    ...size,
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
