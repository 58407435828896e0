import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderCertificatePdf } from './render.ts';
import { SAMPLE_PRINTED_AT, sampleSeals, sampleSet, type SampleEntry } from './sample-set.ts';
import {
  checkSnapshot,
  describeSnapshotCheck,
  lazyFailureDir,
  renderSamplePdf,
  snapshotFiles,
  snapshotName,
  snapshotPages,
  UPDATE_SNAPSHOTS_COMMAND,
} from './test-support/sample-snapshots.ts';

/**
 * Visual regression: every page of every sample (each certificate type and main option, the set
 * `npm run samples` prints) rendered from fixed inputs, rasterised at 75 dpi grey and compared
 * with the reviewed snapshot in __image_snapshots__/. After a reviewed change to the forms:
 * `npm run samples -- --update-snapshots`.
 */
const samples = sampleSet();
const failureDir = lazyFailureDir();

function sample(id: string): SampleEntry {
  const found = samples.find((s) => s.id === id);
  if (!found) throw new Error(`no sample ${id}`);
  return found;
}

describe('every sample page looks like its reviewed snapshot', () => {
  // Concurrent: while one sample is drawn in this process, pdftoppm rasterises another.
  it.concurrent.each(samples.map((s) => [s.id, s] as const))('%s', async (_id, entry) => {
    const pages = await snapshotPages(await renderSamplePdf(entry));
    expect(pages.length).toBe(entry.document.pageCount);
    const failures: string[] = [];
    for (const [i, actualPng] of pages.entries()) {
      const check = await checkSnapshot({ name: snapshotName(entry.id, i + 1), actualPng, failureDir });
      if (check.kind !== 'match') failures.push(describeSnapshotCheck(check));
    }
    if (failures.length > 0) throw new Error(failures.join('\n\n'));
  });

  it('keeps one snapshot per sample page: none missing, none left from a removed sample', async () => {
    const expected = samples
      .flatMap((s) => Array.from({ length: s.document.pageCount }, (_, i) => snapshotName(s.id, i + 1)))
      .sort();
    expect(await snapshotFiles(), `run \`${UPDATE_SNAPSHOTS_COMMAND}\``).toEqual(expected);
  });
});

describe('the samples print from their inputs alone', () => {
  it('prints the same bytes twice, whatever the process time zone', async () => {
    const entry = sample('koseki-zenbu');
    const first = await renderSamplePdf(entry);
    const zone = process.env['TZ'];
    process.env['TZ'] = 'America/Los_Angeles';
    try {
      expect(Buffer.from(await renderSamplePdf(entry)).equals(Buffer.from(first))).toBe(true);
    } finally {
      if (zone === undefined) delete process.env['TZ'];
      else process.env['TZ'] = zone;
    }
  });

  it('gives every page its own seal: the QR differs between the pages of one document', async () => {
    const seals = await sampleSeals(sample('juminhyo-two-pages').document);
    expect(seals).toHaveLength(2);
    expect(Buffer.from(seals[0]!).equals(Buffer.from(seals[1]!))).toBe(false);
    expect(await sampleSeals(sample('juminhyo-two-pages').document)).toEqual(seals);
  });
});

describe('the comparison catches a small change and shows where', () => {
  it('fails on one changed digit of an amount and writes the actual page and a diff', async () => {
    const entry = sample('shotoku-kazei');
    const forged = structuredClone(entry.document);
    if (forged.content.kind !== 'shotoku-kazei') throw new Error('not a 所得・課税証明書');
    expect(forged.content.tax.municipalPerCapita).toBe(3000);
    forged.content.tax.municipalPerCapita = 8000;
    // The genuine page seals: only the printed digit differs, not the QR.
    const result = await renderCertificatePdf({
      document: forged,
      seals: await sampleSeals(entry.document),
      printedAt: SAMPLE_PRINTED_AT,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    const [page] = await snapshotPages(result.pdf);
    // Its own folder, removed afterwards: this failure is the expected one.
    const ownDir = lazyFailureDir('kiosk-visual-selftest-');
    try {
      const check = await checkSnapshot({
        name: snapshotName(entry.id, 1),
        actualPng: page!,
        failureDir: ownDir,
      });
      expect(check.kind).toBe('mismatch');
      if (check.kind !== 'mismatch') return;
      expect(check.reason).toMatch(/^\d+ pixels differ$/u);
      expect(existsSync(check.actualPath)).toBe(true);
      expect(existsSync(check.diffPath ?? '')).toBe(true);
      const message = describeSnapshotCheck(check);
      expect(message).toContain(check.actualPath);
      expect(message).toContain(check.diffPath);
      expect(message).toContain(UPDATE_SNAPSHOTS_COMMAND);
    } finally {
      await rm(await ownDir(), { recursive: true, force: true });
    }
  });

  it('names a page with no snapshot and the command that makes one', async () => {
    const page = PNG.sync.write(new PNG({ width: 4, height: 4 }));
    const check = await checkSnapshot({ name: 'no-such-sample-p1.png', actualPng: page, failureDir });
    expect(check).toEqual({ kind: 'missing', name: 'no-such-sample-p1.png' });
    expect(describeSnapshotCheck(check)).toContain(UPDATE_SNAPSHOTS_COMMAND);
  });
});
