import { decode } from 'cbor2';

/**
 * An issuance's page seals as one stored value (the `seal` column): a CBOR array of the
 * COSE_Sign1 seals, page 1 first (RFC 8949: a definite-length array of definite-length byte
 * strings, each head in its shortest form — the bytes any conforming encoder writes for it).
 * Written and read here directly, without a general CBOR encoder per issuance.
 */

const ARRAY = 4;
const BYTES = 2;

/** Bytes of a data item's head (RFC 8949 §3) holding `length` in its shortest form. */
function headSize(length: number): number {
  if (length < 24) return 1;
  if (length < 0x100) return 2;
  if (length < 0x10000) return 3;
  if (length <= 0xffffffff) return 5;
  throw new RangeError('stored seals: a length beyond 4 GiB');
}

function writeHead(out: Uint8Array, at: number, majorType: number, length: number): number {
  const type = majorType << 5;
  if (length < 24) {
    out[at] = type | length;
    return at + 1;
  }
  if (length < 0x100) {
    out[at] = type | 24;
    out[at + 1] = length;
    return at + 2;
  }
  if (length < 0x10000) {
    out[at] = type | 25;
    out[at + 1] = length >>> 8;
    out[at + 2] = length & 0xff;
    return at + 3;
  }
  out[at] = type | 26;
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(at + 1, length);
  return at + 5;
}

export function encodeStoredSeals(seals: readonly Uint8Array[]): Uint8Array {
  let size = headSize(seals.length);
  for (const seal of seals) size += headSize(seal.length) + seal.length;
  const out = new Uint8Array(size);
  let at = writeHead(out, 0, ARRAY, seals.length);
  for (const seal of seals) {
    at = writeHead(out, at, BYTES, seal.length);
    out.set(seal, at);
    at += seal.length;
  }
  return out;
}

/** A head's argument and where the item's content starts; undefined for what this reader leaves to cbor2. */
function readHead(
  stored: Uint8Array,
  at: number,
  majorType: number,
): { length: number; next: number } | undefined {
  const initial = stored[at];
  if (initial === undefined || initial >> 5 !== majorType) return undefined;
  const info = initial & 0x1f;
  if (info < 24) return { length: info, next: at + 1 };
  const width = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : 0;
  if (width === 0 || at + 1 + width > stored.length) return undefined;
  let length = 0;
  for (let i = 1; i <= width; i++) length = length * 0x100 + stored[at + i]!;
  // Only the shortest form is the one written here.
  if (headSize(length) !== 1 + width) return undefined;
  return { length, next: at + 1 + width };
}

/** The stored form as written above; undefined for any other encoding. */
function readStoredSeals(stored: Uint8Array): Uint8Array[] | undefined {
  const array = readHead(stored, 0, ARRAY);
  if (!array) return undefined;
  const seals: Uint8Array[] = [];
  let at = array.next;
  for (let i = 0; i < array.length; i++) {
    const bytes = readHead(stored, at, BYTES);
    if (!bytes || bytes.next + bytes.length > stored.length) return undefined;
    // A copy, in a plain Uint8Array (the column arrives as a Buffer).
    seals.push(new Uint8Array(stored.subarray(bytes.next, bytes.next + bytes.length)));
    at = bytes.next + bytes.length;
  }
  return at === stored.length ? seals : undefined;
}

export function decodeStoredSeals(stored: Uint8Array): Uint8Array[] {
  const seals = readStoredSeals(stored);
  if (seals) return seals;
  // Any other encoding (indefinite lengths, 8-byte heads, tags, trailing bytes…) goes through a
  // general CBOR decoder, which accepts or refuses it as before.
  const value: unknown = decode(new Uint8Array(stored));
  if (!Array.isArray(value) || !value.every((seal) => seal instanceof Uint8Array)) {
    throw new TypeError('stored seals are not a CBOR array of byte strings');
  }
  return value.map((seal: Uint8Array) => new Uint8Array(seal));
}
