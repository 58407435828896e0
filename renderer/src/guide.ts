import type { Language } from '../../electron/kiosk-api.ts';
import { LOCALES } from './i18n/index.ts';

/**
 * The audio guide's voice: a line spoken in the resident's language at a volume (0–1). The kiosk
 * speaks through the platform's speech synthesis where it has a voice (a headphone jack in a real
 * kiosk); tests pass their own. It is given instructions and "digit entered", never a digit of a PIN.
 */
export interface GuideVoice {
  say(line: string, language: Language, volume: number): void;
  /** Stops what is being said (a new screen, the guide turned off). */
  hush(): void;
}

/** The page's speech synthesis, used only if present; a kiosk without it stays silent. */
export function createPageVoice(page: Window & typeof globalThis): GuideVoice {
  const synthesis = (): SpeechSynthesis | undefined =>
    typeof page.SpeechSynthesisUtterance === 'function'
      ? (page.speechSynthesis as SpeechSynthesis | undefined)
      : undefined;
  return {
    say(line, language, volume) {
      const speech = synthesis();
      if (!speech) return;
      const utterance = new page.SpeechSynthesisUtterance(line);
      utterance.lang = LOCALES[language];
      utterance.volume = Math.min(1, Math.max(0, volume));
      // One line at a time: the newest replaces what is still being said.
      speech.cancel();
      speech.speak(utterance);
    },
    hush() {
      synthesis()?.cancel();
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
