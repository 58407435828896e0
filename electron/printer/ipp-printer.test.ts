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
import { IppPrinter, jobLookupOf } from './ipp-printer.ts';

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

/** A Get-Jobs answer: one job-attributes group per job (the encoder writes one group per tag). */
function answerJobs(res: ServerResponse, jobs: Record<string, unknown>[]): void {
  const head = ipp.serialize({
    version: '2.0',
    id: 1,
    statusCode: 'successful-ok',
    'operation-attributes-tag': { 'attributes-charset': 'utf-8', 'attributes-natural-language': 'en' },
  });
  const groups = jobs.map((attributes) =>
    ipp
      .serialize({ version: '2.0', id: 1, statusCode: 'successful-ok', 'job-attributes-tag': attributes })
      .subarray(8, -1),
  );
  res.writeHead(200, { 'content-type': 'application/ipp' });
  res.end(Buffer.concat([head.subarray(0, -1), ...groups, Buffer.from([0x03])]));
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

describe('IppPrinter when the answer to Print-Job is lost', () => {
  /** A printer that takes the document and never answers Print-Job, but lists its jobs. */
  function stallsOnSubmit(jobs: Record<string, unknown>[], then?: Handler): Handler {
    return (operation, res) => {
      if (operation === 'Print-Job') return undefined; // the document went out; no answer comes
      if (operation === 'Get-Jobs') return answerJobs(res, jobs);
      if (then) return then(operation, res);
      return printerIs('idle', 'none')(operation, res);
    };
  }

  it('looks the job up by its name and reports it printed when the printer completed it', async () => {
    const { url, operations } = await serve(
      stallsOnSubmit([
        { 'job-id': 4, 'job-name': 'TX-0000', 'job-state': 'completed', 'job-impressions-completed': 1 },
        { 'job-id': 5, 'job-name': 'TX-0001', 'job-state': 'completed', 'job-impressions-completed': 2 },
      ]),
    );
    expect(await new IppPrinter({ url, ...fast }).print(pdf, job)).toEqual({
      ok: true,
      jobId: '5',
      impressions: 2,
    });
    expect(operations).toEqual(['Get-Printer-Attributes', 'Print-Job', 'Get-Jobs']);
  });

  it('follows a job it finds still printing until the printer completes it', async () => {
    let queries = 0;
    const { url } = await serve(
      stallsOnSubmit(
        [{ 'job-id': 9, 'job-name': 'TX-0001', 'job-state': 'processing' }],
        (operation, res) => {
          if (operation !== 'Get-Job-Attributes') return printerIs('idle', 'none')(operation, res);
          queries += 1;
          return answer(res, {
            statusCode: 'successful-ok',
            'job-attributes-tag': { 'job-state': queries < 2 ? 'processing' : 'completed' },
          });
        },
      ),
    );
    expect(await new IppPrinter({ url, ...fast }).print(pdf, job)).toEqual({ ok: true, jobId: '9' });
    expect(queries).toBe(2);
  });

  it('declares the print failed only after the printer says it holds no such job', async () => {
    const { url, operations } = await serve(
      stallsOnSubmit([{ 'job-id': 4, 'job-name': 'TX-0000', 'job-state': 'completed' }]),
    );
    expect(await new IppPrinter({ url, ...fast }).print(pdf, job)).toEqual({
      ok: false,
      failure: { kind: 'timeout' },
    });
    expect(operations.filter((o) => o === 'Get-Jobs')).toHaveLength(1);
  });

  it('reports a job that ended on the printer with the printer’s reason', async () => {
    const { url } = await serve(
      stallsOnSubmit([{ 'job-id': 6, 'job-name': 'TX-0001', 'job-state': 'aborted' }], (operation, res) => {
        if (operation === 'Get-Job-Attributes')
          return answer(res, {
            statusCode: 'successful-ok',
            'job-attributes-tag': { 'job-state': 'aborted', 'job-state-reasons': 'aborted-by-system' },
          });
        return printerIs('idle', 'media-jam-error')(operation, res);
      }),
    );
    expect(await new IppPrinter({ url, ...fast }).print(pdf, job)).toEqual({
      ok: false,
      failure: { kind: 'jammed' },
    });
  });
});

describe('jobLookupOf', () => {
  it('takes the newest job of that name and says what state it is in', () => {
    const jobs = [
      { 'job-id': 2, 'job-name': 'TX-1', 'job-state': 'completed' },
      { 'job-id': 7, 'job-name': 'TX-1', 'job-state': 'pending' },
      { 'job-id': 9, 'job-name': 'TX-2', 'job-state': 'completed' },
    ];
    expect(jobLookupOf(jobs, 'TX-1')).toEqual({ kind: 'active', jobId: '7' });
    expect(jobLookupOf(jobs, 'TX-2')).toEqual({ kind: 'completed', jobId: '9' });
    expect(jobLookupOf(jobs, 'TX-3')).toEqual({ kind: 'none' });
    expect(jobLookupOf([{ 'job-id': 3, 'job-name': 'TX-1', 'job-state': 'canceled' }], 'TX-1')).toEqual({
      kind: 'ended',
      jobId: '3',
    });
  });
});
