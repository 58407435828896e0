/**
 * `npm run samples [-- --out DIR] [-- --dpi N]`: prints every certificate type and main option
 * (certificate-templates/sample-set.ts) to DIR/<id>.pdf (default var/samples/) and to small
 * PNG pictures in assets/samples/<id>.png (page 1, 72 dpi 1-bit, for the README). The seal is a
 * fixed stand-in byte string, so the pictures only change when the forms do.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderCertificatePdf } from '../certificate-templates/render.ts';
import { sampleSet } from '../certificate-templates/sample-set.ts';

/** A fixed stand-in for the municipal seal: the pictures show the QR's place and size, not a real key. */
export const SAMPLE_SEAL = new Uint8Array(Array.from({ length: 460 }, (_, i) => (i * 37 + 11) % 256));
export const SAMPLE_PRINTED_AT = new Date('2026-11-25T01:00:00Z');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: 'var/samples' }, dpi: { type: 'string', default: '72' } },
  });
  const out = values.out;
  const pictures = 'assets/samples';
  mkdirSync(out, { recursive: true });
  mkdirSync(pictures, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'samples-'));
  try {
    for (const sample of sampleSet()) {
      const result = await renderCertificatePdf({
        document: sample.document,
        // A fixed stand-in per page, so the sample pictures do not change from run to run.
        seals: Array.from({ length: sample.document.pageCount }, () => SAMPLE_SEAL),
        printedAt: SAMPLE_PRINTED_AT,
      });
      if (!result.ok) throw new Error(`${sample.id}: ${JSON.stringify(result.error)}`);
      const pdfPath = join(out, `${sample.id}.pdf`);
      writeFileSync(pdfPath, result.pdf);
      const stem = join(work, sample.id);
      execFileSync('pdftoppm', [
        '-r',
        values.dpi,
        '-mono',
        '-png',
        '-f',
        '1',
        '-l',
        '1',
        '-singlefile',
        pdfPath,
        stem,
      ]);
      writeFileSync(join(pictures, `${sample.id}.png`), readFileSync(`${stem}.png`));
      console.log(`${sample.id}\t${result.pdf.length} B\t${sample.what}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
