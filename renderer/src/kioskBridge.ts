import type { KioskApi } from '../../electron/kiosk-api.ts';

/** What the page needs from its window: the `kiosk` API, once the host (or preload) has defined it. */
export interface KioskHostWindow {
  kiosk?: KioskApi | undefined;
}

export interface WaitForKioskOptions {
  /** How often to look for `window.kiosk`. */
  intervalMs?: number;
  signal?: AbortSignal;
}

export type WaitForKioskError = { kind: 'aborted' };

function isKioskApi(value: unknown): value is KioskApi {
  if (typeof value !== 'object' || value === null) return false;
  const api = value as Record<string, unknown>;
  return (
    typeof api.getSnapshot === 'function' &&
    typeof api.onSnapshot === 'function' &&
    typeof api.send === 'function'
  );
}

/**
 * Resolves with `window.kiosk` as soon as the host has defined it. The host injects it before the
 * page's module script, but a preload or a bridge that connects first may be late: poll briefly.
 * Rejects only with `{ kind: 'aborted' }` when the signal aborts.
 */
export function waitForKiosk(win: KioskHostWindow, options: WaitForKioskOptions = {}): Promise<KioskApi> {
  const { intervalMs = 50, signal } = options;
  return new Promise((resolve, reject) => {
    const aborted: WaitForKioskError = { kind: 'aborted' };
    if (signal?.aborted) {
      reject(aborted);
      return;
    }
    const found = win.kiosk;
    if (isKioskApi(found)) {
      resolve(found);
      return;
    }
    const timer = setInterval(() => {
      const api = win.kiosk;
      if (isKioskApi(api)) {
        clearInterval(timer);
        resolve(api);
      }
    }, intervalMs);
    signal?.addEventListener(
      'abort',
      () => {
        clearInterval(timer);
        reject(aborted);
      },
      { once: true },
    );
  });
}
