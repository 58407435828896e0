import type { Pool } from 'pg';
import { inTransaction } from '../db/postgresRepository.ts';
import {
  assertCardBinding,
  candidateHash,
  decideRedeem,
  newGrantRow,
  REDEEM_ATTEMPTS,
  type GrantRow,
  type OneTimePasswordStore,
  type RedeemResult,
} from './one-time-passwords.ts';

const COLUMNS = `card_binding AS "cardBinding", holder_id AS "holderId", municipality_code AS "municipalityCode", mode,
  password_salt AS "passwordSalt", password_hash AS "passwordHash", issued_at AS "issuedAt", expires_at AS "expiresAt",
  failed_tries AS "failedTries", used_at AS "usedAt"`;

/** Epoch ms BIGINTs come back as strings unless the pool maps them: read them as numbers here. */
function rowOf(raw: Record<string, unknown>): GrantRow {
  const time = (v: unknown) => (v === null ? null : Number(v));
  return {
    cardBinding: String(raw.cardBinding),
    holderId: String(raw.holderId),
    municipalityCode: String(raw.municipalityCode),
    mode: raw.mode === 'bound-card' ? 'bound-card' : 'password',
    passwordSalt: raw.passwordSalt === null ? null : String(raw.passwordSalt),
    passwordHash: raw.passwordHash === null ? null : String(raw.passwordHash),
    issuedAt: Number(raw.issuedAt),
    expiresAt: Number(raw.expiresAt),
    failedTries: Number(raw.failedTries),
    usedAt: time(raw.usedAt),
  };
}

/** The grants on the centre's PostgreSQL database (migration 10); each redeem locks its row (FOR UPDATE). */
export function postgresOneTimePasswordStore(pool: Pool): OneTimePasswordStore {
  const read = async (cardBinding: string): Promise<GrantRow | undefined> => {
    const { rows } = await pool.query(`SELECT ${COLUMNS} FROM pin_reset_grants WHERE card_binding = $1`, [
      cardBinding,
    ]);
    return rows[0] === undefined ? undefined : rowOf(rows[0] as Record<string, unknown>);
  };

  return {
    async issue(grant, now) {
      const { row, password } = await newGrantRow(grant, now);
      await pool.query(
        `INSERT INTO pin_reset_grants (card_binding, holder_id, municipality_code, mode, password_salt, password_hash,
           issued_at, expires_at, failed_tries, used_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, NULL)
         ON CONFLICT (card_binding) DO UPDATE SET holder_id = excluded.holder_id,
           municipality_code = excluded.municipality_code, mode = excluded.mode, password_salt = excluded.password_salt,
           password_hash = excluded.password_hash, issued_at = excluded.issued_at, expires_at = excluded.expires_at,
           failed_tries = 0, used_at = NULL`,
        [
          row.cardBinding,
          row.holderId,
          row.municipalityCode,
          row.mode,
          row.passwordSalt,
          row.passwordHash,
          row.issuedAt,
          row.expiresAt,
        ],
      );
      return { password, expiresAt: new Date(row.expiresAt).toISOString() };
    },
    async redeem({ cardBinding, password }, now): Promise<RedeemResult> {
      assertCardBinding(cardBinding);
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
          const decision = decideRedeem(row, password, candidate, now);
          if (decision.change === 'mark-used') {
            await client.query('UPDATE pin_reset_grants SET used_at = $1 WHERE card_binding = $2', [
              now.getTime(),
              cardBinding,
            ]);
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
    },
  };
}
