import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../apdu.ts';
import {
  buildPinResetCommand,
  checkPinResetResponse,
  deriveCardKey,
  openPinResetCommand,
  sealPinResetResponse,
} from '../../protocol/secure-messaging.ts';

const master = Uint8Array.from(randomBytes(32));
const ascii = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'ascii'));
const challenge = (): Uint8Array => Uint8Array.from(randomBytes(8));

function parsed(apdu: Uint8Array) {
  const cmd = parseCommand(apdu);
  if ('kind' in cmd) throw new Error(cmd.reason);
  return cmd;
}

describe('PIN-reset secure messaging', () => {
  it('derives a different key per card and the same key for the same card', () => {
    expect(deriveCardKey(master, 'a')).toEqual(deriveCardKey(master, 'a'));
    expect(Buffer.from(deriveCardKey(master, 'a')).equals(Buffer.from(deriveCardKey(master, 'b')))).toBe(
      false,
    );
    expect(() => deriveCardKey(new Uint8Array(16), 'a')).toThrow(RangeError);
  });

  it('round-trips a new PIN: the card opens what the centre built, the centre reads what the card sealed', () => {
    const cardKey = deriveCardKey(master, 'card-1');
    const ch = challenge();
    const newPin = ascii('NEWPIN77');
    const apdu = buildPinResetCommand({ cardKey, challenge: ch, target: 'signing', newPin });
    expect(newPin.every((b) => b === 0)).toBe(true); // the centre's copy is wiped
    expect(apdu.subarray(0, 4)).toEqual(Uint8Array.of(0x0c, 0x2c, 0x02, 0x82));
    const opened = openPinResetCommand({ cardKey, challenge: ch, command: parsed(apdu) });
    expect(opened.kind).toBe('reset');
    if (opened.kind !== 'reset') return;
    expect(opened.target).toBe('signing');
    expect(Buffer.from(opened.newPin!).toString('ascii')).toBe('NEWPIN77');
    const sealed = sealPinResetResponse({ cardKey, challenge: ch, sw: 0x9000 });
    const answer = Uint8Array.from([...sealed, 0x90, 0x00]);
    expect(checkPinResetResponse({ cardKey, challenge: ch, response: answer })).toEqual({
      kind: 'reset-done',
    });
    // a relay that flips the sealed status is caught
    const flipped = Uint8Array.from(answer);
    flipped[3] = 0x80;
    expect(checkPinResetResponse({ cardKey, challenge: ch, response: flipped })).toEqual({
      kind: 'answer-not-authentic',
    });
    // an answer sealed under another challenge is not this one's
    expect(checkPinResetResponse({ cardKey, challenge: challenge(), response: answer })).toEqual({
      kind: 'answer-not-authentic',
    });
    // a bare 9000 (a kiosk pretending) is not authentic either
    expect(checkPinResetResponse({ cardKey, challenge: ch, response: Uint8Array.of(0x90, 0x00) })).toEqual({
      kind: 'answer-not-authentic',
    });
  });

  it('refuses under another challenge, another card key, or with any byte changed', () => {
    const cardKey = deriveCardKey(master, 'card-1');
    const ch = challenge();
    const apdu = buildPinResetCommand({ cardKey, challenge: ch, target: 'auth', newPin: ascii('4321') });
    const refused = { kind: 'refused', sw: 0x6988 };
    expect(openPinResetCommand({ cardKey, challenge: challenge(), command: parsed(apdu) })).toEqual(refused);
    expect(
      openPinResetCommand({ cardKey: deriveCardKey(master, 'card-2'), challenge: ch, command: parsed(apdu) }),
    ).toEqual(refused);
    for (let i = 5; i < apdu.length - 1; i++) {
      const t = Uint8Array.from(apdu);
      t[i] = t[i]! ^ 0x40;
      const cmd = parseCommand(t);
      if ('kind' in cmd) continue;
      expect(openPinResetCommand({ cardKey, challenge: ch, command: cmd }).kind).toBe('refused');
    }
    // P1 changed from "new PIN" to "counter only": the MAC covers the header
    const p1 = Uint8Array.from(apdu);
    p1[2] = 0x03;
    expect(openPinResetCommand({ cardKey, challenge: ch, command: parsed(p1) }).kind).toBe('refused');
  });
});
