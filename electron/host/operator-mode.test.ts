import { describe, expect, it, vi } from 'vitest';
import type { KioskHealth } from '../../protocol/heartbeat.ts';
import type { KioskSnapshot, RecoveredTransactionView } from '../kiosk-api.ts';
import type { KioskHost } from './kiosk-host.ts';
import { createHostLogger } from './logger.ts';
import { withOperatorMode, type OperatorServices } from './operator-mode.ts';
import { createOperatorPinGate, hashOperatorPin } from './operator-pin.ts';
import { operatorSwitchStore } from './operator-switch.ts';
import { Writable } from 'node:stream';

const WELCOME: KioskSnapshot = {
  transactionId: null,
  language: 'ja',
  view: { screen: 'welcome', reader: 'ready' },
};
const HEALTH = { overall: 'healthy', problems: [] } as unknown as KioskHealth;

/** A session host that sits on the welcome screen (or a session, when told) and records what it was sent. */
function idleHost() {
  let snapshot = WELCOME;
  const listeners = new Set<(s: KioskSnapshot) => void>();
  const sent: unknown[] = [];
  const host: KioskHost = {
    getSnapshot: () => snapshot,
    onSnapshot: (l) => (listeners.add(l), () => listeners.delete(l)),
    send: (intent) => (sent.push(intent), { accepted: true }),
    reportFault: () => 'recover',
    onOutOfService: () => () => undefined,
    close: async () => undefined,
  };
  return {
    host,
    sent,
    startSession() {
      snapshot = { transactionId: 'tx', language: 'ja', view: { screen: 'reading-card' } };
      for (const l of listeners) l(snapshot);
    },
  };
}

async function operator(overrides: Partial<OperatorServices> = {}) {
  const inner = idleHost();
  const record = await hashOperatorPin('246810', { N: 1024, r: 8, p: 1 });
  const services: OperatorServices = {
    pinGate: createOperatorPinGate(record),
    switchStore: operatorSwitchStore(undefined),
    collectHealth: async () => HEALTH,
    todaysCounts: () => ({
      day: '2026-12-02',
      delivered: [],
      refundsDue: { count: 0, yen: 0 },
      refundsDone: { count: 0, yen: 0 },
      cardsLeftBehind: 0,
      documentsUncollected: 0,
    }),
    selfTest: async () => ({ pass: true, detail: 'ok' }),
    exportLog: async () => ({ file: '/tmp/x.jsonl', lines: 1 }),
    logger: createHostLogger({ destination: new Writable({ write: (_c, _e, d) => d() }) }),
    ...overrides,
  };
  return { inner, host: withOperatorMode(inner.host, services) };
}

async function typePin(host: KioskHost, pin: string) {
  for (const digit of pin)
    expect(host.send({ type: 'operator-pin-digit', digit: Number(digit) })).toEqual({ accepted: true });
  expect(host.send({ type: 'operator-pin-submit' })).toEqual({ accepted: true });
}

