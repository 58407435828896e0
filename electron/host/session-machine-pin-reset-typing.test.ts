/**
 * The PIN-reset machine's card reading and its typed-PIN keyboards, with a fake card and a fake
 * reset centre (no centre started): which state the card's read leads to, what each keyboard
 * takes, and what a card taken away tells the resident.
 */
import { describe, expect, it } from 'vitest';
import { createActor, waitFor, type Actor } from 'xstate';
import type { PinResetTarget } from '../../protocol/secure-messaging.ts';
import type { CardHandle } from './card-port.ts';
import type { PinResetCentre } from './pin-reset-client.ts';
import { pinResetMachine } from './session-machine-pin-reset.ts';
import { DEFAULT_TIMEOUTS } from './session-machine-types.ts';
import { fakeCardHandle, fakeCardPort, fakeServices } from './test-support/fakes.ts';

const TX = '0f1e2d3c-4b5a-4697-8877-665544332211';

/** A reset centre in password mode that is never reached past its start. */
const resetCentre: PinResetCentre = {
  authenticate: async () => ({ ok: true, value: { kind: 'no-grant' } }),
  start: async () => ({ ok: true, value: { mode: 'password' } }),
  command: async () => ({ ok: false, failure: { kind: 'centre-unreachable', detail: 'fake' } }),
  confirm: async () => ({ ok: false, failure: { kind: 'centre-unreachable', detail: 'fake' } }),
  release: async () => ({ ok: true, value: { kind: 'released' } }),
  close: async () => undefined,
};

type Machine = Actor<typeof pinResetMachine>;
const at = (actor: Machine, state: string) =>
  waitFor(actor, (s) => s.matches(state as never), { timeout: 5_000 });

/** The machine started, the flow chosen for `target`, the card on the reader answering `card`. */
async function chosen(target: PinResetTarget, card: Partial<CardHandle> = {}) {
  const actor = createActor(pinResetMachine, {
    input: {
      services: fakeServices(TX, {
        cardPort: fakeCardPort(fakeCardHandle(card)),
        pinReset: { centre: resetCentre },
      }),
      timeouts: DEFAULT_TIMEOUTS,
    },
  }).start();
  actor.send({ type: 'START' });
  await at(actor, 'choosePin');
  actor.send({ type: 'CHOOSE_PIN_RESET', target });
  return actor;
}

const type = (actor: Machine, chars: string) => {
  for (const char of chars) actor.send({ type: 'NEW_PIN_CHAR', char });
};

describe('the PIN-reset machine reads the card', () => {
  it('the signing PIN’s reset: the 4-digit PIN next, with its tries left', async () => {
    const actor = await chosen('signing', {
      prepare: async () => ({ ok: true, value: { authPinTriesLeft: 2 } }),
    });
    const entry = await at(actor, 'pinEntry');
    expect(entry.context.triesLeft).toBe(2);
    expect(entry.context.certificate).not.toBeNull();
    actor.stop();
  });

  it('the signing PIN’s reset with the 4-digit PIN locked: failed as pin-locked', async () => {
    const actor = await chosen('signing', {
      prepare: async () => ({ ok: true, value: { authPinTriesLeft: 0 } }),
    });
    const failed = await at(actor, 'failed');
    expect(failed.context.error).toEqual({ code: 'pin-locked', triesLeft: 0 });
    actor.stop();
  });

  it('the 4-digit PIN’s reset, that PIN locked: the signing PIN next all the same', async () => {
    const actor = await chosen('auth', {
      prepare: async () => ({ ok: true, value: { authPinTriesLeft: 0 } }),
    });
    const entry = await at(actor, 'signingPinEntry');
    expect(entry.context.triesLeft).toBeNull();
    expect(entry.context.certificate).not.toBeNull();
    actor.stop();
  });

  it('a card that does not answer: failed with the card’s error', async () => {
    const actor = await chosen('auth', {
      prepare: async () => ({ ok: false, failure: { kind: 'card-removed' } }),
    });
    const failed = await at(actor, 'failed');
    expect(failed.context.error?.code).toBe('card-removed');
    expect(failed.context.pinResetOutcome).toBeNull();
    actor.stop();
  });

  it('the card taken away while it is read: failed, the old PIN told', async () => {
    const actor = await chosen('signing', { prepare: () => new Promise(() => undefined) });
    await at(actor, 'readingCard');
    actor.send({ type: 'CARD_REMOVED' });
    const failed = await at(actor, 'failed');
    expect(failed.context.error?.code).toBe('card-removed');
    expect(failed.context.pinResetOutcome).toBe('old-pin');
    actor.stop();
  });
});

describe('the PIN-reset machine’s typed PINs', () => {
  it('the signing PIN: A–Z and 0–9 up to 16, a backspace, sent from 6 on', async () => {
    const actor = await chosen('auth', {
      prepare: () => Promise.resolve({ ok: true, value: { authPinTriesLeft: 3 } }),
    });
    await at(actor, 'signingPinEntry');
    type(actor, 'a-B');
    expect(actor.getSnapshot().context.newPinLength).toBe(1);
    actor.send({ type: 'NEW_PIN_BACKSPACE' });
    actor.send({ type: 'NEW_PIN_BACKSPACE' });
    expect(actor.getSnapshot().context.newPinLength).toBe(0);
    type(actor, 'ABC12');
    actor.send({ type: 'NEW_PIN_SUBMIT' });
    expect(actor.getSnapshot().value).toBe('signingPinEntry');
    type(actor, '3456789012345Z');
    expect(actor.getSnapshot().context.newPinLength).toBe(16);
    expect(Buffer.from(actor.getSnapshot().context.newPin).toString('ascii')).toBe('ABC1234567890123');
    actor.send({ type: 'CARD_REMOVED' });
    const failed = await at(actor, 'failed');
    expect(failed.context.pinResetOutcome).toBe('old-pin');
    expect(failed.context.newPin.every((b) => b === 0)).toBe(true);
    actor.stop();
  });

  it('the signing PIN sent once 6 long: proven with the signing key', async () => {
    const actor = await chosen('auth');
    await at(actor, 'signingPinEntry');
    type(actor, 'ABC123');
    actor.send({ type: 'NEW_PIN_SUBMIT' });
    expect(actor.getSnapshot().value).toBe('provingWithSigningKey');
    actor.stop();
  });
});
