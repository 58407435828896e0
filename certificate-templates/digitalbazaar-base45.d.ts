// Types for @digitalbazaar/base45 (RFC 9285), which ships none.
declare module '@digitalbazaar/base45' {
  /** Encodes bytes; reads `input.buffer` from offset 0, so pass an unshared Uint8Array. */
  export function encode(input: Uint8Array): string;
  /** Decodes; throws TypeError/RangeError on characters or lengths outside RFC 9285. */
  export function decode(input: string): Uint8Array;
}
