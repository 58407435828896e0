/**
 * `npm run build`: the renderer with Vite, and the Electron main process, the preload script and
 * the centre with esbuild, the phone page the centre serves (scripts/phone/page-bundle.ts), and with
 * `--guide-audio` (the kiosk package's build) the audio guide's lines recorded with espeak-ng
 * (scripts/speech/build-guide-audio.ts): 66 MB and up to a minute on 2 cores, so `npm test`'s build
 * leaves them out and the guide uses the platform's voice there.
 * Output in dist/ (not committed).
 */
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { fileURLToPath } from 'node:url';
import { writeFile } from 'node:fs/promises';
import { bundlePhonePage, PHONE_PAGE_BUILT_NAME } from './phone/page-bundle.ts';
import { buildGuideAudio, describeGuideAudio } from './speech/build-guide-audio.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<void> {
  await viteBuild({ configFile: `${root}renderer/vite.config.ts`, logLevel: 'warn' });
  // The audio guide's recorded lines, into the renderer Vite has just written (it empties the folder).
  if (process.argv.slice(2).includes('--guide-audio')) {
    const guideAudio = await buildGuideAudio(`${root}dist`);
    if (guideAudio) console.log(describeGuideAudio(guideAudio));
  } else {
    console.log('audio guide recordings: not built (npm run build -- --guide-audio, for the kiosk package)');
  }
  const node = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  } as const;
  await Promise.all([
    // Electron's main process as one CommonJS file: ESM-only packages (cbor2, canonicalize, …) are
    // bundled in; native addons and packages that read their own data files at run time stay
    // external and ship in node_modules.
    esbuild({
      ...node,
      entryPoints: [`${root}electron/main.ts`],
      outfile: `${root}dist/electron/main.cjs`,
      format: 'cjs',
      external: [
        'electron',
        'pcsclite',
        'serialport',
        'better-sqlite3',
        'pdfkit',
        'fontkit',
        'pino',
        'thread-stream',
        'ipp',
      ],
    }),
    // The sandboxed preload can only require('electron'): everything else is bundled in.
    esbuild({
      ...node,
      entryPoints: [`${root}electron/preload.ts`],
      outfile: `${root}dist/electron/preload.cjs`,
      format: 'cjs',
      external: ['electron'],
    }),
    esbuild({
      ...node,
      entryPoints: [`${root}scripts/centre.ts`],
      outfile: `${root}dist/server/centre.mjs`,
      format: 'esm',
      packages: 'external',
    }),
  ]);
  // The phone page for a browser (no Node), beside the built centre that serves it.
  await writeFile(`${root}dist/server/${PHONE_PAGE_BUILT_NAME}`, await bundlePhonePage({ minify: true }));
  console.log(
    `built dist/renderer, dist/electron/{main,preload}.cjs, dist/server/centre.mjs, dist/server/${PHONE_PAGE_BUILT_NAME}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
