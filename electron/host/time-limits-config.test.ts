import { describe, expect, it } from 'vitest';
import { parseTimeLimits } from './time-limits-config.ts';

describe('the time limits an operator configures', () => {
  it('reads the named limits in milliseconds', () => {
    expect(parseTimeLimits('menuIdleMs=25000, paymentIdleMs=180000')).toEqual({
      ok: true,
      timeouts: { menuIdleMs: 25_000, paymentIdleMs: 180_000 },
    });
    expect(parseTimeLimits('')).toEqual({ ok: true, timeouts: {} });
  });

  it('refuses an unknown name, a value out of range or not a whole number', () => {
    expect(parseTimeLimits('menuMs=25000')).toEqual({
      ok: false,
      problem: 'unknown-limit',
      at: 'menuMs=25000',
    });
    expect(parseTimeLimits('toString=5000')).toMatchObject({ ok: false, problem: 'unknown-limit' });
    for (const bad of [
      'menuIdleMs=500',
      'menuIdleMs=1e4',
      'menuIdleMs=',
      'menuIdleMs',
      'menuIdleMs=9999999',
      'menuIdleMs=1=2',
    ])
      expect(parseTimeLimits(bad), bad).toMatchObject({ ok: false, problem: 'bad-value' });
  });
});
