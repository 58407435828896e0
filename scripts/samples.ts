/**
 * `npm run samples [-- --out DIR] [-- --dpi N] [-- --update-snapshots]`: prints every certificate
 * type and main option (certificate-templates/sample-set.ts) to DIR/<id>.pdf (default
 * var/samples/) and to small PNG pictures in assets/samples/<id>.png (page 1, 72 dpi 1-bit, for
 * the README). Inputs are fixed (documents, print time, stand-in page seals), so the pictures
 * only change when the forms do.
 *
 * With `--update-snapshots` it also rewrites the visual regression snapshots
 * (certificate-templates/__image_snapshots__/, every page, 75 dpi grey) that
 * certificate-templates/visual.test.ts compares against: run it after a reviewed change to the
 * forms, look at `git diff --stat` and the pictures, and commit them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { sampleSet } from '../certificate-templates/sample-set.ts';
import {
  renderSamplePdf,
  SNAPSHOT_DIR,
  snapshotPages,
  writeSnapshots,
} from '../certificate-templates/test-support/sample-snapshots.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'var/samples' },
      dpi: { type: 'string', default: '72' },
      'update-snapshots': { type: 'boolean', default: false },
    },
  });
  const out = values.out;
  const pictures = 'assets/samples';
  mkdirSync(out, { recursive: true });
  mkdirSync(pictures, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'samples-'));
  const snapshots: Array<{ id: string; pages: Buffer[] }> = [];
  try {
    for (const sample of sampleSet()) {
      const pdf = await renderSamplePdf(sample);
      const pdfPath = join(out, `${sample.id}.pdf`);
      writeFileSync(pdfPath, pdf);
      const stem = join(work, sample.id);
      execFileSync('pdftoppm', [
        ...['-r', values.dpi, '-mono', '-png', '-f', '1', '-l', '1', '-singlefile'],
        pdfPath,
        stem,
      ]);
      writeFileSync(join(pictures, `${sample.id}.png`), readFileSync(`${stem}.png`));
      if (values['update-snapshots']) snapshots.push({ id: sample.id, pages: await snapshotPages(pdf) });
      console.log(`${sample.id}\t${pdf.length} B\t${sample.what}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (values['update-snapshots']) {
    const written = await writeSnapshots(snapshots);
    const bytes = written.reduce((n, name) => n + readFileSync(join(SNAPSHOT_DIR, name)).length, 0);
    console.log(
      `${written.length} snapshots (${(bytes / 1024).toFixed(0)} kB) in ${relative(process.cwd(), SNAPSHOT_DIR)}: review them before committing`,
    );
  }
}

void main();
