import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { blackImpression } from './impression.ts';
import { rawPng, rowBytes } from './test-support/png-samples.ts';

const base64 = (png: Buffer): string => png.toString('base64');

/** The printed impression's pixels: every one black, its ink as alpha. */
function printedInk(png: Buffer): number[] {
  const decoded = PNG.sync.read(png);
  const ink: number[] = [];
  let coloured = 0;
  for (let at = 0; at < decoded.data.length; at += 4) {
    coloured += decoded.data[at]! + decoded.data[at + 1]! + decoded.data[at + 2]!;
    ink.push(decoded.data[at + 3]!);
  }
  expect(coloured).toBe(0);
  return ink;
}

/** The same picture as an RGBA PNG, as pngjs writes it. */
function asRgba(png: Buffer): Buffer {
  const decoded = PNG.sync.read(png);
  const out = new PNG({ width: decoded.width, height: decoded.height, colorType: 6 });
  decoded.data.copy(out.data);
  return PNG.sync.write(out, { colorType: 6 });
}

describe('blackImpression', () => {
  it('prints a 1-bit palette impression (ink transparent and opaque) exactly as the same picture in RGBA', () => {
    // As the demo register draws them (server/seed/registers-seal-image.ts): 48 × 48, bits from a pattern.
    const bytes = rowBytes(48, 1);
    const rows = Buffer.alloc(bytes * 48);
    for (let y = 0; y < 48; y++)
      for (let x = 1; x < bytes; x++) rows[y * bytes + x] = (y * 37 + x * 101) & 0xff;
    const ink = [0xc8, 0x1e, 0x1e];
    const palette = rawPng({
      width: 48,
      height: 48,
      bitDepth: 1,
      colourType: 3,
      rows,
      palette: Buffer.from([...ink, ...ink]),
      transparency: Buffer.from([0, 255]),
    });
    const fromPalette = blackImpression(base64(palette))!;
    const fromRgba = blackImpression(base64(asRgba(palette)))!;
    expect([fromPalette.widthPx, fromPalette.heightPx]).toEqual([48, 48]);
    const printed = printedInk(fromPalette.png());
    expect(printed).toEqual(printedInk(fromRgba.png()));
    expect(new Set(printed)).toEqual(new Set([0, 255]));
  });

  it('prints palette images of every depth, filter and transparency as pngjs’s RGBA of them', () => {
    let state = 0x2545f491;
    const random = (below: number): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % below;
    };
    for (let n = 0; n < 150; n++) {
      const bitDepth = [1, 2, 4, 8][n % 4]!;
      const width = 1 + random(17);
      const height = 1 + random(5);
      const bytes = rowBytes(width, bitDepth);
      const rows = Buffer.from(
        Array.from({ length: bytes * height }, (_, i) => (i % bytes === 0 ? random(5) : random(256))),
      );
      const entries = 1 << bitDepth;
      const png = rawPng({
        width,
        height,
        bitDepth,
        colourType: 3,
        rows,
        palette: Buffer.from(Array.from({ length: entries * 3 }, () => random(256))),
        ...(random(2) === 0
          ? { transparency: Buffer.from(Array.from({ length: random(entries + 1) }, () => random(256))) }
          : {}),
      });
      const printed = printedInk(blackImpression(base64(png))!.png());
      expect(printed, `image ${n}`).toEqual(printedInk(blackImpression(base64(asRgba(png)))!.png()));
    }
  });

  it('takes a register’s PNG in any colour type, its ink from colour and opacity', () => {
    const width = 3;
    const row = (...bytes: number[]): number[] => [0, ...bytes];
    const images: [string, Buffer, number[]][] = [
      // red, white, transparent-black: ink 255, 0, 0
      [
        'RGBA',
        rawPng({
          width,
          height: 1,
          bitDepth: 8,
          colourType: 6,
          rows: Buffer.from(row(200, 30, 30, 255, 255, 255, 255, 255, 0, 0, 0, 0)),
        }),
        [255, 0, 0],
      ],
      [
        'RGB',
        rawPng({
          width,
          height: 1,
          bitDepth: 8,
          colourType: 2,
          rows: Buffer.from(row(200, 30, 30, 255, 255, 255, 155, 155, 155)),
        }),
        [255, 0, 128],
      ],
      [
        'grey',
        rawPng({ width, height: 1, bitDepth: 8, colourType: 0, rows: Buffer.from(row(0, 255, 155)) }),
        [255, 0, 128],
      ],
      [
        'grey + alpha',
        rawPng({
          width,
          height: 1,
          bitDepth: 8,
          colourType: 4,
          rows: Buffer.from(row(0, 255, 0, 0, 0, 100)),
        }),
        [255, 0, 100],
      ],
      [
        'palette with transparency',
        rawPng({
          width,
          height: 1,
          bitDepth: 2,
          colourType: 3,
          rows: Buffer.from(row(0b00011000)),
          palette: Buffer.from([200, 30, 30, 200, 30, 30, 255, 255, 255]),
          transparency: Buffer.from([255, 0]),
        }),
        [255, 0, 0],
      ],
      [
        '16-bit grey',
        rawPng({
          width,
          height: 1,
          bitDepth: 16,
          colourType: 0,
          rows: Buffer.from(row(0, 0, 255, 255, 0, 0)),
        }),
        [255, 0, 255],
      ],
      [
        'interlaced grey (decoded to know)',
        rawPng({ width: 1, height: 1, bitDepth: 8, colourType: 0, interlace: 1, rows: Buffer.from(row(0)) }),
        [255],
      ],
    ];
    for (const [name, png, ink] of images) {
      const impression = blackImpression(base64(png));
      expect(impression, name).toBeDefined();
      expect([impression!.widthPx, impression!.heightPx], name).toEqual([ink.length, 1]);
      expect(printedInk(impression!.png()), name).toEqual(ink);
    }
  });

  it('finds no impression in a PNG that does not decode, or declares a size no form prints', () => {
    const rows = Buffer.alloc(rowBytes(4, 8) * 4);
    const good = rawPng({ width: 4, height: 4, bitDepth: 8, colourType: 0, rows });
    expect(blackImpression(base64(good))).toBeDefined();
    const broken = Buffer.from(good);
    broken[broken.length - 20]! ^= 1;
    expect(blackImpression(base64(broken))).toBeUndefined();
    expect(blackImpression(base64(good.subarray(0, 40)))).toBeUndefined();
    expect(blackImpression('')).toBeUndefined();
    // pngjs would abort the process on this header; it is never asked.
    const huge = rawPng({ width: 0x7ffffffe, height: 1, bitDepth: 8, colourType: 0, rows: Buffer.alloc(10) });
    expect(blackImpression(base64(huge))).toBeUndefined();
    const large = rawPng({ width: 5000, height: 1, bitDepth: 8, colourType: 0, rows: Buffer.alloc(5001) });
    expect(blackImpression(base64(large))).toBeUndefined();
  });
});
