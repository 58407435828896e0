import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { FaultOutcome, HostFault } from './crash-supervisor.ts';
import { createHostLogger } from './logger.ts';
import {
  createQuitGate,
  isRendererFault,
  OUT_OF_SERVICE_EXIT_CODE,
  superviseProcess,
  within,
} from './process-supervision.ts';
import { manualClock } from './test-support/fakes.ts';

const logger = createHostLogger({ level: 'silent' });

function fakeHost() {
  const faults: HostFault[] = [];
  const listeners = new Set<() => void>();
  return {
    faults,
    goOutOfService: () => listeners.forEach((l) => l()),
    host: {
      reportFault(fault: HostFault): FaultOutcome {
        faults.push(fault);
        return 'recover';
      },
      onOutOfService(listener: () => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('process supervision', () => {
  it('turns an unhandled rejection and an uncaught exception into host faults', () => {
    const events = new EventEmitter();
    const { host, faults } = fakeHost();
    const stop = superviseProcess({
      host,
      close: async () => undefined,
      exit: () => undefined,
      logger,
      events,
    });
    events.emit('unhandledRejection', new Error('release failed'));
    events.emit('uncaughtException', new TypeError('x is undefined'));
    expect(faults).toEqual(['unhandled-rejection', 'uncaught-exception']);
    stop();
    expect(events.listenerCount('unhandledRejection')).toBe(0);
    expect(events.listenerCount('uncaughtException')).toBe(0);
  });

  it('out of service: holds the screen, closes the host, then exits non-zero', async () => {
    const clock = manualClock();
    const steps: string[] = [];
    const { host, goOutOfService } = fakeHost();
    superviseProcess({
      host,
      close: async () => void steps.push('closed'),
      exit: (code) => steps.push(`exit ${code}`),
      logger,
      events: new EventEmitter(),
      clock,
    });
    goOutOfService();
    expect(steps).toEqual([]); // the out-of-service screen is up
    clock.fireAll();
    await flush();
    expect(steps).toEqual(['closed', `exit ${OUT_OF_SERVICE_EXIT_CODE}`]);
    expect(OUT_OF_SERVICE_EXIT_CODE).not.toBe(0);
  });

  it('exits even when the clean-up never finishes', async () => {
    const clock = manualClock();
    const codes: number[] = [];
    const { host, goOutOfService } = fakeHost();
    superviseProcess({
      host,
      close: () => new Promise<void>(() => undefined),
      exit: (code) => codes.push(code),
      logger,
      events: new EventEmitter(),
      clock,
    });
    goOutOfService();
    clock.fireAll(); // the hold
    await flush();
    expect(codes).toEqual([]);
    clock.fireAll(); // the close limit
    await flush();
    expect(codes).toEqual([OUT_OF_SERVICE_EXIT_CODE]);
  });
});

describe('quit gate (before-quit)', () => {
  it('holds the first quit until the clean-up has run, then lets the next one through', async () => {
    let finishCleanUp: () => void = () => undefined;
    const steps: string[] = [];
    const gate = createQuitGate({
      close: () =>
        new Promise<void>((resolve) => (finishCleanUp = resolve)).then(() => void steps.push('cleaned')),
      quit: () => steps.push('quit'),
      logger,
    });
    const first = { prevented: false, preventDefault: () => (first.prevented = true) };
    gate(first);
    expect(first.prevented).toBe(true);
    const again = { prevented: false, preventDefault: () => (again.prevented = true) };
    gate(again); // a second quit while cleaning up is held too, and starts nothing new
    expect(again.prevented).toBe(true);
    await flush();
    expect(steps).toEqual([]);
    finishCleanUp();
    await flush();
    expect(steps).toEqual(['cleaned', 'quit']);
    const last = { prevented: false, preventDefault: () => (last.prevented = true) };
    gate(last);
    expect(last.prevented).toBe(false);
  });

  it('quits after the limit when the clean-up hangs', async () => {
    const clock = manualClock();
    const steps: string[] = [];
    const gate = createQuitGate({
      close: () => new Promise<void>(() => undefined),
      quit: () => steps.push('quit'),
      logger,
      clock,
      limitMs: 1000,
    });
    gate({ preventDefault: () => undefined });
    await flush();
    expect(steps).toEqual([]);
    clock.fireAll();
    await flush();
    expect(steps).toEqual(['quit']);
  });

  it('within() says whether the work finished in time', async () => {
    const clock = manualClock();
    expect(await within(async () => undefined, 10, clock)).toBe(true);
    expect(clock.pending()).toBe(0);
  });
});

describe('renderer gone', () => {
  it('counts every reason but a clean exit as a fault', () => {
    expect(isRendererFault('crashed')).toBe(true);
    expect(isRendererFault('oom')).toBe(true);
    expect(isRendererFault('killed')).toBe(true);
    expect(isRendererFault('clean-exit')).toBe(false);
  });
});
