import { describe, expect, it } from 'vitest';
import type {
  CentreLinkHealth,
  PaymentHealth,
  PrinterHealth,
  ReaderHealth,
} from '../../protocol/heartbeat.ts';
import { exitCodeFor } from './assess-health.ts';
import { collectKioskHealth, type HealthProbes } from './collect-health.ts';

const NOW = new Date('2026-12-02T01:00:00Z');
const READY: ReaderHealth = {
  name: 'Virtual PCD 00 00',
  state: 'ready',
  cardPresent: false,
  lastError: null,
};
const IDLE: PrinterHealth = {
  state: 'idle',
  reasons: [],
  supplies: [
    { name: 'black toner', kind: 'toner', levelPercent: 80 },
    { name: 'main tray', kind: 'paper', levelPercent: 60 },
  ],
  queuedJobs: 0,
};
const PAYMENT: PaymentHealth = {
  state: 'online',
  faults: [],
  changeLevels: { '10': 50, '50': 20, '100': 40, '500': 10 },
  coinBoxFull: false,
};
const CENTRE: CentreLinkHealth = {
  reachable: true,
  latencyMs: 40,
  clockSkewMs: 0,
  terminalCertificateNotAfter: '2027-12-01T00:00:00.000Z',
};

function probes(overrides: Partial<HealthProbes> = {}): HealthProbes {
  return {
    now: () => NOW,
    outOfServiceSince: () => null,
    readers: () => [READY],
    printer: async () => IDLE,
    payment: async () => PAYMENT,
    centre: async () => CENTRE,
    disk: async () => ({ path: '/var', freeBytes: 20 * 1024 ** 3, totalBytes: 100 * 1024 ** 3 }),
    versions: { kiosk: '0.1.0', protocol: '0.5.0', node: '20.19.0', electron: null },
    ...overrides,
  };
}

const codes = async (overrides: Partial<HealthProbes>) =>
  (await collectKioskHealth(probes(overrides))).problems.map((p) => p.code);

describe('status assembly', () => {
  it('a kiosk with every part well is healthy (exit 0) and carries each part as probed', async () => {
    const health = await collectKioskHealth(probes());
    expect(health).toMatchObject({
      at: NOW.toISOString(),
      overall: 'healthy',
      problems: [],
      readers: [READY],
      printer: IDLE,
      payment: PAYMENT,
      centre: CENTRE,
    });
    expect(exitCodeFor(health.overall)).toBe(0);
  });

  it('low supplies, low change, a slow link, a skewed clock and an expiring certificate degrade it (exit 1)', async () => {
    const health = await collectKioskHealth(
      probes({
        printer: async () => ({
          ...IDLE,
          supplies: [
            { name: 'black toner', kind: 'toner', levelPercent: 5 },
            { name: 'main tray', kind: 'paper', levelPercent: 8 },
          ],
        }),
        payment: async () => ({ ...PAYMENT, changeLevels: { ...PAYMENT.changeLevels, '10': 2 } }),
        centre: async () => ({
          ...CENTRE,
          latencyMs: 2500,
          clockSkewMs: -90_000,
          terminalCertificateNotAfter: '2026-12-20T00:00:00.000Z',
        }),
        disk: async () => ({ path: '/var', freeBytes: 100 * 1024 ** 2, totalBytes: 100 * 1024 ** 3 }),
      }),
    );
    expect(health.problems.map((p) => p.code)).toEqual([
      'printer-paper-low',
      'printer-toner-low',
      'payment-change-low',
      'centre-slow',
      'clock-skew',
      'terminal-certificate-expiring',
      'disk-low',
    ]);
    expect(health.problems.every((p) => !p.blocking)).toBe(true);
    expect(health.overall).toBe('degraded');
    expect(exitCodeFor(health.overall)).toBe(1);
  });

  it('anything that stops a resident being served puts it out of service (exit 2)', async () => {
    expect(await codes({ readers: () => [] })).toEqual(['reader-missing']);
    expect(
      await codes({
        readers: () => [{ ...READY, state: 'service-down', name: '-', lastError: 'service-down' }],
      }),
    ).toEqual(['reader-service-down']);
    expect(
      await codes({ printer: async () => ({ ...IDLE, state: 'stopped', reasons: ['media-empty-error'] }) }),
    ).toEqual(['printer-out-of-paper']);
    expect(await codes({ payment: async () => ({ ...PAYMENT, coinBoxFull: true }) })).toEqual([
      'payment-coin-box-full',
    ]);
    expect(await codes({ centre: async () => ({ ...CENTRE, reachable: false, latencyMs: null }) })).toEqual([
      'centre-unreachable',
    ]);
    expect(
      await codes({
        centre: async () => ({ ...CENTRE, terminalCertificateNotAfter: '2026-12-01T00:00:00.000Z' }),
      }),
    ).toEqual(['terminal-certificate-expired']);
    const switched = await collectKioskHealth(
      probes({ outOfServiceSince: () => '2026-12-02T00:30:00.000Z' }),
    );
    expect(switched.problems).toEqual([{ code: 'out-of-service-switch', blocking: true }]);
    expect(switched.overall).toBe('out-of-service');
    expect(exitCodeFor(switched.overall)).toBe(2);
  });

  it('a probe that throws is reported as its part unreachable or unknown, never as healthy', async () => {
    const health = await collectKioskHealth(
      probes({
        printer: () => Promise.reject(new Error('boom')),
        payment: () => Promise.reject(new Error('boom')),
        centre: () => Promise.reject(new Error('boom')),
        readers: () => {
          throw new Error('boom');
        },
      }),
    );
    expect(health.printer.state).toBe('unreachable');
    expect(health.payment.state).toBe('unknown');
    expect(health.centre.reachable).toBe(false);
    expect(health.problems.map((p) => p.code)).toEqual([
      'reader-missing',
      'printer-unreachable',
      'payment-offline',
      'centre-unreachable',
    ]);
    expect(health.overall).toBe('out-of-service');
  });
});
