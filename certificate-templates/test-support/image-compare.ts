import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

/**
 * How far a rendered page may stray from its reviewed snapshot: pixelmatch's per-pixel colour
 * threshold (0–1), and how many pixels past it a page may still differ by. Anti-aliased pixels
 * count too: at 75 dpi most of a changed digit is anti-aliasing. Small enough that one changed
 * digit of an amount fails (certificate-templates/visual.test.ts proves it: 3 → 8 moves about 13
 * pixels), loose enough for a rounding change in another poppler or FreeType build. The same
 * machine renders the samples identically (0 pixels).
 */
export interface ImageTolerance {
  threshold: number;
  maxDiffPixels: number;
}

export const SNAPSHOT_TOLERANCE: ImageTolerance = { threshold: 0.1, maxDiffPixels: 4 };

export interface ImageSize {
  width: number;
  height: number;
}

export type ImageComparison =
  | { kind: 'same'; diffPixels: number }
  | { kind: 'size-differs'; expected: ImageSize; actual: ImageSize }
  | { kind: 'differs'; diffPixels: number; diffPng: Buffer };

/** Compares two PNGs (any colour type pngjs reads) with pixelmatch; the diff marks changes in red. */
export function compareImages(
  expectedPng: Uint8Array,
  actualPng: Uint8Array,
  tolerance: ImageTolerance = SNAPSHOT_TOLERANCE,
): ImageComparison {
  const expected = PNG.sync.read(Buffer.from(expectedPng));
  const actual = PNG.sync.read(Buffer.from(actualPng));
  if (expected.width !== actual.width || expected.height !== actual.height) {
    return {
      kind: 'size-differs',
      expected: { width: expected.width, height: expected.height },
      actual: { width: actual.width, height: actual.height },
    };
  }
  const diff = new PNG({ width: actual.width, height: actual.height });
  const diffPixels = pixelmatch(expected.data, actual.data, diff.data, actual.width, actual.height, {
    threshold: tolerance.threshold,
    includeAA: true,
  });
  if (diffPixels <= tolerance.maxDiffPixels) return { kind: 'same', diffPixels };
  return { kind: 'differs', diffPixels, diffPng: PNG.sync.write(diff) };
}
