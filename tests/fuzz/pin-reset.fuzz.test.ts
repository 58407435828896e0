import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeResponse, parseCommand, type CommandApdu } from '../../native/apdu.ts';
import {
  buildPinResetCommand,
  checkPinResetResponse,
  INS_RESET_RETRY_COUNTER,
  openPinResetCommand,
  PIN_RESET_CLA,
  sealPinResetResponse,
  type PinResetTarget,
} from '../../protocol/secure-messaging.ts';
import {
  PinResetCommandRequestSchema,
  PinResetCommandResponseSchema,
  PinResetConfirmRequestSchema,
  PinResetConfirmResponseSchema,
} from '../../protocol/pin-reset.ts';
import { bytes, fuzzParameters } from './settings.ts';

/**
 * The PIN reset at the kiosk under hostile input: the secure-messaging command the centre builds
 * opens on the card to exactly the PIN it carries, and any changed, replayed or invented command
 * is refused with a status word (never a throw); the card's sealed answer reads back, and any
 * changed or invented answer is never taken as a reset; the contract's schemas never throw.
 */
const cardKey = fc.uint8Array({ minLength: 32, maxLength: 32 });
const challenge = fc.uint8Array({ minLength: 8, maxLength: 8 });
const target = fc.constantFrom<PinResetTarget>('auth', 'signing');
const signingPin = fc.stringMatching(/^[A-Z0-9]{6,16}$/);
const newPin = fc.option(signingPin, { nil: undefined });

function build(key: Uint8Array, ch: Uint8Array, t: PinResetTarget, pin: string | undefined): Uint8Array {
  return buildPinResetCommand({
    cardKey: key,
    challenge: ch,
    target: t,
    ...(pin === undefined ? {} : { newPin: Buffer.from(pin, 'ascii') }),
  });
}

function pinText(pin: Uint8Array | null): string | null {
  return pin === null ? null : Buffer.from(pin).toString('latin1');
}

describe('the PIN reset command (card side)', () => {
  it('opens every command the centre builds to its target and new PIN', () => {
    fc.assert(
      fc.property(cardKey, challenge, target, newPin, (key, ch, t, pin) => {
        const command = parseCommand(build(key, ch, t, pin));
        if ('kind' in command) throw new Error(command.reason);
        const opened = openPinResetCommand({ cardKey: key, challenge: ch, command });
        expect(opened.kind === 'reset' && { target: opened.target, pin: pinText(opened.newPin) }).toEqual({
          target: t,
          pin: pin ?? null,
        });
      }),
      fuzzParameters(),
    );
  });

  it('refuses a command changed in one byte, or under another challenge or card key, or says the same', () => {
    fc.assert(
      fc.property(
        cardKey,
        challenge,
        target,
        newPin,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.constantFrom('byte', 'challenge', 'key'),
        (key, ch, t, pin, where, delta, change) => {
          const encoded = build(key, ch, t, pin);
          let openKey = key;
          let openChallenge = ch;
          if (change === 'byte')
            encoded[where % encoded.length] = (encoded[where % encoded.length]! + delta) & 0xff;
          if (change === 'challenge')
            openChallenge = Uint8Array.from(ch, (b, i) => (i === where % 8 ? b ^ delta : b));
          if (change === 'key') openKey = Uint8Array.from(key, (b, i) => (i === where % 32 ? b ^ delta : b));
          const command = parseCommand(encoded);
          if ('kind' in command) return; // no longer an APDU at all: the card answers 6700 / 6A80
          const opened = openPinResetCommand({ cardKey: openKey, challenge: openChallenge, command });
          if (opened.kind === 'reset') {
            // Only a change outside what the MAC covers (Le) may leave it standing, and it says the same.
            expect(change).toBe('byte');
            expect({ target: opened.target, pin: pinText(opened.newPin) }).toEqual({
              target: t,
              pin: pin ?? null,
            });
          } else {
            expect(opened.sw).toBeGreaterThan(0x6000);
          }
        },
      ),
      fuzzParameters(),
    );
  });

  it('refuses any invented command with a status word, never throwing', () => {
    const invented: fc.Arbitrary<CommandApdu> = fc.record(
      {
        cla: fc.constant(PIN_RESET_CLA),
        ins: fc.constant(INS_RESET_RETRY_COUNTER),
        p1: fc.constantFrom(0x02, 0x03, 0x00, 0xff),
        p2: fc.constantFrom(0x81, 0x82, 0x80),
        data: fc.oneof(
          bytes(300),
          // Shaped like the real thing: DO87 and DO8E with arbitrary contents.
          fc
            .tuple(fc.uint8Array({ maxLength: 60 }), fc.uint8Array({ maxLength: 20 }))
            .map(([a, m]) => Uint8Array.from([0x87, a.length, ...a, 0x8e, m.length, ...m])),
        ),
        le: fc.constant(256),
      },
      { requiredKeys: ['cla', 'ins', 'p1', 'p2'] },
    );
    fc.assert(
      fc.property(cardKey, challenge, invented, (key, ch, command) => {
        const opened = openPinResetCommand({ cardKey: key, challenge: ch, command });
        expect(opened.kind).toBe('refused');
      }),
      fuzzParameters(),
    );
  });
});

