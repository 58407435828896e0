import {
  COIN_DENOMINATIONS,
  type CoinDenomination,
  type Denomination,
  type PaymentDevice,
  type PaymentEvent,
  type PaymentFailure,
  type PaymentFault,
  type PaymentResult,
  type PaymentStatus,
  type Payout,
} from '../payment-port.ts';
import { exactChange, mostOf, planYen, type CoinLevels, type CoinPlan } from '../change-plan.ts';
import { readEventBuffer, type BufferedEvent } from './event-counter.ts';
import {
  Address,
  BILL_TYPES,
  BillEvent,
  BillPosition,
  BillRoute,
  COIN_TYPES,
  CoinError,
  Header,
  HOPPER_ADDRESSES,
} from './headers.ts';
import type { CctalkLink, LinkResult } from './link.ts';

export interface CctalkDeviceOptions {
  /** How often the validators' event buffers are read. */
  pollIntervalMs?: number;
  /** How long one hopper payout may take before it counts as failed. */
  payoutTimeoutMs?: number;
}

const HOPPER_ENABLE_CODE = 165;
const FAULTS_THAT_STOP_ACCEPTING: readonly PaymentFault[] = ['jam', 'coin-box-full', 'offline'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The kiosk's coin validator, bill validator and four hoppers on one ccTalk bus, as the session's
 * PaymentDevice. Credit exists only when a validator's event buffer reports it; each buffer's event
 * counter makes a repeated poll harmless and tells when events were missed. A denomination is
 * enabled only while the hoppers could pay the change it would cause, so a note the machine could
 * not change is refused before it is inserted.
 *
 * Notes go through escrow: a note the validator reports "in escrow" is announced (`escrow`), routed
 * to the stacker while the session accepts it and its change can be paid, and credited once the
 * validator acknowledged the route (or, when that answer was lost, once its buffer reports the
 * note stacked); otherwise it is routed back. A note no host routes goes back to the resident.
 */
export class CctalkPaymentDevice implements PaymentDevice {
  private readonly listeners = new Set<(event: PaymentEvent) => void>();
  private readonly faults = new Set<PaymentFault>();
  private coinCounter = 0;
  private billCounter = 0;
  /** Notes credited on the route's acknowledgement whose "stacked" event is still to be read. */
  private stackedAhead = 0;
  private levels: CoinLevels = { 10: 0, 50: 0, 100: 0, 500: 0 };
  private accepting: { dueYen: number; creditYen: number } | null = null;
  private appliedInhibits: string | undefined;
  private closed = false;
  private polling: Promise<void> | undefined;
  private inhibitQueue: Promise<unknown> = Promise.resolve();
  private readonly pollIntervalMs: number;
  private readonly payoutTimeoutMs: number;

  private constructor(
    private readonly link: CctalkLink,
    options: CctalkDeviceOptions,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.payoutTimeoutMs = options.payoutTimeoutMs ?? 10_000;
  }

  /** Synchronises with the devices' event counters (events from before are not credit) and starts polling. */
  static async start(link: CctalkLink, options: CctalkDeviceOptions = {}): Promise<CctalkPaymentDevice> {
    const device = new CctalkPaymentDevice(link, options);
    const coin = await link.request(Address.COIN_VALIDATOR, Header.READ_BUFFERED_CREDIT);
    const bill = await link.request(Address.BILL_VALIDATOR, Header.READ_BUFFERED_BILL_EVENTS);
    if (coin.ok && bill.ok) {
      device.coinCounter = coin.data[0] ?? 0;
      device.billCounter = bill.data[0] ?? 0;
      await device.readLevels();
      await device.applyInhibits();
    } else device.faults.add('offline');
    device.polling = device.pollLoop();
    return device;
  }

  onEvent(listener: (event: PaymentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async startAccepting(dueYen: number): Promise<PaymentResult<void>> {
    if (!Number.isInteger(dueYen) || dueYen <= 0)
      return failure({ kind: 'device-error', detail: 'bad amount' });
    // The validators' latest events first: a fault cleared a moment ago no longer blocks.
    await this.pollOnce();
    const blocking = FAULTS_THAT_STOP_ACCEPTING.find((f) => this.faults.has(f));
    if (blocking) return failure(faultFailure(blocking));
    const levels = await this.readLevels();
    if (!levels.ok) return levels;
    this.accepting = { dueYen, creditYen: 0 };
    return this.applyInhibits();
  }

  async stopAccepting(): Promise<PaymentResult<void>> {
    this.accepting = null;
    const applied = await this.applyInhibits();
    // Whatever a validator took while the inhibit was on its way is reported now, before the caller goes on.
    await this.pollOnce();
    return applied;
  }

  async payOut(yen: number): Promise<PaymentResult<Payout>> {
    if (!Number.isInteger(yen) || yen < 0) return failure({ kind: 'device-error', detail: 'bad amount' });
    const paid: CoinPlan = {};
    let paidYen = 0;
    for (let round = 0; round < COIN_DENOMINATIONS.length && paidYen < yen; round++) {
      const levels = await this.readLevels();
      if (!levels.ok) return failure({ kind: 'offline', paidYen });
      const rest = yen - paidYen;
      const plan = exactChange(rest, this.levels) ?? mostOf(rest, this.levels);
      if (planYen(plan) === 0) break;
      for (const denomination of [...COIN_DENOMINATIONS].reverse()) {
        const count = plan[denomination] ?? 0;
        if (count === 0) continue;
        const result = await this.dispense(denomination, count);
        paid[denomination] = (paid[denomination] ?? 0) + result.paid;
        paidYen += result.paid * denomination;
        if (result.offline) return failure({ kind: 'offline', paidYen });
      }
    }
    await this.readLevels();
    await this.applyInhibits();
    if (paidYen < yen) return failure({ kind: 'change-empty', paidYen, owedYen: yen - paidYen });
    return { ok: true, value: { paidYen, coins: paid } };
  }

  async status(): Promise<PaymentResult<PaymentStatus>> {
    const levels = await this.readLevels();
    return {
      ok: true,
      value: {
        online: levels.ok,
        faults: [...this.faults],
        changeLevels: { ...this.levels },
        coinBoxFull: this.faults.has('coin-box-full'),
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.accepting = null;
    await this.applyInhibits().catch(() => undefined);
    this.closed = true;
    await this.polling;
    await this.link.close();
    this.listeners.clear();
  }

  private emit(event: PaymentEvent): void {
    // A copy: a listener may subscribe another (the session moving on) that must not get this event.
    for (const listener of [...this.listeners]) listener(event);
  }

  private setFault(fault: PaymentFault, on: boolean): void {
    if (on === this.faults.has(fault)) return;
    if (on) this.faults.add(fault);
    else this.faults.delete(fault);
    // A device back on the line may have restarted: its inhibits are its power-up ones again.
    if (fault === 'offline' && !on) this.appliedInhibits = undefined;
    this.emit(on ? { kind: 'fault', fault } : { kind: 'fault-cleared', fault });
  }

  /** A reply, or the device marked offline. */
  private async request(address: number, header: number, data?: Uint8Array): Promise<LinkResult> {
    const result = await this.link.request(address, header, data);
    if (!result.ok && result.failure.kind === 'timeout') this.setFault('offline', true);
    else if (result.ok) this.setFault('offline', false);
    return result;
  }

  private async readLevels(): Promise<PaymentResult<CoinLevels>> {
    const levels = { ...this.levels };
    for (const denomination of COIN_DENOMINATIONS) {
      const reply = await this.request(HOPPER_ADDRESSES[denomination], Header.HOPPER_COIN_LEVEL);
      if (!reply.ok) return failure({ kind: 'offline' });
      levels[denomination] = (reply.data[0] ?? 0) | ((reply.data[1] ?? 0) << 8);
    }
    this.levels = levels;
    if (levels[10] + levels[50] + levels[100] + levels[500] === 0) this.setFault('change-empty', true);
    else this.setFault('change-empty', false);
    return { ok: true, value: levels };
  }

  /** Which denominations may be inserted now: while accepting, those whose change the hoppers can pay. */
  private enabledDenominations(): Set<Denomination> {
    const enabled = new Set<Denomination>();
    if (!this.accepting || FAULTS_THAT_STOP_ACCEPTING.some((f) => this.faults.has(f))) return enabled;
    const { dueYen, creditYen } = this.accepting;
    for (const denomination of [...COIN_TYPES, ...BILL_TYPES]) {
      const change = creditYen + denomination - dueYen;
      // A coin that does not overpay needs no change; one that does must be changeable from the
      // tubes as they are (the inserted coin itself goes to its own tube, not counted here).
      if (change <= 0 || exactChange(change, this.levels) !== null) enabled.add(denomination);
    }
    return enabled;
  }

  /** One inhibit update at a time, in call order: the last caller's view is what the devices hold. */
  private applyInhibits(): Promise<PaymentResult<void>> {
    const run = this.inhibitQueue.then(() => this.applyInhibitsNow());
    this.inhibitQueue = run.catch(() => undefined);
    return run;
  }

  private async applyInhibitsNow(): Promise<PaymentResult<void>> {
    const enabled = this.enabledDenominations();
    const coinBits = COIN_TYPES.reduce((bits, d, i) => (enabled.has(d) ? bits | (1 << i) : bits), 0);
    const billBits = BILL_TYPES.reduce((bits, d, i) => (enabled.has(d) ? bits | (1 << i) : bits), 0);
    const key = `${coinBits}/${billBits}`;
    if (key === this.appliedInhibits) return { ok: true, value: undefined };
    const steps: Array<[number, number, number[]]> = [
      [Address.COIN_VALIDATOR, Header.MODIFY_INHIBIT_STATUS, [coinBits, 0]],
      [Address.COIN_VALIDATOR, Header.MODIFY_MASTER_INHIBIT, [coinBits === 0 ? 0 : 1]],
      [Address.BILL_VALIDATOR, Header.MODIFY_INHIBIT_STATUS, [billBits, 0]],
      [Address.BILL_VALIDATOR, Header.MODIFY_MASTER_INHIBIT, [billBits === 0 ? 0 : 1]],
    ];
    for (const [address, header, data] of steps) {
      const reply = await this.request(address, header, Uint8Array.from(data));
      if (!reply.ok) {
        this.appliedInhibits = undefined;
        return failure(reply.failure.kind === 'timeout' ? { kind: 'offline' } : linkFailure(reply));
      }
    }
    this.appliedInhibits = key;
    this.emit({ kind: 'accepting', denominations: [...enabled].sort((a, b) => a - b) });
    return { ok: true, value: undefined };
  }

  private async dispense(
    denomination: CoinDenomination,
    count: number,
  ): Promise<{ paid: number; offline: boolean }> {
    const address = HOPPER_ADDRESSES[denomination];
    let paid = 0;
    let left = count;
    while (left > 0) {
      const batch = Math.min(left, 255);
      const enable = await this.request(address, Header.ENABLE_HOPPER, Uint8Array.of(HOPPER_ENABLE_CODE));
      if (!enable.ok) return { paid, offline: true };
      const start = await this.request(address, Header.DISPENSE_HOPPER_COINS, Uint8Array.of(batch));
      if (!start.ok) return { paid, offline: start.failure.kind === 'timeout' };
      const deadline = Date.now() + this.payoutTimeoutMs;
      for (;;) {
        const status = await this.request(address, Header.REQUEST_HOPPER_STATUS);
        if (!status.ok) return { paid, offline: true };
        const [, remaining = 0, coinsPaid = 0, coinsUnpaid = 0] = status.data;
        if (remaining === 0) {
          paid += coinsPaid;
          left -= batch;
          if (coinsUnpaid > 0) return { paid, offline: false };
          break;
        }
        if (Date.now() > deadline) return { paid: paid + coinsPaid, offline: false };
        await sleep(20);
      }
    }
    return { paid, offline: false };
  }

  private async pollLoop(): Promise<void> {
    while (!this.closed) {
      await this.pollOnce();
      await sleep(this.pollIntervalMs);
    }
  }

  private async pollOnce(): Promise<void> {
    if (this.closed) return;
    const coin = await this.request(Address.COIN_VALIDATOR, Header.READ_BUFFERED_CREDIT);
    if (coin.ok) await this.readBuffer('coin', coin.data);
    const bill = await this.request(Address.BILL_VALIDATOR, Header.READ_BUFFERED_BILL_EVENTS);
    if (bill.ok) await this.readBuffer('note', bill.data);
    if (coin.ok && bill.ok && this.appliedInhibits === undefined) await this.applyInhibits();
  }

  private async readBuffer(medium: 'coin' | 'note', data: Uint8Array): Promise<void> {
    const reading = readEventBuffer(medium === 'coin' ? this.coinCounter : this.billCounter, data);
    if (reading.kind === 'unchanged' || reading.kind === 'malformed') return;
    if (reading.kind === 'reset') {
      if (medium === 'coin') this.coinCounter = 0;
      else this.billCounter = 0;
      // What a reset lost matters to a payment in progress. A device that restarted while no one
      // was paying (inhibited) took nothing for anyone: the next resident is not told of a loss —
      // the host often first polls it as that resident's payment starts.
      if (this.accepting !== null) this.emit({ kind: 'events-lost', medium, count: null });
      // A reset device holds its power-up inhibits and may hold other tubes: read and set them again.
      this.appliedInhibits = undefined;
      await this.readLevels();
      await this.applyInhibits();
      return;
    }
    if (medium === 'coin') this.coinCounter = reading.counter;
    else this.billCounter = reading.counter;
    if (reading.missed > 0) this.emit({ kind: 'events-lost', medium, count: reading.missed });
    let credited = false;
    for (const event of reading.events) {
      if (medium === 'note' && event.a > 0 && event.b === BillPosition.ESCROW)
        credited = (await this.routeEscrowedNote(event.a)) || credited;
      else credited = this.handle(medium, event) || credited;
    }
    // Credit moves the change needed (and fills a tube); a fault stops acceptance: inhibits follow.
    if (credited) await this.readLevels();
    await this.applyInhibits();
  }

  /**
   * A note in escrow: stacked while the session takes it (the credit is the route's
   * acknowledgement), else given back. True when it was credit.
   */
  private async routeEscrowedNote(billType: number): Promise<boolean> {
    const yen = BILL_TYPES[billType - 1];
    const take = yen !== undefined && this.enabledDenominations().has(yen);
    if (yen !== undefined) this.emit({ kind: 'escrow', yen, medium: 'note' });
    const route = take ? BillRoute.STACK : BillRoute.RETURN;
    const reply = await this.request(Address.BILL_VALIDATOR, Header.ROUTE_BILL, Uint8Array.of(route));
    if (!take || yen === undefined) {
      this.emit({ kind: 'rejected', reason: this.accepting ? 'cannot-change' : 'not-accepting' });
      return false;
    }
    // No answer, or "escrow empty" to a retried route: the buffer's "stacked" event decides.
    if (!reply.ok || reply.data.length > 0) return false;
    this.stackedAhead += 1;
    if (this.accepting) this.accepting.creditYen += yen;
    this.emit({ kind: 'credit', yen, medium: 'note' });
    return true;
  }

  /** One buffered result; true when it was credit. */
  private handle(medium: 'coin' | 'note', { a, b }: BufferedEvent): boolean {
    const types: readonly Denomination[] = medium === 'coin' ? COIN_TYPES : BILL_TYPES;
    if (a > 0) {
      const yen = types[a - 1];
      if (yen === undefined) {
        this.emit({ kind: 'rejected', reason: 'unrecognised' });
        return false;
      }
      // A note stacked by our route was credited when the route was acknowledged.
      if (medium === 'note' && this.stackedAhead > 0) {
        this.stackedAhead -= 1;
        return false;
      }
      if (this.accepting) this.accepting.creditYen += yen;
      this.emit({ kind: 'credit', yen, medium });
      return true;
    }
    const inhibited = medium === 'coin' ? b === CoinError.INHIBITED_COIN : b === BillEvent.INHIBITED_BILL;
    if (inhibited || (medium === 'note' && b === BillEvent.MASTER_INHIBIT_ACTIVE))
      this.emit({ kind: 'rejected', reason: this.accepting ? 'cannot-change' : 'not-accepting' });
    else if (medium === 'coin' ? b === CoinError.REJECT_COIN : b === BillEvent.INVALID_BILL)
      this.emit({ kind: 'rejected', reason: 'unrecognised' });
    else if (medium === 'coin' ? b === CoinError.CREDIT_SENSOR_BLOCKED : b === BillEvent.JAMMED_IN_TRANSPORT)
      this.setFault('jam', true);
    else if (medium === 'note' && b === BillEvent.STACKER_FULL) this.setFault('coin-box-full', true);
    else if (medium === 'note' && b === BillEvent.STACKER_INSERTED) {
      this.setFault('jam', false);
      this.setFault('coin-box-full', false);
    }
    return false;
  }
}

function failure<T>(f: PaymentFailure): PaymentResult<T> {
  return { ok: false, failure: f };
}

function faultFailure(fault: PaymentFault): PaymentFailure {
  switch (fault) {
    case 'change-empty':
      return { kind: 'change-empty', paidYen: 0, owedYen: 0 };
    default:
      return { kind: fault };
  }
}

function linkFailure(result: LinkResult): PaymentFailure {
  return { kind: 'device-error', detail: result.ok ? 'unexpected' : result.failure.kind };
}
