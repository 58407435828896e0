import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpOcspTransport } from './ocsp.ts';

/** A responder stand-in answering every POST with its own name and the request's path. */
function standIn(name: string): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end(`${name} ${request.method} ${request.url}`));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const urlOf = (server: Server, path: string) =>
  `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;

// The transport keeps each URL's request options between requests: each URL must still reach
// its own responder and path, and a URL it refuses is refused every time.
describe('the OCSP HTTP transport', () => {
  let a: Server;
  let b: Server;
  beforeAll(async () => {
    [a, b] = await Promise.all([standIn('a'), standIn('b')]);
  });
  afterAll(async () => {
    for (const server of [a, b]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('posts each request to its own URL, again and again', async () => {
    const post = async (url: string) =>
      Buffer.from(
        (await httpOcspTransport(url, new Uint8Array([0x30, 0x00]), new AbortController().signal)).body,
      ).toString();
    for (let round = 0; round < 3; round++) {
      expect(await post(urlOf(a, '/ocsp'))).toBe('a POST /ocsp');
      expect(await post(urlOf(b, '/other?x=1'))).toBe('b POST /other?x=1');
    }
  });

  it('refuses a URL that is not http or https every time', async () => {
    for (let round = 0; round < 2; round++) {
      await expect(
        httpOcspTransport('ftp://127.0.0.1/ocsp', new Uint8Array([0x30, 0x00]), new AbortController().signal),
      ).rejects.toThrow(TypeError);
    }
  });
});
