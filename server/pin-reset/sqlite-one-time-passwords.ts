import type Database from 'better-sqlite3';
import {
  assertCardBinding,
  assertReservation,
  candidateHash,
  decideRedeem,
  newGrantRow,
  REDEEM_ATTEMPTS,
  RESERVATION_MS,
  SIGNING_SESSION_MS,
  unboundSigningSession,
  type GrantRow,
  type PinResetTarget,
  type OneTimePasswordStore,
  type RedeemResult,
} from './one-time-passwords.ts';

const COLUMNS = `card_binding AS cardBinding, holder_id AS holderId, municipality_code AS municipalityCode, mode,
  password_salt AS passwordSalt, password_hash AS passwordHash, issued_at AS issuedAt, expires_at AS expiresAt,
  failed_tries AS failedTries, target, used_at AS usedAt, reserved_by AS reservedBy, reserved_until AS reservedUntil`;

/**
 * The grants on the centre's SQLite database (migrations 10, 14, 16; the 4-digit PIN's signing
 * sessions in their own table, migration 17); each redeem or reservation is
 * one IMMEDIATE transaction, so two kiosks racing one grant are decided one after the other.
 */
export function sqliteOneTimePasswordStore(db: Database.Database): OneTimePasswordStore {
  const stmt = {
    put: db.prepare(
      `INSERT INTO pin_reset_grants (card_binding, holder_id, municipality_code, mode, target, password_salt,
         password_hash, issued_at, expires_at, failed_tries, used_at, reserved_by, reserved_until)
       VALUES (@cardBinding, @holderId, @municipalityCode, @mode, @target, @passwordSalt, @passwordHash, @issuedAt, @expiresAt,
         0, NULL, NULL, NULL)
       ON CONFLICT(card_binding) DO UPDATE SET holder_id = excluded.holder_id,
         municipality_code = excluded.municipality_code, mode = excluded.mode, target = excluded.target, password_salt = excluded.password_salt,
         password_hash = excluded.password_hash, issued_at = excluded.issued_at, expires_at = excluded.expires_at,
         failed_tries = 0, used_at = NULL, reserved_by = NULL, reserved_until = NULL`,
    ),
    get: db.prepare(`SELECT ${COLUMNS} FROM pin_reset_grants WHERE card_binding = ?`),
    markUsed: db.prepare(
      `UPDATE pin_reset_grants SET used_at = ?, reserved_by = NULL, reserved_until = NULL
       WHERE card_binding = ? AND used_at IS NULL`,
    ),
    reserve: db.prepare(
      'UPDATE pin_reset_grants SET reserved_by = ?, reserved_until = ? WHERE card_binding = ? AND used_at IS NULL',
    ),
    spend: db.prepare(
      `UPDATE pin_reset_grants SET used_at = ?, reserved_by = NULL, reserved_until = NULL
       WHERE card_binding = ? AND used_at IS NULL AND reserved_by = ?`,
    ),
    release: db.prepare(
      `UPDATE pin_reset_grants SET reserved_by = NULL, reserved_until = NULL
       WHERE card_binding = ? AND used_at IS NULL AND reserved_by = ?`,
    ),
    bindSigningSession: db.prepare(
      `INSERT INTO pin_reset_signing_sessions (card_binding, transaction_id, terminal_id, expires_at)
       SELECT card_binding, ?, ?, ? FROM pin_reset_grants
       WHERE card_binding = ? AND target = 'auth' AND used_at IS NULL AND expires_at > ?
       ON CONFLICT(card_binding) DO UPDATE SET transaction_id = excluded.transaction_id,
         terminal_id = excluded.terminal_id, expires_at = excluded.expires_at`,
    ),
    signingSessionOf: db.prepare(
      `SELECT g.card_binding AS cardBinding, g.holder_id AS holderId
       FROM pin_reset_signing_sessions s JOIN pin_reset_grants g ON g.card_binding = s.card_binding
       WHERE s.transaction_id = ? AND s.terminal_id = ? AND s.expires_at > ? AND g.target = 'auth'`,
    ),
    countWrongTry: db.prepare(
      'UPDATE pin_reset_grants SET failed_tries = failed_tries + 1 WHERE card_binding = ?',
    ),
  };
  const read = (cardBinding: string) => stmt.get.get(cardBinding) as GrantRow | undefined;

  /** undefined: the grant changed since the hash was computed (start again). */
  const decide = db.transaction(
    (
      before: GrantRow,
      password: string | undefined,
      candidate: string | undefined,
      now: Date,
      transactionId: string | undefined,
      target: PinResetTarget | undefined,
    ) => {
      const row = read(before.cardBinding);
      if (row === undefined) return { kind: 'no-grant' } as const;
      if (row.issuedAt !== before.issuedAt || row.passwordSalt !== before.passwordSalt) return undefined;
      const { result, change } = decideRedeem(row, password, candidate, now, transactionId, target);
      if (change === 'mark-used') stmt.markUsed.run(now.getTime(), row.cardBinding);
      if (change === 'reserve')
        stmt.reserve.run(transactionId, now.getTime() + RESERVATION_MS, row.cardBinding);
      if (change === 'count-wrong-try') stmt.countWrongTry.run(row.cardBinding);
      return result;
    },
  );

  async function decideOn(
    cardBinding: string,
    password: string | undefined,
    now: Date,
    transactionId: string | undefined,
    target: PinResetTarget | undefined,
  ): Promise<RedeemResult> {
    for (let attempt = 0; attempt < REDEEM_ATTEMPTS; attempt++) {
      const before = read(cardBinding);
      if (before === undefined) return { kind: 'no-grant' };
      const candidate = await candidateHash(before, password);
      const result = decide.immediate(before, password, candidate, now, transactionId, target);
      if (result !== undefined) return result;
    }
    throw new Error('pin reset grant kept changing during redeem');
  }

  return {
    async issue(grant, now) {
      const { row, password } = await newGrantRow(grant, now);
      stmt.put.run(row);
      return { password, expiresAt: new Date(row.expiresAt).toISOString() };
    },
    async redeem({ cardBinding, password, target }, now) {
      assertCardBinding(cardBinding);
      return decideOn(cardBinding, password, now, undefined, target);
    },
    async reserve({ cardBinding, transactionId, password, target }, now) {
      assertReservation({ cardBinding, transactionId });
      return decideOn(cardBinding, password, now, transactionId, target);
    },
    async spend(reservation, now) {
      assertReservation(reservation);
      const { changes } = stmt.spend.run(now.getTime(), reservation.cardBinding, reservation.transactionId);
      return changes === 1 ? 'spent' : 'not-reserved';
    },
    async release(reservation) {
      assertReservation(reservation);
      const { changes } = stmt.release.run(reservation.cardBinding, reservation.transactionId);
      return changes === 1 ? 'released' : 'not-reserved';
    },
    async bindSigningSession(session, now) {
      assertReservation(session);
      const { changes } = stmt.bindSigningSession.run(
        session.transactionId,
        session.terminalId,
        now.getTime() + SIGNING_SESSION_MS,
        session.cardBinding,
        now.getTime(),
      );
      return changes === 1 ? 'bound' : unboundSigningSession(read(session.cardBinding), now);
    },
    async signingSessionOf(session, now) {
      return stmt.signingSessionOf.get(session.transactionId, session.terminalId, now.getTime()) as
        { cardBinding: string; holderId: string } | undefined;
    },
  };
}
