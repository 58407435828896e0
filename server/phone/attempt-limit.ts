/**
 * How often the phone's face check may be tried: a sliding window of attempts per key, in the
 * centre's memory. The phone routes keep two: per source address and per card (the SHA-256 of the
 * 利用者証明用 certificate's DER the request presents — the key grants are bound by, never a My
 * Number). An attempt refused here is not counted, so a window frees as its oldest attempt ages.
 */

export interface AttemptLimit {
  /** Attempts allowed within any window of `windowMs`. */
  max: number;
  windowMs: number;
}

export interface PhoneAttemptLimits {
  /**
   * Per source address. Looser than per card: phones on a mobile network share addresses (carrier
   * NAT), and the card limit is what stops face after face on one stolen card.
   */
  perSource: AttemptLimit;
  perCard: AttemptLimit;
}

const TEN_MINUTES_MS = 10 * 60 * 1000;

export const PHONE_ATTEMPT_LIMITS: Readonly<PhoneAttemptLimits> = {
  perSource: { max: 20, windowMs: TEN_MINUTES_MS },
  perCard: { max: 5, windowMs: TEN_MINUTES_MS },
};

/** The answer of a refused attempt (HTTP 429): the typed code and when to try again. */
export const TOO_MANY_ATTEMPTS = 'too-many-attempts' as const;

export type AttemptDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface AttemptLimiter {
  /** Counts an attempt for `key` at `now` (epoch ms) if the window has room; else says how long to wait. */
  take(key: string, now: number): AttemptDecision;
}

/**
 * Keys beyond `maxKeys` are forgotten, idle ones first, then the oldest: the memory stays bounded
 * when a flood presents new keys (each flood request still counts against its source).
 */
export function createAttemptLimiter(limit: AttemptLimit, maxKeys = 10_000): AttemptLimiter {
  if (!Number.isInteger(limit.max) || limit.max < 1 || !(limit.windowMs > 0))
    throw new RangeError('attempt limit: max ≥ 1 and a positive window');
  const attempts = new Map<string, number[]>();

  const recent = (times: number[], now: number) => times.filter((t) => now - t < limit.windowMs);

  function forgetBeyond(now: number): void {
    if (attempts.size <= maxKeys) return;
    for (const [key, times] of attempts) if (recent(times, now).length === 0) attempts.delete(key);
    for (const key of attempts.keys()) {
      if (attempts.size <= maxKeys) break;
      attempts.delete(key);
    }
  }

  return {
    take(key, now) {
      const times = recent(attempts.get(key) ?? [], now);
      if (times.length >= limit.max) {
        attempts.set(key, times);
        return { allowed: false, retryAfterMs: (times[0] as number) + limit.windowMs - now };
      }
      attempts.delete(key); // re-inserted last: the oldest keys are the first forgotten
      attempts.set(key, [...times, now]);
      forgetBeyond(now);
      return { allowed: true };
    },
  };
}
