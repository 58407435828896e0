import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeCommand, parseResponse } from '../apdu.ts';
import { TEST_PIN_RESET_MASTER_KEY, testCard } from '../test-pki/fixtures.ts';
import { CardStateStore } from '../virtual-card/card-state-store.ts';
import { InProcessCardReader } from '../virtual-card/in-process-reader.ts';
import type { CardPersonalisation } from '../virtual-card/personalisation.ts';
import { VirtualMyNumberCard } from '../virtual-card/virtual-my-number-card.ts';
import { JpkiClient, pinFromDigits } from './jpki-client.ts';
import { changeSigningPin, relayPinReset } from './pin-reset.ts';
import type { PinResetAuthority } from './pin-reset.ts';
import {
  buildPinResetCommand,
  checkPinResetResponse,
  deriveCardKey,
} from '../../protocol/secure-messaging.ts';
import type { PinResetTarget } from '../../protocol/secure-messaging.ts';

const ascii = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'ascii'));
const pin = (s: string): Uint8Array => pinFromDigits([...s].map(Number));

let perso: CardPersonalisation;
let card: VirtualMyNumberCard;
let client: JpkiClient;
let reader: InProcessCardReader;

/** The centre, as the server will be: derives the card key from its master key and the card id. */
function centre(
  cardId: string,
  newPins: Partial<Record<PinResetTarget, string>> = {},
): PinResetAuthority & {
  issued: Uint8Array[];
} {
  const cardKey = deriveCardKey(TEST_PIN_RESET_MASTER_KEY, cardId);
  let lastChallenge: Uint8Array | null = null;
  const issued: Uint8Array[] = [];
  return {
    issued,
    commandFor: async ({ target, challenge }) => {
      lastChallenge = challenge;
      const next = newPins[target];
      const apdu = buildPinResetCommand({
        cardKey,
        challenge,
        target,
        ...(next ? { newPin: ascii(next) } : {}),
      });
      issued.push(apdu);
      return { kind: 'command', apdu };
    },
    confirm: async ({ response }) => checkPinResetResponse({ cardKey, challenge: lastChallenge!, response }),
  };
}

async function open(p: CardPersonalisation, store?: CardStateStore): Promise<void> {
  reader = new InProcessCardReader();
  card = new VirtualMyNumberCard({ personalisation: p, ...(store ? { stateStore: store } : {}) });
  reader.insert(card);
  const s = await reader.connect({ timeoutMs: 1000 });
  if (!('transport' in s)) throw new Error(s.kind);
  client = new JpkiClient(s.transport);
}

async function lock(slot: 'auth' | 'signing'): Promise<void> {
  const wrong =
    slot === 'auth'
      ? () => client.verifyAuthPin(pin('9999'))
      : () => client.verifySigningPin(ascii('WRONG99'));
  for (let i = 0; i < (slot === 'auth' ? 3 : 5); i++) await wrong();
  expect(await client.pinTriesLeft(slot)).toEqual({ kind: 'locked' });
}

beforeAll(async () => {
  perso = await testCard({ holderId: 'pin-reset-unit' });
});

beforeEach(async () => {
  await open(perso);
});

describe('signing PIN operations', () => {
  it('verifies the signing PIN and then reads the signing certificate', async () => {
    expect(await client.pinTriesLeft('signing')).toEqual({ kind: 'tries-left', triesLeft: 5 });
    expect(await client.verifySigningPin(ascii('ABC124'))).toEqual({ kind: 'wrong', triesLeft: 4 });
    expect(await client.verifySigningPin(ascii('ABC123'))).toEqual({ kind: 'ok' });
    expect(await client.pinTriesLeft('signing')).toEqual({ kind: 'verified' });
    expect(await client.verifySigningPin(ascii('abc123'))).toEqual({ kind: 'malformed-pin' });
  });

  it('changes the signing PIN (VERIFY + CHANGE REFERENCE DATA), zeroing both buffers', async () => {
    const current = ascii('ABC123');
    const next = ascii('NEWPIN77');
    expect(await changeSigningPin(client, current, next)).toEqual({ kind: 'changed' });
    expect([...current, ...next].every((b) => b === 0)).toBe(true);
    expect(await client.verifySigningPin(ascii('ABC123'))).toEqual({ kind: 'wrong', triesLeft: 4 });
    expect(await client.verifySigningPin(ascii('NEWPIN77'))).toEqual({ kind: 'ok' });
  });

  it('refuses CHANGE REFERENCE DATA before VERIFY and a new PIN of the wrong shape', async () => {
    expect(await client.changePin('signing', ascii('NEWPIN77'))).toEqual({ kind: 'pin-required' });
    expect(await client.changePin('signing', ascii('short'))).toEqual({ kind: 'malformed-pin' });
    expect(await changeSigningPin(client, ascii('ABC124'), ascii('NEWPIN77'))).toEqual({
      kind: 'wrong-pin',
      triesLeft: 4,
    });
  });
});

