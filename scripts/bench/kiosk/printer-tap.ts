/**
 * A loopback TCP relay put in front of the printer for `npm run bench -- kiosk`: everything the
 * kiosk sends goes through unchanged, and the relay notes the moment a document's first byte (the
 * `%PDF-` that opens the Print-Job request's document data) reaches the printer's socket. That
 * moment is the bench's "first byte at the printer": after it, only the printer's own work is left.
 */
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

const DOCUMENT_START = Buffer.from('%PDF-', 'latin1');

export interface PrinterTap {
  /** The relay's port on 127.0.0.1: point the kiosk's printer URL here. */
  port: number;
  /** performance.now() of each document's first byte passed on to the printer, in order. */
  readonly documentStarts: readonly number[];
  /** Resolves with the first document start after `since` (a performance.now() value). */
  nextDocumentStart(since: number, timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

export class PrinterTapError extends Error {
  override readonly name = 'PrinterTapError';
}

/**
 * Finds `%PDF-` in a stream that arrives in chunks (the marker may be split between two):
 * answers the offset of the marker's first byte in `chunk` (0 when it began in the chunk before), or -1.
 */
export function documentStartScanner(): (chunk: Buffer) => number {
  let carry = Buffer.alloc(0);
  return (chunk) => {
    const joined = Buffer.concat([carry, chunk]);
    const at = joined.indexOf(DOCUMENT_START);
    carry = joined.subarray(Math.max(0, joined.length - (DOCUMENT_START.length - 1)));
    // The carried bytes are one short of a marker: a marker already found is never found again.
    if (at === -1) return -1;
    return Math.max(0, at - (joined.length - chunk.length));
  };
}

export async function startPrinterTap(target: { host: string; port: number }): Promise<PrinterTap> {
  const documentStarts: number[] = [];
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const printer = connect(target.port, target.host);
    sockets.add(client).add(printer);
    const scan = documentStartScanner();
    client.on('data', (chunk: Buffer) => {
      const at = scan(chunk);
      if (at === -1) {
        printer.write(chunk);
        return;
      }
      // The bytes before the document go first; the moment is taken as the document's first byte leaves.
      if (at > 0) printer.write(chunk.subarray(0, at));
      documentStarts.push(performance.now());
      printer.write(chunk.subarray(at));
      for (const wake of waiters) wake();
    });
    printer.pipe(client);
    const end = () => {
      client.destroy();
      printer.destroy();
      sockets.delete(client);
      sockets.delete(printer);
    };
    client.on('close', end).on('error', end);
    printer.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    documentStarts,
    nextDocumentStart(since, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = documentStarts.find((at) => at >= since);
          if (found === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new PrinterTapError(`no document reached the printer within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
