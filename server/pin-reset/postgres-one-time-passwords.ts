import type { Pool } from 'pg';
import { inTransaction } from '../db/postgresRepository.ts';
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

const COLUMNS = `card_binding AS "cardBinding", holder_id AS "holderId", municipality_code AS "municipalityCode", mode,
  password_salt AS "passwordSalt", password_hash AS "passwordHash", issued_at AS "issuedAt", expires_at AS "expiresAt",
  failed_tries AS "failedTries", target, used_at AS "usedAt", reserved_by AS "reservedBy", reserved_until AS "reservedUntil"`;

/** Epoch ms BIGINTs come back as strings unless the pool maps them: read them as numbers here. */
function rowOf(raw: Record<string, unknown>): GrantRow {
  const time = (v: unknown) => (v === null ? null : Number(v));
  return {
    cardBinding: String(raw.cardBinding),
    holderId: String(raw.holderId),
    municipalityCode: String(raw.municipalityCode),
    mode: raw.mode === 'bound-card' ? 'bound-card' : 'password',
    target: raw.target === 'auth' ? 'auth' : 'signing',
    passwordSalt: raw.passwordSalt === null ? null : String(raw.passwordSalt),
    passwordHash: raw.passwordHash === null ? null : String(raw.passwordHash),
    issuedAt: Number(raw.issuedAt),
    expiresAt: Number(raw.expiresAt),
    failedTries: Number(raw.failedTries),
    usedAt: time(raw.usedAt),
    reservedBy: raw.reservedBy === null ? null : String(raw.reservedBy),
    reservedUntil: time(raw.reservedUntil),
  };
}

/**
 * The grants on the centre's PostgreSQL database (migrations 10, 14, 16; the 4-digit PIN's signing
 * sessions in their own table, migration 17); each redeem or
 * reservation locks its row (FOR UPDATE), so two kiosks racing one grant are decided in turn.
 */
export function postgresOneTimePasswordStore(pool: Pool): OneTimePasswordStore {
  const read = async (cardBinding: string): Promise<GrantRow | undefined> => {
    const { rows } = await pool.query(`SELECT ${COLUMNS} FROM pin_reset_grants WHERE card_binding = $1`, [
      cardBinding,
    ]);
    return rows[0] === undefined ? undefined : rowOf(rows[0] as Record<string, unknown>);
  };

  async function decideOn(
    cardBinding: string,
    password: string | undefined,
    now: Date,
    transactionId: string | undefined,
    target: PinResetTarget | undefined,
  ): Promise<RedeemResult> {
    for (let attempt = 0; attempt < REDEEM_ATTEMPTS; attempt++) {
      const before = await read(cardBinding);
      if (before === undefined) return { kind: 'no-grant' };
      const candidate = await candidateHash(before, password);
      const result = await inTransaction(pool, async (client): Promise<RedeemResult | undefined> => {
        const { rows } = await client.query(
          `SELECT ${COLUMNS} FROM pin_reset_grants WHERE card_binding = $1 FOR UPDATE`,
          [cardBinding],
        );
        if (rows[0] === undefined) return { kind: 'no-grant' };
        const row = rowOf(rows[0] as Record<string, unknown>);
        if (row.issuedAt !== before.issuedAt || row.passwordSalt !== before.passwordSalt) return undefined;
        const decision = decideRedeem(row, password, candidate, now, transactionId, target);
        if (decision.change === 'mark-used') {
          await client.query(
            `UPDATE pin_reset_grants SET used_at = $1, reserved_by = NULL, reserved_until = NULL
             WHERE card_binding = $2`,
            [now.getTime(), cardBinding],
          );
        }
        if (decision.change === 'reserve') {
          await client.query(
            'UPDATE pin_reset_grants SET reserved_by = $1, reserved_until = $2 WHERE card_binding = $3',
            [transactionId, now.getTime() + RESERVATION_MS, cardBinding],
          );
        }
        if (decision.change === 'count-wrong-try') {
          await client.query(
            'UPDATE pin_reset_grants SET failed_tries = failed_tries + 1 WHERE card_binding = $1',
            [cardBinding],
          );
        }
        return decision.result;
      });
      if (result !== undefined) return result;
    }
    throw new Error('pin reset grant kept changing during redeem');
  }

  return {
    async issue(grant, now) {
      const { row, password } = await newGrantRow(grant, now);
      await pool.query(
        `INSERT INTO pin_reset_grants (card_binding, holder_id, municipality_code, mode, password_salt, password_hash,
           issued_at, expires_at, failed_tries, used_at, reserved_by, reserved_until, target)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, NULL, NULL, NULL, $9)
         ON CONFLICT (card_binding) DO UPDATE SET holder_id = excluded.holder_id,
           municipality_code = excluded.municipality_code, mode = excluded.mode, target = excluded.target, password_salt = excluded.password_salt,
           password_hash = excluded.password_hash, issued_at = excluded.issued_at, expires_at = excluded.expires_at,
           failed_tries = 0, used_at = NULL, reserved_by = NULL, reserved_until = NULL`,
        [
          row.cardBinding,
          row.holderId,
          row.municipalityCode,
          row.mode,
          row.passwordSalt,
          row.passwordHash,
          row.issuedAt,
          row.expiresAt,
          row.target,
        ],
      );
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
      const { rowCount } = await pool.query(
        `UPDATE pin_reset_grants SET used_at = $1, reserved_by = NULL, reserved_until = NULL
         WHERE card_binding = $2 AND used_at IS NULL AND reserved_by = $3`,
        [now.getTime(), reservation.cardBinding, reservation.transactionId],
      );
      return rowCount === 1 ? 'spent' : 'not-reserved';
    },
    async release(reservation) {
      assertReservation(reservation);
      const { rowCount } = await pool.query(
        `UPDATE pin_reset_grants SET reserved_by = NULL, reserved_until = NULL
         WHERE card_binding = $1 AND used_at IS NULL AND reserved_by = $2`,
        [reservation.cardBinding, reservation.transactionId],
      );
      return rowCount === 1 ? 'released' : 'not-reserved';
    },
    async bindSigningSession(session, now) {
      assertReservation(session);
      const { rowCount } = await pool.query(
        `INSERT INTO pin_reset_signing_sessions (card_binding, transaction_id, terminal_id, expires_at)
         SELECT card_binding, $1, $2, $3 FROM pin_reset_grants
         WHERE card_binding = $4 AND target = 'auth' AND used_at IS NULL AND expires_at > $5
         ON CONFLICT (card_binding) DO UPDATE SET transaction_id = excluded.transaction_id,
           terminal_id = excluded.terminal_id, expires_at = excluded.expires_at`,
        [
          session.transactionId,
          session.terminalId,
          now.getTime() + SIGNING_SESSION_MS,
          session.cardBinding,
          now.getTime(),
        ],
      );
      return rowCount === 1 ? 'bound' : unboundSigningSession(await read(session.cardBinding), now);
    },
    async signingSessionOf(session, now) {
      const { rows } = await pool.query(
        `SELECT g.card_binding AS "cardBinding", g.holder_id AS "holderId"
         FROM pin_reset_signing_sessions s JOIN pin_reset_grants g ON g.card_binding = s.card_binding
         WHERE s.transaction_id = $1 AND s.terminal_id = $2 AND s.expires_at > $3 AND g.target = 'auth'`,
        [session.transactionId, session.terminalId, now.getTime()],
      );
      const row = rows[0] as { cardBinding: string; holderId: string } | undefined;
      return row === undefined
        ? undefined
        : { cardBinding: String(row.cardBinding), holderId: String(row.holderId) };
    },
  };
}
