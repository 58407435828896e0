import { hash, verify, type Options } from '@node-rs/argon2';

/**
 * Console passwords: Argon2id (RFC 9106, the Password Hashing Competition winner, OWASP's first
 * choice) through @node-rs/argon2 — memory-hard, so guessing on GPUs is expensive, and stored as a
 * PHC string that carries its own salt and parameters. Parameters: OWASP's minimum for Argon2id
 * (19 MiB, 2 passes, 1 lane), about 30 ms a hash here.
 */
/** `Algorithm.Argon2id` (an ambient const enum the package declares; its value is 2). */
const ARGON2ID = 2 as NonNullable<Options['algorithm']>;
const OPTIONS: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** At least 12 characters (NIST SP 800-63B allows long passphrases; we cap at 256). */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export type PasswordProblem = 'too-short' | 'too-long';

export function passwordProblem(password: string): PasswordProblem | undefined {
  if ([...password].length < PASSWORD_MIN) return 'too-short';
  if ([...password].length > PASSWORD_MAX) return 'too-long';
  return undefined;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** False for a wrong password or a malformed hash (never throws). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
