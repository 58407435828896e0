import { describe, expect, it } from 'vitest';
import { demoOpeningHoursClock, businessTimeFor, isBusinessTime } from './clock.ts';

describe('the demo opening-hours clock', () => {
  it('keeps a weekday 10:00 JST as it is', () => {
    const wednesday = new Date('2026-11-25T01:00:00Z'); // 10:00 JST
    expect(isBusinessTime(wednesday)).toBe(true);
    expect(businessTimeFor(wednesday)).toEqual(wednesday);
  });

  it('maps a night, a weekend and the year-end closure to the last open weekday 10:00 JST', () => {
    expect(businessTimeFor(new Date('2026-11-25T19:40:00Z')).toISOString()).toBe('2026-11-25T01:00:00.000Z');
    // Sunday 2026-11-29 14:00 JST → Friday 2026-11-27 10:00 JST
    expect(businessTimeFor(new Date('2026-11-29T05:00:00Z')).toISOString()).toBe('2026-11-27T01:00:00.000Z');
    // 2027-01-02 → Monday 2026-12-28 10:00 JST
    expect(businessTimeFor(new Date('2027-01-02T03:00:00Z')).toISOString()).toBe('2026-12-28T01:00:00.000Z');
  });

  it('advances in real time from the mapped instant', () => {
    let real = new Date('2026-11-25T19:40:00Z').getTime();
    const clock = demoOpeningHoursClock(() => new Date(real));
    expect(clock.shifted).toBe(true);
    const first = clock.openingHoursNow().getTime();
    real += 5_000;
    expect(clock.openingHoursNow().getTime() - first).toBe(5_000);
  });
});
