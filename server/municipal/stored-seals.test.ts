import { describe, expect, it } from 'vitest';
import { encode } from 'cbor2';
import { decodeStoredSeals, encodeStoredSeals } from './stored-seals.ts';

const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);
/** Byte-wise comparison as hex (vitest's deep equality is slow on 64 KiB arrays). */
const hex = (value: Uint8Array) => Buffer.from(value).toString('hex');
const hexes = (values: Uint8Array[]) => values.map(hex);

// Every head width: lengths at each boundary of the shortest form (RFC 8949 §3).
const SEAL_LENGTHS = [0, 1, 23, 24, 255, 256, 65_535, 65_536];

describe('stored seals', () => {
  it('writes the same bytes as a general CBOR encoder', () => {
    for (const length of SEAL_LENGTHS) {
      const seals = [bytes(length, 1), bytes(3, 2)];
      expect(hex(encodeStoredSeals(seals))).toBe(hex(encode(seals)));
    }
    for (const count of [0, 1, 23, 24, 300]) {
      const seals = Array.from({ length: count }, (_, i) => bytes(i % 40, i));
      expect(encodeStoredSeals(seals)).toEqual(encode(seals));
    }
  });

  it('reads back each seal, page 1 first, as its own plain copy', () => {
    const seals = SEAL_LENGTHS.map((length, i) => bytes(length, i + 1));
    const stored = Buffer.from(encodeStoredSeals(seals));
    const read = decodeStoredSeals(stored);
    expect(hexes(read)).toEqual(hexes(seals));
    for (const seal of read) expect(Object.getPrototypeOf(seal)).toBe(Uint8Array.prototype);
    stored.fill(0);
    expect(hexes(read)).toEqual(hexes(seals));
  });

  it('reads other encodings of an array of byte strings as a CBOR decoder does', () => {
    // Indefinite-length array; a byte string with a longer head than needed.
    expect(decodeStoredSeals(Uint8Array.of(0x9f, 0x42, 1, 2, 0xff))).toEqual([Uint8Array.of(1, 2)]);
    expect(decodeStoredSeals(Uint8Array.of(0x81, 0x58, 2, 1, 2))).toEqual([Uint8Array.of(1, 2)]);
  });

  it('refuses what is not an array of byte strings, or is cut short', () => {
    expect(() => decodeStoredSeals(encode(['text']))).toThrow(TypeError);
    expect(() => decodeStoredSeals(encode({ 1: Uint8Array.of(1) }))).toThrow(TypeError);
    expect(() => decodeStoredSeals(encode(Uint8Array.of(1)))).toThrow(TypeError);
    const whole = encodeStoredSeals([bytes(40, 1)]);
    expect(() => decodeStoredSeals(whole.subarray(0, whole.length - 1))).toThrow();
    expect(() => decodeStoredSeals(Uint8Array.of(...whole, 0))).toThrow();
  });
});
