import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { pngFile } from '../../certificate-templates/png-file.ts';

/** Vermilion of 朱肉, as registered impressions are. */
const INK = [0xc8, 0x1e, 0x1e] as const;

/**
 * A registered seal impression (印影) for the demo register: a round 実印 with a double ring and a
 * mirrored block pattern taken from SHA-256 of `key`, red on transparent. Deterministic: one key,
 * one image. Stands in for the scanned impression a real 印鑑登録原票 holds.
 *
 * The picture has two values, ink and nothing, so it is written as a 1-bit palette PNG whose two
 * entries are the ink, transparent and opaque (tRNS): decoded, the same RGBA pixels as a full
 * RGBA image of it, at a fiftieth of the bytes and a small part of the work to write and read.
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

// Drawn impressions (base64 PNG) by size and key: sign-in's menu checks that a resident's
// 印鑑登録証明書 prints and the issue moments later certifies it, with one drawing.
const CACHE_LIMIT = 1024;
const cache = new Map<string, string>();

function drawImpression(key: string, sizePx: number): string {
  const digest = createHash('sha256').update(key, 'utf8').digest();
  const design = designOf(sizePx);
  const raw = Buffer.from(design.rings);
  design.cells.forEach((cell, bit) => {
    if (((digest[bit >> 3] ?? 0) >> (bit & 7)) % 2 === 0) return;
    for (let i = 0; i < cell.at.length; i++) raw[cell.at[i]!]! |= cell.bits[i]!;
  });
  const header = Buffer.alloc(13);
  header.writeUInt32BE(sizePx, 0);
  header.writeUInt32BE(sizePx, 4);
  header[8] = 1; // bit depth
  header[9] = 3; // palette; compression, filter and interlace methods 0
  return pngFile([
    { type: 'IHDR', data: header },
    { type: 'PLTE', data: Buffer.from([...INK, ...INK]) },
    { type: 'tRNS', data: Buffer.from([0, 255]) }, // entry 0 transparent, 1 opaque
    { type: 'IDAT', data: deflateSync(raw, { level: 3 }) },
    { type: 'IEND', data: Buffer.alloc(0) },
  ]).toString('base64');
}

/**
 * One size's design as PNG rows (a filter byte, 0: none, then 8 pixels a byte, first pixel in
 * the high bit): the rings, always inked, and for each of the key's pattern bits the bytes and
 * bits it inks when set.
 */
interface Design {
  rings: Buffer;
  cells: { at: Uint32Array; bits: Uint8Array }[];
}
const designs = new Map<number, Design>();
function designOf(sizePx: number): Design {
  const known = designs.get(sizePx);
  if (known) return known;
  const layout = layoutOf(sizePx);
  const rowBytes = 1 + Math.ceil(sizePx / 8);
  const rings = Buffer.alloc(rowBytes * sizePx);
  const cells = Array.from({ length: GRID * 4 }, () => new Map<number, number>());
  for (let y = 0; y < sizePx; y++) {
    for (let x = 0; x < sizePx; x++) {
      const index = layout[y * sizePx + x] as number;
      const at = y * rowBytes + 1 + (x >> 3);
      const bit = 0x80 >> (x & 7);
      if (index === RING) rings[at]! |= bit;
      else if (index >= 0) cells[index]!.set(at, (cells[index]!.get(at) ?? 0) | bit);
    }
  }
  const design: Design = {
    rings,
    cells: cells.map((bytes) => ({
      at: Uint32Array.from(bytes.keys()),
      bits: Uint8Array.from(bytes.values()),
    })),
  };
  designs.set(sizePx, design);
  return design;
}

/**
 * What every impression of one size shares: for each pixel, whether it is on a ring, or else
 * which bit of the key's pattern decides it (-1: neither, always blank).
 */
const GRID = 7;
/** A ring pixel in a layout (pattern bits are 0–27). */
const RING = 100;
function layoutOf(sizePx: number): Int8Array {
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
  return layout;
}
