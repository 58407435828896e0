import { describe, expect, it } from 'vitest';
import type { KioskApi } from '../../electron/kiosk-api.ts';
import { waitForKiosk } from './kioskBridge.ts';
import type { KioskHostWindow } from './kioskBridge.ts';

const api: KioskApi = {
  getSnapshot: () => Promise.reject(new Error('not used')),
  onSnapshot: () => () => {},
  send: () => Promise.resolve({ accepted: true }),
};

describe('waitForKiosk', () => {
  it('resolves at once when the host defined window.kiosk first', async () => {
    await expect(waitForKiosk({ kiosk: api })).resolves.toBe(api);
  });

  it('waits for a late host', async () => {
    const win: KioskHostWindow = {};
    const waiting = waitForKiosk(win, { intervalMs: 5 });
    setTimeout(() => (win.kiosk = api), 30);
    await expect(waiting).resolves.toBe(api);
  });

  it('ignores something that is not the kiosk API', async () => {
    const win = { kiosk: { send: () => undefined } } as unknown as KioskHostWindow;
    const controller = new AbortController();
    const waiting = waitForKiosk(win, { intervalMs: 5, signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(waiting).rejects.toEqual({ kind: 'aborted' });
  });
});
