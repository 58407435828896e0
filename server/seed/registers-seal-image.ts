import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';

/** Vermilion of 朱肉, as registered impressions are. */
const INK = [0xc8, 0x1e, 0x1e] as const;

/**
 * A registered seal impression (印影) for the demo register: a round 実印 with a double ring and a
 * mirrored block pattern taken from SHA-256 of `key`, red on transparent. Deterministic: one key,
 * one image. Stands in for the scanned impression a real 印鑑登録原票 holds.
 */
export function sealImpressionPng(key: string, sizePx = 64): string {
  const cacheKey = `${sizePx}/${key}`;
  const hit = cache.get(cacheKey);
  if (hit !== undefined) return hit;
  const png = drawImpression(key, sizePx);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(cacheKey, png);
  return png;
}

// Generated impressions (base64 PNG) by size and key: every centre a test starts builds the same
// register, and drawing ~700 impressions at 400 ppi is the slowest part of it.
const CACHE_LIMIT = 4096;
const cache = new Map<string, string>();

/**
 * What every impression of one size shares: for each pixel, whether it is on a ring, or else
 * which bit of the key's pattern decides it (-1: neither, always blank). Worked out once per size.
 */
const GRID = 7;
/** A ring pixel in a layout (pattern bits are 0–27). */
const RING = 100;
const layouts = new Map<number, Int8Array>();
function layoutOf(sizePx: number): Int8Array {
  const known = layouts.get(sizePx);
  if (known) return known;
  const layout = new Int8Array(sizePx * sizePx).fill(-1);
  const centre = (sizePx - 1) / 2;
  const outer = sizePx / 2 - 1;
  const cell = (outer * 1.3) / GRID;
  const gridLeft = centre - (cell * GRID) / 2;
  for (let y = 0; y < sizePx; y++) {
    for (let x = 0; x < sizePx; x++) {
      const dx = x - centre;
      const dy = y - centre;
      const r = Math.sqrt(dx * dx + dy * dy);
      const ring = (r <= outer && r >= outer - sizePx * 0.07) || (r <= outer * 0.8 && r >= outer * 0.8 - 1);
      const col = Math.floor((x - gridLeft) / cell);
      const row = Math.floor((y - gridLeft) / cell);
      const inGrid = col >= 0 && col < GRID && row >= 0 && row < GRID && r < outer * 0.78;
      const mirrored = col < GRID / 2 ? col : GRID - 1 - col; // symmetric, as carved names look
      if (ring) layout[y * sizePx + x] = RING;
      else if (inGrid) layout[y * sizePx + x] = row * 4 + mirrored;
    }
  }
  layouts.set(sizePx, layout);
  return layout;
}

function drawImpression(key: string, sizePx: number): string {
  const digest = createHash('sha256').update(key, 'utf8').digest();
  const png = new PNG({ width: sizePx, height: sizePx, colorType: 6 });
  const layout = layoutOf(sizePx);
  for (let i = 0; i < layout.length; i++) {
    const index = layout[i] as number;
    const on = index === RING || (index >= 0 && ((digest[index >> 3] ?? 0) >> (index & 7)) % 2 === 1);
    const at = i * 4;
    png.data[at] = INK[0];
    png.data[at + 1] = INK[1];
    png.data[at + 2] = INK[2];
    png.data[at + 3] = on ? 255 : 0;
  }
  return PNG.sync.write(png, { colorType: 6, deflateLevel: 1, filterType: 0 }).toString('base64');
}
