/**
 * What the session needs from the coin/note validators, in the session's own words. The page
 * never creates money: only the device reports credit, through `onEvent`. Implemented over
 * ccTalk (serial) by the real driver, and by a fake beside it for unit tests.
 */

/** Yen denominations the kiosk's validators know. Coins: 10–500; notes: 1000. */
export const COIN_DENOMINATIONS = [10, 50, 100, 500] as const;
export const NOTE_DENOMINATIONS = [1000] as const;
export type CoinDenomination = (typeof COIN_DENOMINATIONS)[number];
export type NoteDenomination = (typeof NOTE_DENOMINATIONS)[number];
export type Denomination = CoinDenomination | NoteDenomination;

export type PaymentFault = 'jam' | 'coin-box-full' | 'change-empty' | 'offline';

export type PaymentFailure =
  /** `paidYen`: what a payout had paid before the device stopped answering. */
  | { kind: 'offline'; paidYen?: number }
  | { kind: 'jam' }
  | { kind: 'coin-box-full' }
  /** Could not pay out all of it: `paidYen` left the machine, the rest is owed (refund slip). */
  | { kind: 'change-empty'; paidYen: number; owedYen: number }
  | { kind: 'device-error'; detail: string };

export type PaymentResult<T> = { ok: true; value: T } | { ok: false; failure: PaymentFailure };

export type PaymentEvent =
  /** One coin in its tube, or one note stacked in the cash box: the only way credit appears. */
  | { kind: 'credit'; yen: Denomination; medium: 'coin' | 'note' }
  /**
   * A note held in escrow, not yet money: the device routes it to the stack (then `credit`) or
   * back to the resident (then `rejected`).
   */
  | { kind: 'escrow'; yen: NoteDenomination; medium: 'note' }
  /** Returned to the resident at once (e.g. a note the machine could not change). */
  | { kind: 'rejected'; reason: 'cannot-change' | 'not-accepting' | 'unrecognised' }
  | { kind: 'fault'; fault: PaymentFault }
  /** The denominations the acceptor takes from now on (none while inhibited). */
  | { kind: 'accepting'; denominations: Denomination[] }
  /** The device's event buffer overflowed or it was reset: `count` events (null: unknown) are lost. */
  | { kind: 'events-lost'; medium: 'coin' | 'note'; count: number | null }
  | { kind: 'fault-cleared'; fault: PaymentFault };

export interface PaymentStatus {
  online: boolean;
  faults: PaymentFault[];
  /** Coins left in the change tubes, per denomination. */
  changeLevels: Record<CoinDenomination, number>;
  coinBoxFull: boolean;
}

/** What left the machine in one payout. */
export interface Payout {
  paidYen: number;
  coins: Partial<Record<CoinDenomination, number>>;
}

export interface PaymentDevice {
  /**
   * Start accepting money towards `dueYen`. Only denominations the machine can still give change
   * for are enabled (a 1000円 note is refused before insertion when the tubes cannot change it).
   */
  startAccepting(dueYen: number): Promise<PaymentResult<void>>;
  /** Inhibit all coins and notes (after payment, on cancel, on a fault). */
  stopAccepting(): Promise<PaymentResult<void>>;
  /** Pay out change or a refund from the tubes; the result says what actually left the machine. */
  payOut(yen: number): Promise<PaymentResult<Payout>>;
  status(): Promise<PaymentResult<PaymentStatus>>;
  onEvent(listener: (event: PaymentEvent) => void): () => void;
  /** Inhibits and closes the link. Never throws. */
  close(): Promise<void>;
}
