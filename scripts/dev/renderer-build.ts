import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { build } from 'vite';
import { GUIDE_AUDIO_FOLDER } from '../../renderer/src/guide-lines.ts';

/** Builds the renderer into dist/renderer; Vite empties that folder first. */
export type RendererBuild = (configFile: string) => Promise<void>;

const viteBuild: RendererBuild = async (configFile) => {
  await build({ configFile, logLevel: 'warn' });
};

/**
 * The built renderer folder; builds it with Vite first when it is missing (or when asked to),
 * keeping the audio guide's recordings that are there (see `keepingGuideAudio`).
 */
export async function ensureRendererBuilt(
  root: string,
  options: { rebuild?: boolean; build?: RendererBuild } = {},
): Promise<string> {
  const dir = join(root, 'dist', 'renderer');
  if (options.rebuild || !existsSync(join(dir, 'index.html'))) {
    const run = options.build ?? viteBuild;
    await keepingGuideAudio(root, () => run(join(root, 'renderer', 'vite.config.ts')));
  }
  return dir;
}

/**
 * Runs `build` (which empties dist/renderer) while the espeak-ng recordings of
 * `npm run build -- --guide-audio` (dist/renderer/guide-audio/) wait beside it in
 * dist/guide-audio-kept/, then puts them back, also when the build fails: `kiosk:web --rebuild` and
 * `npm start` keep the recorded guide. Recordings left there by an interrupted run are put back too.
 * Lines whose words changed since the recording keep their old file names (a hash of the words), so
 * the page does not find them and uses the platform's voice until the next `--guide-audio` build.
 */
export async function keepingGuideAudio(root: string, build: () => Promise<void>): Promise<void> {
  const recordings = join(root, 'dist', 'renderer', GUIDE_AUDIO_FOLDER);
  const kept = join(root, 'dist', 'guide-audio-kept');
  if (existsSync(recordings)) {
    await rm(kept, { recursive: true, force: true });
    await rename(recordings, kept);
  }
  try {
    await build();
  } finally {
    if (existsSync(kept)) {
      await mkdir(dirname(recordings), { recursive: true });
      await rm(recordings, { recursive: true, force: true });
      await rename(kept, recordings);
    }
  }
}
