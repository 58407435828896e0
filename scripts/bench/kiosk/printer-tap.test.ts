import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { documentStartScanner, startPrinterTap, type PrinterTap } from './printer-tap.ts';

describe('printer tap', () => {
  it('finds each document start, in one chunk or split across two, and the same one only once', () => {
    const scan = documentStartScanner();
    expect(scan(Buffer.from('POST /ipp/print HTTP/1.1\r\n\r\n\x02\x00'))).toBe(-1);
    expect(scan(Buffer.from('attrs%PD'))).toBe(-1);
    // The marker began in the previous chunk: this chunk's first byte is the one that completes it.
    expect(scan(Buffer.from('F-1.7 …'))).toBe(0);
    expect(scan(Buffer.from('stream'))).toBe(-1);
    expect(scan(Buffer.from('next job%PDF-1.7'))).toBe(8);
    expect(scan(Buffer.from('-'))).toBe(-1);
  });

  let printer: Server | undefined;
  let tap: PrinterTap | undefined;
  afterEach(async () => {
    await tap?.close();
    await new Promise<void>((resolve) => (printer ? printer.close(() => resolve()) : resolve()));
  });

  it('passes every byte on and notes when a document reaches the printer', async () => {
    const received: Buffer[] = [];
    printer = createServer((socket) =>
      socket.on('data', (chunk: Buffer) => {
        received.push(chunk);
        if (Buffer.concat(received).toString().endsWith('%%EOF')) socket.end('accepted');
      }),
    );
    await new Promise<void>((resolve) => printer!.listen(0, '127.0.0.1', () => resolve()));
    tap = await startPrinterTap({ host: '127.0.0.1', port: (printer.address() as AddressInfo).port });
    const before = performance.now();
    const client = connect(tap.port, '127.0.0.1');
    const answer = new Promise<string>((resolve) => {
      let text = '';
      client.on('data', (d: Buffer) => (text += d.toString())).on('end', () => resolve(text));
    });
    client.write('request head ');
    expect(tap.documentStarts).toHaveLength(0);
    client.write('%PDF-1.7 body %%EOF');
    const at = await tap.nextDocumentStart(before, 5_000);
    expect(await answer).toBe('accepted');
    expect(Buffer.concat(received).toString()).toBe('request head %PDF-1.7 body %%EOF');
    expect(at).toBeGreaterThanOrEqual(before);
    expect(tap.documentStarts).toEqual([at]);
    client.destroy();
  });

  it('says so when no document comes', async () => {
    printer = createServer(() => undefined);
    await new Promise<void>((resolve) => printer!.listen(0, '127.0.0.1', () => resolve()));
    tap = await startPrinterTap({ host: '127.0.0.1', port: (printer.address() as AddressInfo).port });
    await expect(tap.nextDocumentStart(performance.now(), 50)).rejects.toThrow(/no document reached/);
  });
});
