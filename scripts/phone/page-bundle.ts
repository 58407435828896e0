/**
 * Bundles the phone's web page (scripts/phone/web/page.ts and what it imports: the shared
 * phone client, the JPKI client, the card reader) into one browser script with esbuild, in
 * memory. The centre serves the text (server/phone/phone-app.ts `servePage`). The bundle must
 * not need Node: esbuild fails on any `node:` import, so a Node module slipping into the page
 * fails here, at start and in `npm run build`.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const PHONE_PAGE_ENTRY = fileURLToPath(new URL('./web/page.ts', import.meta.url));

export async function bundlePhonePage(options: { minify?: boolean } = {}): Promise<string> {
  const result = await build({
    entryPoints: [PHONE_PAGE_ENTRY],
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
