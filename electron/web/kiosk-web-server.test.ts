/**
 * kiosk:web's bridge boundary: loopback only, this start's secret and this server's Origin, and a
 * malformed frame closes only the connection that sent it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { KioskIntent, KioskSnapshot } from '../kiosk-api.ts';
import type { KioskHost } from '../host/kiosk-host.ts';
import { BRIDGE_KEY_PARAM, BRIDGE_PATH, type BridgeMessage } from './bridge-messages.ts';
import { BRIDGE_MAX_PAYLOAD, startKioskWebServer } from './kiosk-web-server.ts';

const SNAPSHOT: KioskSnapshot = {
  transactionId: null,
  language: 'ja',
  view: { screen: 'welcome', reader: 'ready' },
};

const intents: unknown[] = [];
const host: KioskHost = {
  getSnapshot: () => SNAPSHOT,
  onSnapshot: () => () => undefined,
  send(intent) {
    intents.push(intent);
    return { accepted: true };
  },
  reportFault: () => 'recover',
  onOutOfService: () => () => undefined,
  close: async () => undefined,
};

let rendererDir: string;
let web: Awaited<ReturnType<typeof startKioskWebServer>>;
const badFrames: string[] = [];

beforeAll(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'kiosk-web-renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  web = await startKioskWebServer({ host, rendererDir, onBadFrame: (problem) => badFrames.push(problem) });
});

afterAll(async () => {
  await web.close();
  await rm(rendererDir, { recursive: true, force: true });
});

function origin(): string {
  return new URL(web.url).origin;
}

function bridgeUrl(key: string | null): string {
  const url = new URL(BRIDGE_PATH, web.url.replace(/^http/, 'ws'));
  if (key !== null) url.searchParams.set(BRIDGE_KEY_PARAM, key);
  return url.href;
}

/** Connects; resolves with the open socket and its first message, or the HTTP status it was refused with. */
function connect(
  key: string | null,
  headers: Record<string, string> = { origin: origin() },
): Promise<{ socket: WebSocket; first: BridgeMessage } | { refused: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(bridgeUrl(key), { headers });
    socket.once('unexpected-response', (_request, response) => {
      resolve({ refused: response.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('message', (data) => resolve({ socket, first: JSON.parse(String(data)) as BridgeMessage }));
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

async function open(): Promise<WebSocket> {
  const result = await connect(web.key);
  if ('refused' in result) throw new Error(`refused with ${result.refused}`);
  expect(result.first).toEqual({ type: 'snapshot', snapshot: SNAPSHOT });
  return result.socket;
}

function closed(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

function request(socket: WebSocket, intent: KioskIntent, id: number): Promise<BridgeMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data)) as BridgeMessage;
      if (message.type !== 'result' || message.id !== id) return;
      socket.off('message', onMessage);
      resolve(message);
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ id, type: 'intent', intent }));
  });
}

describe('kiosk:web bridge boundary', () => {
  it('serves on loopback and puts this start’s secret in the page URL', () => {
    const url = new URL(web.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.searchParams.get(BRIDGE_KEY_PARAM)).toBe(web.key);
    expect(web.key.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses a connection without the secret, or with another one', async () => {
    expect(await connect(null)).toEqual({ refused: 403 });
    expect(await connect(`${web.key.slice(0, -1)}x`)).toEqual({ refused: 403 });
    expect(await connect('')).toEqual({ refused: 403 });
  });

  it('refuses another Origin, even on loopback, and a missing one', async () => {
    expect(await connect(web.key, { origin: 'http://evil.example' })).toEqual({ refused: 403 });
    expect(await connect(web.key, { origin: 'http://127.0.0.1:1' })).toEqual({ refused: 403 });
    expect(await connect(web.key, {})).toEqual({ refused: 403 });
  });

  it('lets the page with the secret and its own Origin drive the session', async () => {
    const socket = await open();
    expect(await request(socket, { type: 'start' }, 1)).toEqual({
      type: 'result',
      id: 1,
      result: { accepted: true },
    });
    expect(intents.at(-1)).toEqual({ type: 'start' });
    socket.close();
  });

  it('closes a connection that sends a frame over the limit; the host and a new connection go on', async () => {
    const socket = await open();
    const before = intents.length;
    const code = closed(socket);
    socket.send('x'.repeat(BRIDGE_MAX_PAYLOAD + 1));
    expect(await code).toBe(1009);
    expect(intents.length).toBe(before);
    const next = await open();
    expect(await request(next, { type: 'cancel' }, 2)).toMatchObject({ result: { accepted: true } });
    next.close();
  });

  it('closes a connection that sends invalid UTF-8; the host and a new connection go on', async () => {
    const socket = await open();
    const code = closed(socket);
    socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await code).toBe(1007);
    expect(badFrames).toContain('WS_ERR_INVALID_UTF8');
    const next = await open();
    expect(await request(next, { type: 'finish' }, 3)).toMatchObject({ result: { accepted: true } });
    next.close();
  });

  it('closes a connection that sends a binary frame, and ignores frames that are not requests', async () => {
    const socket = await open();
    socket.send('not json');
    socket.send('null');
    socket.send('{"type":"intent"}');
    expect(await request(socket, { type: 'start' }, 4)).toMatchObject({ id: 4 });
    const code = closed(socket);
    socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await code).toBe(1003);
  });
});
