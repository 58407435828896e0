import { Tag, encode } from 'cbor2';
import { describe, expect, it } from 'vitest';
import { encodeCbor } from './cbor-encode.ts';

const bytes = (n: number, fill = 7): Uint8Array => new Uint8Array(n).fill(fill);

describe('encodeCbor', () => {
  const values: Array<[string, unknown]> = [
    [
      'integers at every head width',
      [0, 23, 24, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, -1, -25, -257],
    ],
    ['strings, Japanese and empty', ['', 'a', '山田 太郎', '東京都千代田区千代田1番1号'.repeat(12)]],
    [
      'byte strings at head boundaries',
      [bytes(0), bytes(23), bytes(24), bytes(255), bytes(256), bytes(70_000)],
    ],
    [
      'a seal payload map with a nested facts map',
      new Map<number, unknown>([
        [0, 1],
        [1, 'd-0123456789abcdef'],
        [7, 'household'],
        [8, bytes(16)],
        [
          11,
          new Map<number, unknown>([
            [0, ['山田 太郎', '山田 花子']],
            [3, [1, 2, 300_000]],
          ]),
        ],
      ]),
    ],
    [
      'maps in insertion order, not sorted',
      new Map<number, unknown>([
        [9, 'x'],
        [1, 'y'],
        [30, 'z'],
      ]),
    ],
    [
      'an array holding maps',
      ['Signature1', new Map([[1, -7]]), bytes(0), [new Map(), new Map([[4, bytes(8)]])]],
    ],
    ['a tag around an array with an empty map', new Tag(18, [bytes(12), new Map(), bytes(40), bytes(64)])],
    ['null, booleans and a float', [null, true, false, 1.5]],
  ];

  for (const [name, value] of values) {
    it(`writes what cbor2's encode writes: ${name}`, () => {
      expect(Buffer.from(encodeCbor(value)).toString('hex')).toBe(Buffer.from(encode(value)).toString('hex'));
    });
  }

  it('starts afresh after a value it cannot write', () => {
    expect(() => encodeCbor([1, Symbol('private')])).toThrow();
    expect(Buffer.from(encodeCbor([1, 2])).toString('hex')).toBe('820102');
  });
});
