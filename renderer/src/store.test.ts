import { describe, expect, it } from 'vitest';
import type { IntentResult, KioskApi, KioskIntent, KioskSnapshot } from '../../electron/kiosk-api.ts';
import { createKioskStore } from './store.ts';

const welcome: KioskSnapshot = {
  transactionId: null,
  language: 'ja',
  view: { screen: 'welcome', reader: 'ready' },
};
const placeCard: KioskSnapshot = {
  transactionId: 'TX-1',
  language: 'ja',
  view: { screen: 'place-card', reader: 'ready' },
};

function controllableHost() {
  let resolveGet: (snapshot: KioskSnapshot) => void = () => {};
  let rejectGet: (error: Error) => void = () => {};
  const listeners = new Set<(snapshot: KioskSnapshot) => void>();
  const sent: KioskIntent[] = [];
  let answer: () => Promise<IntentResult> = () => Promise.resolve({ accepted: true });
  const api: KioskApi = {
    getSnapshot: () =>
      new Promise((resolve, reject) => {
        resolveGet = resolve;
        rejectGet = reject;
      }),
    onSnapshot: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send: (intent) => {
      sent.push(intent);
      return answer();
    },
  };
  return {
    api,
    sent,
    listeners,
    resolveGet: (s: KioskSnapshot) => resolveGet(s),
    rejectGet: (e: Error) => rejectGet(e),
    push: (s: KioskSnapshot) => listeners.forEach((l) => l(s)),
    setAnswer: (a: () => Promise<IntentResult>) => (answer = a),
  };
}

describe('kiosk store', () => {
  it('keeps nothing of a session once the welcome screen comes back', () => {
    const host = controllableHost();
    const { store } = createKioskStore(host.api);
    host.push({
      transactionId: 'TX-2',
      receiptNumber: '12345678',
      language: 'en',
      view: {
        screen: 'confirm',
        certificateType: 'juminhyo',
        copies: 1,
        maxCopies: 10,
        feeYen: 200,
        totalYen: 200,
        options: {
          scope: { allowed: ['household', 'members'], chosen: 'members' },
          members: [{ order: 2, name: '山田 花子', chosen: true }],
        },
      },
    });
    expect(JSON.stringify(store.getState())).toContain('山田 花子');
    host.push(welcome);
    // The state is the welcome snapshot and the connection, nothing merged from before.
    const { snapshot, connection } = store.getState();
    expect(snapshot).toEqual(welcome);
    expect(connection).toBe('connected');
    const kept = JSON.stringify(store.getState());
    for (const trace of ['山田', 'TX-2', '12345678', 'juminhyo', '"en"']) expect(kept).not.toContain(trace);
  });

  it('starts connecting and connects with the first snapshot', async () => {
    const host = controllableHost();
    const { store } = createKioskStore(host.api);
    expect(store.getState()).toMatchObject({ connection: 'connecting', snapshot: null });
    host.resolveGet(welcome);
    await Promise.resolve();
    expect(store.getState()).toMatchObject({ connection: 'connected', snapshot: welcome });
  });

  it('keeps a pushed snapshot when the initial getSnapshot answers later with an older one', async () => {
    const host = controllableHost();
    const { store } = createKioskStore(host.api);
    host.push(placeCard);
    host.resolveGet(welcome);
    await Promise.resolve();
    expect(store.getState().snapshot).toBe(placeCard);
  });

  it('reports a host that cannot be reached as a typed outcome, and recovers on the next snapshot', async () => {
    const host = controllableHost();
    const { store } = createKioskStore(host.api);
    host.rejectGet(new Error('no host'));
    await Promise.resolve();
    await Promise.resolve();
    expect(store.getState().connection).toBe('disconnected');

    host.setAnswer(() => Promise.reject(new Error('closed')));
    await expect(store.getState().start()).resolves.toEqual({ accepted: false, reason: 'unreachable' });

    host.push(welcome);
    expect(store.getState()).toMatchObject({ connection: 'connected', snapshot: welcome });
  });

  it('passes the host answer through and maps each action to its intent', async () => {
    const host = controllableHost();
    const { store } = createKioskStore(host.api);
    host.setAnswer(() => Promise.resolve({ accepted: false, reason: 'bad-state' }));
    const s = store.getState();
    await expect(s.confirm()).resolves.toEqual({ accepted: false, reason: 'bad-state' });
    await s.setLanguage('en');
    await s.pressDigit(4);
    await s.backspace();
    await s.submitPin();
    await s.chooseCertificate('inkan');
    await s.setCopies(3);
    await s.cancel();
    await s.finish();
    expect(host.sent).toEqual([
      { type: 'confirm' },
      { type: 'set-language', language: 'en' },
      { type: 'pin-digit', digit: 4 },
      { type: 'pin-backspace' },
      { type: 'pin-submit' },
      { type: 'choose-certificate', certificateType: 'inkan' },
      { type: 'set-copies', copies: 3 },
      { type: 'cancel' },
      { type: 'finish' },
    ]);
  });

  it('stops listening when disposed', () => {
    const host = controllableHost();
    const { dispose } = createKioskStore(host.api);
    expect(host.listeners.size).toBe(1);
    dispose();
    expect(host.listeners.size).toBe(0);
  });
});
