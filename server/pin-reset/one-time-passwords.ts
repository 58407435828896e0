/**
 * The one-time password a face check on the phone earns (issue 11, step 1) and the kiosk redeems
 * (step 2): the contract, and the rules both database backends share. Stored only as a scrypt
 * hash with its own salt; compared in constant time; single use; 24 hours; five wrong tries lock.
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** sha256 hex of the DER of the card's 利用者証明用 (auth) certificate: what binds a grant to one card. */
export type CardBinding = string;

export interface PinResetGrant {
  cardBinding: CardBinding;
  holderId: string;
  municipalityCode: string;
  issuedAt: string;
  expiresAt: string;
  mode: 'password' | 'bound-card';
}

export type RedeemResult =
  | { kind: 'granted'; grant: PinResetGrant } // marks it used (single use), atomically
  | { kind: 'wrong-password'; triesLeft: number } // 5 wrong tries in all lock the grant
  | { kind: 'locked' }
  | { kind: 'expired' }
  | { kind: 'used' }
  | { kind: 'no-grant' }; // no-grant also for another card's password

export interface OneTimePasswordStore {
  /**
   * After a face check passed: a new grant for 24 h (replacing an older one for that card, used or
   * not); the password is shown once and stored only as a hash. Mode 'bound-card' has no password:
   * `password` is the empty string and nothing is stored but the binding.
   */
  issue(
    grant: Omit<PinResetGrant, 'issuedAt' | 'expiresAt'>,
    now: Date,
  ): Promise<{ password: string; expiresAt: string }>;
  /**
   * mode 'password': the typed password must match; mode 'bound-card' (the live service's mode, a
   * centre setting): password is undefined and the card's binding alone redeems (a password sent
   * for a bound-card grant is ignored). A 'password' grant redeemed without a password answers
   * `wrong-password` without counting a try. The fifth wrong try answers `wrong-password` with
   * `triesLeft: 0`; every later redeem answers `locked`.
   */
  redeem(
    request: { cardBinding: CardBinding; password: string | undefined },
    now: Date,
  ): Promise<RedeemResult>;
}

export const GRANT_LIFETIME_MS = 24 * 60 * 60 * 1000;
export const MAX_WRONG_TRIES = 5;
export const PASSWORD_DIGITS = 8;

const PASSWORD_FORMAT = /^[0-9]{8}$/;
const CARD_BINDING_FORMAT = /^[0-9a-f]{64}$/;

/** N = 2^12 (4 MiB, a few ms): 10^8 candidates cost days of CPU offline, far beyond a 24-hour grant. */
const SCRYPT: ScryptOptions = { N: 1 << 12, r: 8, p: 1, maxmem: 32 * 1024 * 1024 };
const HASH_BYTES = 32;

export class OneTimePasswordInputError extends Error {
  readonly kind = 'one-time-password-input' as const;
}

/** 8 digits, uniform, from the CSPRNG (leading zeros kept). */
export function newPassword(): string {
  let digits = '';
  for (let i = 0; i < PASSWORD_DIGITS; i++) digits += String(randomInt(10));
  return digits;
}

export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

export function hashPassword(password: string, saltHex: string): Promise<string> {
  return new Promise((resolve, reject) => {
    scrypt(password, Buffer.from(saltHex, 'hex'), HASH_BYTES, SCRYPT, (error, key) => {
      if (error) reject(error);
      else resolve(key.toString('hex'));
    });
  });
}

export function assertCardBinding(cardBinding: string): void {
  if (!CARD_BINDING_FORMAT.test(cardBinding))
    throw new OneTimePasswordInputError('cardBinding must be 64 lowercase hex digits');
}

/** One grant as both backends store it (times in epoch ms). */
export interface GrantRow {
  cardBinding: string;
  holderId: string;
  municipalityCode: string;
  mode: PinResetGrant['mode'];
  passwordSalt: string | null;
  passwordHash: string | null;
  issuedAt: number;
  expiresAt: number;
  failedTries: number;
  usedAt: number | null;
}

/** The row `issue` writes (with the password it shows once). */
export async function newGrantRow(
  grant: Omit<PinResetGrant, 'issuedAt' | 'expiresAt'>,
  now: Date,
): Promise<{ row: GrantRow; password: string }> {
  assertCardBinding(grant.cardBinding);
  const issuedAt = now.getTime();
  const base = {
    cardBinding: grant.cardBinding,
    holderId: grant.holderId,
    municipalityCode: grant.municipalityCode,
    mode: grant.mode,
    issuedAt,
    expiresAt: issuedAt + GRANT_LIFETIME_MS,
    failedTries: 0,
    usedAt: null,
  };
  if (grant.mode === 'bound-card') {
    return { row: { ...base, passwordSalt: null, passwordHash: null }, password: '' };
  }
  const password = newPassword();
  const passwordSalt = newSalt();
  return {
    row: { ...base, passwordSalt, passwordHash: await hashPassword(password, passwordSalt) },
    password,
  };
}

/**
 * What the typed password hashes to under this row's salt (computed before the backend's
 * transaction, since scrypt is slow and asynchronous); undefined when nothing is to compare.
 */
export async function candidateHash(
  row: GrantRow,
  password: string | undefined,
): Promise<string | undefined> {
  if (row.mode !== 'password' || row.passwordSalt === null || password === undefined) return undefined;
  // A malformed password is still hashed, so its answer takes as long as a well-formed one's.
  return hashPassword(password, row.passwordSalt);
}

export type RedeemChange = 'mark-used' | 'count-wrong-try' | 'none';

/** The decision on one row, inside the backend's transaction: the answer and the change to write. */
export function decideRedeem(
  row: GrantRow,
  password: string | undefined,
  candidate: string | undefined,
  now: Date,
): { result: RedeemResult; change: RedeemChange } {
  if (row.usedAt !== null) return { result: { kind: 'used' }, change: 'none' };
  if (row.failedTries >= MAX_WRONG_TRIES) return { result: { kind: 'locked' }, change: 'none' };
  if (now.getTime() >= row.expiresAt) return { result: { kind: 'expired' }, change: 'none' };
  if (row.mode === 'password') {
    if (password === undefined) {
      return {
        result: { kind: 'wrong-password', triesLeft: MAX_WRONG_TRIES - row.failedTries },
        change: 'none',
      };
    }
    const matches =
      candidate !== undefined &&
      row.passwordHash !== null &&
      timingSafeEqual(Buffer.from(candidate, 'hex'), Buffer.from(row.passwordHash, 'hex')) &&
      PASSWORD_FORMAT.test(password);
    if (!matches) {
      return {
        result: { kind: 'wrong-password', triesLeft: MAX_WRONG_TRIES - row.failedTries - 1 },
        change: 'count-wrong-try',
      };
    }
  }
  return { result: { kind: 'granted', grant: grantOf(row) }, change: 'mark-used' };
}

export function grantOf(row: GrantRow): PinResetGrant {
  return {
    cardBinding: row.cardBinding,
    holderId: row.holderId,
    municipalityCode: row.municipalityCode,
    issuedAt: new Date(row.issuedAt).toISOString(),
    expiresAt: new Date(row.expiresAt).toISOString(),
    mode: row.mode,
  };
}

/** How many times a redeem starts again when the grant was replaced between hashing and deciding. */
export const REDEEM_ATTEMPTS = 3;
