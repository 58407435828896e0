import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * How the visual snapshots are rasterised: 75 dpi, 8-bit grey, poppler's anti-aliasing on.
 * Modest on purpose (about 100 kB a page): enough to see every rule, label and digit, small
 * enough to keep in the repository. The fine 地紋 dots alias into an even pattern at this size,
 * which is still the same pattern on every run.
 */
export const SNAPSHOT_RASTER = { dpi: 75, grey: true } as const;

export interface RasterOptions {
  dpi: number;
  grey: boolean;
}

/**
 * Every page of a PDF as PNG bytes, page 1 first, with poppler's pdftoppm (Debian
 * `poppler-utils`); rejects (ENOENT) when the tool is missing, so a test fails loudly.
 */
export async function rasterizePdf(
  pdf: Uint8Array,
  options: RasterOptions = SNAPSHOT_RASTER,
): Promise<Buffer[]> {
  const dir = await mkdtemp(join(tmpdir(), 'cert-raster-'));
  try {
    const path = join(dir, 'doc.pdf');
    await writeFile(path, pdf);
    const colour = options.grey ? ['-gray'] : [];
    await run('pdftoppm', ['-r', String(options.dpi), ...colour, '-png', path, join(dir, 'page')]);
    // pdftoppm names pages page-1.png … or page-01.png … (padded to the page count's digits).
    const pages = (await readdir(dir))
      .map((name) => ({ name, page: /^page-(\d+)\.png$/u.exec(name)?.[1] }))
      .filter((entry): entry is { name: string; page: string } => entry.page !== undefined)
      .sort((a, b) => Number(a.page) - Number(b.page));
    return await Promise.all(pages.map((entry) => readFile(join(dir, entry.name))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
