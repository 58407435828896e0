/**
 * The simulated cash machine behind the ccTalk bus: a coin validator, a 1000円 note validator,
 * one hopper (change tube) per coin, a cash box, and the tray where returned money lands. It only
 * keeps state; ccTalk framing is in cctalk-responder.ts, the control commands in control-server.ts.
 *
 * A note is held in escrow, as real bill validators do: reported as "in escrow", it is stacked
 * only when the host routes it there (Route Bill), and given back to the resident when the host
 * returns it or does not route it within `escrowTimeoutMs` (a host that is gone). Only a stacked
 * note is money taken. Coins have no escrow: a coin is in its tube when it is reported.
 */
import { COIN_DENOMINATIONS, type CoinDenomination } from '../../../electron/payment/payment-port.ts';
import { nextCounter } from '../../../electron/payment/cctalk/event-counter.ts';
import {
  BILL_TYPES,
  BillEvent,
  BillPosition,
  BillRoute,
  COIN_TYPES,
  CoinError,
  EVENT_BUFFER_SIZE,
} from '../../../electron/payment/cctalk/headers.ts';

/** `escrow`: a note held until the host routes it; it then ends `accepted` (stacked) or `returned`. */
export type InsertOutcome = 'accepted' | 'escrow' | 'returned' | 'refused' | 'offline' | 'jammed';

/** How long a note waits in escrow for the host's route before it is given back. */
export const DEFAULT_ESCROW_TIMEOUT_MS = 5_000;

interface Escrow {
  yen: number;
  billType: number;
  timer: ReturnType<typeof setTimeout>;
  settled: Promise<'accepted' | 'returned'>;
  settle: (outcome: 'accepted' | 'returned') => void;
}

export const DEFAULT_TUBE_FILL: Record<CoinDenomination, number> = { 10: 40, 50: 20, 100: 30, 500: 10 };

class EventBuffer {
  counter = 0;
  private results: Array<[number, number]> = [];

  push(a: number, b: number): void {
    this.counter = nextCounter(this.counter);
    this.results.unshift([a, b]);
    this.results.length = Math.min(this.results.length, EVENT_BUFFER_SIZE);
  }

  /** [counter, A1, B1 … A5, B5], newest first, zero-padded. */
  reply(): Uint8Array {
    const bytes = new Uint8Array(1 + 2 * EVENT_BUFFER_SIZE);
    bytes[0] = this.counter;
    this.results.forEach(([a, b], i) => {
      bytes[1 + 2 * i] = a;
      bytes[2 + 2 * i] = b;
    });
    return bytes;
  }
}

interface HopperState {
  counter: number;
  remaining: number;
  paid: number;
  unpaid: number;
  enabled: boolean;
}

export interface CashMachineStatus {
  online: boolean;
  jammed: boolean;
  boxFull: boolean;
  tubes: Record<CoinDenomination, number>;
  /** What the validators take now. */
  accepting: number[];
  /** Taken by the machine (coins in their tubes, notes stacked), in yen, since the simulator started. */
  insertedYen: number;
  /** The yen of the note waiting in escrow for the host's route, 0 when none. */
  escrowYen: number;
  /** Paid out by the hoppers into the tray, in yen and coins. */
  tray: { yen: number; coins: Record<CoinDenomination, number> };
  cashBox: { notes: number; returned: number };
}

export class CashMachine {
  online = true;
  jammed = false;
  boxFull = false;
  readonly coinEvents = new EventBuffer();
  readonly billEvents = new EventBuffer();
  coinInhibits = 0;
  coinMaster = false;
  billInhibits = 0;
  billMaster = false;
  tubes: Record<CoinDenomination, number> = { ...DEFAULT_TUBE_FILL };
  readonly hoppers = new Map<CoinDenomination, HopperState>(
    COIN_DENOMINATIONS.map((d) => [d, { counter: 0, remaining: 0, paid: 0, unpaid: 0, enabled: false }]),
  );
  insertedYen = 0;
  notesInBox = 0;
  /** Notes given back from escrow (returned by the host, or not routed in time). */
  notesReturned = 0;
  tray: Record<CoinDenomination, number> = { 10: 0, 50: 0, 100: 0, 500: 0 };
  private escrow: Escrow | null = null;
  readonly escrowTimeoutMs: number;

  constructor(options: { escrowTimeoutMs?: number } = {}) {
    this.escrowTimeoutMs = options.escrowTimeoutMs ?? DEFAULT_ESCROW_TIMEOUT_MS;
  }

  /**
   * A resident puts a coin or note into the slot and waits to see what became of it: a note in
   * escrow is answered once the host stacked it (`accepted`) or it came back (`returned`).
   */
  async insertAndSettle(yen: number): Promise<InsertOutcome> {
    const outcome = this.insert(yen);
    if (outcome !== 'escrow' || !this.escrow) return outcome;
    return this.escrow.settled;
  }

