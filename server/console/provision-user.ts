/**
 * The first console users of a production centre, made from the command line (no development
 * seeding): a municipality's administrator, or the centre's operator. The password is typed twice;
 * a weak one is refused; the creation is written to the audit trail.
 */
import type { CentreRepository } from '../db/repository.ts';
import { newConsoleUser, type NewUserFailure } from './auth.ts';
import { CENTRE_SCOPE, isCentreRole, isConsoleRole, type ConsoleRole } from './roles.ts';
import type { ConsoleStore } from './store.ts';

export type ProvisionFailure =
  | NewUserFailure
  | { kind: 'unknown-role' }
  | { kind: 'unknown-municipality' }
  | { kind: 'passwords-differ' }
  | { kind: 'weak-password'; reason: 'few-distinct-characters' | 'contains-login' };

export interface ProvisionRequest {
  /** A municipality's code; ignored (CENTRE_SCOPE) for the centre's operator. */
  municipalityCode: string | undefined;
  login: string;
  role: string;
  password: string;
  confirmation: string;
  /** Who ran the command, for the audit trail (`cli:<name>`). */
  actor: string;
  now: number;
}

/** Fewer than 6 distinct characters ("aaaaaaaaaaaa", "123123123123"), or the login inside it. */
export function weakPasswordReason(
  password: string,
  login: string,
): 'few-distinct-characters' | 'contains-login' | undefined {
  if (new Set(password).size < 6) return 'few-distinct-characters';
  const name = login.split('@')[0] ?? login;
  if (name.length >= 3 && password.toLowerCase().includes(name.toLowerCase())) return 'contains-login';
  return undefined;
}

export async function provisionConsoleUser(
  store: ConsoleStore,
  repository: CentreRepository,
  request: ProvisionRequest,
): Promise<
  { ok: true; userId: string; municipalityCode: string } | { ok: false; failure: ProvisionFailure }
> {
  const role: ConsoleRole | undefined =
    isConsoleRole(request.role) || isCentreRole(request.role) ? request.role : undefined;
  if (!role) return { ok: false, failure: { kind: 'unknown-role' } };
  const municipalityCode = isCentreRole(role) ? CENTRE_SCOPE : request.municipalityCode;
  if (
    municipalityCode === undefined ||
    (!isCentreRole(role) && !(await repository.getMunicipality(municipalityCode)))
  )
    return { ok: false, failure: { kind: 'unknown-municipality' } };
  if (request.password !== request.confirmation) return { ok: false, failure: { kind: 'passwords-differ' } };
  const made = await newConsoleUser(store, {
    municipalityCode,
    login: request.login,
    role,
    password: request.password,
    now: request.now,
  });
  if (!made.ok) return made;
  const weak = weakPasswordReason(request.password, request.login);
  if (weak) return { ok: false, failure: { kind: 'weak-password', reason: weak } };
  if ((await store.createUser(made.user)) === 'login-taken')
    return { ok: false, failure: { kind: 'login-taken' } };
  await store.append({
    municipalityCode,
    at: request.now,
    actor: request.actor,
    action: 'user.create',
    target: `user:${made.user.login}`,
    restricted: false,
    after: { login: made.user.login, role: made.user.role },
  });
  return { ok: true, userId: made.user.userId, municipalityCode };
}
