import { describe, expect, it } from 'vitest';
import { createCrashSupervisor } from './crash-supervisor.ts';

function clock(start = 0) {
  let t = start;
  return { now: () => t, step: (ms: number) => (t += ms) };
}

describe('crash supervisor', () => {
  it('recovers from two faults and goes out of service at the third within the window', () => {
    const c = clock();
    const supervisor = createCrashSupervisor({ limit: 3, windowMs: 60_000, now: c.now });
    expect(supervisor.record('session-machine')).toBe('recover');
    c.step(10_000);
    expect(supervisor.record('renderer-gone')).toBe('recover');
    expect(supervisor.outOfService).toBe(false);
    c.step(10_000);
    expect(supervisor.record('unhandled-rejection')).toBe('out-of-service');
    expect(supervisor.outOfService).toBe(true);
  });

  it('forgets faults older than the window', () => {
    const c = clock();
    const supervisor = createCrashSupervisor({ limit: 3, windowMs: 60_000, now: c.now });
    supervisor.record('session-machine');
    supervisor.record('session-machine');
    c.step(60_000);
    expect(supervisor.record('session-machine')).toBe('recover');
    c.step(59_999);
    expect(supervisor.record('session-machine')).toBe('recover');
    expect(supervisor.record('session-machine')).toBe('out-of-service');
  });

  it('stays out of service once it is', () => {
    const c = clock();
    const supervisor = createCrashSupervisor({ limit: 1, windowMs: 1000, now: c.now });
    expect(supervisor.record('renderer-gone')).toBe('out-of-service');
    c.step(1_000_000);
    expect(supervisor.outOfService).toBe(true);
    expect(supervisor.record('renderer-gone')).toBe('out-of-service');
  });

  it('refuses limits that cannot work', () => {
    expect(() => createCrashSupervisor({ limit: 0 })).toThrow(RangeError);
    expect(() => createCrashSupervisor({ windowMs: 0 })).toThrow(RangeError);
  });
});
