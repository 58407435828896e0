import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { chunkCrc } from './png-file.ts';
import { MAX_IMPRESSION_SIDE_PX } from './impression.ts';
import { longestDeclaredSide, provenPng } from './png-check.ts';
import { rawPng, rowBytes } from './test-support/png-samples.ts';

/** A deterministic pseudo-random source (xorshift32), so a failure can be run again. */
function randomOf(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % below;
  };
}

const SAMPLES_OF_COLOUR_TYPE: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** The size provenPng proves, or undefined. */
function sizeOf(png: Buffer): { widthPx: number; heightPx: number } | undefined {
  const proven = provenPng(png);
  return proven && { widthPx: proven.widthPx, heightPx: proven.heightPx };
}

/** pngjs's verdict: the size when it decodes the PNG, undefined when it throws. */
function decodedSize(png: Buffer): { widthPx: number; heightPx: number } | undefined {
  try {
    const decoded = PNG.sync.read(png);
    return { widthPx: decoded.width, heightPx: decoded.height };
  } catch {
    return undefined;
  }
}

/** The chunk starting at `at` with its CRC made right again after a change to its bytes. */
function recrc(png: Buffer): Buffer {
  const out = Buffer.from(png);
  let at = 8;
  while (at + 12 <= out.length) {
    const end = at + 8 + out.readUInt32BE(at);
    if (end + 4 > out.length) break;
    out.writeUInt32BE(chunkCrc(out, at + 4, end), end);
    at = end + 4;
  }
  return out;
}

