import { randomBytes, randomUUID } from 'node:crypto';
import type { DeploymentMode } from '../../protocol/transport.ts';
import { hashPassword } from './passwords.ts';
import { CENTRE_SCOPE, CONSOLE_ROLES, type ConsoleRole } from './roles.ts';
import type { ConsoleStore } from './store.ts';

export interface DevelopmentUser {
  municipalityCode: string;
  role: ConsoleRole;
  login: string;
  password: string;
}

/** Refused in production: development users have passwords printed on a terminal. */
export class DevelopmentUsersRefused extends Error {
  override readonly name = 'DevelopmentUsersRefused';
}

/**
 * Development only: one console user per municipality and role (`<role>@<code>`), and the centre's
 * operator (`operator@centre`), each with a fresh random password at every start (an existing one
 * is reset and unlocked). Never in production.
 */
export async function seedDevelopmentUsers(
  store: ConsoleStore,
  municipalityCodes: readonly string[],
  mode: DeploymentMode,
  now: number,
): Promise<DevelopmentUser[]> {
  if (mode === 'production')
    throw new DevelopmentUsersRefused('development users are never seeded in production');
  const users: DevelopmentUser[] = [];
  const scopes: [string, readonly ConsoleRole[]][] = [
    ...municipalityCodes.map((code): [string, readonly ConsoleRole[]] => [code, CONSOLE_ROLES]),
    [CENTRE_SCOPE, ['operator']],
  ];
  for (const [municipalityCode, roles] of scopes)
    for (const role of roles) {
      const login = `${role}@${municipalityCode}`;
      const password = randomBytes(12).toString('base64url');
      await store.upsertUser({
        userId: randomUUID(),
        municipalityCode,
        login,
        role,
        passwordHash: await hashPassword(password),
        failedAttempts: 0,
        disabled: false,
        createdAt: now,
      });
      users.push({ municipalityCode, role, login, password });
    }
  return users;
}
