/**
 * The one-time password a face check on the phone earns (issue 11, step 1) and the kiosk redeems
 * (step 2): the contract, and the rules both database backends share. Stored only as a scrypt
 * hash with its own salt; compared in constant time; single use; 24 hours; five wrong tries lock.
 * At the kiosk a grant is first reserved for one transaction (the centre builds the card's
 * command), and spent only when the card's authentic "reset-done" comes back: a reset that failed
 * at the card releases it (or the reservation lapses after RESERVATION_MS), so the resident can try
 * again with the same password; a spent grant never redeems again.
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PinResetTarget } from '../../protocol/secure-messaging.ts';

export type { PinResetTarget } from '../../protocol/secure-messaging.ts';

/** sha256 hex of the DER of the card's 利用者証明用 (auth) certificate: what binds a grant to one card. */
export type CardBinding = string;

export interface PinResetGrant {
  cardBinding: CardBinding;
  holderId: string;
  municipalityCode: string;
  issuedAt: string;
  expiresAt: string;
  mode: 'password' | 'bound-card';
  /**
   * The PIN this grant resets: 'signing' (the face check was proven with the 4-digit PIN) or
   * 'auth' (proven with the signing PIN). A grant for one never resets the other (`no-grant`).
   */
  target: PinResetTarget;
}

/** What `issue` is given: the target defaults to 'signing' (the reset that came first). */
export type NewGrant = Omit<PinResetGrant, 'issuedAt' | 'expiresAt' | 'target'> & { target?: PinResetTarget };

export type RedeemResult =
  | { kind: 'granted'; grant: PinResetGrant } // reserved for the transaction (reserve) or used (redeem)
  | { kind: 'wrong-password'; triesLeft: number } // 5 wrong tries in all lock the grant
  | { kind: 'locked' }
  | { kind: 'expired' }
  | { kind: 'used' }
  | { kind: 'in-use' } // reserved by another transaction (another kiosk) that has not ended
  | { kind: 'no-grant' }; // no-grant also for another card's password, and for the other PIN's grant

/** A grant's reservation by one kiosk transaction: spent on the card's "reset-done", else released. */
export interface Reservation {
  cardBinding: CardBinding;
  transactionId: string;
}

export interface OneTimePasswordStore {
  /**
   * After a face check passed: a new grant for 24 h (replacing an older one for that card, used or
   * not); the password is shown once and stored only as a hash. Mode 'bound-card' has no password:
   * `password` is the empty string and nothing is stored but the binding.
   */
  issue(grant: NewGrant, now: Date): Promise<{ password: string; expiresAt: string }>;
  /**
   * mode 'password': the typed password must match; mode 'bound-card' (the live service's mode, a
   * centre setting): password is undefined and the card's binding alone redeems (a password sent
   * for a bound-card grant is ignored). A 'password' grant redeemed without a password answers
   * `wrong-password` without counting a try. The fifth wrong try answers `wrong-password` with
   * `triesLeft: 0`; every later redeem answers `locked`.
   */
  redeem(
    request: { cardBinding: CardBinding; password: string | undefined; target?: PinResetTarget },
    now: Date,
  ): Promise<RedeemResult>;
  /**
   * The kiosk's step: the same checks as `redeem`, but a grant that passes is reserved for this
   * transaction until now + RESERVATION_MS instead of used. While another transaction's reservation
   * runs the answer is `in-use` (two kiosks racing one grant: one wins); the same transaction may
   * reserve again. Nothing is spent.
   */
  reserve(
    request: Reservation & { password: string | undefined; target?: PinResetTarget },
    now: Date,
  ): Promise<RedeemResult>;
  /**
   * The card said "reset-done" (authentically): the grant this transaction reserved is used, for
   * good, even when its reservation has lapsed meanwhile. `not-reserved`: this transaction holds
   * no reservation on an unused grant (nothing changed).
   */
  spend(reservation: Reservation, now: Date): Promise<'spent' | 'not-reserved'>;
  /** The reset did not happen (the card refused, or it never got the command): the grant is free again. */
  release(reservation: Reservation): Promise<'released' | 'not-reserved'>;
  /**
   * The 4-digit PIN's reset at the kiosk: the resident cannot authenticate with the PIN they
   * forgot, so the card proven with its signing key (`/v1/pin-reset/authenticate`) ties this
   * transaction on this terminal to the card's unused, unexpired 'auth' grant until now +
   * SIGNING_SESSION_MS (a later proof replaces it). Else, as `reserve` would answer for that
   * grant: `used` (spent already), `expired`, or `no-grant` (none for the 4-digit PIN on this card).
   */
  bindSigningSession(session: SigningSession, now: Date): Promise<SigningSessionBinding>;
  /** The card and holder a live signing session names (the reset routes' session for 'auth'). */
  signingSessionOf(
    session: Omit<SigningSession, 'cardBinding'>,
    now: Date,
  ): Promise<{ cardBinding: CardBinding; holderId: string } | undefined>;
}

