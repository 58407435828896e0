/**
 * The host survives its own faults: an exception in a machine action, a rejected promise, a fault
 * reported from outside (renderer gone) each end the session through the one clean-up — card
 * released, money the machine kept paid back, the failure journalled, a neutral error screen with
 * the 受付番号 — and three faults within the window put the kiosk out of service. A session stuck
 * on a step ends through the same clean-up after the idle limit; close() waits for it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakePaymentDevice } from '../payment/fake-payment-device.ts';
import type { Printer, PrinterStatus, PrintResult } from '../printer/printer.ts';
import type { CentreClient } from './centre-client.ts';
import { createCrashSupervisor } from './crash-supervisor.ts';
import { createKioskHost, type KioskHost, type KioskHostOptions } from './kiosk-host.ts';
import { createHostLogger } from './logger.ts';
import { receiptNumberOf } from './receipt-number.ts';
import type { TransactionEvent } from './session-machine.ts';
import { toMenu, waitFor } from './test-support/drive.ts';
import { issuingCentre } from './test-support/issuing-centre.ts';
import {
  FAKE_AUTH_CERTIFICATE,
  fakeCardHandle,
  fakeCardPort,
  fakeCentre,
  fakePrinter,
  fakeServices,
  manualClock,
  MENU,
} from './test-support/fakes.ts';

const TX = '5a6b7c8d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';

interface Parts {
  /** Throws from the host's transaction-event callback (an action in the machine) when true. */
  throwOn?: (event: TransactionEvent) => boolean;
  authenticate?: CentreClient['authenticate'];
  printerStatus?: () => Promise<PrinterStatus>;
  print?: Printer['print'];
  options?: Partial<KioskHostOptions>;
}

let host: KioskHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

function start(parts: Parts = {}) {
  const releases: string[] = [];
  const card = fakeCardHandle({ release: async () => void releases.push('release') });
  const cardPort = fakeCardPort(card, { cardPresent: () => false });
  const printer = fakePrinter({
    ...(parts.printerStatus ? { status: parts.printerStatus } : {}),
    ...(parts.print ? { print: parts.print } : {}),
  });
  const overrides = parts.authenticate ? { authenticate: parts.authenticate } : {};
  // A session that reaches the printer needs a centre that issues a document the kiosk accepts.
  const issuing = parts.print ? issuingCentre(FAKE_AUTH_CERTIFICATE, overrides) : undefined;
  const centre = issuing?.centre ?? fakeCentre(overrides);
  const payment = new FakePaymentDevice();
  const events: TransactionEvent[] = [];
  const outOfService: string[] = [];
  host = createKioskHost(
    fakeServices(TX, {
      cardPort,
      centre,
      printer,
      payment,
      ...(issuing ? { keyRing: issuing.keyRing, render: issuing.render } : {}),
      onTransactionEvent: (event) => {
        if (parts.throwOn?.(event)) throw new Error('a bug in an action');
        events.push(event);
      },
    }),
    { logger: createHostLogger({ level: 'silent' }), ...parts.options },
  );
  host.onOutOfService(() => outOfService.push('out-of-service'));
  return { host, events, payment, releases, outOfService };
}

/** 終了 on the error screen, then back at the welcome screen with the session ended. */
async function finish(h: KioskHost, events: TransactionEvent[], ended: number) {
  expect(h.send({ type: 'finish' })).toEqual({ accepted: true });
  await vi.waitFor(() => expect(count(events, 'ended')).toBe(ended));
  expect(h.getSnapshot().view.screen).toBe('welcome');
}

const count = (events: TransactionEvent[], kind: TransactionEvent['kind']) =>
  events.filter((e) => e.kind === kind).length;

