import type { Pool } from 'pg';
import {
  auditFromRow,
  dvFromRow,
  jsonOrNull,
  sessionFromRow,
  userFromRow,
  type AuditDbRow,
  type ConsoleStore,
  type DvRow,
  type SessionRow,
  type UserRow,
} from './store.ts';

/** The console's tables on the centre's PostgreSQL database (same statements as SQLite). */
export function postgresConsoleStore(pool: Pool): ConsoleStore {
  const one = async <T extends object>(sql: string, params: unknown[]): Promise<T | undefined> =>
    (await pool.query<T>(sql, params)).rows[0];
  const all = async <T extends object>(sql: string, params: unknown[]): Promise<T[]> =>
    (await pool.query<T>(sql, params)).rows;
  return {
    async upsertUser(u) {
      await pool.query(
        `INSERT INTO console_users (user_id, municipality_code, login, role, password_hash, failed_attempts, locked_until, disabled, created_at)
         VALUES ($1, $2, $3, $4, $5, 0, NULL, $6, $7)
         ON CONFLICT(login) DO UPDATE SET municipality_code = excluded.municipality_code, role = excluded.role,
           password_hash = excluded.password_hash, failed_attempts = 0, locked_until = NULL, disabled = excluded.disabled`,
        [u.userId, u.municipalityCode, u.login, u.role, u.passwordHash, u.disabled ? 1 : 0, u.createdAt],
      );
    },
    async createUser(u) {
      const result = await pool.query(
        `INSERT INTO console_users (user_id, municipality_code, login, role, password_hash, failed_attempts, locked_until, disabled, created_at)
         VALUES ($1, $2, $3, $4, $5, 0, NULL, 0, $6) ON CONFLICT DO NOTHING`,
        [u.userId, u.municipalityCode, u.login, u.role, u.passwordHash, u.createdAt],
      );
      return result.rowCount === 1 ? 'created' : 'login-taken';
    },
    async userByLogin(login) {
      const row = await one<UserRow>('SELECT * FROM console_users WHERE login = $1', [login]);
      return row && userFromRow(row);
    },
    async userById(userId) {
      const row = await one<UserRow>('SELECT * FROM console_users WHERE user_id = $1', [userId]);
      return row && userFromRow(row);
    },
    async listUsers(code) {
      return (
        await all<UserRow>('SELECT * FROM console_users WHERE municipality_code = $1 ORDER BY login', [code])
      ).map(userFromRow);
    },
    async recordFailedSignIn(userId, limit, lockUntil) {
      const row = await one<UserRow>(
        `UPDATE console_users SET failed_attempts = failed_attempts + 1,
           locked_until = CASE WHEN failed_attempts + 1 >= $1 THEN $2 ELSE locked_until END
         WHERE user_id = $3 RETURNING *`,
        [limit, lockUntil, userId],
      );
      return row && userFromRow(row);
    },
    async resetFailedSignIns(userId) {
      await pool.query(
        'UPDATE console_users SET failed_attempts = 0, locked_until = NULL WHERE user_id = $1',
        [userId],
      );
    },
    async setRole(userId, role) {
      await pool.query('UPDATE console_users SET role = $1 WHERE user_id = $2', [role, userId]);
    },
    async setDisabled(userId, disabled) {
      await pool.query('UPDATE console_users SET disabled = $1 WHERE user_id = $2', [
        disabled ? 1 : 0,
        userId,
      ]);
    },
    async putSession(s) {
      await pool.query(
        'INSERT INTO console_sessions (token_sha256, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
        [s.tokenSha256, s.userId, s.csrfToken, s.createdAt, s.expiresAt],
      );
    },
    async sessionByTokenSha256(tokenSha256) {
      const row = await one<SessionRow>('SELECT * FROM console_sessions WHERE token_sha256 = $1', [
        tokenSha256,
      ]);
      return row && sessionFromRow(row);
    },
    async deleteSession(tokenSha256) {
      await pool.query('DELETE FROM console_sessions WHERE token_sha256 = $1', [tokenSha256]);
    },
    async deleteSessionsOf(userId) {
      await pool.query('DELETE FROM console_sessions WHERE user_id = $1', [userId]);
    },
    async append(e) {
      await pool.query(
        `INSERT INTO console_audit (municipality_code, at, actor, action, target, restricted, before_json, after_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          e.municipalityCode,
          e.at,
          e.actor,
          e.action,
          e.target,
          e.restricted ? 1 : 0,
          jsonOrNull(e.before),
          jsonOrNull(e.after),
        ],
      );
    },
    async listAudit(code) {
      return (
        await all<AuditDbRow>('SELECT * FROM console_audit WHERE municipality_code = $1 ORDER BY id', [code])
      ).map(auditFromRow);
    },
    async putDvDecision(d) {
      await pool.query(
        `INSERT INTO console_dv_blocks (holder_id, municipality_code, blocked, set_at, set_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT(holder_id) DO UPDATE SET municipality_code = excluded.municipality_code, blocked = excluded.blocked,
           set_at = excluded.set_at, set_by = excluded.set_by`,
        [d.holderId, d.municipalityCode, d.blocked ? 1 : 0, d.setAt, d.setBy],
      );
    },
    async listDvBlockedHolders(code) {
      const rows = await all<{ holder_id: string }>(
        `SELECT holder_id FROM residents WHERE (record_json::jsonb ->> 'municipalityCode') = $1
           AND (record_json::jsonb ->> 'dvBlock') = 'true' ORDER BY holder_id`,
        [code],
      );
      return rows.map((r) => r.holder_id);
    },
    async listDvDecisions(code) {
      const rows =
        code === undefined
          ? await all<DvRow>('SELECT * FROM console_dv_blocks ORDER BY holder_id', [])
          : await all<DvRow>(
              'SELECT * FROM console_dv_blocks WHERE municipality_code = $1 ORDER BY holder_id',
              [code],
            );
      return rows.map(dvFromRow);
    },
  };
}
