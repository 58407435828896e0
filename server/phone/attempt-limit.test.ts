import { describe, expect, it } from 'vitest';
import { createAttemptLimiter } from './attempt-limit.ts';

const MINUTE = 60_000;

describe('attempt limiter', () => {
  it('allows max attempts in a sliding window, then says how long until the oldest ages out', () => {
    const limiter = createAttemptLimiter({ max: 3, windowMs: 10 * MINUTE });
    expect(limiter.take('card', 0)).toEqual({ allowed: true });
    expect(limiter.take('card', 1 * MINUTE)).toEqual({ allowed: true });
    expect(limiter.take('card', 2 * MINUTE)).toEqual({ allowed: true });
    expect(limiter.take('card', 3 * MINUTE)).toEqual({ allowed: false, retryAfterMs: 7 * MINUTE });
    // A refused attempt is not counted: the first attempt's slot frees at 10 minutes exactly.
    expect(limiter.take('card', 10 * MINUTE - 1)).toEqual({ allowed: false, retryAfterMs: 1 });
    expect(limiter.take('card', 10 * MINUTE)).toEqual({ allowed: true });
    expect(limiter.take('card', 10 * MINUTE + 1)).toEqual({ allowed: false, retryAfterMs: MINUTE - 1 });
  });

  it('counts each key apart', () => {
    const limiter = createAttemptLimiter({ max: 1, windowMs: MINUTE });
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 1).allowed).toBe(false);
    expect(limiter.take('b', 1).allowed).toBe(true);
  });

  it('forgets keys beyond its bound, idle ones first, so a flood of new keys cannot fill memory', () => {
    const limiter = createAttemptLimiter({ max: 1, windowMs: MINUTE }, 2);
    limiter.take('idle', 0);
    limiter.take('busy', 2 * MINUTE);
    limiter.take('new', 2 * MINUTE);
    // 'idle' aged out and was forgotten; 'busy' is still counted.
    expect(limiter.take('busy', 2 * MINUTE + 1).allowed).toBe(false);
    limiter.take('newer', 2 * MINUTE + 2); // all recent: the oldest inserted goes
    expect(limiter.take('busy', 2 * MINUTE + 3).allowed).toBe(true);
  });

  it('refuses a limit that would allow nothing', () => {
    expect(() => createAttemptLimiter({ max: 0, windowMs: MINUTE })).toThrow(RangeError);
    expect(() => createAttemptLimiter({ max: 1, windowMs: 0 })).toThrow(RangeError);
  });
});
