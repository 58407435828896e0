import { randomBytes, timingSafeEqual } from 'node:crypto';

/** kiosk:web's per-start secret: 32 random bytes, URL-safe. */
export function newStartSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether `given` is the secret, compared in constant time. */
export function isStartSecret(given: string | null | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}
