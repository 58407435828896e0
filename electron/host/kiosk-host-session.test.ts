/**
 * What a walk through the screens asked of the session: every session starts in Japanese, 中止
 * ends it the same way on every screen (a neutral 「中止しました」 screen), 戻る on the confirm
 * screen goes back to the menu, a card never placed says so, and the 受付番号 is short.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskScreen, KioskSnapshot } from '../kiosk-api.ts';
import type { CardHandle, CardPort, CardResult } from './card-port.ts';
import { createKioskHost, type KioskHost } from './kiosk-host.ts';
import { createHostLogger } from './logger.ts';
import { receiptNumberOf } from './receipt-number.ts';
import type { Timeouts } from './session-machine.ts';
import { fakeCardPort, fakeServices } from './test-support/fakes.ts';

const TX = '7d1e2f30-4a5b-4c6d-8e9f-0a1b2c3d4e5f';

const readerWithCard: CardPort = fakeCardPort();

/** A reader nobody puts a card on: waits until the session gives up. */
const emptyReader: CardPort = {
  ...readerWithCard,
  waitForCard: (signal) =>
    new Promise<CardResult<CardHandle>>((resolve) =>
      signal.addEventListener('abort', () => resolve({ ok: false, failure: { kind: 'timeout' } })),
    ),
};

let host: KioskHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

function start(cardPort: CardPort = readerWithCard, timeouts: Partial<Timeouts> = {}): KioskHost {
  host = createKioskHost(fakeServices(TX, { cardPort }), {
    logger: createHostLogger({ level: 'silent' }),
    timeouts,
  });
  return host;
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

async function toMenu(h: KioskHost): Promise<KioskSnapshot> {
  h.send({ type: 'start' });
  await waitFor(h, 'pin-entry');
  for (const digit of [1, 2, 3, 4]) h.send({ type: 'pin-digit', digit });
  h.send({ type: 'pin-submit' });
  return waitFor(h, 'menu');
}

describe('kiosk host: the walk through the screens', () => {
  it('starts every session in Japanese, whatever the last resident chose', async () => {
    const h = start();
    expect(h.send({ type: 'set-language', language: 'vi' })).toEqual({ accepted: true });
    const menu = await toMenu(h);
    expect(menu.language).toBe('vi');
    // The language can be changed on any screen, mid-session.
    expect(h.send({ type: 'set-language', language: 'tl' })).toEqual({ accepted: true });
    expect(h.getSnapshot().language).toBe('tl');
    expect(h.send({ type: 'set-language', language: 'fr' })).toEqual({ accepted: false, reason: 'invalid' });
    h.send({ type: 'cancel' });
    await waitFor(h, 'error');
    h.send({ type: 'finish' });
    const welcome = await waitFor(h, 'welcome');
    expect(welcome.language).toBe('ja');
  });

  it('shows an 8-digit 受付番号 derived from the transaction id, only during a session', async () => {
    const h = start();
    expect(h.getSnapshot().receiptNumber).toBeUndefined();
    const menu = await toMenu(h);
    expect(menu.transactionId).toBe(TX);
    expect(menu.receiptNumber).toBe(receiptNumberOf(TX));
    expect(menu.receiptNumber).toMatch(/^[0-9]{8}$/);
  });

  it('goes back from the confirm screen with 戻る, and ends the session with 中止', async () => {
    const h = start();
    await toMenu(h);
    h.send({ type: 'choose-certificate', certificateType: 'inkan' });
    await waitFor(h, 'confirm');
    expect(h.send({ type: 'back-to-menu' })).toEqual({ accepted: true });
    await waitFor(h, 'menu');
    h.send({ type: 'choose-certificate', certificateType: 'inkan' });
    await waitFor(h, 'confirm');
    h.send({ type: 'cancel' });
    const cancelled = await waitFor(h, 'error');
    expect(cancelled.view).toEqual({ screen: 'error', error: 'cancelled' });
  });

  it('ends with 中止 the same way on the PIN and place-card screens', async () => {
    const h = start();
    h.send({ type: 'start' });
    await waitFor(h, 'pin-entry');
    h.send({ type: 'pin-digit', digit: 1 });
    h.send({ type: 'cancel' });
    expect((await waitFor(h, 'error')).view).toEqual({ screen: 'error', error: 'cancelled' });
    h.send({ type: 'finish' });
    await waitFor(h, 'welcome');
    await h.close();

    const waiting = start(emptyReader);
    waiting.send({ type: 'start' });
    await waitFor(waiting, 'place-card');
    waiting.send({ type: 'cancel' });
    expect((await waitFor(waiting, 'error')).view).toEqual({ screen: 'error', error: 'cancelled' });
  });

  it('says so when no card was placed in time, instead of returning silently', async () => {
    const h = start(emptyReader, { placeCardMs: 20 });
    h.send({ type: 'start' });
    const ended = await waitFor(h, 'error');
    expect(ended.view).toEqual({ screen: 'error', error: 'card-not-placed' });
  });
});
