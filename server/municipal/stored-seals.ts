import { decode, encode } from 'cbor2';

/**
 * An issuance's page seals as one stored value (the `seal` column): a CBOR array of the
 * COSE_Sign1 seals, page 1 first.
 */
export function encodeStoredSeals(seals: readonly Uint8Array[]): Uint8Array {
  return encode(seals.map((seal) => new Uint8Array(seal)));
}

export function decodeStoredSeals(stored: Uint8Array): Uint8Array[] {
  const value: unknown = decode(new Uint8Array(stored));
  if (!Array.isArray(value) || !value.every((seal) => seal instanceof Uint8Array)) {
    throw new TypeError('stored seals are not a CBOR array of byte strings');
  }
  return value.map((seal: Uint8Array) => new Uint8Array(seal));
}
