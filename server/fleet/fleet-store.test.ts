/** The last heartbeat per terminal on both databases: newer replaces, older or equal never does. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskHealth } from '../../protocol/heartbeat.ts';
import { openCentreStores } from '../db/openRepository.ts';
import { BACKEND_SETUP_TIMEOUT_MS, databaseBackends } from '../test-support/backends.ts';
import type { TerminalHealthRecord } from './fleet-store.ts';

const HEALTH: KioskHealth = {
  at: '2026-12-02T01:00:00.000Z',
  overall: 'healthy',
  problems: [],
  outOfServiceSince: null,
  readers: [],
  printer: { state: 'idle', reasons: [], supplies: [], queuedJobs: null },
  payment: { state: 'unknown', faults: [], changeLevels: {}, coinBoxFull: false },
  centre: { reachable: true, latencyMs: 3, clockSkewMs: 0, terminalCertificateNotAfter: null },
  disk: null,
  versions: { kiosk: '0.1.0', protocol: '0.5.0', node: '20.19.0', electron: null },
};

const entry = (
  terminalId: string,
  sentAt: number,
  overall: KioskHealth['overall'],
): TerminalHealthRecord => ({
  terminalId,
  storeCode: terminalId.split('-')[0]!,
  sentAt,
  receivedAt: sentAt + 5,
  certificateNotAfter: 1_900_000_000_000,
  health: { ...HEALTH, overall },
  signature: 'AAAA',
});

describe.each(databaseBackends())('fleet store on $name', (backend) => {
  beforeAll(() => backend.setup(), BACKEND_SETUP_TIMEOUT_MS);
  afterAll(() => backend.teardown());

  it('keeps one row per terminal, replaced only by a newer heartbeat', async () => {
    const stores = await openCentreStores(await backend.fresh());
    try {
      const fleet = stores.fleet;
      expect(await fleet.record(entry('S0002-T01', 2_000, 'healthy'))).toBe(true);
      expect(await fleet.record(entry('S0001-T01', 1_000, 'healthy'))).toBe(true);
      expect(await fleet.record(entry('S0001-T01', 3_000, 'degraded'))).toBe(true);
      expect(await fleet.record(entry('S0001-T01', 3_000, 'out-of-service'))).toBe(false);
      expect(await fleet.record(entry('S0001-T01', 2_500, 'out-of-service'))).toBe(false);
      const latest = await fleet.latest();
      expect(latest.map((r) => [r.terminalId, r.sentAt, r.health.overall])).toEqual([
        ['S0001-T01', 3_000, 'degraded'],
        ['S0002-T01', 2_000, 'healthy'],
      ]);
      expect(latest[0]).toEqual(entry('S0001-T01', 3_000, 'degraded'));
    } finally {
      await stores.repository.close();
    }
  });
});
