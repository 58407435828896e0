/**
 * The centre's mutual-TLS connections refuse renegotiation, so the terminal a connection's handshake
 * proved is the terminal of every request it carries: read once per connection, still compared
 * with the terminal each request claims, and a kiosk that tries to renegotiate is disconnected.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, TLSSocket } from 'node:tls';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createDevPki, type DevPki } from '../../scripts/dev-pki.ts';
import type { KioskService } from '../kioskService.ts';
import { buildCentreHttpApp } from '../http/app.ts';

const TX = '0b5e3f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
let dir: string;
let pki: DevPki;
let app: FastifyInstance;
let port: number;
const serverSockets = new Set<TLSSocket>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'centre-renegotiation-'));
  pki = await createDevPki({ outDir: dir, terminals: [{ terminalId: 'S0001-T01' }] });
  const service = {
    challenge: async () => ({
      ok: true,
      value: { challenge: Buffer.alloc(32).toString('base64'), expiresAt: '2026-11-25T12:05:00+09:00' },
    }),
  } as unknown as KioskService;
  app = buildCentreHttpApp(service, {
    logger: false,
    tls: {
      certificatePem: pki.server.certificatePem,
      privateKeyPem: pki.server.privateKeyPem,
      terminalCaPem: pki.caPem,
      terminalCrlPem: pki.crlPem,
    },
  });
  app.server.on('secureConnection', (socket: TLSSocket) => serverSockets.add(socket));
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});

afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

const terminal = () => pki.terminals.get('S0001-T01')!;

describe('a kiosk connection under mutual TLS', () => {
  it('keeps the terminal its handshake proved: read once for all its requests, each claim still compared', async () => {
    const reads = vi.spyOn(TLSSocket.prototype, 'getPeerX509Certificate');
    const client = new Client(`https://localhost:${port}`, {
      connect: { ca: pki.caPem, cert: terminal().certificatePem, key: terminal().privateKeyPem },
    });
    try {
      const challenge = async (terminalId: string) => {
        const res = await client.request({
          method: 'POST',
          path: '/v1/challenge',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ transactionId: TX, terminalId }),
        });
        return { status: res.statusCode, json: (await res.body.json()) as unknown };
      };
      for (let i = 0; i < 3; i++) expect((await challenge('S0001-T01')).status).toBe(200);
      // Another terminal's id on this terminal's connection is refused as before.
      expect(await challenge('S0001-T02')).toEqual({
        status: 403,
        json: { error: { code: 'terminal-unknown', messageKey: 'error.terminal-unknown' } },
      });
      expect((await challenge('S0001-T01')).status).toBe(200);
      const serverReads = reads.mock.contexts.filter((socket) => serverSockets.has(socket as TLSSocket));
      expect(serverSockets.size).toBe(1);
      expect(serverReads).toHaveLength(1);
    } finally {
      reads.mockRestore();
      await client.close();
    }
  });

  it('refuses renegotiation on every connection it accepts: a kiosk that tries gets no new handshake', async () => {
    const refusals = vi.spyOn(TLSSocket.prototype, 'disableRenegotiation');
    const before = serverSockets.size;
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: pki.caPem,
      cert: terminal().certificatePem,
      key: terminal().privateKeyPem,
      // TLS 1.3 has no renegotiation to try.
      maxVersion: 'TLSv1.2',
    });
    socket.on('error', () => undefined);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.once('error', reject);
      });
      expect(socket.authorized).toBe(true);
      await vi.waitFor(() => expect(serverSockets.size).toBe(before + 1));
      const accepted = [...serverSockets].at(-1);
      expect(refusals.mock.contexts).toContain(accepted);
      const outcome = await Promise.race([
        new Promise<string>((resolve) => socket.once('close', () => resolve('closed'))),
        new Promise<string>((resolve) => {
          if (
            !socket.renegotiate({ rejectUnauthorized: true }, (error) =>
              resolve(error ? 'failed' : 'renegotiated'),
            )
          )
            resolve('not started');
        }),
        new Promise<string>((resolve) => setTimeout(() => resolve('no new handshake'), 2_000)),
      ]);
      expect(outcome).not.toBe('renegotiated');
    } finally {
      refusals.mockRestore();
      socket.destroy();
    }
  });
});
