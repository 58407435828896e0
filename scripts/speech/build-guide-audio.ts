/**
 * The audio guide's fixed lines recorded with espeak-ng, for kiosks whose platform has no voice
 * for the resident's language: one WAV per line and language in dist/renderer/guide-audio/<lang>/,
 * named by the line's hash (renderer/src/guide-lines.ts), and index.json {language: {hash: file}}.
 * Recordings are cached in dist/guide-audio-cache/ (Vite empties dist/renderer on every build), so
 * a rebuild with unchanged text runs no espeak-ng at all. Without espeak-ng, one line and nothing.
 */
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { link, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Language } from '../../electron/kiosk-api.ts';
import {
  GUIDE_AUDIO_FOLDER,
  guideLinesOf,
  lineKey,
  RECORDED_VOICES,
} from '../../renderer/src/guide-lines.ts';
import { MESSAGES } from '../../renderer/src/i18n/index.ts';
import { halveSampleRate } from './wav.ts';

const run = promisify(execFile);

/** Words per minute: a little slower than espeak-ng's 175, for residents who listen carefully. */
const SPEED = 150;
/** Bumped when the recording settings change, so cached files are made again. */
const FORMAT = `espeak-ng:s${SPEED}:11025Hz-mono-16bit:1`;

export interface GuideAudioReport {
  languages: Language[];
  lines: number;
  /** Lines espeak-ng had to record this time (0 when nothing changed). */
  recorded: number;
  bytes: number;
  milliseconds: number;
}

async function hasEspeak(espeak: string): Promise<boolean> {
  try {
    await run(espeak, ['--version']);
    return true;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Runs the jobs with at most `limit` at a time. */
async function inParallel<T>(jobs: T[], limit: number, work: (job: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) await work(jobs[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}

/**
 * Records every covered language's guide lines into `distRoot`/renderer/guide-audio/; null (and
 * one printed line) when `espeak` (the command, espeak-ng on PATH by default) is not there.
 */
export async function buildGuideAudio(
  distRoot: string,
  { espeak = 'espeak-ng' }: { espeak?: string } = {},
): Promise<GuideAudioReport | null> {
  const started = performance.now();
  if (!(await hasEspeak(espeak))) {
    console.log(
      'guide audio: espeak-ng not installed, no recordings (the kiosk uses the platform voice only)',
    );
    return null;
  }
  const cache = `${distRoot}/guide-audio-cache`;
  const out = `${distRoot}/renderer/${GUIDE_AUDIO_FOLDER}`;
  await rm(out, { recursive: true, force: true });
  const jobs: { language: Language; voice: string; line: string; key: string; cached: string }[] = [];
  const index: Partial<Record<Language, Record<string, string>>> = {};
  for (const [language, voice] of Object.entries(RECORDED_VOICES) as [Language, string][]) {
    await mkdir(`${out}/${language}`, { recursive: true });
    await mkdir(`${cache}/${voice}`, { recursive: true });
    const files: Record<string, string> = {};
    for (const line of guideLinesOf(MESSAGES[language])) {
      const key = lineKey(line);
      files[key] = `${language}/${key}.wav`;
      // The cache key covers the voice and the settings as well as the words.
      jobs.push({
        language,
        voice,
        line,
        key,
        cached: `${cache}/${voice}/${lineKey(`${FORMAT}\n${line}`)}.wav`,
      });
    }
    index[language] = files;
  }
  let recorded = 0;
  let bytes = 0;
  await inParallel(jobs, Math.max(1, availableParallelism()), async (job) => {
    if (!(await exists(job.cached))) {
      // Straight from espeak-ng to memory (--stdout), halved to 11025 Hz, written once complete.
      const { stdout } = await run(
        'espeak-ng',
        ['-v', job.voice, '-s', String(SPEED), '--stdout', job.line],
        {
          encoding: 'buffer',
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      await writeFile(`${job.cached}.part`, halveSampleRate(stdout));
      await rm(job.cached, { force: true });
      await link(`${job.cached}.part`, job.cached);
      await rm(`${job.cached}.part`);
      recorded += 1;
    }
    const target = `${out}/${job.language}/${job.key}.wav`;
    if (!(await exists(target))) await link(job.cached, target);
    const { size } = await stat(target);
    bytes += size;
  });
  await writeFile(`${out}/index.json`, `${JSON.stringify(index)}\n`);
  return {
    languages: Object.keys(index) as Language[],
    lines: jobs.length,
    recorded,
    bytes,
    milliseconds: Math.round(performance.now() - started),
  };
}

/** One line for the build's output. */
export function describeGuideAudio(report: GuideAudioReport): string {
  const megabytes = (report.bytes / 1024 / 1024).toFixed(1);
  return (
    `guide audio: ${report.lines} lines in ${report.languages.join(', ')} (${report.recorded} recorded now), ` +
    `${megabytes} MB, ${(report.milliseconds / 1000).toFixed(1)} s`
  );
}
