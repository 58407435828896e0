import type { Language } from '../../electron/kiosk-api.ts';
import { guideLinesOf, normaliseLine, RECORDED_VOICES, recordingUrl } from './guide-lines.ts';
import { MESSAGES } from './i18n/index.ts';

/** The part of an <audio> element the recorded voice uses (tests pass a fake). */
export interface GuideAudio {
  volume: number;
  onended: ((event: Event) => unknown) | null;
  onerror: ((event: Event | string) => unknown) | null;
  play(): Promise<void> | undefined;
  pause(): void;
}

export type MakeGuideAudio = (url: string) => GuideAudio;

/** The lines recorded for a language at build time: the same rule the build step follows. */
const recorded = new Map<Language, ReadonlySet<string>>();
function recordedLines(language: Language): ReadonlySet<string> {
  let lines = recorded.get(language);
  if (!lines) {
    lines = new Set(language in RECORDED_VOICES ? guideLinesOf(MESSAGES[language]) : []);
    recorded.set(language, lines);
  }
  return lines;
}

/**
 * The recorded messages that say `line`, in order: all of it if every part is recorded, else the
 * recorded messages it starts with (a heading before a lead with a name or number in it), else
 * null. A screen's instruction is its heading and lead joined with ". " (guide.ts
 * `instructionOf`), each a message of its own: the line is tried whole, then cut at each ". ".
 */
export function recordedPartsOf(line: string, language: Language): string[] | null {
  const lines = recordedLines(language);
  // The longest run of recorded messages from the start of `rest`, and whether it reaches the end.
  const split = (rest: string): { parts: string[]; complete: boolean } => {
    if (lines.has(rest)) return { parts: [rest], complete: true };
    let best: { parts: string[]; complete: boolean } = { parts: [], complete: false };
    for (let cut = rest.indexOf('. '); cut > 0; cut = rest.indexOf('. ', cut + 1)) {
      const head = rest.slice(0, cut);
      if (!lines.has(head)) continue;
      const tail = split(rest.slice(cut + 2));
      const found = { parts: [head, ...tail.parts], complete: tail.complete };
      if (found.complete) return found;
      if (found.parts.length > best.parts.length) best = found;
    }
    return best;
  };
  const whole = normaliseLine(line);
  const { parts } = whole === '' ? { parts: [] } : split(whole);
  return parts.length > 0 ? parts : null;
}

/**
 * A voice that plays the build's espeak-ng recordings (scripts/speech/build-guide-audio.ts) one
 * after another at the guide's volume. `say` answers false when the line has no recording (a
 * number, a name, a language espeak-ng does not cover), so the caller can try something else.
 */
export function createRecordedVoice(makeAudio: MakeGuideAudio) {
  let playing: GuideAudio | null = null;
  const stop = (): void => {
    if (!playing) return;
    playing.onended = null;
    playing.onerror = null;
    playing.pause();
    playing = null;
  };
  const playFrom = (urls: string[], volume: number): void => {
    const [url, ...rest] = urls;
    if (url === undefined) {
      playing = null;
      return;
    }
    const audio = makeAudio(url);
    audio.volume = Math.min(1, Math.max(0, volume));
    audio.onended = () => playFrom(rest, volume);
    // A missing file (a build without espeak-ng, the dev server): the rest of the line is dropped.
    audio.onerror = () => stop();
    playing = audio;
    void audio.play()?.catch(() => {
      if (playing === audio) stop();
    });
  };
  return {
    say(line: string, language: Language, volume: number): boolean {
      const parts = recordedPartsOf(line, language);
      if (!parts) return false;
      // One line at a time: the newest replaces what is still being said.
      stop();
      playFrom(
        parts.map((part) => recordingUrl(language, part)),
        volume,
      );
      return true;
    },
    hush: stop,
  };
}
