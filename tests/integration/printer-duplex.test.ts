/**
 * Back sides where the printer duplexes: the kiosk asks the printer (IPP sides-supported) at
 * start; on a two-sided printer each front page goes out with its back side (the 偽造防止 text,
 * the document id, which page it backs) in a two-sided job; on a one-sided printer nothing
 * changes. Real ippeveprinters (`-2` for the two-sided one).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BACK_SIDE_HEADING } from '../../certificate-templates/back-side.ts';
import { createHostLogger } from '../../electron/host/logger.ts';
import { callIpp } from '../../electron/printer/ipp-client.ts';
import { IppPrinter } from '../../electron/printer/index.ts';
import { freePort } from '../../scripts/system/services.ts';
import { runTransaction } from '../../scripts/dev/drive.ts';
import { startDevStack } from '../../scripts/dev/stack.ts';
import { cardListRows } from '../../server/seed/index.ts';
import { pdfText } from '../support/run-command.ts';
import { startTestPrinter, type TestPrinter } from '../support/services.ts';

const run = promisify(execFile);
let twoSided: TestPrinter;
let oneSided: TestPrinter;
let scratch: string;

beforeAll(async () => {
  [twoSided, oneSided] = await Promise.all([startTestPrinter({ duplex: true }), startTestPrinter()]);
  scratch = await mkdtemp(join(tmpdir(), 'kiosk-duplex-'));
});
afterAll(async () => {
  await Promise.all([twoSided?.stop(), oneSided?.stop()]);
  await rm(scratch, { recursive: true, force: true });
});

async function pageCount(path: string): Promise<number> {
  const { stdout } = await run('pdfinfo', [path]);
  return Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1]);
}

/** One 住民票 through the whole kiosk on `printer`; the PDF the printer kept and its job's sides. */
async function printJuminhyo(printer: TestPrinter): Promise<{ pdf: string; sides: unknown }> {
  const holderId = 'H0001';
  const pin = cardListRows().find((row) => row.holderId === holderId)!.authPin;
  const stack = await startDevStack({
    demoOpeningHours: true,
    worldDir: inject('worldDir'),
    outputDir: await mkdtemp(join(scratch, 'out-')),
    logger: createHostLogger({ level: 'silent' }),
    card: 'in-process',
    printer: new IppPrinter({ url: printer.url }),
    holderId,
  });
  try {
    const outcome = await runTransaction(
      stack.host,
      { pin, certificateType: 'juminhyo', copies: 1, options: { scope: 'self' } },
      stack.insertMoney,
    );
    expect(outcome.kind).toBe('printed');
  } finally {
    await stack.close();
  }
  const [file] = (await readdir(printer.dir)).filter((f) => f.endsWith('.pdf'));
  expect(file).toBeDefined();
  const jobId = Number(/^(\d+)-/.exec(file!)?.[1]);
  const answer = await callIpp(printer.url, {
    operation: 'Get-Job-Attributes',
    operationAttributes: { 'job-id': jobId, 'requested-attributes': ['sides'] },
    timeoutMs: 2_000,
  });
  return { pdf: join(printer.dir, file!), sides: answer.ok ? answer.response.job['sides'] : undefined };
}

describe('back sides where the printer duplexes', () => {
  it('asks the printer whether it prints both sides', async () => {
    expect(await new IppPrinter({ url: twoSided.url }).duplex()).toBe(true);
    expect(await new IppPrinter({ url: oneSided.url }).duplex()).toBe(false);
    const nobody = new IppPrinter({
      url: `ipp://127.0.0.1:${await freePort()}/ipp/print`,
      queryTimeoutMs: 500,
    });
    expect(await nobody.duplex()).toBeUndefined();
  });

  it('prints each front page with its back side, two-sided, on a duplex printer', async () => {
    const printed = await printJuminhyo(twoSided);
    expect(printed.sides).toBe('two-sided-long-edge');
    expect(await pageCount(printed.pdf)).toBe(2);
    const text = (await pdfText(printed.pdf)).split('\f');
    expect(text[0]).not.toContain(BACK_SIDE_HEADING);
    expect(text[1]).toContain(BACK_SIDE_HEADING);
    expect(text[1]).toMatch(/1 \/ 1 ページの裏面/);
  });

  it('prints the front only, one-sided, on a printer that cannot duplex', async () => {
    const printed = await printJuminhyo(oneSided);
    expect(printed.sides).not.toBe('two-sided-long-edge');
    expect(await pageCount(printed.pdf)).toBe(1);
    expect(await pdfText(printed.pdf)).not.toContain(BACK_SIDE_HEADING);
  });
});
