/**
 * The fleet over the real mutual-TLS link: a kiosk's signed heartbeat is kept as its terminal's
 * last state; a forged, tampered, replayed, stale or misaddressed one is refused; the alerts follow
 * the last state and the silence of a terminal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeartbeatSender } from '../../electron/diagnostics/heartbeat-sender.ts';
import { HEARTBEAT_PATH, signHeartbeat, type KioskHealth } from '../../protocol/heartbeat.ts';
import { startTlsCentreWithTerminals, type TlsCentreWithTerminals } from '../test-support/tls-centre.ts';
import { fleetAlerts } from './fleet-alerts.ts';
import type { TerminalHealthRecord } from './fleet-store.ts';

const HEALTH: KioskHealth = {
  at: '2026-12-02T01:00:00.000Z',
  overall: 'healthy',
  problems: [],
  outOfServiceSince: null,
  readers: [{ name: 'Virtual PCD 00 00', state: 'ready', cardPresent: false, lastError: null }],
  printer: { state: 'idle', reasons: [], supplies: [], queuedJobs: 0 },
  payment: { state: 'online', faults: [], changeLevels: { '10': 40 }, coinBoxFull: false },
  centre: { reachable: true, latencyMs: 12, clockSkewMs: 0, terminalCertificateNotAfter: null },
  disk: null,
  versions: { kiosk: '0.1.0', protocol: '0.5.0', node: '20.19.0', electron: null },
};
const OUT_OF_PAPER: KioskHealth = {
  ...HEALTH,
  overall: 'out-of-service',
  problems: [{ code: 'printer-out-of-paper', blocking: true }],
  printer: { state: 'stopped', reasons: ['media-empty-error'], supplies: [], queuedJobs: 0 },
};

let tlsCentre: TlsCentreWithTerminals;
let centre: TlsCentreWithTerminals['centre'];
const tlsOf = (terminalId: string) => tlsCentre.tlsOf(terminalId);

/** Posts a body as the given terminal's connection. */
const post = (terminalId: string, body: unknown): Promise<{ status: number; body: unknown }> =>
  tlsCentre.postAs(terminalId, HEARTBEAT_PATH, body);

beforeAll(async () => {
  tlsCentre = await startTlsCentreWithTerminals('fleet-', ['S0001-T01', 'S0002-T01']);
  centre = tlsCentre.centre;
}, 60_000);

afterAll(() => tlsCentre?.close());

describe('fleet heartbeats over mutual TLS', () => {
  it('keeps the last signed heartbeat per terminal and raises the out-of-paper alert from it', async () => {
    let health = HEALTH;
    const sender = createHeartbeatSender({
      baseUrl: centre.url,
      tls: tlsOf('S0001-T01'),
      terminalId: 'S0001-T01',
      collect: async () => health,
      intervalMs: 0,
    });
    try {
      expect(await sender.sendNow()).toMatchObject({ ok: true });
      const [first] = await centre.centre.fleet.latestTerminalHealth();
      expect(first).toMatchObject({ terminalId: 'S0001-T01', storeCode: 'S0001', health: HEALTH });
      expect(await centre.centre.fleet.alerts()).toEqual([]);

      health = OUT_OF_PAPER;
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await sender.sendNow()).toMatchObject({ ok: true });
      const kept = await centre.centre.fleet.latestTerminalHealth();
      expect(kept).toHaveLength(1);
      expect(kept[0]?.health.overall).toBe('out-of-service');
      expect((await centre.centre.fleet.alerts()).map((a) => [a.terminalId, a.code])).toEqual([
        ['S0001-T01', 'out-of-paper'],
      ]);
    } finally {
      await sender.close();
    }
  });

  it('refuses a tampered body, another terminal’s key, a replay, a stale clock and a body naming another terminal', async () => {
    const body = { terminalId: 'S0002-T01', sentAt: new Date().toISOString(), health: HEALTH };
    const signed = signHeartbeat(body, tlsOf('S0002-T01').privateKeyPem);
    // Tampered after signing: the verdict changed.
    const tampered = { ...signed, health: { ...HEALTH, overall: 'degraded' } };
    expect(await post('S0002-T01', tampered)).toMatchObject({
      status: 400,
      body: { error: { code: 'signature-invalid' } },
    });
    // Signed with S0001-T01's key, sent over S0002-T01's connection.
    const wrongKey = signHeartbeat(body, tlsOf('S0001-T01').privateKeyPem);
    expect((await post('S0002-T01', wrongKey)).status).toBe(400);
    // A body naming another terminal than the certificate: refused before anything is looked at.
    expect((await post('S0001-T01', signed)).status).toBe(403);
    // The good one, then its replay.
    expect((await post('S0002-T01', signed)).status).toBe(200);
    expect((await post('S0002-T01', signed)).status).toBe(409);
    // Sent with a clock an hour off.
    const stale = signHeartbeat(
      { ...body, sentAt: new Date(Date.now() - 3_600_000).toISOString() },
      tlsOf('S0002-T01').privateKeyPem,
    );
    expect((await post('S0002-T01', stale)).status).toBe(400);
    const terminals = (await centre.centre.fleet.latestTerminalHealth()).map((r) => r.terminalId);
    expect(terminals).toEqual(['S0001-T01', 'S0002-T01']);
  });
});

describe('fleet alerts', () => {
  const record = (over: Partial<TerminalHealthRecord>): TerminalHealthRecord => ({
    terminalId: 'S0001-T01',
    storeCode: 'S0001',
    sentAt: 1_000,
    receivedAt: 1_000,
    certificateNotAfter: 1_000 + 365 * 24 * 3_600_000,
    health: HEALTH,
    signature: 'AA==',
    ...over,
  });

  it('raises each alert from its own condition, and none for a well terminal heard from recently', () => {
    const now = 1_000 + 4 * 60_000;
    expect(fleetAlerts([record({})], now)).toEqual([]);
    expect(
      fleetAlerts(
        [
          record({
            terminalId: 'S0001-T02',
            health: { ...HEALTH, problems: [{ code: 'reader-missing', blocking: true }] },
          }),
        ],
        now,
      ).map((a) => a.code),
    ).toEqual(['reader-missing']);
    // Silent for more than 5 minutes: the centre cannot hear the kiosk.
    expect(fleetAlerts([record({})], 1_000 + 5 * 60_000 + 1).map((a) => a.code)).toEqual([
      'centre-unreachable',
    ]);
    expect(fleetAlerts([record({})], now, { silentAfterMs: 60_000 }).map((a) => a.code)).toEqual([
      'centre-unreachable',
    ]);
    // The certificate the connection proved expires within 30 days.
    expect(
      fleetAlerts([record({ certificateNotAfter: now + 29 * 24 * 3_600_000 })], now).map((a) => a.code),
    ).toEqual(['certificate-expiring']);
    expect(fleetAlerts([record({ certificateNotAfter: now + 31 * 24 * 3_600_000 })], now)).toEqual([]);
  });
});