describe('PIN reset by the centre over secure messaging', () => {
  it('unlocks a locked signing PIN with a new PIN the card stores; the kiosk only relays', async () => {
    const store = new CardStateStore(mkdtempSync(join(tmpdir(), 'reset-')));
    await open(perso, store);
    await lock('signing');
    const authority = centre(perso.holderId, { signing: 'RESET2024' });
    expect(await relayPinReset(client, authority, 'signing')).toEqual({ kind: 'reset-done' });
    // the relayed command carries no readable PIN
    expect(Buffer.from(authority.issued[0]!).includes(Buffer.from('RESET2024'))).toBe(false);
    // the reset persists across a restart of the card
    await open(perso, store);
    expect(await client.pinTriesLeft('signing')).toEqual({ kind: 'tries-left', triesLeft: 5 });
    expect(await client.verifySigningPin(ascii('RESET2024'))).toEqual({ kind: 'ok' });
  });

  it('resets the 4-digit PIN counter only, keeping the PIN', async () => {
    await lock('auth');
    expect(await relayPinReset(client, centre(perso.holderId), 'auth')).toEqual({ kind: 'reset-done' });
    expect(await client.verifyAuthPin(pin('1234'))).toEqual({ kind: 'ok' });
  });

  it('refuses a replayed command: the challenge is single-use', async () => {
    await lock('auth');
    const authority = centre(perso.holderId);
    expect(await relayPinReset(client, authority, 'auth')).toEqual({ kind: 'reset-done' });
    await lock('auth');
    // replay as is, and replay after asking for a fresh challenge
    const replay = await client.relay(authority.issued[0]!);
    expect(replay.kind === 'response' && parseResponse(replay.response)?.sw).toBe(0x6985);
    expect((await client.getChallenge()).kind).toBe('challenge');
    const again = await client.relay(authority.issued[0]!);
    expect(again.kind === 'response' && parseResponse(again.response)?.sw).toBe(0x6988);
    expect(await client.pinTriesLeft('auth')).toEqual({ kind: 'locked' });
  });

  it('refuses a tampered command and a command under another card key', async () => {
    await lock('auth');
    const cardKey = deriveCardKey(TEST_PIN_RESET_MASTER_KEY, perso.holderId);
    const ch1 = await client.getChallenge();
    if (ch1.kind !== 'challenge') throw new Error(ch1.kind);
    const tampered = buildPinResetCommand({
      cardKey,
      challenge: ch1.challenge,
      target: 'auth',
      newPin: ascii('0000'),
    });
    tampered[8] = tampered[8]! ^ 0x01; // a bit of the encrypted PIN
    const r1 = await client.relay(tampered);
    expect(r1.kind === 'response' && parseResponse(r1.response)?.sw).toBe(0x6988);
    // target swapped from auth (81) to signing (82) under a valid MAC for auth
    const ch2 = await client.getChallenge();
    if (ch2.kind !== 'challenge') throw new Error(ch2.kind);
    const swapped = buildPinResetCommand({ cardKey, challenge: ch2.challenge, target: 'auth' });
    swapped[3] = 0x82;
    const r2 = await client.relay(swapped);
    expect(r2.kind === 'response' && parseResponse(r2.response)?.sw).toBe(0x6988);
    // another centre (other master key) cannot build a command this card accepts
    const otherMaster = deriveCardKey(Uint8Array.from(randomBytes(32)), perso.holderId);
    let forgedChallenge: Uint8Array = new Uint8Array(0);
    const result = await relayPinReset(
      client,
      {
        commandFor: async ({ target, challenge }) => {
          forgedChallenge = challenge;
          return { kind: 'command', apdu: buildPinResetCommand({ cardKey: otherMaster, challenge, target }) };
        },
        confirm: async ({ response }) =>
          checkPinResetResponse({ cardKey: otherMaster, challenge: forgedChallenge, response }),
      },
      'auth',
    );
    expect(result).toEqual({ kind: 'not-authorised', sw: 0x6988 });
    expect(await client.pinTriesLeft('auth')).toEqual({ kind: 'locked' });
  });

  it('refuses a reset without the centre MAC, plain or secure, and the kiosk relays nothing else', async () => {
    await lock('auth');
    await client.getChallenge();
    const plain = await client.relay(
      encodeCommand({ cla: 0x0c, ins: 0x2c, p1: 0x03, p2: 0x81, data: Uint8Array.of(0x99, 0x00) }),
    );
    expect(plain.kind === 'response' && parseResponse(plain.response)?.sw).toBe(0x6988);
    expect(await client.relay(encodeCommand({ cla: 0, ins: 0x2c, p1: 0x03, p2: 0x81 }))).toEqual({
      kind: 'communication',
      detail: 'refused to relay a command that is not secure messaging',
    });
    expect(await client.pinTriesLeft('auth')).toEqual({ kind: 'locked' });
  });

  it('gets a sealed refusal for a new PIN of the wrong shape; the centre reads it', async () => {
    const authority = centre(perso.holderId, { auth: '12345' });
    expect(await relayPinReset(client, authority, 'auth')).toEqual({ kind: 'card-refused', sw: 0x6a80 });
  });

  it('refuses a reset on a card issued without a reset key', async () => {
    const { pinResetKey: _unused, ...withoutKey } = perso;
    await open(withoutKey);
    expect(await relayPinReset(client, centre(perso.holderId), 'auth')).toEqual({
      kind: 'not-authorised',
      sw: 0x6985,
    });
  });

  it('reports an unreachable centre without touching the card further', async () => {
    const result = await relayPinReset(
      client,
      {
        commandFor: () => Promise.reject(new Error('ECONNREFUSED')),
        confirm: () => Promise.reject(new Error('unreachable')),
      },
      'signing',
    );
    expect(result).toEqual({ kind: 'centre-unreachable', detail: 'ECONNREFUSED' });
  });
});
