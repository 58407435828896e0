/**
 * Payment with the real parts: the payment simulator as its own process, ccTalk over a socat
 * pseudo-terminal through the serialport package, the host's driver, the session; the in-process
 * virtual card, the reference centre and a spool printer around them. The simulator's control
 * port is the resident's hand (and the technician's: jam, empty tubes, unplugged cable).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TransactionEvent } from '../../electron/host/session-machine.ts';
import { createHostLogger } from '../../electron/host/logger.ts';
import type { KioskScreen, KioskSnapshot } from '../../electron/kiosk-api.ts';
import { waitForScreen, waitForSnapshot } from '../../scripts/dev/drive.ts';
import { startDevStack, type RunningStack } from '../../scripts/dev/stack.ts';
import type { PaymentSimControl } from '../../scripts/dev/payment-sim/control-client.ts';

let scratch: string;
let stack: RunningStack;
let sim: PaymentSimControl;
const events: TransactionEvent[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kiosk-payment-'));
  stack = await startDevStack({
    demoOpeningHours: true,
    worldDir: inject('worldDir'),
    outputDir: scratch,
    logger: createHostLogger({ level: 'silent' }),
    card: 'in-process',
    printer: 'spool',
    holderId: 'H0002',
    onTransactionEvent: (event) => events.push(event),
  });
  sim = stack.paymentSim?.control as PaymentSimControl;
});

afterAll(async () => {
  await stack?.close();
  await rm(scratch, { recursive: true, force: true });
});

afterEach(async () => {
  // Back to a healthy machine and the welcome screen for the next resident.
  for (const command of ['online', 'clear', 'fill-change'] as const) await sim.command(command);
  const view = stack.host.getSnapshot().view;
  if (view.screen === 'error' || view.screen === 'done') {
    await waitForSnapshot(stack.host, (s) => settled(s), 'the refund');
    stack.host.send({ type: 'finish' });
  }
  await waitForScreen(stack.host, ['welcome']);
  events.length = 0;
});

type PaymentView = Extract<KioskScreen, { screen: 'payment' }>;

/** An error screen after its refund step, or the done screen. */
function settled(s: KioskSnapshot): boolean {
  return s.view.screen === 'done' || (s.view.screen === 'error' && s.view.refunding !== true);
}

/** Start, PIN, 住民票 ×1, confirm: the payment screen with the slot open. */
async function toPayment(): Promise<PaymentView> {
  for (let i = 0; i < 100 && !stack.host.send({ type: 'start' }).accepted; i++)
    await new Promise((resolve) => setTimeout(resolve, 20));
  await waitForScreen(stack.host, ['pin-entry']);
  for (const digit of '2345') stack.host.send({ type: 'pin-digit', digit: Number(digit) });
  stack.host.send({ type: 'pin-submit' });
  await waitForScreen(stack.host, ['menu']);
  stack.host.send({ type: 'choose-certificate', certificateType: 'juminhyo' });
  await waitForScreen(stack.host, ['confirm']);
  stack.host.send({ type: 'confirm' });
  const snapshot = await waitForSnapshot(
    stack.host,
    (s) => s.view.screen === 'payment' && s.view.accepts.length > 0,
    'the slot to open',
  );
  return snapshot.view as PaymentView;
}

async function credited(yen: number): Promise<void> {
  await waitForSnapshot(
    stack.host,
    (s) => s.view.screen === 'payment' && s.view.paidYen === yen,
    `${yen}円 credited`,
  );
}

async function afterRefund(): Promise<Extract<KioskScreen, { screen: 'error' }>> {
  const snapshot = await waitForSnapshot(stack.host, settled, 'the refund', 30_000);
  if (snapshot.view.screen !== 'error')
    throw new Error(`expected an error screen, got ${snapshot.view.screen}`);
  return snapshot.view;
}