describe('operator mode around the session host', () => {
  it('opens only from an idle welcome screen, shows only a digit count, and no resident intent passes while open', async () => {
    const { inner, host } = await operator();
    expect(host.send({ type: 'operator-pin-digit', digit: 1 })).toEqual({
      accepted: false,
      reason: 'bad-state',
    });
    expect(host.send({ type: 'operator-enter' })).toEqual({ accepted: true });
    await typePin(host, '246810');
    await vi.waitFor(() => expect(host.getSnapshot().view.screen).toBe('operator'));
    expect(JSON.stringify(host.getSnapshot())).not.toContain('246810');
    expect(host.send({ type: 'start' })).toEqual({ accepted: false, reason: 'bad-state' });
    expect(inner.sent).toEqual([]);
    await vi.waitFor(() => expect(host.getSnapshot().view).toMatchObject({ status: HEALTH }));
    expect(host.send({ type: 'operator-exit' })).toEqual({ accepted: true });
    expect(host.getSnapshot()).toEqual(WELCOME);

    inner.startSession();
    expect(host.send({ type: 'operator-enter' })).toEqual({ accepted: false, reason: 'bad-state' });
  });

  it('locks after 5 wrong PINs and says until when', async () => {
    const { host } = await operator();
    host.send({ type: 'operator-enter' });
    for (let i = 0; i < 5; i++) {
      await typePin(host, '111111');
      await vi.waitFor(() => expect(host.getSnapshot().view).not.toMatchObject({ checking: true }));
    }
    expect(host.getSnapshot().view).toMatchObject({
      screen: 'operator-pin',
      triesLeft: 0,
      lockedUntil: expect.any(String),
    });
    await typePin(host, '246810');
    await vi.waitFor(() => expect(host.getSnapshot().view).not.toMatchObject({ checking: true }));
    expect(host.getSnapshot().view.screen).toBe('operator-pin');
  });

  it('out of service: residents see the notice and cannot start; the language still changes; back in service restores the welcome', async () => {
    const { inner, host } = await operator();
    host.send({ type: 'operator-enter' });
    await typePin(host, '246810');
    await vi.waitFor(() => expect(host.getSnapshot().view.screen).toBe('operator'));
    expect(host.send({ type: 'operator-set-out-of-service', notice: 'shutdown' })).toEqual({
      accepted: false,
      reason: 'invalid',
    });
    expect(host.send({ type: 'operator-set-out-of-service', notice: 'supplies' })).toEqual({
      accepted: true,
    });
    host.send({ type: 'operator-exit' });
    expect(host.getSnapshot().view).toEqual({ screen: 'out-of-service', notice: 'supplies' });
    expect(host.send({ type: 'start' })).toEqual({ accepted: false, reason: 'bad-state' });
    expect(host.send({ type: 'set-language', language: 'vi' })).toEqual({ accepted: true });
    expect(inner.sent).toEqual([{ type: 'set-language', language: 'vi' }]);
    // The operator gets back in from the out-of-service screen.
    expect(host.send({ type: 'operator-enter' })).toEqual({ accepted: true });
    await typePin(host, '246810');
    await vi.waitFor(() => expect(host.getSnapshot().view.screen).toBe('operator'));
    host.send({ type: 'operator-set-out-of-service', notice: null });
    host.send({ type: 'operator-exit' });
    expect(host.getSnapshot()).toEqual(WELCOME);
  });

  it('shows the recovery list of this start, read again on refresh, and nothing else of the transactions', async () => {
    const list: RecoveredTransactionView[] = [
      {
        receiptNumber: '01234567',
        startedAt: '2026-12-02T01:00:00.000Z',
        action: 'refund-due',
        yen: 300,
      },
    ];
    const { host } = await operator({ recoveryList: () => list.map((row) => ({ ...row })) });
    expect(host.send({ type: 'operator-enter' })).toEqual({ accepted: true });
    await typePin(host, '246810');
    await vi.waitFor(() =>
      expect(host.getSnapshot().view).toMatchObject({ screen: 'operator', status: HEALTH }),
    );
    expect(host.getSnapshot().view).toMatchObject({ recovered: list });
    // Paid back at the counter since: the next refresh shows it.
    list[0] = { ...list[0]!, action: 'refunded', yen: 300 };
    expect(host.send({ type: 'operator-refresh' })).toEqual({ accepted: true });
    await vi.waitFor(() =>
      expect(host.getSnapshot().view).toMatchObject({
        recovered: [{ receiptNumber: '01234567', action: 'refunded' }],
      }),
    );
    // Without recovery services the list is empty, never absent.
    const bare = await operator();
    bare.host.send({ type: 'operator-enter' });
    await typePin(bare.host, '246810');
    await vi.waitFor(() =>
      expect(bare.host.getSnapshot().view).toMatchObject({ screen: 'operator', recovered: [] }),
    );
  });

  it('cannot be entered without a provisioned PIN', async () => {
    const { host } = await operator({ pinGate: null });
    expect(host.send({ type: 'operator-enter' })).toEqual({ accepted: false, reason: 'bad-state' });
  });
});