describe('provenPng', () => {
  it('proves plain PNGs of every colour type and depth decode, with their size', () => {
    const cases: [number, number][] = [
      [0, 1],
      [0, 2],
      [0, 4],
      [0, 8],
      [0, 16],
      [2, 8],
      [2, 16],
      [3, 1],
      [3, 2],
      [3, 4],
      [3, 8],
      [4, 8],
      [4, 16],
      [6, 8],
      [6, 16],
    ];
    for (const [colourType, bitDepth] of cases) {
      const width = 13;
      const height = 5;
      const bytes = rowBytes(width, bitDepth * SAMPLES_OF_COLOUR_TYPE[colourType]!);
      const rows = Buffer.alloc(bytes * height);
      for (let y = 0; y < height; y++) rows[y * bytes] = colourType === 3 ? 0 : y % 5; // each filter type
      const png = rawPng({
        width,
        height,
        bitDepth,
        colourType,
        rows,
        ...(colourType === 3 ? { palette: Buffer.alloc(3 * (1 << bitDepth), 0x40) } : {}),
      });
      expect(decodedSize(png), `${colourType}/${bitDepth}`).toEqual({ widthPx: 13, heightPx: 5 });
      expect(sizeOf(png), `${colourType}/${bitDepth}`).toEqual({ widthPx: 13, heightPx: 5 });
    }
  });

  it('proves nothing of a damaged PNG: CRC, length, filter type, palette index, truncation', () => {
    const rows = Buffer.alloc(rowBytes(8, 8) * 4);
    const good = rawPng({ width: 8, height: 4, bitDepth: 8, colourType: 0, rows });
    expect(sizeOf(good)).toEqual({ widthPx: 8, heightPx: 4 });
    const badCrc = Buffer.from(good);
    badCrc[good.length - 20]! ^= 1; // inside IDAT
    const badFilter = Buffer.from(rows);
    badFilter[rowBytes(8, 8)] = 5;
    const short = rows.subarray(0, rows.length - 1);
    const long = Buffer.concat([rows, Buffer.alloc(1)]);
    const paletteRows = Buffer.from([0, 0b00011011]); // indices 0, 1, 2, 3 in a palette of 3
    for (const [name, png] of [
      ['not a PNG', Buffer.from('GIF89a')],
      ['a broken CRC', badCrc],
      ['cut short', good.subarray(0, good.length - 5)],
      ['bytes after IEND', Buffer.concat([good, Buffer.alloc(1)])],
      ['filter type 5', rawPng({ width: 8, height: 4, bitDepth: 8, colourType: 0, rows: badFilter })],
      ['a row short', rawPng({ width: 8, height: 4, bitDepth: 8, colourType: 0, rows: short })],
      ['a byte over', rawPng({ width: 8, height: 4, bitDepth: 8, colourType: 0, rows: long })],
      ['RGB at 1 bit', rawPng({ width: 8, height: 4, bitDepth: 1, colourType: 2, rows })],
      ['no palette', rawPng({ width: 4, height: 1, bitDepth: 2, colourType: 3, rows: paletteRows })],
      [
        'an index past the palette',
        rawPng({
          width: 4,
          height: 1,
          bitDepth: 2,
          colourType: 3,
          rows: paletteRows,
          palette: Buffer.alloc(9),
        }),
      ],
    ] as const) {
      expect(sizeOf(png), name).toBeUndefined();
    }
  });

  it('reads the longest side every IHDR declares, without trusting the rest', () => {
    const png = rawPng({ width: 3000, height: 9000, bitDepth: 8, colourType: 0, rows: Buffer.alloc(1) });
    expect(longestDeclaredSide(png)).toBe(9000);
    const second = Buffer.from(png.subarray(8, 8 + 25));
    second.writeUInt32BE(0x7ffffffe, 8); // a second IHDR, CRC unchanged
    expect(longestDeclaredSide(Buffer.concat([png.subarray(0, 33), second, png.subarray(33)]))).toBe(
      0x7ffffffe,
    );
    expect(longestDeclaredSide(Buffer.from('not a PNG at all, long enough'))).toBe(0);
  });

  it('leaves an interlaced PNG to the decoder', () => {
    const png = rawPng({
      width: 1,
      height: 1,
      bitDepth: 8,
      colourType: 0,
      interlace: 1,
      rows: Buffer.from([0, 7]),
    });
    expect(decodedSize(png)).toEqual({ widthPx: 1, heightPx: 1 });
    expect(sizeOf(png)).toBeUndefined();
  });

  it('never proves a PNG the decoder rejects, over 2,000 odd and damaged ones', () => {
    const random = randomOf(0x1f2e3d4c);
    const types = [0, 2, 3, 4, 6];
    let proven = 0;
    let rejected = 0;
    for (let n = 0; n < 2000; n++) {
      const colourType = types[random(types.length)]!;
      const bitDepth = [1, 2, 4, 8, 16][random(5)]!;
      const width = 1 + random(9);
      const height = 1 + random(4);
      const bytes =
        rowBytes(width, bitDepth * SAMPLES_OF_COLOUR_TYPE[colourType]!) * height +
        (random(4) === 0 ? random(3) - 1 : 0);
      const rows = Buffer.from(
        Array.from({ length: bytes }, () => (random(8) === 0 ? random(256) : random(5))),
      );
      const entries = random(4) === 0 ? random(300) : 1 << Math.min(bitDepth, 8);
      const png = rawPng({
        width,
        height,
        bitDepth,
        colourType,
        rows,
        ...(random(8) > 0
          ? { palette: Buffer.alloc(Math.min(entries, 256) * 3 + (random(6) === 0 ? 1 : 0), 0x55) }
          : {}),
        ...(random(3) === 0 ? { transparency: Buffer.alloc(random(9)) } : {}),
      });
      // Sometimes a byte of the header or the chunks changed too, its CRC made right or not.
      let sample = png;
      if (random(3) === 0) {
        sample = Buffer.from(png);
        sample[8 + random(png.length - 8)] = random(256);
        if (random(2) === 0) sample = recrc(sample);
      }
      // pngjs aborts the process on some huge declared sizes: such PNGs never reach it.
      if (longestDeclaredSide(sample) > MAX_IMPRESSION_SIDE_PX) continue;
      const size = sizeOf(sample);
      const decoded = decodedSize(sample);
      if (size) {
        proven++;
        expect(decoded, `sample ${n}`).toEqual(size);
      }
      if (!decoded) rejected++;
    }
    // Both kinds came up often enough for the comparison to mean something.
    expect(proven).toBeGreaterThan(300);
    expect(rejected).toBeGreaterThan(300);
  });
});
