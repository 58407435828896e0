import type { Language } from '../../electron/kiosk-api.ts';
import { withoutReadings } from './components/RubyText.tsx';
import type { Messages } from './i18n/ja.ts';

/**
 * The audio guide's fixed lines, shared by the build step that records them with espeak-ng
 * (scripts/speech/build-guide-audio.ts) and the page that plays them (guide-recorded.ts).
 * Both sides name a recording by the hash of its normalised text, so the page needs no index.
 */

/**
 * espeak-ng's voice for each language it covers well enough to ship. Not here: Tagalog (no
 * espeak-ng voice) and Japanese (the `ja` voice reads kana only and says "Chinese letter" for
 * every kanji, which is most of every message).
 */
export const RECORDED_VOICES: Partial<Record<Language, string>> = {
  en: 'en-gb',
  'zh-Hans': 'cmn',
  ko: 'ko',
  vi: 'vi',
  pt: 'pt-br',
  es: 'es',
};

/** Where the recordings live, relative to the built page (dist/renderer/). */
export const GUIDE_AUDIO_FOLDER = 'guide-audio';

/**
 * A message the guide says as it stands, by its key path: a screen's heading or title, its lead or
 * body, the done screen's "take your card", a PIN reset's outcome, the key feedback ("digit
 * entered"). Lines with `{{…}}` (counts, amounts, names) are dynamic and never recorded.
 */
const SPOKEN_PATH =
  /(^|\.)(heading\w*|title|body|lead|rules|cardReminder|takeBoth)$|(Heading|Body|Detail|Entered|Deleted)$|\.outcome\.[^.]+$/;

/** The text as the guide says it: no furigana marks, one space between words. */
export function normaliseLine(text: string): string {
  return withoutReadings(text).replace(/\s+/g, ' ').trim();
}

/** 64-bit FNV-1a of the line's UTF-8 bytes, as 16 hex digits: a recording's file name. */
export function lineKey(line: string): string {
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(normaliseLine(line))) {
    hash = ((hash ^ BigInt(byte)) * prime) & mask;
  }
  return hash.toString(16).padStart(16, '0');
}

/** Every fixed line of one language's messages that the guide may say, normalised, without repeats. */
export function guideLinesOf(messages: Messages): string[] {
  const lines = new Set<string>();
  const visit = (node: unknown, path: string): void => {
    if (typeof node === 'string') {
      if (SPOKEN_PATH.test(path) && !node.includes('{{')) {
        const line = normaliseLine(node);
        if (line !== '') lines.add(line);
      }
      return;
    }
    if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) visit(value, path === '' ? key : `${path}.${key}`);
    }
  };
  visit(messages, '');
  return [...lines];
}

/** The URL of a line's recording, relative to the page. */
export function recordingUrl(language: Language, line: string): string {
  return `./${GUIDE_AUDIO_FOLDER}/${language}/${lineKey(line)}.wav`;
}
