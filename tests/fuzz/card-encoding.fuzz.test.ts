import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeCommand,
  encodeResponse,
  parseCommand,
  parseResponse,
  type CommandApdu,
} from '../../native/apdu.ts';
import { derTotalLength } from '../../native/jpki/der-length.ts';
import { berTlv, parseBerTlvs } from '../../native/virtual-card/ber-tlv.ts';
import { bytes, fuzzParameters } from './settings.ts';

const byte = fc.integer({ min: 0, max: 255 });
const command: fc.Arbitrary<CommandApdu> = fc.record(
  {
    cla: byte,
    ins: byte,
    p1: byte,
    p2: byte,
    data: fc.uint8Array({ minLength: 1, maxLength: 600 }),
    le: fc.integer({ min: 1, max: 65536 }),
  },
  { requiredKeys: ['cla', 'ins', 'p1', 'p2'] },
);

describe('APDU encoding (ISO 7816-4)', () => {
  it('parses any byte string to a command or a typed error, never throwing', () => {
    fc.assert(
      fc.property(bytes(), (input) => {
        const parsed = parseCommand(input);
        if ('kind' in parsed) expect(parsed.kind).toBe('malformed-apdu');
        else expect(input.length).toBeGreaterThanOrEqual(4);
      }),
      fuzzParameters(),
    );
  });

  it('reads back every command it encodes, short and extended', () => {
    fc.assert(
      fc.property(command, fc.boolean(), (cmd, extended) => {
        const parsed = parseCommand(encodeCommand(cmd, { extended }));
        expect(parsed).toEqual({ ...cmd, ...(cmd.data ? { data: Uint8Array.from(cmd.data) } : {}) });
      }),
      fuzzParameters(),
    );
  });

  it('splits any response of two or more bytes into data and status word, and refuses shorter', () => {
    fc.assert(
      fc.property(bytes(), (input) => {
        const parsed = parseResponse(input);
        if (input.length < 2) {
          expect(parsed).toBeNull();
          return;
        }
        expect(parsed?.data.length).toBe(input.length - 2);
        expect(encodeResponse(parsed!.sw, parsed!.data)).toEqual(Uint8Array.from(input));
      }),
      fuzzParameters(),
    );
  });
});

describe('DER length of a card file', () => {
  it('never throws, and an ok answer never claims a header longer than the input', () => {
    fc.assert(
      fc.property(bytes(12), (input) => {
        const result = derTotalLength(input);
        if (result.kind === 'ok') {
          expect(result.headerLength).toBeLessThanOrEqual(input.length);
          expect(result.totalLength).toBe(result.headerLength + result.contentLength);
        }
      }),
      fuzzParameters(),
    );
  });

  it('measures every minimally encoded TLV exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffff }),
        fc.integer({ min: 0, max: 0x1e }),
        (length, tagNumber) => {
          const lengthOctets =
            length < 0x80
              ? [length]
              : length < 0x100
                ? [0x81, length]
                : length < 0x10000
                  ? [0x82, length >> 8, length & 0xff]
                  : [0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
          const result = derTotalLength(Uint8Array.from([0x20 | tagNumber, ...lengthOctets]));
          expect(result).toEqual({
            kind: 'ok',
            headerLength: 1 + lengthOctets.length,
            contentLength: length,
            totalLength: 1 + lengthOctets.length + length,
          });
        },
      ),
      fuzzParameters(),
    );
  });
});

describe('BER-TLV (券面AP and 券面入力補助AP files)', () => {
  it('parses any byte string to elements inside the input or to null, never throwing', () => {
    fc.assert(
      fc.property(bytes(), (input) => {
        const elements = parseBerTlvs(input);
        if (elements === null) return;
        const total = elements.reduce((sum, e) => sum + e.value.length, 0);
        expect(total).toBeLessThanOrEqual(input.length);
      }),
      fuzzParameters(),
    );
  });

  it('reads back the elements it writes', () => {
    const element = fc.record({
      tag: fc.oneof(fc.integer({ min: 0x01, max: 0x1e }), fc.integer({ min: 0xdf01, max: 0xdf7f })),
      value: fc.uint8Array({ maxLength: 700 }),
    });
    fc.assert(
      fc.property(fc.array(element, { maxLength: 6 }), (elements) => {
        const encoded = Uint8Array.from(Buffer.concat(elements.map((e) => berTlv(e.tag, e.value))));
        const parsed = parseBerTlvs(encoded);
        expect(parsed?.map((e) => ({ tag: e.tag, value: Uint8Array.from(e.value) }))).toEqual(
          elements.map((e) => ({ tag: e.tag, value: Uint8Array.from(e.value) })),
        );
      }),
      fuzzParameters(),
    );
  });
});