/** A kiosk transaction tied to a card by its signing key (the 4-digit PIN's reset). */
export interface SigningSession {
  cardBinding: CardBinding;
  transactionId: string;
  terminalId: string;
}

export type SigningSessionBinding = 'bound' | 'no-grant' | 'used' | 'expired';

/**
 * Why a card's grant could not be tied to a signing session (the row as it stands, or none), in the
 * words `reserve` uses for the same grant: the 4-digit PIN's reset tells a spent password as `used`,
 * as the signing PIN's does, not as a missing one.
 */
export function unboundSigningSession(
  row: Pick<GrantRow, 'target' | 'usedAt' | 'expiresAt'> | undefined,
  now: Date,
): Exclude<SigningSessionBinding, 'bound'> {
  if (row === undefined || row.target !== 'auth') return 'no-grant';
  if (row.usedAt !== null) return 'used';
  if (now.getTime() >= row.expiresAt) return 'expired';
  return 'no-grant';
}

/** How long a signing-key proof holds the kiosk's transaction: the password and new PIN typed, then the relay. */
export const SIGNING_SESSION_MS = 10 * 60 * 1000;

export const GRANT_LIFETIME_MS = 24 * 60 * 60 * 1000;
export const MAX_WRONG_TRIES = 5;
export const PASSWORD_DIGITS = 8;
/**
 * How long a kiosk's reservation holds without the card's answer: the command and its relay take
 * seconds; a kiosk that lost the card (or the link) and never releases frees the grant after this.
 */
export const RESERVATION_MS = 2 * 60 * 1000;

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
  target: PinResetTarget;
  passwordSalt: string | null;
  passwordHash: string | null;
  issuedAt: number;
  expiresAt: number;
  failedTries: number;
  usedAt: number | null;
  /** The transaction holding the grant (between the kiosk's command and the card's answer). */
  reservedBy: string | null;
  reservedUntil: number | null;
}

/** The row `issue` writes (with the password it shows once). */
export async function newGrantRow(grant: NewGrant, now: Date): Promise<{ row: GrantRow; password: string }> {
  assertCardBinding(grant.cardBinding);
  const issuedAt = now.getTime();
  const base = {
    cardBinding: grant.cardBinding,
    holderId: grant.holderId,
    municipalityCode: grant.municipalityCode,
    mode: grant.mode,
    target: grant.target ?? 'signing',
    issuedAt,
    expiresAt: issuedAt + GRANT_LIFETIME_MS,
    failedTries: 0,
    usedAt: null,
    reservedBy: null,
    reservedUntil: null,
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

export type RedeemChange = 'mark-used' | 'reserve' | 'count-wrong-try' | 'none';

/** Whether another transaction's reservation still holds the grant at `now`. */
export function heldByAnother(row: GrantRow, transactionId: string | undefined, now: Date): boolean {
  return (
    row.reservedBy !== null &&
    row.reservedBy !== transactionId &&
    row.reservedUntil !== null &&
    now.getTime() < row.reservedUntil
  );
}

/**
 * The decision on one row, inside the backend's transaction: the answer and the change to write.
 * With a transaction id (`reserve`) a passing grant is reserved; without (`redeem`) it is used.
 */
export function decideRedeem(
  row: GrantRow,
  password: string | undefined,
  candidate: string | undefined,
  now: Date,
  transactionId?: string,
  target: PinResetTarget = 'signing',
): { result: RedeemResult; change: RedeemChange } {
  // A grant for the other PIN is no grant for this one: nothing counted, nothing told.
  if (row.target !== target) return { result: { kind: 'no-grant' }, change: 'none' };
  if (row.usedAt !== null) return { result: { kind: 'used' }, change: 'none' };
  if (row.failedTries >= MAX_WRONG_TRIES) return { result: { kind: 'locked' }, change: 'none' };
  if (now.getTime() >= row.expiresAt) return { result: { kind: 'expired' }, change: 'none' };
  if (heldByAnother(row, transactionId, now)) return { result: { kind: 'in-use' }, change: 'none' };
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
  return {
    result: { kind: 'granted', grant: grantOf(row) },
    change: transactionId === undefined ? 'mark-used' : 'reserve',
  };
}

export function grantOf(row: GrantRow): PinResetGrant {
  return {
    cardBinding: row.cardBinding,
    holderId: row.holderId,
    municipalityCode: row.municipalityCode,
    issuedAt: new Date(row.issuedAt).toISOString(),
    expiresAt: new Date(row.expiresAt).toISOString(),
    mode: row.mode,
    target: row.target,
  };
}

/** How many times a redeem starts again when the grant was replaced between hashing and deciding. */
export const REDEEM_ATTEMPTS = 3;

/** A reservation's transaction id as both backends accept it (the kiosk's UUID; never empty). */
export function assertReservation(reservation: Reservation): void {
  assertCardBinding(reservation.cardBinding);
  if (reservation.transactionId.length === 0 || reservation.transactionId.length > 128)
    throw new OneTimePasswordInputError('transactionId: 1 to 128 characters');
}
