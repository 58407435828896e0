/**
 * The kiosk's ccTalk driver against the simulator's machine over an in-memory line (the
 * pseudo-terminal and the separate process are covered by tests/integration/payment-device.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CctalkPaymentDevice } from '../../../electron/payment/cctalk/cctalk-payment-device.ts';
import { CctalkLink, type ByteChannel } from '../../../electron/payment/cctalk/link.ts';
import type { PaymentEvent } from '../../../electron/payment/payment-port.ts';
import { CashMachine } from './cash-machine.ts';
import { serveCctalk } from './cctalk-responder.ts';

function linePair(): [ByteChannel, ByteChannel] {
  const listeners: [Set<(b: Uint8Array) => void>, Set<(b: Uint8Array) => void>] = [new Set(), new Set()];
  const end = (mine: 0 | 1): ByteChannel => ({
    write: (bytes) => {
      const copy = bytes.slice();
      setImmediate(() => listeners[mine === 0 ? 1 : 0].forEach((l) => l(copy)));
    },
    onData: (listener) => {
      listeners[mine].add(listener);
      return () => listeners[mine].delete(listener);
    },
    close: async () => undefined,
  });
  return [end(0), end(1)];
}

const open: CctalkPaymentDevice[] = [];
afterEach(async () => {
  for (const device of open.splice(0)) await device.close();
});

async function machineAndDevice(escrowTimeoutMs?: number): Promise<{
  machine: CashMachine;
  device: CctalkPaymentDevice;
  events: PaymentEvent[];
}> {
  const machine = new CashMachine(escrowTimeoutMs === undefined ? {} : { escrowTimeoutMs });
  const [kiosk, sim] = linePair();
  serveCctalk(machine, sim);
  const device = await CctalkPaymentDevice.start(new CctalkLink(kiosk, { timeoutMs: 30, retries: 1 }), {
    pollIntervalMs: 5,
  });
  open.push(device);
  const events: PaymentEvent[] = [];
  device.onEvent((e) => events.push(e));
  return { machine, device, events };
}

/** A device on a line whose machine can be unplugged, and a new one (power-up state) plugged in. */
async function unpluggableMachineAndDevice(): Promise<{
  machine: CashMachine;
  device: CctalkPaymentDevice;
  unplug: () => void;
  plugIn: () => CashMachine;
}> {
  const machine = new CashMachine();
  const [kiosk, sim] = linePair();
  const unplug = serveCctalk(machine, sim);
  const device = await CctalkPaymentDevice.start(new CctalkLink(kiosk, { timeoutMs: 30, retries: 1 }), {
    pollIntervalMs: 5,
  });
  open.push(device);
  const plugIn = (): CashMachine => {
    const fresh = new CashMachine();
    serveCctalk(fresh, sim);
    return fresh;
  };
  return { machine, device, unplug, plugIn };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`never happened: ${what}`);
}

