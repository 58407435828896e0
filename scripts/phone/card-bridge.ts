/**
 * The development card bridge for the phone's web page: a loopback WebSocket that moves the page's
 * APDUs to the holder's virtual card (the in-process reader of native/), standing in for the NFC a
 * browser does not have. Each connection is one card session on a card opened afresh from the
 * world (its PIN counters and PINs as the other processes left them), closed with the socket.
 * Only a page that knows this start's key, from the given origin, may connect. Dev only.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { cardErrorFrom, isCardError } from '../../native/card-transport.ts';
import { InProcessCardReader } from '../../native/virtual-card/in-process-reader.ts';
import type { VirtualMyNumberCard } from '../../native/virtual-card/virtual-my-number-card.ts';
import { bytesToHex, hexToBytes, type BridgeToPage, type PageToBridge } from './card-bridge-messages.ts';

export interface CardBridgeOptions {
  /** Opens the holder's card for one session (fresh from disk each time). */
  openCard(): Promise<VirtualMyNumberCard>;
  holderId: string;
  collationB: string;
  /** The phone page's origin (e.g. http://127.0.0.1:8783): other pages are refused. */
  pageOrigin: string;
  port?: number;
}

export interface RunningCardBridge {
  /** ws://127.0.0.1:PORT/card?key=… */
  url: string;
  close(): Promise<void>;
}

const MAX_PAYLOAD = 64 * 1024;

export async function startCardBridge(options: CardBridgeOptions): Promise<RunningCardBridge> {
  const key = randomBytes(24).toString('base64url');
  const server = createServer((_request, response) => response.writeHead(404).end());
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (
      url.pathname !== '/card' ||
      url.searchParams.get('key') !== key ||
      request.headers.origin !== options.pageOrigin
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws));
  });

  sockets.on('connection', (ws) => {
    const reader = new InProcessCardReader();
    const send = (message: BridgeToPage) => ws.send(JSON.stringify(message));
    const opened = (async () => {
      reader.insert(await options.openCard());
      const session = await reader.connect();
      if (isCardError(session)) throw new Error(`card: ${session.kind}`);
      send({ type: 'card', holderId: options.holderId, collationB: options.collationB });
      return session;
    })();
    opened.catch(() => ws.close(1011, 'no card'));
    // One APDU at a time, in the order sent.
    let queue: Promise<unknown> = opened;
    ws.on('message', (data) => {
      let message: PageToBridge;
      try {
        message = JSON.parse(data.toString()) as PageToBridge;
      } catch {
        return;
      }
      if (message?.type !== 'transmit' || typeof message.id !== 'number') return;
      const apdu = typeof message.apdu === 'string' ? hexToBytes(message.apdu) : undefined;
      queue = queue.then(async () => {
        const session = await opened;
        if (!apdu) {
          send({ type: 'error', id: message.id, error: { kind: 'communication', detail: 'not hex' } });
          return;
        }
        try {
          send({
            type: 'response',
            id: message.id,
            apdu: bytesToHex(await session.transport.transmit(apdu)),
          });
        } catch (error) {
          send({ type: 'error', id: message.id, error: cardErrorFrom(error) });
        }
      });
      queue.catch(() => undefined);
    });
    ws.on('close', () => {
      void opened
        .then((session) => session.close())
        .catch(() => undefined)
        .finally(() => reader.close());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `ws://127.0.0.1:${port}/card?key=${key}`,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
