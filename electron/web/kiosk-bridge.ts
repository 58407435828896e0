/**
 * window.kiosk for a renderer served by the Node host (kiosk:web). Runs in the page, before the
 * renderer's module script; Electron's preload defines the same API over IPC instead.
 */
import type { IntentResult, KioskApi, KioskIntent, KioskSnapshot } from '../kiosk-api.ts';
import { BRIDGE_KEY_PARAM, BRIDGE_PATH, type BridgeMessage } from './bridge-messages.ts';

function createWebSocketKioskApi(): KioskApi {
  const listeners = new Set<(snapshot: KioskSnapshot) => void>();
  const pending = new Map<number, (message: BridgeMessage) => void>();
  let nextId = 1;
  let latest: KioskSnapshot | undefined;
  let socket: WebSocket;
  let open: Promise<void>;

  function connect(): void {
    // The per-start secret came in the page's URL; the host refuses a connection without it.
    const key = new URLSearchParams(location.search).get(BRIDGE_KEY_PARAM) ?? '';
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${BRIDGE_PATH}?${BRIDGE_KEY_PARAM}=${encodeURIComponent(key)}`;
    socket = new WebSocket(url);
    open = new Promise((resolve) => socket.addEventListener('open', () => resolve(), { once: true }));
    socket.addEventListener('message', (event) => {
      let message: BridgeMessage;
      try {
        message = JSON.parse(String(event.data)) as BridgeMessage;
      } catch {
        return;
      }
      if (message.type === 'snapshot' || message.type === 'reply') {
        latest = message.snapshot;
        for (const listener of listeners) listener(message.snapshot);
      }
      if (message.type !== 'snapshot') {
        pending.get(message.id)?.(message);
        pending.delete(message.id);
      }
    });
    socket.addEventListener('close', () => {
      for (const resolve of pending.values())
        resolve({ type: 'result', id: 0, result: { accepted: false, reason: 'bad-state' } });
      pending.clear();
      setTimeout(connect, 1000);
    });
  }

  async function request(
    body: { type: 'get' } | { type: 'intent'; intent: KioskIntent },
  ): Promise<BridgeMessage> {
    await open;
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      socket.send(JSON.stringify({ ...body, id }));
    });
  }

  connect();
  return {
    async getSnapshot() {
      if (latest) return latest;
      const reply = await request({ type: 'get' });
      if (reply.type === 'result') throw new Error('kiosk host unavailable');
      return reply.snapshot;
    },
    onSnapshot(listener) {
      listeners.add(listener);
      if (latest) listener(latest);
      return () => listeners.delete(listener);
    },
    async send(intent: KioskIntent): Promise<IntentResult> {
      const reply = await request({ type: 'intent', intent });
      return reply.type === 'result' ? reply.result : { accepted: false, reason: 'bad-state' };
    },
  };
}

Object.defineProperty(window, 'kiosk', { value: Object.freeze(createWebSocketKioskApi()), writable: false });
