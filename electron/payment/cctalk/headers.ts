/**
 * The ccTalk headers and addresses the kiosk uses: the subset a coin validator, a bill validator
 * and payout hoppers need. Numbers are those of the ccTalk generic specification, except
 * HOPPER_COIN_LEVEL (an expansion header: the simulator's coin count, see electron/README.md).
 */

export const Header = {
  REPLY: 0,
  NAK: 5,
  BUSY: 6,
  /** Coin count of a hopper: 2 bytes, little-endian. Expansion header, not generic ccTalk. */
  HOPPER_COIN_LEVEL: 100,
  /** Bill validator: data [route]: 0 = return the note in escrow, 1 = stack it. Reply [] or [error]. */
  ROUTE_BILL: 154,
  /**
   * Bill validator: [event counter, 5 × (bill type, 0 = stacked / 1 = held in escrow; or 0, error
   * code)].
   */
  READ_BUFFERED_BILL_EVENTS: 159,
  ENABLE_HOPPER: 164,
  /** [event counter, coins remaining, coins paid, coins unpaid] of the last dispense. */
  REQUEST_HOPPER_STATUS: 166,
  /** Data [count]. */
  DISPENSE_HOPPER_COINS: 167,
  /** Data [master inhibit bits]: bit 0 set = accepting. */
  MODIFY_MASTER_INHIBIT: 228,
  /** Coin validator: [event counter, 5 × (coin type or 0, sorter path / error code)]. */
  READ_BUFFERED_CREDIT: 229,
  /** Data [inhibits 1–8, inhibits 9–16]: bit set = that coin or bill type enabled. */
  MODIFY_INHIBIT_STATUS: 231,
  SIMPLE_POLL: 254,
} as const;

/** The host (this kiosk) and the devices on the bus. */
export const Address = {
  HOST: 1,
  COIN_VALIDATOR: 2,
  /** Hoppers 3–6: one per coin, see HOPPER_COINS. */
  BILL_VALIDATOR: 40,
} as const;

/** The hopper of each coin (10円 in 3, 50円 in 4, 100円 in 5, 500円 in 6). */
export const HOPPER_ADDRESSES = { 10: 3, 50: 4, 100: 5, 500: 6 } as const;

/** Coin types of the coin validator (position = type number) and bill types of the bill validator. */
export const COIN_TYPES = [10, 50, 100, 500] as const;
export const BILL_TYPES = [1000] as const;

/** Coin validator error codes (result A = 0) the kiosk understands. */
export const CoinError = {
  NULL: 0,
  REJECT_COIN: 1,
  INHIBITED_COIN: 2,
  CREDIT_SENSOR_BLOCKED: 14,
} as const;

/** Result B of a bill event with a bill type: where the note is. */
export const BillPosition = {
  STACKED: 0,
  ESCROW: 1,
} as const;

/** Route Bill: the route asked for, and the error bytes a reply may carry. */
export const BillRoute = {
  RETURN: 0,
  STACK: 1,
  ESCROW_EMPTY: 254,
  FAILED: 255,
} as const;

/** Bill validator event codes (result A = 0) the kiosk understands. */
export const BillEvent = {
  MASTER_INHIBIT_ACTIVE: 0,
  RETURNED_FROM_ESCROW: 1,
  INVALID_BILL: 2,
  INHIBITED_BILL: 4,
  JAMMED_IN_TRANSPORT: 6,
  /** The technician put the (emptied, cleared) stacker back: a jam or a full box is over. */
  STACKER_INSERTED: 12,
  STACKER_FULL: 14,
} as const;

/** The event counter runs 1…255 and wraps to 1; 0 only after power-up or reset. */
export const EVENT_BUFFER_SIZE = 5;
