/**
 * The phone's web page as one browser script: scripts/phone/web/page.ts and what it imports (the
 * shared phone client, the JPKI client, the card reader) bundled by esbuild in memory. The centre
 * serves the text (server/phone/phone-app.ts `servePage`). The bundle must not need Node: esbuild
 * fails on any `node:` import, so a Node module slipping into the page fails here, at start and
 * in `npm run build`, which also writes it as dist/server/phone-page.js — the built centre
 * (dist/server/centre.mjs) serves that file, as its sources are not beside it.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const PHONE_PAGE_BUILT_NAME = 'phone-page.js';

export async function bundlePhonePage(options: { minify?: boolean } = {}): Promise<string> {
  const built = await readFile(new URL(`./${PHONE_PAGE_BUILT_NAME}`, import.meta.url), 'utf8').catch(
    () => undefined,
  );
  if (built !== undefined) return built;
  // Loaded only here: a built centre with its page beside it runs without esbuild installed.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./web/page.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: options.minify ?? false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild wrote no phone page');
  return output.text;
}
