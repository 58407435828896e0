/**
 * `npm run bench -- documents`: how long renderCertificatePdf takes and how many bytes it writes
 * per page, for every sample of certificate-templates/sample-set.ts (each type and main option,
 * the set the visual regression test pictures), beside the same 住民票 page laid out in HTML and
 * printed to PDF by Debian's Chromium (playwright-core page.pdf) in the same run.
 *
 * Each case is rendered a few times first (the first render loads the 46 MB IPAmj font; the JIT
 * warms up), then timed `runs` times: median and p95. The seals are made before timing: signing
 * is the issuing server's work, not the renderer's. Targets (issue 8): a 住民票 page with every
 * pattern at most 50 ms median and 100 kB, at least 3× faster than Chromium.
 */
import { availableParallelism, loadavg } from 'node:os';
import type { DocumentOf } from '../../protocol/documents.ts';
import { renderCertificatePdf } from '../../certificate-templates/render.ts';
import { SAMPLE_PRINTED_AT, sampleSeals, sampleSet } from '../../certificate-templates/sample-set.ts';
import { startChromiumPrinter } from './documents/chromium-print.ts';
import { juminhyoHtml } from './documents/juminhyo-html.ts';
import { percentile, ratio, type BenchCheck, type BenchComparison, type BenchReport } from './report.ts';

export interface DocumentsBenchOptions {
  /** Timed renders per sample (default 20). */
  runs?: number;
  /** Untimed renders per sample before (default 3). */
  warmup?: number;
  /** Timed Chromium prints (default 5: each costs seconds on a busy machine). */
  chromiumRuns?: number;
}

/** The 住民票 page the targets are about: a full page (4 persons) with the 地紋 and the QR seal. */
export const TARGET_SAMPLE = 'juminhyo-household';
export const TARGETS = { medianMs: 50, bytesPerPage: 100_000, timesFasterThanChromium: 3 } as const;

interface Timing {
  medianMs: number;
  p95Ms: number;
  bytes: number;
  pages: number;
}

async function time(runs: number, warmup: number, render: () => Promise<Uint8Array>): Promise<Timing> {
  let bytes: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < warmup; i++) bytes = await render();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    bytes = await render();
    times.push(performance.now() - started);
  }
  const sorted = times.sort((a, b) => a - b);
  return { medianMs: percentile(sorted, 50), p95Ms: percentile(sorted, 95), bytes: bytes.length, pages: 0 };
}

export async function run(options: DocumentsBenchOptions = {}): Promise<BenchReport> {
  const runs = options.runs ?? 20;
  const warmup = options.warmup ?? 3;
  const chromiumRuns = options.chromiumRuns ?? Math.min(runs, 5);
  const rows: BenchReport['rows'] = [];
  const notes: string[] = [];
  const timings = new Map<string, Timing>();

  for (const sample of sampleSet()) {
    const seals = await sampleSeals(sample.document);
    const timing = await time(runs, warmup, async () => {
      const result = await renderCertificatePdf({
        document: sample.document,
        seals,
        printedAt: SAMPLE_PRINTED_AT,
      });
      if (!result.ok) throw new Error(`${sample.id}: ${JSON.stringify(result.error)}`);
      return result.pdf;
    });
    timing.pages = sample.document.pageCount;
    timings.set(sample.id, timing);
    rows.push(row(`${sample.id} (pdfkit)`, sample.what, timing));
  }

  const target = sampleSet().find((s) => s.id === TARGET_SAMPLE);
  if (!target || target.document.content.kind !== 'juminhyo' || target.document.pageCount !== 1) {
    throw new Error(`${TARGET_SAMPLE} is not a one-page 住民票 sample`);
  }
  const [seal] = await sampleSeals(target.document);
  const html = juminhyoHtml(target.document as DocumentOf<'juminhyo'>, seal!);
  let chromium: Timing | undefined;
  try {
    const launched = performance.now();
    const printer = await startChromiumPrinter(html.fontFaces);
    try {
      notes.push(
        `Chromium started and loaded both fonts in ${(performance.now() - launched).toFixed(0)} ms (not counted).`,
      );
      chromium = await time(chromiumRuns, Math.min(warmup, 2), () => printer.print(html));
      chromium.pages = 1;
      rows.push(row(`${TARGET_SAMPLE} (Chromium)`, 'the same page in HTML → page.pdf', chromium));
    } finally {
      await printer.close();
    }
  } catch (error) {
    notes.push(`Chromium not measured: ${error instanceof Error ? error.message : String(error)}`);
  }

  const ours = timings.get(TARGET_SAMPLE)!;
  const ratio = chromium ? chromium.medianMs / ours.medianMs : undefined;
  const checks: BenchCheck[] = [
    {
      target: `${TARGET_SAMPLE} median ≤ ${TARGETS.medianMs} ms`,
      measured: `${ours.medianMs.toFixed(1)} ms`,
      pass: ours.medianMs <= TARGETS.medianMs,
    },
    {
      target: `${TARGET_SAMPLE} ≤ ${TARGETS.bytesPerPage / 1000} kB a page`,
      measured: `${(ours.bytes / ours.pages / 1000).toFixed(1)} kB`,
      pass: ours.bytes / ours.pages <= TARGETS.bytesPerPage,
    },
    {
      target: `${TARGET_SAMPLE} ≥ ${TARGETS.timesFasterThanChromium}× faster than Chromium (median)`,
      measured: ratio === undefined ? 'Chromium not measured' : `${ratio.toFixed(1)}×`,
      pass: ratio !== undefined && ratio >= TARGETS.timesFasterThanChromium,
    },
  ];
  notes.push(
    `${runs} timed runs per sample after ${warmup} untimed (${chromiumRuns} for Chromium); kB = 1000 bytes.`,
    'Chromium: one page kept open with both fonts loaded; each run puts the form in (style and body) and prints it.',
    `Load average at the end: ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' / ')} on ${availableParallelism()} cores (timings on a shared machine stretch with it).`,
    'Both embed subsets of the same Debian IPAex明朝 and IPAmj明朝 files.',
  );
  return {
    title: 'Documents: render time and bytes per page (pdfkit renderer beside Chromium page.pdf)',
    rows,
    notes,
    checks,
    comparisons: documentComparisons(ours, chromium),
  };
}

/** The summary's documents line: our renderer beside Chromium's page.pdf on the same 住民票 page. */
function documentComparisons(ours: Timing, chromium: Timing | undefined): BenchComparison[] {
  const figures = (t: Timing) =>
    `${t.medianMs.toFixed(1)} ms median, ${(t.bytes / t.pages / 1000).toFixed(1)} kB a page`;
  return [
    {
      measure: `PDF of a 住民票 page (${TARGET_SAMPLE}), pdfkit renderer`,
      ours: figures(ours),
      against: chromium ? `Chromium page.pdf: ${figures(chromium)}` : 'Chromium not measured',
      comparison: chromium
        ? `${ratio(ours.medianMs, chromium.medianMs, 'faster', 'slower')}, ` +
          ratio(ours.bytes / ours.pages, chromium.bytes / chromium.pages, 'smaller', 'larger')
        : '—',
    },
  ];
}

function row(document: string, what: string, t: Timing): Record<string, string | number> {
  return {
    document,
    pages: t.pages,
    'median (ms)': t.medianMs,
    'p95 (ms)': t.p95Ms,
    'bytes/page': Math.round(t.bytes / t.pages),
    what,
  };
}
