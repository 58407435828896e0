import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpoolPrinter } from './spool-printer.ts';

const pdf = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe('SpoolPrinter', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spool-printer-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes exactly one file, named by the job, with the document in it', async () => {
    const printer = new SpoolPrinter({ dir });
    const result = await printer.print(pdf, { jobName: 'TX-0001', copies: 1 });
    expect(result).toEqual({ ok: true, jobId: 'TX-0001' });
    expect(await readdir(dir)).toEqual(['TX-0001.pdf']);
    expect(Buffer.compare(await readFile(join(dir, 'TX-0001.pdf')), pdf)).toBe(0);
  });

  it('finds a printed job by its name, and no job for a name never printed or not a job name', async () => {
    const printer = new SpoolPrinter({ dir });
    expect(await printer.findJob('TX-0003')).toEqual({ kind: 'none' });
    await printer.print(pdf, { jobName: 'TX-0003', copies: 1 });
    expect(await printer.findJob('TX-0003')).toEqual({ kind: 'completed', jobId: 'TX-0003' });
    await writeFile(join(dir, '.partial.pdf'), pdf);
    expect(await printer.findJob('.partial')).toEqual({ kind: 'none' });
  });

  it('creates the folder when it does not exist yet and reports idle', async () => {
    const printer = new SpoolPrinter({ dir: join(dir, 'a', 'b') });
    expect(await printer.status()).toEqual({ kind: 'idle' });
    expect(printer.describe()).toBe(`spool ${join(dir, 'a', 'b')}`);
    expect((await printer.print(pdf, { jobName: 'TX-0002', copies: 1 })).ok).toBe(true);
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['TX-0002.pdf']);
  });

  it('never prints the same transaction twice over the first copy', async () => {
    const printer = new SpoolPrinter({ dir });
    await printer.print(pdf, { jobName: 'TX-0003', copies: 1 });
    const other = Buffer.concat([pdf, Buffer.from('% second\n')]);
    const again = await printer.print(other, { jobName: 'TX-0003', copies: 1 });
    expect(again).toMatchObject({ ok: false, failure: { kind: 'rejected' } });
    expect(await readdir(dir)).toEqual(['TX-0003.pdf']);
    expect(Buffer.compare(await readFile(join(dir, 'TX-0003.pdf')), pdf)).toBe(0);
  });

  it('refuses names that are not transaction ids, so nothing lands outside the folder', async () => {
    const printer = new SpoolPrinter({ dir });
    for (const jobName of ['../escape', 'a/b', '', '山田太郎', '.hidden', 'x'.repeat(129)]) {
      const result = await printer.print(pdf, { jobName, copies: 1 });
      expect(result).toMatchObject({ ok: false, failure: { kind: 'rejected' } });
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses documents that are not PDF and impossible copy counts', async () => {
    const printer = new SpoolPrinter({ dir });
    expect(await printer.print(Buffer.from('hello'), { jobName: 'TX-0004', copies: 1 })).toMatchObject({
      ok: false,
      failure: { kind: 'rejected' },
    });
    for (const copies of [0, -1, 1.5, 11]) {
      expect(await printer.print(pdf, { jobName: 'TX-0004', copies })).toMatchObject({
        ok: false,
        failure: { kind: 'rejected' },
      });
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a folder it cannot write as unreachable / unavailable, without throwing', async () => {
    const file = join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    const printer = new SpoolPrinter({ dir: file });
    expect((await printer.status()).kind).toBe('unreachable');
    expect(await printer.print(pdf, { jobName: 'TX-0005', copies: 1 })).toMatchObject({
      ok: false,
      failure: { kind: 'unavailable' },
    });
  });
});
