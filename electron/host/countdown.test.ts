/**
 * Visible time limits: a screen that times out announces its last 20 s in the snapshot
 * (`timeLimit`), 「延長する」 (`extend-time`) starts the screen's limit again from its full length,
 * and at zero the session machine's own limit ends the session through its clean-up. Timers run
 * on xstate's SimulatedClock: nothing here waits for real time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { FakePaymentDevice } from '../payment/fake-payment-device.ts';
import { createKioskHost, type KioskHost } from './kiosk-host.ts';
import { createHostLogger } from './logger.ts';
import { toMenu, waitFor } from './test-support/drive.ts';
import { fakeCardHandle, fakeCardPort, fakeServices } from './test-support/fakes.ts';

const TX = '7e1d2c3b-4a5f-4e6d-9c8b-7a6f5e4d3c2b';
const MENU_MS = 90_000;
const PIN_MS = 60_000;

let host: KioskHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

function start(warningMs?: number) {
  const clock = new SimulatedClock();
  const card = fakeCardHandle();
  host = createKioskHost(
    fakeServices(TX, {
      cardPort: fakeCardPort(card, { cardPresent: () => false }),
      payment: new FakePaymentDevice(),
    }),
    {
      logger: createHostLogger({ level: 'silent' }),
      timeouts: { menuIdleMs: MENU_MS, pinEntryIdleMs: PIN_MS },
      clock,
      closeLimitMs: 1,
      ...(warningMs === undefined ? {} : { timeLimitWarningMs: warningMs }),
    },
  );
  return { host, clock };
}

describe('the countdown of a screen’s time limit', () => {
  it('shows in the last 20 s of the menu, and the limit ends the session at zero', async () => {
    const { host, clock } = start();
    await toMenu(host);
    expect(host.getSnapshot().timeLimit).toBeUndefined();
    clock.increment(MENU_MS - 20_000 - 1);
    expect(host.getSnapshot().timeLimit).toBeUndefined();
    clock.increment(1);
    expect(host.getSnapshot().timeLimit).toEqual({ secondsLeft: 20 });
    expect(host.getSnapshot().view.screen).toBe('menu');
    clock.increment(20_000);
    const error = await waitFor(host, 'error');
    expect(error.error).toBe('timeout');
    // The error screen has a limit of its own; its countdown has not started.
    expect(host.getSnapshot().timeLimit).toBeUndefined();
  });

  it('「延長する」 starts the limit again from its full length', async () => {
    const { host, clock } = start();
    await toMenu(host);
    clock.increment(MENU_MS - 5_000);
    expect(host.getSnapshot().timeLimit).toEqual({ secondsLeft: 20 });
    expect(host.send({ type: 'extend-time' })).toEqual({ accepted: true });
    expect(host.getSnapshot().timeLimit).toBeUndefined();
    // The old limit would have ended the session 5 s later: it does not.
    clock.increment(10_000);
    expect(host.getSnapshot().view.screen).toBe('menu');
    clock.increment(MENU_MS - 20_000 - 10_000);
    expect(host.getSnapshot().timeLimit).toEqual({ secondsLeft: 20 });
    clock.increment(20_000);
    expect((await waitFor(host, 'error')).error).toBe('timeout');
  });

  it('restarts when the screen’s own limit restarts (a PIN digit)', async () => {
    const { host, clock } = start();
    host.send({ type: 'start' });
    await waitFor(host, 'pin-entry');
    clock.increment(PIN_MS - 10_000);
    expect(host.getSnapshot().timeLimit).toEqual({ secondsLeft: 20 });
    host.send({ type: 'pin-digit', digit: 1 });
    expect(host.getSnapshot().timeLimit).toBeUndefined();
    clock.increment(PIN_MS - 20_000);
    expect(host.getSnapshot().timeLimit).toEqual({ secondsLeft: 20 });
    expect(host.getSnapshot().view).toMatchObject({ screen: 'pin-entry', digitsEntered: 1 });
  });

  it('warns for the whole limit when it is shorter than the warning', async () => {
    const { host, clock } = start(120_000);
    await toMenu(host);
    clock.increment(0);
    expect(host.getSnapshot().timeLimit).toEqual({ secondsLeft: MENU_MS / 1000 });
  });

  it('refuses 「延長する」 where no limit runs (the welcome screen)', () => {
    const { host } = start();
    expect(host.getSnapshot().view.screen).toBe('welcome');
    expect(host.send({ type: 'extend-time' })).toEqual({ accepted: false, reason: 'bad-state' });
  });
});
