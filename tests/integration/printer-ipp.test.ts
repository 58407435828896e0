/**
 * IppPrinter against a real IPP Everywhere printer (CUPS's ippeveprinter) on loopback.
 * Needs: ippeveprinter (cups-ipp-utils), dbus, avahi-daemon, pdftotext (poppler-utils).
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callIpp } from '../../electron/printer/ipp-client.ts';
import { IppPrinter } from '../../electron/printer/ipp-printer.ts';
import { freePort, startIppEvePrinter } from '../../scripts/system/services.ts';
import { startTestPrinter } from '../support/services.ts';
import type { TestPrinter } from '../support/services.ts';

const run = promisify(execFile);

function makePdf(text: string): Promise<Buffer> {
  return new Promise((done, failed) => {
    const doc = new PDFDocument({ size: 'A4' });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => done(Buffer.concat(chunks)));
    doc.on('error', failed);
    doc.fontSize(18).text(text);
    doc.end();
  });
}

/** A per-job program for ippeveprinter that reports a printer condition and fails the job. */
async function failingCommand(dir: string, state: string): Promise<string> {
  const path = join(dir, `report-${state}.sh`);
  await writeFile(path, `#!/bin/sh\necho "STATE: +${state}" >&2\nexit 1\n`);
  await chmod(path, 0o755);
  return path;
}

async function jobState(url: string, jobId: string): Promise<unknown> {
  const answer = await callIpp(url, {
    operation: 'Get-Job-Attributes',
    operationAttributes: { 'job-id': Number(jobId), 'requested-attributes': ['job-state'] },
    timeoutMs: 2_000,
  });
  return answer.ok ? answer.response.job['job-state'] : answer.error;
}

