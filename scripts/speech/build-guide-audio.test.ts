import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildGuideAudio } from './build-guide-audio.ts';

describe('buildGuideAudio', () => {
  let dist = '';
  afterEach(async () => {
    vi.restoreAllMocks();
    if (dist) await rm(dist, { recursive: true, force: true });
  });

  it('without espeak-ng, says so in one line and writes nothing', async () => {
    dist = await mkdtemp(join(tmpdir(), 'guide-audio-'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await buildGuideAudio(dist, { espeak: join(dist, 'no-espeak-ng-here') })).toBeNull();
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]![0])).toContain('espeak-ng not installed');
    expect(await readdir(dist)).toEqual([]);
  });
});
