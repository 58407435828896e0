import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { sealImpressionPng } from './registers-seal-image.ts';
import { buildSeedRegisters, loadSeedWorld } from './index.ts';

const decode = (base64: string): PNG => PNG.sync.read(Buffer.from(base64, 'base64'));
const pixelDigest = (png: PNG): string => createHash('sha256').update(png.data).digest('hex');

describe('sealImpressionPng', () => {
  it('draws the same pixels as the RGBA impressions the demo register held before', () => {
    // SHA-256 of the decoded RGBA pixels of the earlier RGBA drawing (commit eabc8e6).
    const before: [string, number, string][] = [
      ['H0001/000123', 236, '3c6199b0697af6c78ac6e138fa9ef6bbc096bc6feb7daeb948689f777bce64c4'],
      ['a', 64, '8b6b5e85616ecebb68f13ad1c5a5b36c77a348b9aa421a9a9d0f0def047dff94'],
      ['x/y', 17, '506e5e51ff301346e25a18592cb3626f9dcfacf0633c7db16a1b1bf2e226ef1f'],
      ['13-0042/9', 315, 'b91eb3071614fb0f6e6981bea57a3f52e8949d1e60c0278abb8a6dc1c295877a'],
    ];
    for (const [key, sizePx, digest] of before) {
      const png = decode(sealImpressionPng(key, sizePx));
      expect([png.width, png.height]).toEqual([sizePx, sizePx]);
      expect(pixelDigest(png), `${key} at ${sizePx} px`).toBe(digest);
    }
  });

  it('is a 1-bit palette PNG of the ink, transparent and opaque, a few kilobytes at 400 ppi', () => {
    const bytes = Buffer.from(sealImpressionPng('H0002/000456', 300), 'base64');
    expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect([bytes[24], bytes[25]]).toEqual([1, 3]); // bit depth 1, palette
    const png = decode(sealImpressionPng('H0002/000456', 300));
    const pixels = new Set<string>();
    for (let at = 0; at < png.data.length; at += 4) pixels.add(png.data.subarray(at, at + 4).toString('hex'));
    expect([...pixels].sort()).toEqual(['c81e1e00', 'c81e1eff']);
    expect(bytes.length).toBeLessThan(4096);
  });

  it('gives one picture per key: the same again, another for another key, the rings on both', () => {
    const one = decode(sealImpressionPng('H0003/000789', 240));
    expect(pixelDigest(decode(sealImpressionPng('H0003/000789', 240)))).toBe(pixelDigest(one));
    const other = decode(sealImpressionPng('H0003/000790', 240));
    expect(pixelDigest(other)).not.toBe(pixelDigest(one));
    // The outer ring crosses the middle of the top edge's row 2 on every impression.
    const ringAt = (2 * 240 + 120) * 4 + 3;
    expect([one.data[ringAt], other.data[ringAt]]).toEqual([255, 255]);
  });
});

describe('the demo 印鑑登録 register', () => {
  it('stores each impression as drawn for its design and size, the bytes certifying would draw', () => {
    const { inkan } = buildSeedRegisters(loadSeedWorld());
    expect(inkan.length).toBeGreaterThan(0);
    for (const registration of inkan) {
      expect(registration.sealDesign, registration.holderId).toBeDefined();
      expect(registration.sealImagePng, registration.holderId).toBe(
        sealImpressionPng(registration.sealDesign!, registration.sealImagePx),
      );
    }
    const png = decode(inkan[0]!.sealImagePng!);
    expect([png.width, png.height]).toEqual([inkan[0]!.sealImagePx, inkan[0]!.sealImagePx]);
  });
});
