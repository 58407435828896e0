import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from './renderer-build.ts';

/** A stand-in for Vite: empties dist/renderer and writes a new page, as `build` does. */
function fakeBuild(root: string, calls: string[], outcome: 'ok' | 'fail' = 'ok') {
  return async (configFile: string) => {
    calls.push(configFile);
    const dir = join(root, 'dist', 'renderer');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    if (outcome === 'fail') throw new Error('the build failed');
    await writeFile(join(dir, 'index.html'), 'new page');
  };
}

describe('ensureRendererBuilt', () => {
  let root = '';
  let calls: string[] = [];
  const renderer = () => join(root, 'dist', 'renderer');
  const recording = () => join(renderer(), 'guide-audio', 'vi', 'abc123.wav');

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'renderer-build-'));
    calls = [];
    await mkdir(join(renderer(), 'guide-audio', 'vi'), { recursive: true });
    await writeFile(join(renderer(), 'index.html'), 'old page');
    await writeFile(recording(), 'RIFF recorded line');
    await writeFile(join(renderer(), 'guide-audio', 'index.json'), '{"vi":{}}\n');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('with rebuild, builds the page anew and keeps the recordings that were there', async () => {
    const dir = await ensureRendererBuilt(root, { rebuild: true, build: fakeBuild(root, calls) });
    expect(dir).toBe(renderer());
    expect(calls).toEqual([join(root, 'renderer', 'vite.config.ts')]);
    expect(await readFile(join(dir, 'index.html'), 'utf8')).toBe('new page');
    expect(await readFile(recording(), 'utf8')).toBe('RIFF recorded line');
    expect(await readFile(join(dir, 'guide-audio', 'index.json'), 'utf8')).toBe('{"vi":{}}\n');
    expect(existsSync(join(root, 'dist', 'guide-audio-kept'))).toBe(false);
  });

  it('puts the recordings back when the build fails, and says it failed', async () => {
    await expect(
      ensureRendererBuilt(root, { rebuild: true, build: fakeBuild(root, calls, 'fail') }),
    ).rejects.toThrow('the build failed');
    expect(await readFile(recording(), 'utf8')).toBe('RIFF recorded line');
  });

  it('while Vite builds, the recordings wait beside the page, where a later run finds them', async () => {
    let asideDuringBuild = false;
    await ensureRendererBuilt(root, {
      rebuild: true,
      build: async (configFile) => {
        await fakeBuild(root, calls)(configFile);
        asideDuringBuild = existsSync(join(root, 'dist', 'guide-audio-kept', 'vi', 'abc123.wav'));
      },
    });
    expect(asideDuringBuild).toBe(true);

    // A run killed during its build left them aside and no page: the next run puts them back.
    await rm(join(root, 'dist'), { recursive: true, force: true });
    await mkdir(join(root, 'dist', 'guide-audio-kept', 'vi'), { recursive: true });
    await writeFile(join(root, 'dist', 'guide-audio-kept', 'vi', 'abc123.wav'), 'left aside');
    await ensureRendererBuilt(root, { build: fakeBuild(root, calls) });
    expect(calls).toHaveLength(2);
    expect(await readFile(recording(), 'utf8')).toBe('left aside');
    expect(existsSync(join(root, 'dist', 'guide-audio-kept'))).toBe(false);
  });

  it('without recordings, builds without making a recordings folder; without rebuild, leaves a built page alone', async () => {
    await rm(join(renderer(), 'guide-audio'), { recursive: true });
    await ensureRendererBuilt(root, { build: fakeBuild(root, calls) });
    expect(calls).toEqual([]);
    expect(await readFile(join(renderer(), 'index.html'), 'utf8')).toBe('old page');

    await ensureRendererBuilt(root, { rebuild: true, build: fakeBuild(root, calls) });
    expect(calls).toHaveLength(1);
    expect(existsSync(join(renderer(), 'guide-audio'))).toBe(false);
  });
});
