/**
 * The page's card reader: how the phone's web page reaches the resident's card. A browser has no
 * ISO-DEP NFC, so in development this is a loopback WebSocket to the holder's virtual card
 * (`npm run phone -- --web`, scripts/phone/card-bridge.ts); a real app puts its NFC behind the
 * same interface. Whatever the reader, the page speaks APDUs through `CardTransport`.
 */
import { CardTransportError, type CardTransport } from '../../../native/card-transport.ts';
import { bytesToHex, hexToBytes, type BridgeToPage, type PageToBridge } from '../card-bridge-messages.ts';

export interface PhoneCard {
  transport: CardTransport;
  /** 照合番号B when the reader knows it (the dev bridge's test card); absent: the resident types it. */
  collationB?: string;
  /** Ends the card session (the card forgets every verified PIN). */
  close(): void;
}

export type CardOpenProblem = 'no-reader' | 'unreachable';

export interface PhoneCardReader {
  open(): Promise<PhoneCard | { problem: CardOpenProblem }>;
}

function parseMessage(data: unknown): BridgeToPage | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const value = JSON.parse(data) as BridgeToPage;
    return typeof value === 'object' && value !== null && typeof value.type === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The development bridge at `url` (ws://127.0.0.1:PORT/card?key=…). */
export function bridgeCardReader(url: string, timeoutMs = 10_000): PhoneCardReader {
  return {
    open: () =>
      new Promise((resolve) => {
        const socket = new WebSocket(url);
        const pending = new Map<number, { resolve(apdu: Uint8Array): void; reject(error: Error): void }>();
        let nextId = 1;
        let opened = false;
        const timer = setTimeout(() => {
          socket.close();
          resolve({ problem: 'unreachable' });
        }, timeoutMs);
        const failAll = () => {
          for (const waiting of pending.values())
            waiting.reject(new CardTransportError({ kind: 'card-removed' }));
          pending.clear();
        };
        socket.addEventListener('error', () => {
          if (!opened) {
            clearTimeout(timer);
            resolve({ problem: 'unreachable' });
          }
        });
        socket.addEventListener('close', () => failAll());
        socket.addEventListener('message', (event: MessageEvent) => {
          const message = parseMessage(event.data);
          if (!message) return;
          if (message.type === 'card') {
            opened = true;
            clearTimeout(timer);
            const transport: CardTransport = {
              transmit: (apdu) =>
                new Promise((resolveApdu, reject) => {
                  if (socket.readyState !== WebSocket.OPEN) {
                    reject(new CardTransportError({ kind: 'card-removed' }));
                    return;
                  }
                  const id = nextId++;
                  pending.set(id, { resolve: resolveApdu, reject });
                  const sent: PageToBridge = { type: 'transmit', id, apdu: bytesToHex(apdu) };
                  socket.send(JSON.stringify(sent));
                }),
            };
            resolve({ transport, collationB: message.collationB, close: () => socket.close() });
            return;
          }
          const waiting = pending.get(message.id);
          if (!waiting) return;
          pending.delete(message.id);
          const bytes = message.type === 'response' ? hexToBytes(message.apdu) : undefined;
          if (bytes) waiting.resolve(bytes);
          else
            waiting.reject(
              new CardTransportError(
                message.type === 'error' ? message.error : { kind: 'communication', detail: 'bad response' },
              ),
            );
        });
      }),
  };
}

/** No reader at all (a browser without a bridge): the page says so. */
export const NO_CARD_READER: PhoneCardReader = { open: async () => ({ problem: 'no-reader' }) };
