import type { ConsoleRole } from './roles.ts';

/** A municipal console user (the hash is Argon2id, PHC string; never the password). */
export interface ConsoleUser {
  userId: string;
  municipalityCode: string;
  login: string;
  role: ConsoleRole;
  passwordHash: string;
  failedAttempts: number;
  /** Epoch ms until which sign-in is refused; absent when not locked. */
  lockedUntil?: number;
  disabled: boolean;
  createdAt: number;
}

/** A signed-in session: only the SHA-256 of the cookie's token is stored. */
export interface ConsoleSession {
  tokenSha256: string;
  userId: string;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

/** One audited change: who, when, what, before and after (JSON, or absent). */
export interface AuditEntry {
  municipalityCode: string;
  at: number;
  /** `console:<login>` or `admin-token:<code>`. */
  actor: string;
  action: string;
  target: string;
  /** A DV 支援措置 change: its target and values are shown to DV officers only. */
  restricted: boolean;
  before?: unknown;
  after?: unknown;
}

export interface AuditRow extends AuditEntry {
  id: number;
}

/** The municipality's own DV decision about a resident, applied over every register load. */
export interface DvDecision {
  holderId: string;
  municipalityCode: string;
  blocked: boolean;
  setAt: number;
  setBy: string;
}

/** Where audited changes go (the console and the admin API write to the same trail). */
export interface AuditSink {
  append(entry: AuditEntry): Promise<void>;
}

/** The console's tables (migration 12), on the centre's database. */
export interface ConsoleStore extends AuditSink {
  /** Inserts, or (same login) replaces role, hash and municipality and clears the lock. */
  upsertUser(user: ConsoleUser): Promise<void>;
  /** Inserts a new user; `login-taken` (nothing written) when the login exists. */
  createUser(user: ConsoleUser): Promise<'created' | 'login-taken'>;
  userByLogin(login: string): Promise<ConsoleUser | undefined>;
  userById(userId: string): Promise<ConsoleUser | undefined>;
  listUsers(municipalityCode: string): Promise<ConsoleUser[]>;
  /** Records a failed sign-in atomically; locks until `lockUntil` when the count reaches `limit`. */
  recordFailedSignIn(userId: string, limit: number, lockUntil: number): Promise<ConsoleUser | undefined>;
  resetFailedSignIns(userId: string): Promise<void>;
  setDisabled(userId: string, disabled: boolean): Promise<void>;
  setRole(userId: string, role: ConsoleRole): Promise<void>;

  putSession(session: ConsoleSession): Promise<void>;
  sessionByTokenSha256(tokenSha256: string): Promise<ConsoleSession | undefined>;
  deleteSession(tokenSha256: string): Promise<void>;
  deleteSessionsOf(userId: string): Promise<void>;

  listAudit(municipalityCode: string): Promise<AuditRow[]>;

  putDvDecision(decision: DvDecision): Promise<void>;
  /** Residents registered in the municipality whose DV block is set now (seeded or decided). */
  listDvBlockedHolders(municipalityCode: string): Promise<string[]>;
  listDvDecisions(municipalityCode?: string): Promise<DvDecision[]>;
}

/** Row shapes shared by both dialects. */
export interface UserRow {
  user_id: string;
  municipality_code: string;
  login: string;
  role: string;
  password_hash: string;
  failed_attempts: number | string;
  locked_until: number | string | null;
  disabled: number | string;
  created_at: number | string;
}

export function userFromRow(row: UserRow): ConsoleUser {
  return {
    userId: row.user_id,
    municipalityCode: row.municipality_code,
    login: row.login,
    role: row.role as ConsoleRole,
    passwordHash: row.password_hash,
    failedAttempts: Number(row.failed_attempts),
    ...(row.locked_until === null ? {} : { lockedUntil: Number(row.locked_until) }),
    disabled: Number(row.disabled) === 1,
    createdAt: Number(row.created_at),
  };
}

export interface SessionRow {
  token_sha256: string;
  user_id: string;
  csrf_token: string;
  created_at: number | string;
  expires_at: number | string;
}

export function sessionFromRow(row: SessionRow): ConsoleSession {
  return {
    tokenSha256: row.token_sha256,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
}

export interface AuditDbRow {
  id: number | string;
  municipality_code: string;
  at: number | string;
  actor: string;
  action: string;
  target: string;
  restricted: number | string;
  before_json: string | null;
  after_json: string | null;
}

export function auditFromRow(row: AuditDbRow): AuditRow {
  return {
    id: Number(row.id),
    municipalityCode: row.municipality_code,
    at: Number(row.at),
    actor: row.actor,
    action: row.action,
    target: row.target,
    restricted: Number(row.restricted) === 1,
    ...(row.before_json === null ? {} : { before: JSON.parse(row.before_json) as unknown }),
    ...(row.after_json === null ? {} : { after: JSON.parse(row.after_json) as unknown }),
  };
}

export interface DvRow {
  holder_id: string;
  municipality_code: string;
  blocked: number | string;
  set_at: number | string;
  set_by: string;
}

export function dvFromRow(row: DvRow): DvDecision {
  return {
    holderId: row.holder_id,
    municipalityCode: row.municipality_code,
    blocked: Number(row.blocked) === 1,
    setAt: Number(row.set_at),
    setBy: row.set_by,
  };
}

export const jsonOrNull = (value: unknown): string | null =>
  value === undefined ? null : JSON.stringify(value);