describe('ccTalk payment device', () => {
  it('credits each inserted coin and note exactly once', async () => {
    const { machine, device, events } = await machineAndDevice();
    expect(await device.startAccepting(300)).toEqual({ ok: true, value: undefined });
    expect(machine.insert(100)).toBe('accepted');
    expect(machine.insert(100)).toBe('accepted');
    // The note waits in escrow until the kiosk routes it to the stacker.
    expect(await machine.insertAndSettle(1000)).toBe('accepted');
    await until(() => events.filter((e) => e.kind === 'credit').length === 3, 'three credits');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const credits = events.filter((e) => e.kind === 'credit');
    expect(credits.map((e) => (e.kind === 'credit' ? e.yen : 0)).sort()).toEqual([100, 100, 1000]);
  });

  it('a device that restarts mid-payment is offline, then back with its inhibits set again and its credit counted', async () => {
    const { machine, device, unplug, plugIn } = await unpluggableMachineAndDevice();
    const events: PaymentEvent[] = [];
    device.onEvent((e) => events.push(e));
    await device.startAccepting(300);
    expect(machine.insert(100)).toBe('accepted');
    await until(() => events.some((e) => e.kind === 'credit'), 'the first coin');
    // Power cycled: silent for a while, then a fresh machine (power-up inhibits, counters at 0).
    unplug();
    await until(() => events.some((e) => e.kind === 'fault' && e.fault === 'offline'), 'offline');
    const restarted = plugIn();
    await until(() => events.some((e) => e.kind === 'fault-cleared' && e.fault === 'offline'), 'back online');
    await until(() => restarted.status().accepting.includes(100), 'inhibits set again on the new device');
    expect(restarted.insert(100)).toBe('accepted');
    await until(() => events.filter((e) => e.kind === 'credit').length === 2, 'the second coin');
  });

  it('a device that restarted while no one was paying takes the next payment: no loss reported', async () => {
    const { machine, device, unplug, plugIn } = await unpluggableMachineAndDevice();
    await device.startAccepting(100);
    expect(machine.insert(100)).toBe('accepted');
    await device.stopAccepting();
    // Power cycled between two residents: the new machine's counters are at 0.
    unplug();
    const events: PaymentEvent[] = [];
    device.onEvent((e) => events.push(e));
    await until(() => events.some((e) => e.kind === 'fault' && e.fault === 'offline'), 'offline');
    plugIn();
    // The next resident's payment starts as the host first reads the new machine.
    expect(await device.startAccepting(300)).toEqual({ ok: true, value: undefined });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.filter((e) => e.kind === 'events-lost')).toEqual([]);
  });

  it('accepts nothing before startAccepting and after stopAccepting', async () => {
    const { machine, device, events } = await machineAndDevice();
    expect(machine.insert(500)).toBe('refused');
    await device.startAccepting(300);
    await device.stopAccepting();
    expect(machine.insert(1000)).toBe('refused');
    await until(() => events.filter((e) => e.kind === 'rejected').length === 2, 'two rejections');
    expect(machine.status().insertedYen).toBe(0);
    expect(events.some((e) => e.kind === 'credit')).toBe(false);
  });

  it('refuses a 1000円 note before insertion when the tubes cannot change it, and takes exact coins', async () => {
    const { machine, device } = await machineAndDevice();
    machine.emptyChange();
    await device.startAccepting(300);
    expect(machine.status().accepting).not.toContain(1000);
    expect(machine.status().accepting).not.toContain(500);
    expect(machine.status().accepting).toEqual(expect.arrayContaining([10, 50, 100]));
    expect(machine.insert(1000)).toBe('refused');
    machine.fillChange();
    // The kiosk sees the tubes again at its next look (a status read here).
    await device.status();
    await device.stopAccepting();
    await device.startAccepting(300);
    expect(machine.status().accepting).toContain(1000);
  });

  it('pays change out of the hoppers and says which coins left', async () => {
    const { machine, device } = await machineAndDevice();
    const paid = await device.payOut(760);
    expect(paid).toEqual({ ok: true, value: { paidYen: 760, coins: { 500: 1, 100: 2, 50: 1, 10: 1 } } });
    expect(machine.status().tray.yen).toBe(760);
  });

  it('reports what it could not pay when the tubes run out', async () => {
    const { machine, device } = await machineAndDevice();
    machine.tubes = { 10: 0, 50: 0, 100: 3, 500: 0 };
    expect(await device.payOut(700)).toEqual({
      ok: false,
      failure: { kind: 'change-empty', paidYen: 300, owedYen: 400 },
    });
    expect(machine.status().tray.yen).toBe(300);
  });

  it('reports a note jam and a full cash box as faults, and stops accepting', async () => {
    const { machine, device, events } = await machineAndDevice();
    await device.startAccepting(300);
    machine.jam();
    await until(() => events.some((e) => e.kind === 'fault' && e.fault === 'jam'), 'jam fault');
    await until(() => machine.status().accepting.length === 0, 'inhibited after the jam');
    machine.fillBox();
    await until(() => events.some((e) => e.kind === 'fault' && e.fault === 'coin-box-full'), 'box full');
    expect(await device.startAccepting(300)).toEqual({ ok: false, failure: { kind: 'jam' } });
    // The technician clears the jam, empties the box and puts the stacker back.
    machine.clearFaults();
    await until(() => events.some((e) => e.kind === 'fault-cleared' && e.fault === 'jam'), 'jam cleared');
    await until(() => events.some((e) => e.kind === 'fault-cleared' && e.fault === 'coin-box-full'), 'box');
    expect(await device.startAccepting(300)).toEqual({ ok: true, value: undefined });
  });

  it('goes offline when the devices stop answering, and back online when they answer again', async () => {
    const { machine, device, events } = await machineAndDevice();
    machine.online = false;
    await until(() => events.some((e) => e.kind === 'fault' && e.fault === 'offline'), 'offline');
    expect(await device.startAccepting(300)).toEqual({ ok: false, failure: { kind: 'offline' } });
    expect(await device.payOut(100)).toMatchObject({ ok: false, failure: { kind: 'offline' } });
    machine.online = true;
    await until(() => events.some((e) => e.kind === 'fault-cleared' && e.fault === 'offline'), 'online');
    expect(await device.startAccepting(300)).toEqual({ ok: true, value: undefined });
  });

  it('reports events lost when more happened than the buffer holds between two polls', async () => {
    const { machine, device, events } = await machineAndDevice();
    await device.startAccepting(5000);
    machine.online = false;
    await until(() => events.some((e) => e.kind === 'fault' && e.fault === 'offline'), 'offline');
    // Seven coins go in while the kiosk cannot read the buffer (its cable is out; the validator works on).
    for (let i = 0; i < 7; i++) {
      machine.online = true;
      machine.insert(100);
      machine.online = false;
    }
    machine.online = true;
    await until(() => events.some((e) => e.kind === 'events-lost'), 'events lost');
    expect(events.find((e) => e.kind === 'events-lost')).toEqual({
      kind: 'events-lost',
      medium: 'coin',
      count: 2,
    });
    expect(events.filter((e) => e.kind === 'credit')).toHaveLength(5);
  });

  it('a note is money only once the kiosk stacked it: announced in escrow, then routed, then credited', async () => {
    const { machine, device, events } = await machineAndDevice();
    await device.startAccepting(300);
    expect(machine.insert(1000)).toBe('escrow');
    // Held, not taken: the cash box has nothing and no credit exists yet.
    expect(machine.status()).toMatchObject({ escrowYen: 1000, insertedYen: 0, cashBox: { notes: 0 } });
    expect(events.some((e) => e.kind === 'credit')).toBe(false);
    await until(() => machine.status().cashBox.notes === 1, 'the note stacked');
    await until(() => events.some((e) => e.kind === 'credit'), 'the credit');
    const kinds = events.filter((e) => e.kind === 'escrow' || e.kind === 'credit');
    expect(kinds).toEqual([
      { kind: 'escrow', yen: 1000, medium: 'note' },
      { kind: 'credit', yen: 1000, medium: 'note' },
    ]);
    // The validator's own "stacked" event that follows is not a second credit.
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(events.filter((e) => e.kind === 'credit')).toHaveLength(1);
    expect(machine.status()).toMatchObject({ escrowYen: 0, insertedYen: 1000 });
  });

  it('gives a note back when the session stopped accepting before it was routed, or when no host routes it', async () => {
    const { machine, device, events } = await machineAndDevice(60);
    await device.startAccepting(300);
    await device.close();
    open.splice(0);
    // The host is gone (the acceptor's master inhibit was left on here by its close; the note is
    // taken into escrow anyway on a validator whose host died without inhibiting it).
    machine.billMaster = true;
    machine.billInhibits = 1;
    expect(await machine.insertAndSettle(1000)).toBe('returned');
    expect(machine.status()).toMatchObject({
      escrowYen: 0,
      insertedYen: 0,
      cashBox: { notes: 0, returned: 1 },
    });
    expect(events.some((e) => e.kind === 'credit')).toBe(false);
  });

  it('routes back a note that reached escrow just as the session stopped accepting', async () => {
    const { machine, device, events } = await machineAndDevice();
    await device.startAccepting(300);
    expect(machine.insert(1000)).toBe('escrow');
    await device.stopAccepting();
    await until(() => machine.status().cashBox.returned + machine.status().cashBox.notes === 1, 'routed');
    // Whichever way it went, the kiosk's credit says the same as the cash box.
    const credited = events.filter((e) => e.kind === 'credit').length;
    expect(machine.status().cashBox.notes).toBe(credited);
  });
});
