import type Database from 'better-sqlite3';
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

/** The console's tables on the centre's SQLite database. */
export function sqliteConsoleStore(db: Database.Database): ConsoleStore {
  const stmt = {
    upsertUser: db.prepare(
      `INSERT INTO console_users (user_id, municipality_code, login, role, password_hash, failed_attempts, locked_until, disabled, created_at)
       VALUES (?, ?, ?, ?, ?, 0, NULL, ?, ?)
       ON CONFLICT(login) DO UPDATE SET municipality_code = excluded.municipality_code, role = excluded.role,
         password_hash = excluded.password_hash, failed_attempts = 0, locked_until = NULL, disabled = excluded.disabled`,
    ),
    createUser: db.prepare(
      `INSERT INTO console_users (user_id, municipality_code, login, role, password_hash, failed_attempts, locked_until, disabled, created_at)
       VALUES (?, ?, ?, ?, ?, 0, NULL, 0, ?) ON CONFLICT DO NOTHING`,
    ),
    byLogin: db.prepare('SELECT * FROM console_users WHERE login = ?'),
    byId: db.prepare('SELECT * FROM console_users WHERE user_id = ?'),
    list: db.prepare('SELECT * FROM console_users WHERE municipality_code = ? ORDER BY login'),
    fail: db.prepare(
      `UPDATE console_users SET failed_attempts = failed_attempts + 1,
         locked_until = CASE WHEN failed_attempts + 1 >= ? THEN ? ELSE locked_until END
       WHERE user_id = ? RETURNING *`,
    ),
    reset: db.prepare('UPDATE console_users SET failed_attempts = 0, locked_until = NULL WHERE user_id = ?'),
    setRole: db.prepare('UPDATE console_users SET role = ? WHERE user_id = ?'),
    disable: db.prepare('UPDATE console_users SET disabled = ? WHERE user_id = ?'),
    putSession: db.prepare(
      'INSERT INTO console_sessions (token_sha256, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ),
    session: db.prepare('SELECT * FROM console_sessions WHERE token_sha256 = ?'),
    deleteSession: db.prepare('DELETE FROM console_sessions WHERE token_sha256 = ?'),
    deleteSessionsOf: db.prepare('DELETE FROM console_sessions WHERE user_id = ?'),
    append: db.prepare(
      `INSERT INTO console_audit (municipality_code, at, actor, action, target, restricted, before_json, after_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    audit: db.prepare('SELECT * FROM console_audit WHERE municipality_code = ? ORDER BY id'),
    putDv: db.prepare(
      `INSERT INTO console_dv_blocks (holder_id, municipality_code, blocked, set_at, set_by) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(holder_id) DO UPDATE SET municipality_code = excluded.municipality_code, blocked = excluded.blocked,
         set_at = excluded.set_at, set_by = excluded.set_by`,
    ),
    dvOf: db.prepare('SELECT * FROM console_dv_blocks WHERE municipality_code = ? ORDER BY holder_id'),
    dvBlocked: db
      .prepare(
        `SELECT holder_id FROM residents WHERE json_extract(record_json, '$.municipalityCode') = ?
           AND json_extract(record_json, '$.dvBlock') = 1 ORDER BY holder_id`,
      )
      .pluck(),
    dvAll: db.prepare('SELECT * FROM console_dv_blocks ORDER BY holder_id'),
  };
  return {
    async upsertUser(u) {
      stmt.upsertUser.run(
        u.userId,
        u.municipalityCode,
        u.login,
        u.role,
        u.passwordHash,
        u.disabled ? 1 : 0,
        u.createdAt,
      );
    },
    async createUser(u) {
      const info = stmt.createUser.run(
        u.userId,
        u.municipalityCode,
        u.login,
        u.role,
        u.passwordHash,
        u.createdAt,
      );
      return info.changes === 1 ? 'created' : 'login-taken';
    },
    async userByLogin(login) {
      const row = stmt.byLogin.get(login) as UserRow | undefined;
      return row && userFromRow(row);
    },
    async userById(userId) {
      const row = stmt.byId.get(userId) as UserRow | undefined;
      return row && userFromRow(row);
    },
    async listUsers(code) {
      return (stmt.list.all(code) as UserRow[]).map(userFromRow);
    },
    async recordFailedSignIn(userId, limit, lockUntil) {
      const row = stmt.fail.get(limit, lockUntil, userId) as UserRow | undefined;
      return row && userFromRow(row);
    },
    async resetFailedSignIns(userId) {
      stmt.reset.run(userId);
    },
    async setRole(userId, role) {
      stmt.setRole.run(role, userId);
    },
    async setDisabled(userId, disabled) {
      stmt.disable.run(disabled ? 1 : 0, userId);
    },
    async putSession(s) {
      stmt.putSession.run(s.tokenSha256, s.userId, s.csrfToken, s.createdAt, s.expiresAt);
    },
    async sessionByTokenSha256(tokenSha256) {
      const row = stmt.session.get(tokenSha256) as SessionRow | undefined;
      return row && sessionFromRow(row);
    },
    async deleteSession(tokenSha256) {
      stmt.deleteSession.run(tokenSha256);
    },
    async deleteSessionsOf(userId) {
      stmt.deleteSessionsOf.run(userId);
    },
    async append(e) {
      stmt.append.run(
        e.municipalityCode,
        e.at,
        e.actor,
        e.action,
        e.target,
        e.restricted ? 1 : 0,
        jsonOrNull(e.before),
        jsonOrNull(e.after),
      );
    },
    async listAudit(code) {
      return (stmt.audit.all(code) as AuditDbRow[]).map(auditFromRow);
    },
    async putDvDecision(d) {
      stmt.putDv.run(d.holderId, d.municipalityCode, d.blocked ? 1 : 0, d.setAt, d.setBy);
    },
    async listDvBlockedHolders(code) {
      return stmt.dvBlocked.all(code) as string[];
    },
    async listDvDecisions(code) {
      const rows = (code === undefined ? stmt.dvAll.all() : stmt.dvOf.all(code)) as DvRow[];
      return rows.map(dvFromRow);
    },
  };
}
