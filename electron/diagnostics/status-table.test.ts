import { describe, expect, it } from 'vitest';
import type { KioskHealth } from '../../protocol/heartbeat.ts';
import { healthTable } from './status-table.ts';

const HEALTH: KioskHealth = {
  at: '2026-12-02T01:00:00.000Z',
  overall: 'out-of-service',
  problems: [
    { code: 'printer-toner-low', blocking: false },
    { code: 'centre-unreachable', blocking: true },
  ],
  outOfServiceSince: null,
  readers: [{ name: 'Virtual PCD 00 00', state: 'ready', cardPresent: true, lastError: null }],
  printer: {
    state: 'idle',
    reasons: [],
    supplies: [{ name: 'black', kind: 'toner', levelPercent: 7 }],
    queuedJobs: 0,
  },
  payment: { state: 'not-checked', faults: [], changeLevels: {}, coinBoxFull: false },
  centre: { reachable: false, latencyMs: null, clockSkewMs: null, terminalCertificateNotAfter: null },
  disk: null,
  versions: { kiosk: '0.1.0', protocol: '0.5.0', node: '20.19.0', electron: null },
};

describe('diagnose table', () => {
  it('has one line per part, the problems with the blocking ones marked, and the verdict', () => {
    const table = healthTable(HEALTH, {
      day: '2026-12-02',
      delivered: [{ certificateType: 'juminhyo', transactions: 2, copies: 3 }],
      refundsDue: { count: 1, yen: 300 },
      refundsDone: { count: 2, yen: 600 },
      cardsLeftBehind: 1,
      documentsUncollected: 0,
    });
    expect(table).toMatch(/^reader\s+Virtual PCD 00 00 ready \(card present\)$/m);
    expect(table).toMatch(/^printer\s+idle, 0 queued, black 7%$/m);
    expect(table).toMatch(/^payment\s+not-checked$/m);
    expect(table).toMatch(/^centre\s+UNREACHABLE$/m);
    expect(table).toMatch(/^delivered\s+juminhyo 3$/m);
    expect(table).toMatch(/^refunds due\s+1 \(300円\)$/m);
    expect(table).toContain('problems: printer-toner-low, centre-unreachable (blocking)');
    expect(table.split('\n').at(-1)).toBe('overall: out-of-service');
  });
});
