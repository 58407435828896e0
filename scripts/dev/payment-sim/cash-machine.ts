/**
 * The simulated cash machine behind the ccTalk bus: a coin validator, a 1000円 note validator,
 * one hopper (change tube) per coin, a cash box, and the tray where returned money lands. It only
 * keeps state; ccTalk framing is in cctalk-responder.ts, the control commands in control-server.ts.
 */
import { COIN_DENOMINATIONS, type CoinDenomination } from '../../../electron/payment/payment-port.ts';
import { nextCounter } from '../../../electron/payment/cctalk/event-counter.ts';
import {
  BILL_TYPES,
  BillEvent,
  COIN_TYPES,
  CoinError,
  EVENT_BUFFER_SIZE,
} from '../../../electron/payment/cctalk/headers.ts';

export type InsertOutcome = 'accepted' | 'refused' | 'offline' | 'jammed';

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
  /** Credited by a validator, in yen, since the simulator started. */
  insertedYen: number;
  /** Paid out by the hoppers into the tray, in yen and coins. */
  tray: { yen: number; coins: Record<CoinDenomination, number> };
  cashBox: { notes: number };
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
  tray: Record<CoinDenomination, number> = { 10: 0, 50: 0, 100: 0, 500: 0 };

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
      this.billEvents.push(billType + 1, 0);
      this.notesInBox += 1;
      this.insertedYen += yen;
      return 'accepted';
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
      tray: {
        yen: COIN_DENOMINATIONS.reduce((sum, d) => sum + d * this.tray[d], 0),
        coins: { ...this.tray },
      },
      cashBox: { notes: this.notesInBox },
    };
  }
}
