import type { Language } from '../../electron/kiosk-api.ts';
import { createRecordedVoice } from './guide-recorded.ts';
import { LOCALES } from './i18n/index.ts';

/**
 * The audio guide's voice: a line spoken in the resident's language at a volume (0–1). The kiosk
 * speaks through the platform's speech synthesis or the build's recordings (createPageVoice; a
 * headphone jack in a real kiosk); tests pass their own. It is given instructions and "digit
 * entered", never a digit of a PIN.
 */
export interface GuideVoice {
  say(line: string, language: Language, volume: number): void;
  /** Stops what is being said (a new screen, the guide turned off). */
  hush(): void;
}

/** Whether the platform has a voice for the language (its locale's first subtag; Tagalog also as `fil`). */
export function platformSpeaks(speech: SpeechSynthesis, language: Language): boolean {
  const wanted = new Set([LOCALES[language].split('-')[0]!.toLowerCase(), language.split('-')[0]!]);
  if (language === 'tl') wanted.add('tl');
  return speech.getVoices().some((voice) => wanted.has(voice.lang.toLowerCase().split(/[-_]/)[0]!));
}

/**
 * The kiosk's voice: the platform's speech synthesis where it has a voice for the resident's
 * language (it also says numbers and names); otherwise the build's espeak-ng recordings of the
 * fixed lines (guide-recorded.ts); a line with no recording goes to the platform if it has speech
 * at all (its default voice), else the kiosk stays silent.
 */
export function createPageVoice(page: Window & typeof globalThis): GuideVoice {
  const synthesis = (): SpeechSynthesis | undefined =>
    typeof page.SpeechSynthesisUtterance === 'function'
      ? (page.speechSynthesis as SpeechSynthesis | undefined)
      : undefined;
  const recordings = createRecordedVoice((url) => new page.Audio(url));
  // Chromium loads its voices in the background: asking once now makes them known by the first line.
  synthesis()?.getVoices();
  const speakOnPlatform = (
    speech: SpeechSynthesis,
    line: string,
    language: Language,
    volume: number,
  ): void => {
    const utterance = new page.SpeechSynthesisUtterance(line);
    utterance.lang = LOCALES[language];
    utterance.volume = Math.min(1, Math.max(0, volume));
    // One line at a time: the newest replaces what is still being said.
    speech.cancel();
    speech.speak(utterance);
  };
  return {
    say(line, language, volume) {
      const speech = synthesis();
      if (speech && platformSpeaks(speech, language)) {
        recordings.hush();
        speakOnPlatform(speech, line, language, volume);
        return;
      }
      speech?.cancel();
      if (typeof page.Audio === 'function' && recordings.say(line, language, volume)) return;
      recordings.hush();
      if (speech) speakOnPlatform(speech, line, language, volume);
    },
    hush() {
      synthesis()?.cancel();
      recordings.hush();
    },
  };
}

/** An element's words to be said: its aria-label, else its text without the furigana (<rt>, <rp>). */
function wordsOf(element: Element | null | undefined): string {
  if (!element) return '';
  const label = element.getAttribute('aria-label');
  if (label !== null) return label;
  const copy = element.cloneNode(true) as Element;
  for (const reading of copy.querySelectorAll('rt, rp')) reading.remove();
  return copy.textContent ?? '';
}

/** The spoken instruction of a screen: its heading and lead paragraph, as the page shows them. */
export function instructionOf(body: ParentNode): string {
  const heading = body.querySelector('h1');
  const lead = body.querySelector('[data-guide="lead"]') ?? heading?.parentElement?.querySelector('h1 ~ p');
  return [wordsOf(heading), wordsOf(lead)]
    .map((part) => part.replace(/\s+/g, ' ').trim())
    .filter((part) => part !== '')
    .join('. ');
}
