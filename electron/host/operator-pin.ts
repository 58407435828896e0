/**
 * The store operator's PIN: stored only as a scrypt hash (node:crypto, OpenSSL's implementation —
 * a maintained, memory-hard KDF with no native add-on to build), checked in constant time, and
 * locked for a while after too many wrong tries.
 *
 * Why scrypt and not argon2: argon2 would need a native npm add-on (another build script to allow,
 * another binary to keep patched); scrypt ships inside Node's OpenSSL, is memory-hard, and its
 * parameters live in the record so they can be raised later without breaking stored hashes.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { memoryOperatorPinLockStore, type OperatorPinLockStore } from './operator-pin-lock.ts';

export const OPERATOR_PIN_MIN_LENGTH = 6;
export const OPERATOR_PIN_MAX_LENGTH = 12;
/** Wrong tries in a row before the lock. */
export const OPERATOR_PIN_MAX_TRIES = 5;
/** How long the lock lasts. */
export const OPERATOR_PIN_LOCK_MS = 15 * 60_000;

export const OperatorPinRecordSchema = z.object({
  kdf: z.literal('scrypt'),
  /** CPU/memory cost (a power of two), block size, parallelism. */
  N: z.number().int().min(1024),
  r: z.number().int().min(1),
  p: z.number().int().min(1),
  salt: z.string().regex(/^[A-Za-z0-9+/]+=*$/),
  hash: z.string().regex(/^[A-Za-z0-9+/]+=*$/),
});
export type OperatorPinRecord = z.infer<typeof OperatorPinRecordSchema>;

const DEFAULT_COST = { N: 1 << 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(pin: Uint8Array, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(pin, salt, KEY_LENGTH, { ...cost, maxmem: 256 * cost.N * cost.r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export function isOperatorPinShape(pin: string): boolean {
  return new RegExp(`^[0-9]{${OPERATOR_PIN_MIN_LENGTH},${OPERATOR_PIN_MAX_LENGTH}}$`).test(pin);
}

/** Hashes a new PIN (digits, 6–12) into a record to keep at rest. */
export async function hashOperatorPin(
  pin: string,
  cost: { N: number; r: number; p: number } = DEFAULT_COST,
): Promise<OperatorPinRecord> {
  if (!isOperatorPinShape(pin)) throw new RangeError('the operator PIN is 6 to 12 digits');
  const salt = randomBytes(16);
  const hash = await derive(Buffer.from(pin, 'utf8'), salt, cost);
  return { kdf: 'scrypt', ...cost, salt: salt.toString('base64'), hash: hash.toString('base64') };
}

async function matches(record: OperatorPinRecord, pin: Uint8Array): Promise<boolean> {
  const expected = Buffer.from(record.hash, 'base64');
  const actual = await derive(pin, Buffer.from(record.salt, 'base64'), record);
  const same = actual.length === expected.length && timingSafeEqual(actual, expected);
  actual.fill(0);
  return same;
}

export type OperatorPinOutcome =
  | { kind: 'ok' }
  | { kind: 'wrong'; triesLeft: number }
  /** Locked until `until` (epoch ms): nothing is checked meanwhile. */
  | { kind: 'locked'; until: number };

export interface OperatorPinGate {
  /** Checks the digits (the caller wipes them afterwards). */
  check(pin: Uint8Array): Promise<OperatorPinOutcome>;
  /** The lock's end (epoch ms) while locked, else null. */
  lockedUntil(): number | null;
}

/**
 * The gate in front of operator mode: 5 wrong tries in a row lock it for 15 minutes (counted on
 * the injected clock); a right PIN resets the count. Checks run one at a time, so a burst of
 * guesses cannot slip past the count. The count and the lock live in `lockStore` (a file beside
 * the PIN's hash on a kiosk, operator-pin-lock.ts): each wrong try is on disk before its answer,
 * so a restarted host keeps both.
 */
export function createOperatorPinGate(
  record: OperatorPinRecord,
  options: { now?: () => number; maxTries?: number; lockMs?: number; lockStore?: OperatorPinLockStore } = {},
): OperatorPinGate {
  const now = options.now ?? Date.now;
  const maxTries = options.maxTries ?? OPERATOR_PIN_MAX_TRIES;
  const lockMs = options.lockMs ?? OPERATOR_PIN_LOCK_MS;
  const store = options.lockStore ?? memoryOperatorPinLockStore();
  let queue: Promise<unknown> = Promise.resolve();

  const currentLock = () => {
    const { lockedUntil } = store.read();
    if (lockedUntil !== null && now() >= lockedUntil) {
      store.write({ wrong: 0, lockedUntil: null });
      return null;
    }
    return lockedUntil;
  };

  async function checkOne(pin: Uint8Array): Promise<OperatorPinOutcome> {
    const lock = currentLock();
    if (lock !== null) return { kind: 'locked', until: lock };
    if (await matches(record, pin)) {
      if (store.read().wrong !== 0) store.write({ wrong: 0, lockedUntil: null });
      return { kind: 'ok' };
    }
    const wrong = store.read().wrong + 1;
    if (wrong >= maxTries) {
      const until = now() + lockMs;
      store.write({ wrong, lockedUntil: until });
      return { kind: 'locked', until };
    }
    store.write({ wrong, lockedUntil: null });
    return { kind: 'wrong', triesLeft: maxTries - wrong };
  }

  return {
    check(pin) {
      const result = queue.then(() => checkOne(pin));
      queue = result.catch(() => undefined);
      return result;
    },
    lockedUntil: currentLock,
  };
}
