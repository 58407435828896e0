import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { hashPassword, passwordProblem, verifyPassword, type PasswordProblem } from './passwords.ts';
import type { ConsoleRole } from './roles.ts';
import type { ConsoleSession, ConsoleStore, ConsoleUser } from './store.ts';

/** Sign-in, sessions and CSRF tokens of the municipal console. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MS = 15 * 60_000;
export const SESSION_MS = 8 * 60 * 60_000;

export type SignInFailure = { kind: 'invalid-credentials' } | { kind: 'locked'; until: number };
export type SignInResult =
  | { ok: true; token: string; session: ConsoleSession; user: ConsoleUser }
  | { ok: false; failure: SignInFailure };

export const tokenSha256 = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

export interface ConsoleAuthOptions {
  store: ConsoleStore;
  now: () => Date;
}

export interface SignedIn {
  session: ConsoleSession;
  user: ConsoleUser;
}

export class ConsoleAuth {
  /** A hash to verify against when the login is unknown, so that both cases take as long. */
  private readonly decoy: Promise<string> = hashPassword(newToken());
  constructor(private readonly options: ConsoleAuthOptions) {}

  async signIn(login: string, password: string): Promise<SignInResult> {
    const { store } = this.options;
    const now = this.options.now().getTime();
    const user = await store.userByLogin(login);
    // An unknown login is not audited: it belongs to no municipality (and may be a mistyped password).
    if (!user) {
      await verifyPassword(await this.decoy, password);
      return { ok: false, failure: { kind: 'invalid-credentials' } };
    }
    /** Sign-ins and lock-outs go to the user's municipality's audit trail (the auditor reads them). */
    const audit = (action: string, after?: unknown) =>
      store.append({
        municipalityCode: user.municipalityCode,
        at: now,
        actor: `console:${user.login}`,
        action,
        target: `user:${user.login}`,
        restricted: false,
        ...(after === undefined ? {} : { after }),
      });
    if (user.disabled) {
      await verifyPassword(await this.decoy, password);
      await audit('sign-in.refused', { reason: 'disabled' });
      return { ok: false, failure: { kind: 'invalid-credentials' } };
    }
    // A locked account is refused without looking at the password (no guessing while locked).
    if (user.lockedUntil !== undefined && user.lockedUntil > now) {
      await audit('sign-in.refused', { reason: 'locked', until: user.lockedUntil });
      return { ok: false, failure: { kind: 'locked', until: user.lockedUntil } };
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      const after = await store.recordFailedSignIn(user.userId, LOCKOUT_THRESHOLD, now + LOCKOUT_MS);
      if (after?.lockedUntil !== undefined && after.lockedUntil > now) {
        await audit('sign-in.locked-out', { failedAttempts: after.failedAttempts, until: after.lockedUntil });
        return { ok: false, failure: { kind: 'locked', until: after.lockedUntil } };
      }
      await audit('sign-in.failed', { failedAttempts: after?.failedAttempts });
      return { ok: false, failure: { kind: 'invalid-credentials' } };
    }
    if (user.failedAttempts > 0 || user.lockedUntil !== undefined)
      await store.resetFailedSignIns(user.userId);
    const token = newToken();
    const session: ConsoleSession = {
      tokenSha256: tokenSha256(token),
      userId: user.userId,
      csrfToken: newToken(),
      createdAt: now,
      expiresAt: now + SESSION_MS,
    };
    await store.putSession(session);
    await audit('sign-in');
    return { ok: true, token, session, user };
  }

  /** The live session of a cookie's token and its user (enabled), else undefined. */
  async sessionFor(token: string | undefined): Promise<SignedIn | undefined> {
    if (!token) return undefined;
    const { store } = this.options;
    const session = await store.sessionByTokenSha256(tokenSha256(token));
    if (!session) return undefined;
    if (session.expiresAt <= this.options.now().getTime()) {
      await store.deleteSession(session.tokenSha256);
      return undefined;
    }
    const user = await store.userById(session.userId);
    if (!user || user.disabled) return undefined;
    return { session, user };
  }

  async signOut(session: ConsoleSession): Promise<void> {
    await this.options.store.deleteSession(session.tokenSha256);
  }
}

/** Constant-time comparison of the form's CSRF token with the session's. */
export function csrfTokenMatches(session: ConsoleSession, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(session.csrfToken, 'utf8');
  const b = Buffer.from(presented, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export type NewUserFailure = { kind: 'login-taken' } | { kind: 'bad-login' } | { kind: PasswordProblem };

export const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._@-]{2,63}$/;

/** A new user record (hash computed here); the caller stores it. */
export async function newConsoleUser(
  store: ConsoleStore,
  fields: { municipalityCode: string; login: string; role: ConsoleRole; password: string; now: number },
): Promise<{ ok: true; user: ConsoleUser } | { ok: false; failure: NewUserFailure }> {
  if (!LOGIN_PATTERN.test(fields.login)) return { ok: false, failure: { kind: 'bad-login' } };
  const problem = passwordProblem(fields.password);
  if (problem) return { ok: false, failure: { kind: problem } };
  if (await store.userByLogin(fields.login)) return { ok: false, failure: { kind: 'login-taken' } };
  return {
    ok: true,
    user: {
      userId: randomUUID(),
      municipalityCode: fields.municipalityCode,
      login: fields.login,
      role: fields.role,
      passwordHash: await hashPassword(fields.password),
      failedAttempts: 0,
      disabled: false,
      createdAt: fields.now,
    },
  };
}
