/**
 * The PIN-reset flow through the host, as the page drives it: the welcome screen's second button
 * chooses the flow, the keypads' intents reach the PIN-reset machine, the screens show counts
 * only, and every end returns to the issuance flow through the one clean-up. The card and the
 * centre's reset API are fakes (the machine against the real centre: session-machine-pin-reset.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type {
  PinResetCommandRequest,
  PinResetCommandResponse,
  PinResetMode,
} from '../../protocol/pin-reset.ts';
import type { KioskScreen, KioskSnapshot } from '../kiosk-api.ts';
import type { CentreResult } from './centre-client.ts';
import { createKioskHost, type KioskHost } from './kiosk-host.ts';
import { createHostLogger } from './logger.ts';
import type { PinResetCentre } from './pin-reset-client.ts';
import type { SessionServices, TransactionEvent } from './session-machine.ts';
import { fakeCardHandle, fakeCardPort, fakeServices } from './test-support/fakes.ts';

const TX = '1b2c3d4e-5f60-4172-8394-a5b6c7d8e9f0';
const PASSWORD = '12345678';
const NEW_PIN = 'NEWPIN42';

/**
 * The centre's reset API in its `mode` (the centre's setting): `wrongTries` wrong-password answers
 * first, then a command the card takes.
 */
function fakeResetCentre(wrongTries = 0, mode: PinResetMode = 'password') {
  const requests: PinResetCommandRequest[] = [];
  let wrong = wrongTries;
  const centre: PinResetCentre = {
    authenticate: async () => ({ ok: true, value: { kind: 'no-grant' } }),
    start: async () => ({ ok: true, value: { mode } }),
    async command(request): Promise<CentreResult<PinResetCommandResponse>> {
      requests.push({ ...request });
      if (wrong > 0) {
        wrong -= 1;
        return { ok: true, value: { kind: 'wrong-password', triesLeft: 5 - (wrongTries - wrong) } };
      }
      return { ok: true, value: { kind: 'command', apdu: Buffer.from([0x0c, 0x2c]).toString('base64') } };
    },
    confirm: async () => ({ ok: true, value: { kind: 'reset-done' } }),
    release: async () => ({ ok: true, value: { kind: 'released' } }),
    close: async () => undefined,
  };
  return { centre, requests };
}

/** A card that relays the centre's command and passes its answer back. */
const relayingCard = () =>
  fakeCardHandle({
    resetPin: async (authority, target) => {
      const command = await authority.commandFor({ target, challenge: new Uint8Array(8) });
      if (command.kind !== 'command') return command;
      return authority.confirm({ target, response: Uint8Array.of(0x99, 0x02, 0x90, 0x00, 0x90, 0x00) });
    },
  });

let host: KioskHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

function start(overrides: Partial<SessionServices> = {}) {
  const events: TransactionEvent[] = [];
  host = createKioskHost(
    fakeServices(TX, {
      cardPort: fakeCardPort(relayingCard()),
      onTransactionEvent: (event) => void events.push(event),
      ...overrides,
    }),
    { logger: createHostLogger({ level: 'silent' }) },
  );
  return { host, events };
}