describe('the card’s sealed answer (centre side)', () => {
  const sw = fc.oneof(fc.constant(0x9000), fc.integer({ min: 0x6000, max: 0x6fff }));

  it('reads back every answer the card seals', () => {
    fc.assert(
      fc.property(cardKey, challenge, sw, (key, ch, inner) => {
        const response = encodeResponse(
          0x9000,
          sealPinResetResponse({ cardKey: key, challenge: ch, sw: inner }),
        );
        expect(checkPinResetResponse({ cardKey: key, challenge: ch, response })).toEqual(
          inner === 0x9000 ? { kind: 'reset-done' } : { kind: 'card-refused', sw: inner },
        );
      }),
      fuzzParameters(),
    );
  });

  it('never takes a changed, replayed or invented answer as the card’s', () => {
    fc.assert(
      fc.property(
        cardKey,
        challenge,
        sw,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.constantFrom('byte', 'challenge'),
        (key, ch, inner, where, delta, change) => {
          const response = encodeResponse(
            0x9000,
            sealPinResetResponse({ cardKey: key, challenge: ch, sw: inner }),
          );
          let checkChallenge = ch;
          if (change === 'byte')
            response[where % response.length] = (response[where % response.length]! + delta) & 0xff;
          else checkChallenge = Uint8Array.from(ch, (b, i) => (i === where % 8 ? b ^ delta : b));
          expect(checkPinResetResponse({ cardKey: key, challenge: checkChallenge, response })).toEqual({
            kind: 'answer-not-authentic',
          });
        },
      ),
      fuzzParameters(),
    );
  });

  it('reads any bytes as not authentic or a plain refusal, never throwing', () => {
    fc.assert(
      fc.property(cardKey, challenge, bytes(80), (key, ch, response) => {
        const outcome = checkPinResetResponse({ cardKey: key, challenge: ch, response });
        if (outcome.kind === 'not-authorised') expect(response.length).toBe(2);
        else expect(outcome).toEqual({ kind: 'answer-not-authentic' });
      }),
      fuzzParameters(),
    );
  });
});

describe('the PIN reset contract (protocol/pin-reset.ts)', () => {
  const schemas = [
    PinResetCommandRequestSchema,
    PinResetCommandResponseSchema,
    PinResetConfirmRequestSchema,
    PinResetConfirmResponseSchema,
  ];

  it('parses any JSON to a value or issues, never throwing, and what it accepts survives a round trip', () => {
    const shaped = fc.record(
      {
        kind: fc.constantFrom('command', 'wrong-password', 'locked', 'card-refused', 'reset-done', 'x'),
        apdu: fc.oneof(fc.base64String({ maxLength: 600 }), fc.string()),
        triesLeft: fc.oneof(fc.integer({ min: -1, max: 6 }), fc.double()),
        sw: fc.oneof(fc.integer(), fc.double()),
        transactionId: fc.oneof(fc.uuid(), fc.string()),
        terminalId: fc.oneof(fc.constant('S0001-T01'), fc.string()),
        challenge: fc.oneof(fc.base64String({ maxLength: 20 }), fc.string()),
        response: fc.base64String({ maxLength: 300 }),
        oneTimePassword: fc.string({ maxLength: 20 }),
        newSigningPin: fc.string({ maxLength: 40 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), shaped), (value) => {
        for (const schema of schemas) {
          const parsed = schema.safeParse(value);
          if (parsed.success) {
            // Compared as sent on the wire: JSON has no -0, so a parsed -0 comes back as 0.
            const wire = JSON.stringify(parsed.data);
            expect(JSON.stringify(schema.parse(JSON.parse(wire)))).toBe(wire);
          } else expect(parsed.error.issues.length).toBeGreaterThan(0);
        }
      }),
      fuzzParameters(),
    );
  });
});
