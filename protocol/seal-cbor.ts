import { Tag, decode } from 'cbor2';

/**
 * Decoding of a seal's CBOR (the COSE_Sign1, its protected header, its payload) with cbor2's
 * answers and refusals. cbor2's `decode` costs ~60 µs a call whatever the input's size (it
 * spreads its ~30 options into a fresh object twice per call, which V8 does slowly); a seal
 * check makes three calls, about half of the kiosk's check of a seal after the signature itself.
 * So the shapes a seal is made of — definite-length integers up to 32 bits, byte and text
 * strings, arrays, maps with integer or text keys, the COSE_Sign1 tag at the top — are read
 * here in one pass, giving what cbor2 gives for them; anything else (floats, simple values,
 * other tags, indefinite or 64-bit lengths, a duplicate key, invalid UTF-8, truncated or
 * trailing bytes) goes to cbor2's `decode` with the same options, to be decoded or refused there.
 */
export interface SealCborOptions {
  /** Maps as Map even when every key is text (cbor2's `preferMap`). */
  preferMap?: boolean;
  /** Refuse a map with the same key twice (cbor2's `rejectDuplicateKeys`). */
  rejectDuplicateKeys?: boolean;
}

export function decodeSealCbor(bytes: Uint8Array, options: SealCborOptions = {}): unknown {
  const plain = readPlainSealCbor(bytes, options.preferMap === true);
  return plain ? plain.value : decode(bytes, options);
}

/** The value when `bytes` are of the plain shapes this module reads itself; else undefined. */
export function readPlainSealCbor(bytes: Uint8Array, preferMap: boolean): { value: unknown } | undefined {
  const value = new PlainReader(bytes, preferMap).top();
  return value === NOT_PLAIN ? undefined : { value };
}

/** The COSE_Sign1 tag (RFC 9052), the one tag a seal carries. cbor2 has no decoder for it. */
const COSE_SIGN1_TAG = 18;

/** Nesting deeper than any seal; past it the input goes to cbor2. */
const MAX_DEPTH = 16;

const NOT_PLAIN: unique symbol = Symbol('not plain seal CBOR');
type Read = unknown;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const MAJOR_UNSIGNED = 0;
const MAJOR_NEGATIVE = 1;
const MAJOR_BYTES = 2;
const MAJOR_TEXT = 3;
const MAJOR_ARRAY = 4;
const MAJOR_MAP = 5;
const MAJOR_TAG = 6;

class PlainReader {
  #at = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly preferMap: boolean,
  ) {}

  top(): Read {
    const value = this.#value(0, true);
    return this.#at === this.bytes.length ? value : NOT_PLAIN;
  }

  /** The head's argument (integer, length), or -1 where it is not one this reader takes. */
  #argument(info: number): number {
    const b = this.bytes;
    if (info < 24) return info;
    const at = this.#at;
    if (info === 24 && at + 1 <= b.length) {
      this.#at = at + 1;
      return b[at]!;
    }
    if (info === 25 && at + 2 <= b.length) {
      this.#at = at + 2;
      return (b[at]! << 8) | b[at + 1]!;
    }
    if (info === 26 && at + 4 <= b.length) {
      this.#at = at + 4;
      return ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
    }
    // 64-bit arguments (bigints past 2^53), indefinite lengths, reserved values, truncation.
    return -1;
  }

  #value(depth: number, top: boolean): Read {
    const b = this.bytes;
    if (depth > MAX_DEPTH || this.#at >= b.length) return NOT_PLAIN;
    const head = b[this.#at++]!;
    const major = head >> 5;
    const n = this.#argument(head & 0x1f);
    if (n < 0) return NOT_PLAIN;
    switch (major) {
      case MAJOR_UNSIGNED:
        return n;
      case MAJOR_NEGATIVE:
        return -1 - n;
      case MAJOR_BYTES:
      case MAJOR_TEXT: {
        const start = this.#at;
        if (n > b.length - start) return NOT_PLAIN;
        this.#at = start + n;
        const content = b.subarray(start, start + n);
        if (major === MAJOR_BYTES) return content;
        try {
          return utf8.decode(content);
        } catch {
          return NOT_PLAIN;
        }
      }
      case MAJOR_ARRAY: {
        // Every element takes a byte at least: a longer count is truncated input.
        if (n > b.length - this.#at) return NOT_PLAIN;
        const array: unknown[] = new Array<unknown>(n);
        for (let i = 0; i < n; i++) {
          const element = this.#value(depth + 1, false);
          if (element === NOT_PLAIN) return NOT_PLAIN;
          array[i] = element;
        }
        return array;
      }
      case MAJOR_MAP:
        return this.#map(n, depth);
      case MAJOR_TAG: {
        if (!top || n !== COSE_SIGN1_TAG) return NOT_PLAIN;
        const contents = this.#value(depth + 1, false);
        return contents === NOT_PLAIN ? NOT_PLAIN : new Tag(COSE_SIGN1_TAG, contents);
      }
      default:
        // Floats and simple values (true, false, null, undefined) are cbor2's to read.
        return NOT_PLAIN;
    }
  }

  #map(count: number, depth: number): Read {
    if (count * 2 > this.bytes.length - this.#at) return NOT_PLAIN;
    const entries = new Map<unknown, unknown>();
    let allText = true;
    for (let i = 0; i < count; i++) {
      const key = this.#value(depth + 1, false);
      // Byte-string and container keys, and any key seen twice, are cbor2's to judge.
      if ((typeof key !== 'number' && typeof key !== 'string') || entries.has(key)) return NOT_PLAIN;
      const value = this.#value(depth + 1, false);
      if (value === NOT_PLAIN) return NOT_PLAIN;
      entries.set(key, value);
      if (typeof key !== 'string') allText = false;
    }
    // cbor2's default createObject: a plain object when every key is text, unless preferMap.
    return !this.preferMap && allText ? Object.fromEntries(entries) : entries;
  }
}