describe('payment through the ccTalk simulator', () => {
  it('the page cannot create money: the old insert-money intent is refused', async () => {
    const view = await toPayment();
    expect(view.paidYen).toBe(0);
    expect(stack.host.send({ type: 'insert-money', yen: 1000 })).toEqual({
      accepted: false,
      reason: 'invalid',
    });
    expect((stack.host.getSnapshot().view as PaymentView).paidYen).toBe(0);
    expect((await sim.status()).insertedYen).toBe(0);
    stack.host.send({ type: 'cancel' });
    expect(await afterRefund()).toMatchObject({ error: 'cancelled' });
  });

  it('pays the change and records it', async () => {
    const view = await toPayment();
    const before = (await sim.status()).tray.yen;
    expect(await sim.insert(1000)).toBe('accepted');
    const done = await waitForSnapshot(
      stack.host,
      (s) => s.view.screen === 'done' || s.view.screen === 'error',
      'done',
      60_000,
    );
    // The card is still on the reader after printing: the done screen also reminds to take it.
    expect(done.view).toMatchObject({ screen: 'done', changeYen: 1000 - view.totalYen });
    expect((await sim.status()).tray.yen - before).toBe(1000 - view.totalYen);
    expect(events.find((e) => e.kind === 'paid')).toMatchObject({
      yen: 1000,
      changeYen: 1000 - view.totalYen,
      owedYen: 0,
    });
  });

  it('returns every coin when the resident cancels', async () => {
    await toPayment();
    const before = await sim.status();
    for (const yen of [100, 50, 10]) expect(await sim.insert(yen)).toBe('accepted');
    await credited(160);
    stack.host.send({ type: 'cancel' });
    expect(await afterRefund()).toMatchObject({ error: 'cancelled', refundedYen: 160 });
    const after = await sim.status();
    expect(after.tray.yen - before.tray.yen).toBe(160);
    expect(after.accepting).toEqual([]);
    expect(events).toContainEqual(expect.objectContaining({ kind: 'refunded', yen: 160 }));
  });

  it('refuses a 1000円 note before insertion when the tubes cannot change it', async () => {
    await sim.command('empty-change');
    const view = await toPayment();
    expect(view.accepts).not.toContain(1000);
    expect((await sim.status()).accepting).not.toContain(1000);
    expect(await sim.insert(1000)).toBe('refused');
    // Exact coins still work.
    expect(await sim.insert(100)).toBe('accepted');
    await credited(100);
    expect((stack.host.getSnapshot().view as PaymentView).paidYen).toBe(100);
    stack.host.send({ type: 'cancel' });
    // The 100円 coin went into its tube: the refund pays it back from there.
    expect(await afterRefund()).toMatchObject({ error: 'cancelled', refundedYen: 100 });
  });

  it('records the change as owed when the tubes empty under the note', async () => {
    const view = await toPayment();
    // Someone empties the tubes after the slot opened: the note is taken, the change cannot be paid.
    await sim.command('empty-change');
    expect(await sim.insert(1000)).toBe('accepted');
    const done = await waitForSnapshot(
      stack.host,
      (s) => s.view.screen === 'done' || s.view.screen === 'error',
      'done',
      60_000,
    );
    expect(done.view).toMatchObject({ screen: 'done', changeYen: 0, owedYen: 1000 - view.totalYen });
    expect(events).toContainEqual(
      expect.objectContaining({ kind: 'owed', yen: 1000 - view.totalYen, reason: 'change' }),
    );
  });

  it('stops on a note jam and returns the coins already credited', async () => {
    await toPayment();
    expect(await sim.insert(100)).toBe('accepted');
    await credited(100);
    await sim.command('jam');
    expect(await afterRefund()).toMatchObject({ error: 'payment-jammed', refundedYen: 100 });
    expect((await sim.status()).accepting).toEqual([]);
  });

  it('records what it holds as owed when the device goes offline mid-payment', async () => {
    await toPayment();
    expect(await sim.insert(100)).toBe('accepted');
    await credited(100);
    await sim.command('offline');
    const error = await afterRefund();
    expect(error).toMatchObject({ error: 'payment-unavailable', owedYen: 100 });
    expect(error.refundedYen).toBeUndefined();
    expect(events).toContainEqual(expect.objectContaining({ kind: 'owed', yen: 100, reason: 'refund' }));
  });
});