  /** The host's Route Bill: stack the note in escrow or give it back; an error byte when there is none. */
  routeBill(route: number): number | undefined {
    const held = this.escrow;
    if (!held) return BillRoute.ESCROW_EMPTY;
    if (route === BillRoute.STACK) {
      this.notesInBox += 1;
      this.insertedYen += held.yen;
      this.billEvents.push(held.billType + 1, BillPosition.STACKED);
      this.endEscrow('accepted');
      return undefined;
    }
    if (route === BillRoute.RETURN) {
      this.returnEscrow();
      return undefined;
    }
    return BillRoute.FAILED;
  }

  private returnEscrow(): void {
    this.notesReturned += 1;
    this.billEvents.push(0, BillEvent.RETURNED_FROM_ESCROW);
    this.endEscrow('returned');
  }

  private endEscrow(outcome: 'accepted' | 'returned'): void {
    const held = this.escrow;
    if (!held) return;
    clearTimeout(held.timer);
    this.escrow = null;
    held.settle(outcome);
  }

  /** A resident puts a coin or a note into the slot. */
  insert(yen: number): InsertOutcome {
    if (!this.online) return 'offline';
    const coinType = (COIN_TYPES as readonly number[]).indexOf(yen);
    const billType = (BILL_TYPES as readonly number[]).indexOf(yen);
    if (billType >= 0) {
      if (this.jammed) return 'jammed';
      if (this.boxFull) {
        this.billEvents.push(0, BillEvent.STACKER_FULL);
        return 'refused';
      }
      if (!this.billMaster || (this.billInhibits & (1 << billType)) === 0) {
        this.billEvents.push(0, BillEvent.INHIBITED_BILL);
        return 'refused';
      }
      // One note at a time: the slot is shut while one waits in escrow.
      if (this.escrow) return 'refused';
      let settle: (outcome: 'accepted' | 'returned') => void = () => undefined;
      const settled = new Promise<'accepted' | 'returned'>((resolve) => (settle = resolve));
      const timer = setTimeout(() => this.returnEscrow(), this.escrowTimeoutMs);
      timer.unref?.();
      this.escrow = { yen, billType, timer, settled, settle };
      this.billEvents.push(billType + 1, BillPosition.ESCROW);
      return 'escrow';
    }
    if (coinType >= 0) {
      if (!this.coinMaster || (this.coinInhibits & (1 << coinType)) === 0) {
        this.coinEvents.push(0, CoinError.INHIBITED_COIN);
        return 'refused';
      }
      const denomination = COIN_TYPES[coinType] as CoinDenomination;
      this.coinEvents.push(coinType + 1, 1);
      this.tubes[denomination] += 1;
      this.insertedYen += yen;
      return 'accepted';
    }
    // Not a coin or note this machine knows (a 2000円 note, a foreign coin): straight back out.
    if (yen >= 1000) this.billEvents.push(0, BillEvent.INVALID_BILL);
    else this.coinEvents.push(0, CoinError.REJECT_COIN);
    return 'refused';
  }

  /** A note sticks in the transport: reported once, then every note waits until cleared. */
  jam(): void {
    this.jammed = true;
    this.billEvents.push(0, BillEvent.JAMMED_IN_TRANSPORT);
  }

  fillBox(): void {
    this.boxFull = true;
    this.billEvents.push(0, BillEvent.STACKER_FULL);
  }

  /** The technician clears the jam / empties the box and puts the stacker back. */
  clearFaults(): void {
    this.jammed = false;
    this.boxFull = false;
    this.billEvents.push(0, BillEvent.STACKER_INSERTED);
  }

  emptyChange(): void {
    for (const d of COIN_DENOMINATIONS) this.tubes[d] = 0;
  }

  fillChange(): void {
    this.tubes = { ...DEFAULT_TUBE_FILL };
  }

  /** Hopper payout: as many coins as the tube holds, the rest reported unpaid. */
  dispense(denomination: CoinDenomination, count: number): void {
    const hopper = this.hoppers.get(denomination) as HopperState;
    const paid = Math.min(count, this.tubes[denomination]);
    this.tubes[denomination] -= paid;
    this.tray[denomination] += paid;
    hopper.counter = nextCounter(hopper.counter);
    hopper.remaining = 0;
    hopper.paid = paid;
    hopper.unpaid = count - paid;
    hopper.enabled = false;
  }

  status(): CashMachineStatus {
    const accepting: number[] = [];
    COIN_TYPES.forEach((d, i) => {
      if (this.coinMaster && this.coinInhibits & (1 << i)) accepting.push(d);
    });
    BILL_TYPES.forEach((d, i) => {
      if (this.billMaster && this.billInhibits & (1 << i) && !this.jammed && !this.boxFull) accepting.push(d);
    });
    return {
      online: this.online,
      jammed: this.jammed,
      boxFull: this.boxFull,
      tubes: { ...this.tubes },
      accepting,
      insertedYen: this.insertedYen,
      escrowYen: this.escrow?.yen ?? 0,
      tray: {
        yen: COIN_DENOMINATIONS.reduce((sum, d) => sum + d * this.tray[d], 0),
        coins: { ...this.tray },
      },
      cashBox: { notes: this.notesInBox, returned: this.notesReturned },
    };
  }
}
