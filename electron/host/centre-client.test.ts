/**
 * The centre client's 1 MB answer limit counts bytes as they arrive and stops reading past it,
 * against a real loopback HTTP server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCentreClient } from './centre-client.ts';

const MB = 1 << 20;
let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const challengeRequest = { transactionId: '3f2a1b4c-5d6e-4f70-8a91-b2c3d4e5f607', terminalId: 'S0001-T01' };

describe('centre client: answer size', () => {
  it('refuses an answer of fewer than 1 M characters but more than 1 MB (multi-byte text)', async () => {
    // 400,000 three-byte characters: 1.2 MB, though only 0.4 M characters.
    const text = JSON.stringify({ challenge: 'あ'.repeat(400_000), expiresAt: '2030-01-01T00:00:00Z' });
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(text);
    });
    const client = createCentreClient({ baseUrl: url });
    expect(await client.challenge(challengeRequest)).toEqual({
      ok: false,
      failure: { kind: 'centre-bad-response', detail: 'response too large' },
    });
    await client.close();
  });

  it('stops reading an endless answer soon after 1 MB instead of buffering it', async () => {
    let sent = 0;
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && sent < 64 * MB) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', closed);
      pump();
    });
    const client = createCentreClient({ baseUrl: url, timeoutMs: 60_000 });
    expect(await client.challenge(challengeRequest)).toEqual({
      ok: false,
      failure: { kind: 'centre-bad-response', detail: 'response too large' },
    });
    await client.close();
    await connectionClosed;
    // Socket buffers hold a few MB at most; reading everything would have taken all 64 MB.
    expect(sent).toBeLessThan(16 * MB);
  });

  it('refuses a declared Content-Length over 1 MB without reading the body', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 * MB) });
      res.write('{');
    });
    const client = createCentreClient({ baseUrl: url });
    expect(await client.challenge(challengeRequest)).toEqual({
      ok: false,
      failure: { kind: 'centre-bad-response', detail: 'response too large' },
    });
    await client.close();
  });
});
