import { describe, expect, it } from 'vitest';
import {
  machineCpuMsFromStat,
  mainThreadsCpuMs,
  parentPidFromStat,
  processCpuMsFromStat,
  processesCpuMs,
  processTreeCpuMs,
} from './cpu.ts';

// A /proc/PID/stat line whose command name holds a space and a parenthesis; utime 250, stime 50,
// cutime 30, cstime 20 ticks.
const STAT =
  '4242 (postgres: a) b) S 4200 4242 4242 0 -1 4194560 500 0 0 0 250 50 30 20 20 0 1 0 3000 170000000 4000 18446744073709551615';

describe('CPU from /proc', () => {
  it('reads user + system time of a process, in ms, past a command name with spaces and parentheses', () => {
    expect(processCpuMsFromStat(STAT)).toBe(3000);
    expect(processCpuMsFromStat(STAT, { reapedChildren: true })).toBe(3500);
    expect(parentPidFromStat(STAT)).toBe(4200);
    expect(() => processCpuMsFromStat('4242 (x)')).toThrow(RangeError);
  });

  it("reads the machine's busy and whole CPU time over every core", () => {
    const procStat = [
      'cpu  15152 26 4312 41898 273 0 86 13 0 0',
      'cpu0 4599 12 1757 24431 44 0 21 5 0 0',
    ].join('\n');
    // busy: user + nice + system + irq + softirq + steal; whole: busy + idle + iowait.
    expect(machineCpuMsFromStat(procStat)).toEqual({
      busyMs: (15152 + 26 + 4312 + 0 + 86 + 13) * 10,
      totalMs: (15152 + 26 + 4312 + 41898 + 273 + 0 + 86 + 13) * 10,
    });
    expect(() => machineCpuMsFromStat('intr 1 2 3')).toThrow(RangeError);
  });

  it("counts this process's own work, and a parent's children's", () => {
    const before = processesCpuMs([process.pid]);
    const treeBefore = processTreeCpuMs(process.ppid);
    // Busy for 30 ms of CPU (not of the wall clock: the machine may be shared), three ticks at least.
    const start = process.cpuUsage();
    while (process.cpuUsage(start).user + process.cpuUsage(start).system < 30_000);
    expect(processesCpuMs([process.pid])).toBeGreaterThan(before);
    // The busy loop ran on this (main) thread, which is part of the whole process.
    const main = mainThreadsCpuMs([process.pid]);
    expect(main).toBeGreaterThanOrEqual(30);
    expect(main).toBeLessThanOrEqual(processesCpuMs([process.pid]));
    expect(processTreeCpuMs(process.ppid)).toBeGreaterThan(treeBefore);
  });
});
