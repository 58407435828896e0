/**
 * IppPrinter against loopback HTTP servers that misbehave in the ways a real printer or network
 * can (garbage, silence, HTTP errors, a stopped printer, a printer that stops answering
 * mid-job). The happy path against a real printer is in tests/integration/printer-ipp.test.ts.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import ipp from 'ipp';
import { afterEach, describe, expect, it } from 'vitest';
import { IppPrinter } from './ipp-printer.ts';

const pdf = Buffer.from('%PDF-1.7\n%%EOF\n');
const job = { jobName: 'TX-0001', copies: 1 };

type Handler = (operation: string, res: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});

async function serve(handler: Handler): Promise<{ url: string; operations: string[] }> {
  const operations: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = ipp.parse(Buffer.concat(chunks)) as { operation?: string };
      const operation = request.operation ?? 'unknown';
      operations.push(operation);
      handler(operation, res);
    });
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `ipp://127.0.0.1:${port}/ipp/print`, operations };
}

function answer(res: ServerResponse, message: Record<string, unknown>): void {
  const body = ipp.serialize({
    version: '2.0',
    id: 1,
    'operation-attributes-tag': { 'attributes-charset': 'utf-8', 'attributes-natural-language': 'en' },
    ...message,
  });
  res.writeHead(200, { 'content-type': 'application/ipp' });
  res.end(body);
}

function printerIs(state: string, reasons: string[] | string): Handler {
  return (_operation, res) =>
    answer(res, {
      statusCode: 'successful-ok',
      'printer-attributes-tag': { 'printer-state': state, 'printer-state-reasons': reasons },
    });
}

const fast = { queryTimeoutMs: 300, submitTimeoutMs: 300, pollIntervalMs: 20 };

describe('IppPrinter when the printer misbehaves', () => {
  it('turns a garbage answer into a typed failure', async () => {
    const { url } = await serve((_op, res) => {
      res.writeHead(200, { 'content-type': 'application/ipp' });
      res.end(Buffer.from([0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x47, 0xff, 0xff]));
    });
    const printer = new IppPrinter({ url, ...fast });
    expect(await printer.status()).toMatchObject({
      kind: 'unreachable',
      detail: expect.stringContaining('malformed'),
    });
    expect(await printer.print(pdf, job)).toMatchObject({ ok: false, failure: { kind: 'unavailable' } });
  });

  it('turns an answer that is not IPP at all into a typed failure', async () => {
    const { url } = await serve((_op, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>captive portal</html>');
    });
    const printer = new IppPrinter({ url, ...fast });
    expect((await printer.status()).kind).toBe('unreachable');
    expect(await printer.print(pdf, job)).toMatchObject({ ok: false, failure: { kind: 'unavailable' } });
  });

  it('gives up on a silent printer within the query time-out', async () => {
    const { url } = await serve(() => undefined); // accepts, never answers
    const printer = new IppPrinter({ url, ...fast });
    expect(await printer.status()).toMatchObject({
      kind: 'unreachable',
      detail: expect.stringContaining('no answer'),
    });
    expect(await printer.print(pdf, job)).toMatchObject({ ok: false, failure: { kind: 'unavailable' } });
  });

  it('reports an HTTP error as unreachable', async () => {
    const { url } = await serve((_op, res) => {
      res.writeHead(503);
      res.end();
    });
    expect(await new IppPrinter({ url, ...fast }).status()).toMatchObject({
      kind: 'unreachable',
      detail: expect.stringContaining('503'),
    });
  });

  it('reports a stopped printer and does not send it the document', async () => {
    const { url, operations } = await serve(printerIs('stopped', 'paused'));
    const printer = new IppPrinter({ url, ...fast });
    expect(await printer.status()).toEqual({ kind: 'stopped', reasons: ['paused'] });
    expect(await printer.print(pdf, job)).toEqual({
      ok: false,
      failure: { kind: 'unavailable', detail: 'printer stopped (paused)' },
    });
    expect(operations).not.toContain('Print-Job');
  });

  it('reports a stopped printer without paper as out-of-paper before sending', async () => {
    const { url, operations } = await serve(
      printerIs('stopped', ['media-needed-error', 'cover-open-warning']),
    );
    expect(await new IppPrinter({ url, ...fast }).print(pdf, job)).toEqual({
      ok: false,
      failure: { kind: 'out-of-paper' },
    });
    expect(operations).not.toContain('Print-Job');
  });

  it('reports a job the printer refuses as rejected', async () => {
    const { url } = await serve((operation, res) => {
      if (operation === 'Print-Job')
        return answer(res, { statusCode: 'client-error-document-format-not-supported' });
      return printerIs('idle', 'none')(operation, res);
    });
    expect(await new IppPrinter({ url, ...fast }).print(pdf, job)).toEqual({
      ok: false,
      failure: {
        kind: 'rejected',
        detail: 'printer refused the job: client-error-document-format-not-supported',
      },
    });
  });

  it('gives up after three failed job queries in a row', async () => {
    const { url, operations } = await serve((operation, res) => {
      if (operation === 'Print-Job') {
        return answer(res, {
          statusCode: 'successful-ok',
          'job-attributes-tag': { 'job-id': 7, 'job-state': 'pending' },
        });
      }
      if (operation === 'Get-Job-Attributes') {
        res.writeHead(500);
        return res.end();
      }
      return printerIs('idle', 'none')(operation, res);
    });
    const result = await new IppPrinter({ url, ...fast }).print(pdf, job);
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'unavailable', detail: expect.stringContaining('job 7') },
    });
    expect(operations.filter((o) => o === 'Get-Job-Attributes')).toHaveLength(3);
  });

  it('keeps polling through a failed query that is followed by good ones', async () => {
    let queries = 0;
    const { url } = await serve((operation, res) => {
      if (operation === 'Print-Job') {
        return answer(res, {
          statusCode: 'successful-ok',
          'job-attributes-tag': { 'job-id': 3, 'job-state': 'pending' },
        });
      }
      if (operation === 'Get-Job-Attributes') {
        queries += 1;
        if (queries === 1 || queries === 3) {
          res.writeHead(500);
          return res.end();
        }
        const state = queries < 5 ? 'processing' : 'completed';
        return answer(res, { statusCode: 'successful-ok', 'job-attributes-tag': { 'job-state': state } });
      }
      return printerIs('idle', 'none')(operation, res);
    });
    expect(await new IppPrinter({ url, ...fast }).print(pdf, job)).toEqual({ ok: true, jobId: '3' });
    expect(queries).toBe(5);
  });
});