function waitFor(h: KioskHost, screen: KioskScreen['screen']): Promise<KioskSnapshot> {
  return new Promise((resolve, reject) => {
    if (h.getSnapshot().view.screen === screen) return resolve(h.getSnapshot());
    const timer = setTimeout(
      () => reject(new Error(`no ${screen}; at ${h.getSnapshot().view.screen}`)),
      5000,
    );
    const off = h.onSnapshot((s) => {
      if (s.view.screen !== screen) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

async function toPassword(h: KioskHost) {
  expect(h.send({ type: 'start-pin-reset' })).toEqual({ accepted: true });
  await waitFor(h, 'pin-reset-choose');
  expect(h.send({ type: 'choose-pin-reset', target: 'signing' })).toEqual({ accepted: true });
  await waitFor(h, 'pin-entry');
  for (const digit of [1, 2, 3, 4]) h.send({ type: 'pin-digit', digit });
  h.send({ type: 'pin-submit' });
  return waitFor(h, 'pin-reset-password');
}

function typePassword(h: KioskHost, password: string) {
  for (const c of password)
    expect(h.send({ type: 'otp-digit', digit: Number(c) })).toEqual({ accepted: true });
  return h.send({ type: 'otp-submit' });
}

function typeNewPin(h: KioskHost, pin: string) {
  for (const char of pin) expect(h.send({ type: 'new-pin-char', char })).toEqual({ accepted: true });
  return h.send({ type: 'new-pin-submit' });
}

describe('the PIN reset through the host', () => {
  it('is offered on the welcome screen only when the centre’s reset API is configured', () => {
    const without = start();
    expect(without.host.getSnapshot().view).toEqual({ screen: 'welcome', reader: 'ready' });
    expect(without.host.send({ type: 'start-pin-reset' })).toEqual({ accepted: false, reason: 'bad-state' });
  });

  it('password → new PIN twice → the card takes it; the page sees counts only; back to the issuance flow', async () => {
    const reset = fakeResetCentre();
    const { host: h, events } = start({ pinReset: { centre: reset.centre } });
    expect(h.getSnapshot().view).toEqual({ screen: 'welcome', reader: 'ready', pinResetOffered: true });
    const password = await toPassword(h);
    expect(password.view).toEqual({
      screen: 'pin-reset-password',
      digitsEntered: 0,
      passwordLength: 8,
      triesLeft: null,
      lastAttemptWrong: false,
    });
    // Only digits, one at a time; an incomplete password is not submitted.
    expect(h.send({ type: 'otp-digit', digit: 10 })).toEqual({ accepted: false, reason: 'invalid' });
    h.send({ type: 'otp-digit', digit: 9 });
    expect(h.send({ type: 'otp-submit' })).toEqual({ accepted: false, reason: 'bad-state' });
    h.send({ type: 'otp-backspace' });
    expect(h.getSnapshot().view).toMatchObject({ digitsEntered: 0 });
    typePassword(h, PASSWORD);
    const first = await waitFor(h, 'pin-reset-new-pin');
    expect(first.view).toEqual({
      screen: 'pin-reset-new-pin',
      step: 'first',
      charsEntered: 0,
      minLength: 6,
      maxLength: 16,
      mismatch: false,
    });
    // Lower case and symbols are not the card's alphabet; too short is not submitted.
    expect(h.send({ type: 'new-pin-char', char: 'a' })).toEqual({ accepted: false, reason: 'invalid' });
    expect(h.send({ type: 'new-pin-char', char: 'AB' })).toEqual({ accepted: false, reason: 'invalid' });
    typeNewPin(h, 'ABC12');
    expect(h.getSnapshot().view).toMatchObject({ step: 'first', charsEntered: 5 });
    for (let i = 0; i < 5; i++) h.send({ type: 'new-pin-backspace' });
    typeNewPin(h, NEW_PIN);
    expect(h.getSnapshot().view).toMatchObject({ step: 'again', charsEntered: 0 });
    typeNewPin(h, NEW_PIN);
    const done = await waitFor(h, 'pin-reset-done');
    expect(done.view).toEqual({ screen: 'pin-reset-done', outcome: 'new-pin' });
    expect(done.transactionId).toBe(TX);
    expect(reset.requests).toEqual([
      expect.objectContaining({ oneTimePassword: PASSWORD, newSigningPin: NEW_PIN, transactionId: TX }),
    ]);
    // Nothing typed ever reaches the page.
    expect(JSON.stringify(done)).not.toContain(NEW_PIN);
    expect(h.send({ type: 'finish' })).toEqual({ accepted: true });
    await waitFor(h, 'welcome');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.getSnapshot().transactionId).toBeNull();
    expect(events.map((e) => e.kind)).toEqual(['started', 'authenticated', 'ended']);
    // The next resident starts the issuance flow from the same welcome screen.
    expect(h.send({ type: 'start' })).toEqual({ accepted: true });
    await waitFor(h, 'pin-entry');
  });

  it('two entries that differ are both typed again; a wrong password shows the tries left and keeps the new PIN', async () => {
    const reset = fakeResetCentre(1);
    const { host: h } = start({ pinReset: { centre: reset.centre } });
    await toPassword(h);
    typePassword(h, PASSWORD);
    await waitFor(h, 'pin-reset-new-pin');
    typeNewPin(h, NEW_PIN);
    typeNewPin(h, 'OTHER99');
    expect(h.getSnapshot().view).toMatchObject({ step: 'first', charsEntered: 0, mismatch: true });
    typeNewPin(h, NEW_PIN);
    typeNewPin(h, NEW_PIN);
    const again = await waitFor(h, 'pin-reset-password');
    expect(again.view).toMatchObject({ digitsEntered: 0, triesLeft: 4, lastAttemptWrong: true });
    typePassword(h, '87654321');
    await waitFor(h, 'pin-reset-done');
    expect(reset.requests.map((r) => r.newSigningPin)).toEqual([NEW_PIN, NEW_PIN]);
  });

  it('the live service’s bound-card mode: no password keypad, straight from the PIN to the new PIN', async () => {
    const reset = fakeResetCentre(0, 'bound-card');
    const { host: h } = start({ pinReset: { centre: reset.centre } });
    h.send({ type: 'start-pin-reset' });
    await waitFor(h, 'pin-reset-choose');
    h.send({ type: 'choose-pin-reset', target: 'signing' });
    await waitFor(h, 'pin-entry');
    for (const digit of [1, 2, 3, 4]) h.send({ type: 'pin-digit', digit });
    h.send({ type: 'pin-submit' });
    await waitFor(h, 'pin-reset-new-pin');
    expect(h.send({ type: 'otp-digit', digit: 1 })).toEqual({ accepted: false, reason: 'bad-state' });
    typeNewPin(h, NEW_PIN);
    typeNewPin(h, NEW_PIN);
    await waitFor(h, 'pin-reset-done');
    expect(reset.requests).toHaveLength(1);
    expect(reset.requests[0]?.oneTimePassword).toBeUndefined();
  });

  it('the centre unreachable when asked for its mode: no keypad, the error screen, nothing sent', async () => {
    const reset = fakeResetCentre();
    const centre: PinResetCentre = {
      ...reset.centre,
      start: async () => ({ ok: false, failure: { kind: 'centre-unreachable', detail: 'TimeoutError' } }),
    };
    const { host: h } = start({ pinReset: { centre } });
    h.send({ type: 'start-pin-reset' });
    await waitFor(h, 'pin-reset-choose');
    h.send({ type: 'choose-pin-reset', target: 'signing' });
    await waitFor(h, 'pin-entry');
    for (const digit of [1, 2, 3, 4]) h.send({ type: 'pin-digit', digit });
    h.send({ type: 'pin-submit' });
    const error = await waitFor(h, 'error');
    expect(error.view).toMatchObject({ screen: 'error', error: 'centre-unreachable' });
    expect(reset.requests).toHaveLength(0);
  });

  it('the grant reserved by another kiosk’s transaction: its own error (wait, or ask staff), not the general refusal', async () => {
    const reset = fakeResetCentre();
    const centre: PinResetCentre = {
      ...reset.centre,
      command: async (request) => {
        reset.requests.push({ ...request });
        return { ok: true, value: { kind: 'in-use' } };
      },
    };
    const { host: h, events } = start({ pinReset: { centre } });
    await toPassword(h);
    typePassword(h, PASSWORD);
    await waitFor(h, 'pin-reset-new-pin');
    typeNewPin(h, NEW_PIN);
    typeNewPin(h, NEW_PIN);
    const error = await waitFor(h, 'error');
    expect(error.view).toMatchObject({
      screen: 'error',
      error: 'pin-reset-in-use',
      pinResetOutcome: 'old-pin',
    });
    expect(reset.requests).toHaveLength(1);
    expect(events.find((e) => e.kind === 'failed')).toMatchObject({ error: 'pin-reset-in-use' });
  });

  it('中止 on the keypad ends through the clean-up: the card released, the old PIN kept', async () => {
    let released = 0;
    const card = { ...relayingCard(), release: async () => void (released += 1) };
    const { host: h, events } = start({
      cardPort: fakeCardPort(card),
      pinReset: { centre: fakeResetCentre().centre },
    });
    await toPassword(h);
    h.send({ type: 'otp-digit', digit: 1 });
    expect(h.send({ type: 'cancel' })).toEqual({ accepted: true });
    const error = await waitFor(h, 'error');
    expect(error.view).toMatchObject({ screen: 'error', error: 'cancelled' });
    h.send({ type: 'finish' });
    await waitFor(h, 'welcome');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(released).toBeGreaterThan(0);
    expect(events.map((e) => e.kind)).toEqual(['started', 'authenticated', 'failed', 'ended']);
  });

  it('a fault mid-flow resumes through the one clean-up and the kiosk returns to the issuance flow', async () => {
    const { host: h, events } = start({ pinReset: { centre: fakeResetCentre().centre } });
    await toPassword(h);
    h.send({ type: 'otp-digit', digit: 5 });
    expect(h.reportFault('renderer-gone')).toBe('recover');
    const error = await waitFor(h, 'error');
    expect(error.view).toMatchObject({ error: 'internal' });
    expect(error.transactionId).toBe(TX);
    h.send({ type: 'finish' });
    await waitFor(h, 'welcome');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events.filter((e) => e.kind === 'ended')).toHaveLength(1);
    expect(h.send({ type: 'start' })).toEqual({ accepted: true });
  });

  it('the 4-digit PIN: which PIN → the signing PIN (counts only) → password → 4 digits twice → done, told which PIN', async () => {
    const reset = fakeResetCentre();
    const authenticated: unknown[] = [];
    const card = fakeCardHandle({
      proveWithSigningKey: async (pin) => {
        pin.fill(0);
        return {
          ok: true,
          value: { kind: 'signed', signature: new Uint8Array(256), signingCertificate: new Uint8Array(300) },
        };
      },
      resetPin: async (authority, target) => {
        const command = await authority.commandFor({ target, challenge: new Uint8Array(8) });
        if (command.kind !== 'command') return command;
        return authority.confirm({ target, response: Uint8Array.of(0x99, 0x02, 0x90, 0x00, 0x90, 0x00) });
      },
    });
    const { host: h } = start({
      cardPort: fakeCardPort(card),
      pinReset: {
        centre: {
          ...reset.centre,
          authenticate: async (request) => {
            authenticated.push(request);
            return { ok: true, value: { kind: 'authenticated' } };
          },
        },
      },
    });
    h.send({ type: 'start-pin-reset' });
    const choose = await waitFor(h, 'pin-reset-choose');
    expect(choose.view).toEqual({ screen: 'pin-reset-choose' });
    expect(h.send({ type: 'choose-pin-reset', target: 'both' } as never)).toEqual({
      accepted: false,
      reason: 'invalid',
    });
    h.send({ type: 'choose-pin-reset', target: 'auth' });
    await waitFor(h, 'pin-reset-signing-pin');
    for (const char of 'SIGN99') h.send({ type: 'new-pin-char', char });
    expect(h.getSnapshot().view).toEqual({
      screen: 'pin-reset-signing-pin',
      charsEntered: 6,
      minLength: 6,
      maxLength: 16,
      triesLeft: null,
    });
    h.send({ type: 'new-pin-submit' });
    await waitFor(h, 'pin-reset-password');
    expect(authenticated).toHaveLength(1);
    typePassword(h, '12345678');
    const first = await waitFor(h, 'pin-reset-new-pin');
    expect(first.view).toMatchObject({ pin: 'auth', minLength: 4, maxLength: 4, charsEntered: 0 });
    typeNewPin(h, '2468');
    await waitFor(h, 'pin-reset-new-pin');
    typeNewPin(h, '2468');
    const done = await waitFor(h, 'pin-reset-done');
    expect(done.view).toEqual({ screen: 'pin-reset-done', outcome: 'new-pin', pin: 'auth' });
    expect(reset.requests).toEqual([
      expect.objectContaining({ target: 'auth', newAuthPin: '2468', oneTimePassword: '12345678' }),
    ]);
    expect(reset.requests[0]?.newSigningPin).toBeUndefined();
  });
});
