import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCertificatePdf } from '../render.ts';
import { SAMPLE_PRINTED_AT, sampleSeals, type SampleEntry } from '../sample-set.ts';
import { compareImages, SNAPSHOT_TOLERANCE, type ImageTolerance } from './image-compare.ts';
import { rasterizePdf, SNAPSHOT_RASTER } from './page-images.ts';

/** The reviewed page pictures: `<sample id>-p<page>.png`, one per page of every sample. */
export const SNAPSHOT_DIR = fileURLToPath(new URL('../__image_snapshots__/', import.meta.url));

/** The one command that rewrites them (and the README pictures) after a reviewed change. */
export const UPDATE_SNAPSHOTS_COMMAND = 'npm run samples -- --update-snapshots';

export function snapshotName(sampleId: string, page: number): string {
  return `${sampleId}-p${page}.png`;
}

export class SampleRenderError extends Error {
  override readonly name = 'SampleRenderError';
}

/**
 * A sample printed exactly as every run prints it: its fixed document, the stand-in page seals
 * (SAMPLE_SIGNER) and the fixed print time. Nothing else goes in, so nothing else can vary.
 */
export async function renderSamplePdf(sample: SampleEntry): Promise<Uint8Array> {
  const result = await renderCertificatePdf({
    document: sample.document,
    seals: await sampleSeals(sample.document),
    printedAt: SAMPLE_PRINTED_AT,
  });
  if (!result.ok) throw new SampleRenderError(`${sample.id}: ${JSON.stringify(result.error)}`);
  return result.pdf;
}

/** Every page of a sample's PDF as the snapshots picture it (SNAPSHOT_RASTER). */
export function snapshotPages(pdf: Uint8Array): Promise<Buffer[]> {
  return rasterizePdf(pdf, SNAPSHOT_RASTER);
}

export type SnapshotCheck =
  | { kind: 'match'; name: string }
  | { kind: 'missing'; name: string }
  | {
      kind: 'mismatch';
      name: string;
      reason: string;
      expectedPath: string;
      actualPath: string;
      diffPath?: string;
    };

/**
 * Compares one rendered page with its reviewed snapshot. On a mismatch the actual page (and a
 * diff with the changed pixels in red) are written to `failureDir`, whose paths the result names.
 */
export async function checkSnapshot(options: {
  name: string;
  actualPng: Buffer;
  failureDir: () => Promise<string>;
  snapshotDir?: string;
  tolerance?: ImageTolerance;
}): Promise<SnapshotCheck> {
  const { name, actualPng } = options;
  const expectedPath = join(options.snapshotDir ?? SNAPSHOT_DIR, name);
  let expectedPng: Buffer;
  try {
    expectedPng = await readFile(expectedPath);
  } catch {
    return { kind: 'missing', name };
  }
  const comparison = compareImages(expectedPng, actualPng, options.tolerance ?? SNAPSHOT_TOLERANCE);
  if (comparison.kind === 'same') return { kind: 'match', name };
  const dir = await options.failureDir();
  const stem = name.replace(/\.png$/u, '');
  const actualPath = join(dir, `${stem}.actual.png`);
  await writeFile(actualPath, actualPng);
  if (comparison.kind === 'size-differs') {
    const { expected: e, actual: a } = comparison;
    return {
      kind: 'mismatch',
      name,
      reason: `size ${a.width}×${a.height} px, snapshot ${e.width}×${e.height} px`,
      expectedPath,
      actualPath,
    };
  }
  const diffPath = join(dir, `${stem}.diff.png`);
  await writeFile(diffPath, comparison.diffPng);
  return {
    kind: 'mismatch',
    name,
    reason: `${comparison.diffPixels} pixels differ`,
    expectedPath,
    actualPath,
    diffPath,
  };
}

/** What a failed check says: which page, why, where to look, and how to accept a reviewed change. */
export function describeSnapshotCheck(check: SnapshotCheck): string {
  switch (check.kind) {
    case 'match':
      return `${check.name}: matches its snapshot`;
    case 'missing':
      return `${check.name}: no reviewed snapshot; run \`${UPDATE_SNAPSHOTS_COMMAND}\` and review the new picture`;
    case 'mismatch':
      return [
        `${check.name}: ${check.reason}`,
        `  snapshot: ${check.expectedPath}`,
        `  actual:   ${check.actualPath}`,
        ...(check.diffPath ? [`  diff:     ${check.diffPath}`] : []),
        `  if the change is intended, review it and run \`${UPDATE_SNAPSHOTS_COMMAND}\``,
      ].join('\n');
  }
}

/** A temporary folder for failure pictures, made on first use and kept for the reader. */
export function lazyFailureDir(prefix = 'kiosk-visual-'): () => Promise<string> {
  let dir: Promise<string> | undefined;
  return () => (dir ??= mkdtemp(join(tmpdir(), prefix)));
}

/** The snapshot files present now (`*.png` in SNAPSHOT_DIR). */
export async function snapshotFiles(snapshotDir = SNAPSHOT_DIR): Promise<string[]> {
  try {
    return (await readdir(snapshotDir)).filter((name) => name.endsWith('.png')).sort();
  } catch {
    return [];
  }
}

/**
 * Rewrites the snapshots: every page of every sample, and removes pictures of samples or pages
 * that no longer exist. Returns the names written.
 */
export async function writeSnapshots(
  rendered: ReadonlyArray<{ id: string; pages: readonly Buffer[] }>,
  snapshotDir = SNAPSHOT_DIR,
): Promise<string[]> {
  await mkdir(snapshotDir, { recursive: true });
  const written: string[] = [];
  for (const sample of rendered) {
    for (const [i, png] of sample.pages.entries()) {
      const name = snapshotName(sample.id, i + 1);
      await writeFile(join(snapshotDir, name), png);
      written.push(name);
    }
  }
  for (const stale of (await snapshotFiles(snapshotDir)).filter((name) => !written.includes(name))) {
    await rm(join(snapshotDir, stale));
  }
  return written;
}
