/**
 * A structural check of an IPP message (RFC 8010 §3) before it reaches the `ipp` package's
 * decoder. That decoder reads lengths as signed 16-bit numbers and trusts them, so a hostile or
 * broken printer answer with a length of 0x8000 or more walks it backwards into an endless loop
 * that exhausts memory (found by tests/fuzz/ipp.fuzz.test.ts). Here every length is read
 * unsigned and must fit the buffer, and values the decoder reads at a fixed size must have that
 * size, so the decoder's position always follows ours.
 */

export type IppFramingError = { kind: 'ipp-framing'; offset: number; reason: string };

const END_OF_ATTRIBUTES = 0x03;
const EXTENSION = 0x7f;
/** Value tags the decoder reads at a fixed size, whatever length the message gives. */
const FIXED_SIZE: Readonly<Record<number, number>> = {
  0x21: 4, // integer
  0x23: 4, // enum
  0x22: 1, // boolean
  0x33: 8, // rangeOfInteger
  0x32: 9, // resolution
  0x31: 11, // dateTime
};
const TEXT_WITH_LANGUAGE = 0x35;
const NAME_WITH_LANGUAGE = 0x36;
/** The decoder reads lengths as signed: anything from 0x8000 up would be negative to it. */
const MAX_LENGTH = 0x7fff;

export function checkIppFraming(message: Uint8Array): IppFramingError | undefined {
  const fail = (offset: number, reason: string): IppFramingError => ({ kind: 'ipp-framing', offset, reason });
  if (message.length < 9) return fail(0, 'shorter than a header and an end tag');
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  let at = 8; // version (2), status or operation (2), request id (4)
  const need = (n: number): boolean => at + n <= message.length;
  const length = (): number | undefined => {
    if (!need(2)) return undefined;
    const n = view.getUint16(at);
    at += 2;
    return n <= MAX_LENGTH && need(n) ? n : undefined;
  };
  while (at < message.length) {
    // A group starts with its delimiter tag (0x01–0x0E; 0x03 ends the message).
    const group = message[at]!;
    if (group === END_OF_ATTRIBUTES) return undefined;
    if (group === 0x00 || group >= 0x0f) return fail(at, 'expected a group tag');
    at += 1;
    while (at < message.length && message[at]! >= 0x10) {
      const tagOffset = at;
      let tag = message[at++]!;
      if (tag === EXTENSION) {
        if (!need(4)) return fail(tagOffset, 'extension tag cut short');
        tag = view.getUint32(at);
        at += 4;
      }
      const nameLength = length();
      if (nameLength === undefined) return fail(tagOffset, 'name length does not fit');
      at += nameLength;
      const valueOffset = at;
      const valueLength = length();
      if (valueLength === undefined) return fail(valueOffset, 'value length does not fit');
      const fixed = FIXED_SIZE[tag];
      if (fixed !== undefined && valueLength !== fixed) {
        return fail(valueOffset, `value of tag ${tag} is not ${fixed} bytes`);
      }
      if (tag === TEXT_WITH_LANGUAGE || tag === NAME_WITH_LANGUAGE) {
        const end = at + valueLength;
        const language = length();
        if (language === undefined) return fail(valueOffset, 'language length does not fit');
        at += language;
        const text = length();
        if (text === undefined || at + text !== end) {
          return fail(valueOffset, 'text with language does not fill its value');
        }
        at = end;
        continue;
      }
      at += valueLength;
    }
  }
  return fail(at, 'no end-of-attributes tag');
}
