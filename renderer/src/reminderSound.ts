import { createContext, useContext } from 'react';
import type { Language } from '../../electron/kiosk-api.ts';
import { LOCALES } from './i18n/index.ts';

/**
 * The audible reminder (card left on the reader): a two-note chime through Web Audio, then the
 * reminder line spoken in the resident's language where the browser has a voice for it. The
 * screen shows the same line; a kiosk without sound still shows it.
 */
export interface ReminderSound {
  play(line: string, language: Language): void;
}

const CHIME_HZ = [988, 659] as const;
const NOTE_S = 0.28;

/** The kiosk's speaker, through the page's Web Audio and speech synthesis (each used only if present). */
export function createReminderSound(page: Window & typeof globalThis): ReminderSound {
  let audio: AudioContext | undefined;
  const chime = () => {
    if (typeof page.AudioContext !== 'function') return;
    audio ??= new page.AudioContext();
    void audio.resume().catch(() => undefined);
    const start = audio.currentTime;
    CHIME_HZ.forEach((hz, i) => {
      const at = start + i * NOTE_S;
      const oscillator = audio!.createOscillator();
      const gain = audio!.createGain();
      oscillator.frequency.value = hz;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.4, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + NOTE_S);
      oscillator.connect(gain).connect(audio!.destination);
      oscillator.start(at);
      oscillator.stop(at + NOTE_S);
    });
  };
  const speak = (line: string, language: Language) => {
    const synthesis = page.speechSynthesis as SpeechSynthesis | undefined;
    if (!synthesis || typeof page.SpeechSynthesisUtterance !== 'function') return;
    const utterance = new page.SpeechSynthesisUtterance(line);
    utterance.lang = LOCALES[language];
    // One reminder at a time: a new one replaces what is still being said.
    synthesis.cancel();
    synthesis.speak(utterance);
  };
  return {
    play(line, language) {
      try {
        chime();
        speak(line, language);
      } catch {
        // A silent speaker never stops the screen: the reminder is shown as well.
      }
    },
  };
}

let pageSound: ReminderSound | undefined;
const ReminderSoundContext = createContext<ReminderSound | null>(null);
export const ReminderSoundProvider = ReminderSoundContext.Provider;

/** The reminder sound: the provided one (tests), else the page's speaker. */
export function useReminderSound(): ReminderSound {
  const provided = useContext(ReminderSoundContext);
  if (provided) return provided;
  pageSound ??= createReminderSound(window);
  return pageSound;
}
