import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCommand, parseResponse, type CommandApdu } from '../../native/apdu.ts';
import { JpkiEf } from '../../native/jpki/jpki-files.ts';
import { testCard } from '../../native/test-pki/fixtures.ts';
import type { CardPersonalisation } from '../../native/virtual-card/personalisation.ts';
import { VirtualMyNumberCard } from '../../native/virtual-card/virtual-my-number-card.ts';
import { bytes, fuzzParameters } from './settings.ts';

/**
 * The virtual card's command parser under hostile input: whatever a reader sends, the card answers
 * with a status word, never signs without the right PIN, never reads a PIN-guarded file without
 * it, and never gives back tries it has counted.
 */
const AUTH_PIN = '1234';
const SIGNING_PIN = 'ABC123';
const JPKI_AID = Uint8Array.from(Buffer.from('D392F000260100000001', 'hex'));
const byte = fc.integer({ min: 0, max: 255 });
const fid = fc.constantFrom(...Object.values(JpkiEf), 0x0099, 0x0000, 0xffff);
const notAPin = (pin: Uint8Array): boolean => {
  const text = Buffer.from(pin).toString('latin1');
  return text !== AUTH_PIN && text !== SIGNING_PIN;
};

/** Commands shaped like a JPKI session (so the card's deeper branches are reached) and garbage. */
const command: fc.Arbitrary<CommandApdu | Uint8Array> = fc.oneof(
  fc.constant<CommandApdu>({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: JPKI_AID }),
  fid.map<CommandApdu>((f) => ({
    cla: 0x00,
    ins: 0xa4,
    p1: 0x02,
    p2: 0x0c,
    data: Uint8Array.of(f >> 8, f & 0xff),
  })),
  fc.record<CommandApdu>({
    cla: fc.constant(0x00),
    ins: fc.constant(0xb0),
    p1: fc.integer({ min: 0, max: 0x7f }),
    p2: byte,
    le: fc.integer({ min: 1, max: 65536 }),
  }),
  fc
    .record({ p2: fc.constantFrom(0x80, 0x81, 0x00), pin: fc.uint8Array({ maxLength: 20 }).filter(notAPin) })
    .map<CommandApdu>(({ p2, pin }) => ({
      cla: 0x00,
      ins: 0x20,
      p1: 0x00,
      p2,
      ...(pin.length ? { data: pin } : {}),
    })),
  fc.record<CommandApdu>({
    cla: fc.constant(0x80),
    ins: fc.constant(0x2a),
    p1: fc.constant(0x00),
    p2: fc.constant(0x80),
    data: fc.uint8Array({ minLength: 1, maxLength: 80 }),
    le: fc.constant(256),
  }),
  fc.record<CommandApdu>({
    cla: byte,
    ins: byte,
    p1: byte,
    p2: byte,
    data: fc.uint8Array({ minLength: 1, maxLength: 40 }),
  }),
  bytes(40),
);

function encoded(c: CommandApdu | Uint8Array): Uint8Array {
  return c instanceof Uint8Array ? c : encodeCommand(c);
}

let personalisation: CardPersonalisation;

beforeAll(async () => {
  personalisation = await testCard({ holderId: 'fuzz-card' });
});

describe('virtual My Number Card under hostile commands', () => {
  it('answers every command with a status word, never throwing', () => {
    const card = new VirtualMyNumberCard({ personalisation });
    card.powerOn();
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), (commands) => {
        card.resetState();
        for (const c of commands) {
          const response = parseResponse(card.transmit(encoded(c)));
          expect(response).not.toBeNull();
        }
      }),
      fuzzParameters(200),
    );
  });

  it('never signs, never shows the signing certificate and never gives tries back without the right PIN', () => {
    const card = new VirtualMyNumberCard({ personalisation });
    card.powerOn();
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), (commands) => {
        card.resetState();
        let authTries = card.triesLeft('auth');
        let signingTries = card.triesLeft('signing');
        let selectedFile = -1;
        for (const c of commands) {
          const response = parseResponse(card.transmit(encoded(c)))!;
          if (!(c instanceof Uint8Array)) {
            if (c.cla === 0x00 && c.ins === 0xa4 && c.p1 === 0x02 && response.sw === 0x9000) {
              selectedFile = (c.data![0]! << 8) | c.data![1]!;
            }
            if (c.cla === 0x80 && c.ins === 0x2a) expect(response.sw).not.toBe(0x9000);
            if (c.ins === 0xb0 && selectedFile === JpkiEf.SIGNING_CERTIFICATE) {
              expect(response.sw).not.toBe(0x9000);
            }
          }
          expect(card.triesLeft('auth')).toBeLessThanOrEqual(authTries);
          expect(card.triesLeft('signing')).toBeLessThanOrEqual(signingTries);
          expect(card.triesLeft('auth')).toBeGreaterThanOrEqual(0);
          authTries = card.triesLeft('auth');
          signingTries = card.triesLeft('signing');
        }
      }),
      fuzzParameters(200),
    );
  });
});
