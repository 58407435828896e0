/**
 * The development card bridge with the page's reader on the other end (Node's `ws` standing in
 * for the browser's WebSocket): the page's APDUs reach the virtual card; another origin or a
 * wrong key is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { JpkiClient } from '../../native/jpki/jpki-client.ts';
import { testCard } from '../../native/test-pki/fixtures.ts';
import { VirtualMyNumberCard } from '../../native/virtual-card/virtual-my-number-card.ts';
import { startCardBridge, type RunningCardBridge } from './card-bridge.ts';
import { bridgeCardReader } from './web/card-reader.ts';

const ORIGIN = 'http://127.0.0.1:8783';
let bridge: RunningCardBridge;
const original = globalThis.WebSocket;

/** The browser's WebSocket as the page has it: same origin header the browser would send. */
class PageWebSocket extends NodeWebSocket {
  constructor(url: string) {
    super(url, { origin: ORIGIN });
  }
}

beforeAll(async () => {
  const personalisation = await testCard({ holderId: 'H-bridge' });
  bridge = await startCardBridge({
    openCard: async () => new VirtualMyNumberCard({ personalisation }),
    holderId: 'H-bridge',
    collationB: '900101203512345',
    pageOrigin: ORIGIN,
  });
  (globalThis as { WebSocket: unknown }).WebSocket = PageWebSocket;
});

afterAll(async () => {
  (globalThis as { WebSocket: unknown }).WebSocket = original;
  await bridge?.close();
});

describe('card bridge', () => {
  it('hands the page the card and 照合番号B, and moves its APDUs', async () => {
    const card = await bridgeCardReader(bridge.url).open();
    if ('problem' in card) throw new Error(card.problem);
    try {
      expect(card.collationB).toBe('900101203512345');
      expect(await new JpkiClient(card.transport).readTokenLabel()).toEqual({
        kind: 'token',
        label: 'JPKIAPICCTOKEN2',
      });
    } finally {
      card.close();
    }
  });

  it('refuses a wrong key and another origin', async () => {
    const wrongKey = bridge.url.replace(/key=.*/, 'key=guess');
    expect(await bridgeCardReader(wrongKey, 3_000).open()).toEqual({ problem: 'unreachable' });
    const otherOrigin = await new Promise<string>((resolve) => {
      const socket = new NodeWebSocket(bridge.url, { origin: 'http://evil.example' });
      socket.on('unexpected-response', (_request, response) => resolve(String(response.statusCode)));
      socket.on('open', () => resolve('open'));
      socket.on('error', () => undefined);
    });
    expect(otherOrigin).toBe('403');
  });
});