describe('IppPrinter on ippeveprinter', () => {
  let printer: TestPrinter;
  let scripts: string;

  beforeAll(async () => {
    printer = await startTestPrinter();
    scripts = await mkdtemp(join(tmpdir(), 'kiosk-ipp-scripts-'));
  });
  afterAll(async () => {
    await printer?.stop();
    if (scripts) await rm(scripts, { recursive: true, force: true });
  });

  it('reports an idle printer', async () => {
    expect(await new IppPrinter({ url: printer.url }).status()).toEqual({ kind: 'idle' });
    expect(new IppPrinter({ url: printer.url }).describe()).toBe(`IPP ${printer.url}`);
  });

  it('prints a one-page PDF and the printer receives exactly that document', async () => {
    const jobName = 'TX-20260101-000001';
    const pdf = await makePdf('Kiosk print check 0001');
    const started = performance.now();
    const result = await new IppPrinter({ url: printer.url }).print(pdf, { jobName, copies: 1 });
    const elapsedMs = performance.now() - started;
    console.info(`one-page job end to end: ${elapsedMs.toFixed(0)} ms`);

    expect(result).toMatchObject({ ok: true, jobId: expect.stringMatching(/^\d+$/) });
    if (!result.ok) return;
    // ippeveprinter keeps each document as "<job-id>-<job-name in lower case>.pdf".
    const expectedName = `${result.jobId}-${jobName.toLowerCase()}.pdf`;
    const received = (await readdir(printer.dir)).filter((f) => f.endsWith('.pdf'));
    expect(received).toEqual([expectedName]);
    const file = join(printer.dir, expectedName);
    expect(Buffer.compare(await readFile(file), pdf)).toBe(0);
    const { stdout } = await run('pdftotext', [file, '-']);
    expect(stdout).toContain('Kiosk print check 0001');
    expect(await jobState(printer.url, result.jobId)).toBe('completed');
  });

  it('sends the number of copies with the job', async () => {
    const result = await new IppPrinter({ url: printer.url }).print(await makePdf('two copies'), {
      jobName: 'TX-20260101-000002',
      copies: 2,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const answer = await callIpp(printer.url, {
      operation: 'Get-Job-Attributes',
      operationAttributes: { 'job-id': Number(result.jobId), 'requested-attributes': ['copies', 'job-name'] },
      timeoutMs: 2_000,
    });
    expect(answer.ok && answer.response.job).toMatchObject({ copies: 2, 'job-name': 'TX-20260101-000002' });
  });

  it('finds a job by its name (Get-Jobs), as after a Print-Job whose answer was lost', async () => {
    const ipp = new IppPrinter({ url: printer.url });
    const result = await ipp.print(await makePdf('look me up'), { jobName: 'TX-20260101-000003', copies: 1 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(await ipp.findJob('TX-20260101-000003')).toMatchObject({ kind: 'completed', jobId: result.jobId });
    expect(await ipp.findJob('TX-20260101-999999')).toEqual({ kind: 'none' });
  });

  it('refuses a job name that is not a transaction id, without sending anything', async () => {
    const before = (await readdir(printer.dir)).length;
    const result = await new IppPrinter({ url: printer.url }).print(await makePdf('x'), {
      jobName: '山田 太郎',
      copies: 1,
    });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'rejected' } });
    expect((await readdir(printer.dir)).length).toBe(before);
  });

  it('reports out-of-paper when the printer runs out, and then refuses before sending', async () => {
    const empty = await startTestPrinter({ command: await failingCommand(scripts, 'media-empty-error') });
    try {
      const ipp = new IppPrinter({ url: empty.url });
      const first = await ipp.print(await makePdf('paper'), { jobName: 'TX-20260101-000003', copies: 1 });
      expect(first).toEqual({ ok: false, failure: { kind: 'out-of-paper' } });

      const status = await ipp.status();
      expect(status.kind).toBe('stopped');
      expect(status.kind === 'stopped' && status.reasons.some((r) => r.startsWith('media-empty'))).toBe(true);

      const filesBefore = (await readdir(empty.dir)).length;
      const second = await ipp.print(await makePdf('paper'), { jobName: 'TX-20260101-000004', copies: 1 });
      expect(second).toEqual({ ok: false, failure: { kind: 'out-of-paper' } });
      expect((await readdir(empty.dir)).length).toBe(filesBefore);
    } finally {
      await empty.stop();
    }
  });

  it('reports a paper jam as jammed', async () => {
    const jam = await startTestPrinter({ command: await failingCommand(scripts, 'media-jam-error') });
    try {
      const result = await new IppPrinter({ url: jam.url }).print(await makePdf('jam'), {
        jobName: 'TX-20260101-000005',
        copies: 1,
      });
      expect(result).toEqual({ ok: false, failure: { kind: 'jammed' } });
    } finally {
      await jam.stop();
    }
  });

  it('reports job-aborted when the job fails for another reason', async () => {
    const broken = await startTestPrinter({ command: '/bin/false' });
    try {
      const result = await new IppPrinter({ url: broken.url }).print(await makePdf('abort'), {
        jobName: 'TX-20260101-000006',
        copies: 1,
      });
      expect(result).toMatchObject({ ok: false, failure: { kind: 'job-aborted' } });
    } finally {
      await broken.stop();
    }
  });

  it('gives up on a job that takes too long, and cancels it so it cannot come out later', async () => {
    const slow = join(scripts, 'slow.sh');
    await writeFile(slow, '#!/bin/sh\nsleep 3\n');
    await chmod(slow, 0o755);
    const lagging = await startTestPrinter({ command: slow });
    try {
      const result = await new IppPrinter({
        url: lagging.url,
        jobTimeoutMs: 1_500,
        pollIntervalMs: 200,
      }).print(await makePdf('slow'), { jobName: 'TX-20260101-000007', copies: 1 });
      expect(result).toEqual({ ok: false, failure: { kind: 'timeout' } });
      // ippeveprinter numbers jobs from 1 in each run: this was its first. It lets the running
      // job program finish (3 s) and then records the job as canceled, not completed.
      await expect.poll(() => jobState(lagging.url, '1'), { timeout: 8_000, interval: 250 }).toBe('canceled');
    } finally {
      await lagging.stop();
    }
  });

  it('reports a printer on a closed port as unavailable', async () => {
    const url = `ipp://127.0.0.1:${await freePort()}/ipp/print`;
    const ipp = new IppPrinter({ url });
    const status = await ipp.status();
    const result = await ipp.print(await makePdf('nobody'), { jobName: 'TX-20260101-000008', copies: 1 });
    expect(status.kind).toBe('unreachable');
    expect(result).toMatchObject({ ok: false, failure: { kind: 'unavailable' } });
  });

  it('says why ippeveprinter did not start when its port is taken (it fails, it does not wait for a time-out)', async () => {
    // A port held by another program: it accepts and drops connections, so neither our readiness
    // probe nor anything else keeps a socket open that would hold up closing it.
    const blocker = createServer((socket) => socket.destroy());
    await new Promise<void>((done) => blocker.listen(0, '0.0.0.0', done));
    try {
      const { port } = blocker.address() as AddressInfo;
      const result = await startIppEvePrinter({
        name: 'kiosk-port-taken',
        port,
        spoolDir: join(scripts, 'taken'),
      });
      expect(result).toMatchObject({
        ok: false,
        error: { kind: 'start-failed', service: 'ippeveprinter', detail: expect.stringContaining('in use') },
      });
    } finally {
      await new Promise((done) => blocker.close(done));
    }
  });
});
