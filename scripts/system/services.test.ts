import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeServiceError, freePort, isListening } from './services.ts';

describe('isListening', () => {
  it('sees a port only while something listens on it', async () => {
    const server: Server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    expect(await isListening(port)).toBe(true);
    await new Promise((done) => server.close(done));
    expect(await isListening(port)).toBe(false);
  });
});

describe('freePort', () => {
  it('gives a port nothing listens on, that can then be bound', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(1024);
    expect(await isListening(port)).toBe(false);
    const server = createServer();
    await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
    await new Promise((done) => server.close(done));
  });
});

describe('describeServiceError', () => {
  it('tells which Debian package to install', () => {
    expect(
      describeServiceError({
        kind: 'missing-package',
        service: 'ippeveprinter',
        path: '/usr/sbin/ippeveprinter',
        debianPackage: 'cups-ipp-utils',
      }),
    ).toBe(
      'ippeveprinter: /usr/sbin/ippeveprinter is missing; install the Debian package cups-ipp-utils (npm run setup:system)',
    );
  });
});