describe('kiosk host: its own faults', () => {
  it('an exception in an action after payment: one clean-up, the money back, the 受付番号 on a neutral screen', async () => {
    let thrown = false;
    const {
      host: h,
      events,
      payment,
      releases,
    } = start({
      // The first failure report throws (the centre was unreachable); the report after the fault goes through.
      throwOn: (event) => event.kind === 'failed' && !thrown && (thrown = true),
    });
    await toMenu(h);
    h.send({ type: 'choose-certificate', certificateType: 'inkan' });
    await waitFor(h, 'confirm');
    h.send({ type: 'confirm' });
    await waitFor(h, 'payment');
    payment.insert(500);
    const error = await waitFor(h, 'error', (v) => v.refunding !== true);
    expect(thrown).toBe(true);
    expect(error).toMatchObject({ error: 'internal', refundedYen: 200 });
    expect(h.getSnapshot().receiptNumber).toBe(receiptNumberOf(TX));
    // Change (300) when settling, the fee (200) back after the fault: all 500 returned, once.
    expect(payment.payouts.map((p) => p.paidYen)).toEqual([300, 200]);
    expect(releases.length).toBeGreaterThan(0);
    expect(events.filter((e) => e.kind === 'failed')).toEqual([
      { kind: 'failed', transactionId: TX, error: 'internal' },
    ]);
    expect(events.filter((e) => e.kind === 'refunded')).toEqual([
      { kind: 'refunded', transactionId: TX, yen: 200 },
    ]);

    await finish(h, events, 1);
    // The host carries on: the next resident gets a whole session.
    await toMenu(h);
  });

  it('an exception on the way into the menu ends on the error screen, not a frozen one', async () => {
    const { host: h, events, releases } = start({ throwOn: (event) => event.kind === 'authenticated' });
    h.send({ type: 'start' });
    await waitFor(h, 'pin-entry');
    for (const digit of [1, 2, 3, 4]) h.send({ type: 'pin-digit', digit });
    h.send({ type: 'pin-submit' });
    expect(await waitFor(h, 'error')).toEqual({ screen: 'error', error: 'internal' });
    expect(releases.length).toBeGreaterThan(0);
    expect(count(events, 'failed')).toBe(1);
    await finish(h, events, 1);
    expect(count(events, 'refunded')).toBe(0);
  });

  it('a rejected promise from the centre ends on the error screen and the host goes on', async () => {
    let calls = 0;
    const { host: h, events } = start({
      authenticate: async () => {
        calls += 1;
        if (calls === 1) throw new Error('socket hang up');
        return { ok: true, value: MENU };
      },
    });
    h.send({ type: 'start' });
    await waitFor(h, 'pin-entry');
    for (const digit of [1, 2, 3, 4]) h.send({ type: 'pin-digit', digit });
    h.send({ type: 'pin-submit' });
    expect((await waitFor(h, 'error')).error).toBe('internal');
    await finish(h, events, 1);
    await toMenu(h);
  });

  it('a renderer gone mid-session ends the session through the clean-up', async () => {
    const { host: h, events, releases } = start();
    await toMenu(h);
    expect(h.reportFault('renderer-gone')).toBe('recover');
    expect(h.getSnapshot().view).toEqual({ screen: 'error', error: 'internal' });
    expect(h.getSnapshot().receiptNumber).toBe(receiptNumberOf(TX));
    expect(releases.length).toBeGreaterThan(0);
    expect(count(events, 'failed')).toBe(1);
  });

  describe('a fault while the job is at the printer: the printer decides, not the fault', () => {
    /** To the printing screen with 500円 in for a 200円 fee; the job answers when `answer` is called. */
    async function toPrinting() {
      let answer: (result: PrintResult) => void = () => undefined;
      const parts = start({ print: () => new Promise<PrintResult>((resolve) => (answer = resolve)) });
      await toMenu(parts.host);
      parts.host.send({ type: 'choose-certificate', certificateType: 'inkan' });
      await waitFor(parts.host, 'confirm');
      parts.host.send({ type: 'confirm' });
      await waitFor(parts.host, 'payment');
      parts.payment.insert(500);
      await waitFor(parts.host, 'printing');
      return { ...parts, answer: (result: PrintResult) => answer(result) };
    }

    it('the job comes out: delivered, journalled as printed, nothing refunded', async () => {
      const { host: h, events, payment, answer } = await toPrinting();
      expect(h.reportFault('renderer-gone')).toBe('recover');
      // A second fault while the printer has not answered changes nothing: one answer, one ending.
      h.reportFault('renderer-gone');
      // No refund while the printer has not answered; the screen stays on printing.
      expect(h.getSnapshot().view.screen).toBe('printing');
      expect(count(events, 'refunded')).toBe(0);
      answer({ ok: true, jobId: '7', impressions: 1 });
      await vi.waitFor(() => expect(count(events, 'ended')).toBe(1));
      expect(events.filter((e) => e.kind === 'printed')).toEqual([
        { kind: 'printed', transactionId: TX, jobId: '7', copies: 1, impressions: 1 },
      ]);
      expect(count(events, 'refunded')).toBe(0);
      expect(count(events, 'failed')).toBe(0);
      // Only the change was paid out.
      expect(payment.payouts.map((p) => p.paidYen)).toEqual([300]);
      await waitFor(h, 'welcome');
    });

    it('the job fails: the one clean-up refunds the fee', async () => {
      const { host: h, events, payment, answer } = await toPrinting();
      h.reportFault('renderer-gone');
      expect(count(events, 'refunded')).toBe(0);
      answer({ ok: false, failure: { kind: 'jammed' } });
      const error = await waitFor(h, 'error', (v) => v.refunding !== true);
      expect(error).toMatchObject({ error: 'internal', refundedYen: 200 });
      expect(count(events, 'printed')).toBe(0);
      expect(events.filter((e) => e.kind === 'refunded')).toEqual([
        { kind: 'refunded', transactionId: TX, yen: 200 },
      ]);
      expect(payment.payouts.map((p) => p.paidYen)).toEqual([300, 200]);
    });
  });

  it('three faults within the window: out of service, intents refused, the listeners told once', async () => {
    const supervisor = createCrashSupervisor({ limit: 3, windowMs: 60_000, now: () => 0 });
    const {
      host: h,
      events,
      outOfService,
    } = start({
      throwOn: (event) => event.kind === 'authenticated',
      options: { supervisor },
    });
    for (let session = 1; session <= 2; session++) {
      h.send({ type: 'start' });
      await waitFor(h, 'pin-entry');
      for (const digit of [1, 2, 3, 4]) h.send({ type: 'pin-digit', digit });
      h.send({ type: 'pin-submit' });
      await waitFor(h, 'error');
      await finish(h, events, session);
    }
    expect(outOfService).toEqual([]);
    h.send({ type: 'start' });
    await waitFor(h, 'pin-entry');
    for (const digit of [1, 2, 3, 4]) h.send({ type: 'pin-digit', digit });
    h.send({ type: 'pin-submit' });
    const snapshot = await waitFor(h, 'out-of-service');
    expect(snapshot).toEqual({ screen: 'out-of-service' });
    expect(h.getSnapshot().transactionId).toBeNull();
    expect(outOfService).toEqual(['out-of-service']);
    expect(h.send({ type: 'finish' })).toEqual({ accepted: false, reason: 'bad-state' });
    expect(h.send({ type: 'start' })).toEqual({ accepted: false, reason: 'bad-state' });
    // The third session was still cleaned up: reported failed and, at close, ended.
    expect(count(events, 'failed')).toBe(3);
    await h.close();
    host = undefined;
    expect(count(events, 'ended')).toBe(3);
  });

  it('a clean-up that faults every time goes out of service once and stops there, the card released', async () => {
    const supervisor = createCrashSupervisor({ limit: 3, windowMs: 60_000, now: () => 0 });
    const {
      host: h,
      outOfService,
      releases,
    } = start({
      throwOn: (event) => event.kind === 'authenticated' || event.kind === 'failed',
      options: { supervisor },
    });
    h.send({ type: 'start' });
    await waitFor(h, 'pin-entry');
    for (const digit of [1, 2, 3, 4]) h.send({ type: 'pin-digit', digit });
    h.send({ type: 'pin-submit' });
    await waitFor(h, 'out-of-service');
    expect(outOfService).toEqual(['out-of-service']);
    expect(supervisor.outOfService).toBe(true);
    expect(releases.length).toBeGreaterThan(0);
    expect(h.send({ type: 'cancel' })).toEqual({ accepted: false, reason: 'bad-state' });
  });

  it('a session stuck on a step ends through the clean-up after the idle limit', async () => {
    const clock = manualClock();
    const {
      host: h,
      events,
      releases,
    } = start({
      // The printer never answers its status query.
      printerStatus: () => new Promise<PrinterStatus>(() => undefined),
      options: { clock, sessionIdleMs: 300_000 },
    });
    h.send({ type: 'start' });
    await waitFor(h, 'place-card');
    expect(clock.pending()).toBe(1);
    clock.fireAll();
    expect(h.getSnapshot().view).toEqual({ screen: 'error', error: 'timeout' });
    expect(events.filter((e) => e.kind === 'failed')).toEqual([
      { kind: 'failed', transactionId: TX, error: 'timeout' },
    ]);
    expect(releases).toEqual([]); // no card was ever placed
  });

  it('the idle limit puts an abandoned language choice back to Japanese', async () => {
    const clock = manualClock();
    const { host: h } = start({ options: { clock } });
    expect(clock.pending()).toBe(0);
    h.send({ type: 'set-language', language: 'vi' });
    expect(h.getSnapshot().language).toBe('vi');
    clock.fireAll();
    expect(h.getSnapshot()).toMatchObject({ language: 'ja', view: { screen: 'welcome' } });
    expect(clock.pending()).toBe(0);
  });

  it('close() mid-payment pays the money back and ends the session before it resolves', async () => {
    const { host: h, events, payment } = start();
    await toMenu(h);
    h.send({ type: 'choose-certificate', certificateType: 'inkan' });
    h.send({ type: 'confirm' });
    await waitFor(h, 'payment', (v) => v.accepts.length > 0);
    payment.insert(100);
    await waitFor(h, 'payment', (v) => v.paidYen === 100);
    await h.close();
    host = undefined;
    expect(payment.payouts.map((p) => p.paidYen)).toEqual([100]);
    expect(events.map((e) => e.kind).slice(-3)).toEqual(['failed', 'refunded', 'ended']);
  });
});
