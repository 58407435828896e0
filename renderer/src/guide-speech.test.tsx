// @vitest-environment jsdom
/**
 * The audio guide's recorded lines: which lines the build records (every screen's instruction, in
 * every language espeak-ng covers, and never a PIN), and which voice the kiosk speaks with.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskScreen, Language } from '../../electron/kiosk-api.ts';
import { App } from './App.tsx';
import { createPageVoice, type GuideVoice } from './guide.ts';
import { guideLinesOf, lineKey, RECORDED_VOICES, recordingUrl } from './guide-lines.ts';
import { recordedPartsOf } from './guide-recorded.ts';
import { createKioskI18n, MESSAGES } from './i18n/index.ts';
import { createKioskStore } from './store.ts';
import { FakeKiosk } from './test-support/fake-kiosk.ts';

const COVERED = Object.keys(RECORDED_VOICES) as Language[];

afterEach(cleanup);

class RecordingVoice implements GuideVoice {
  readonly said: string[] = [];
  say(line: string) {
    this.said.push(line);
  }
  hush() {}
}

/** Screens whose instruction is made of fixed messages only (no amount, name or count). */
const SCREENS: KioskScreen[] = [
  { screen: 'place-card', reader: 'ready' },
  { screen: 'reading-card' },
  { screen: 'pin-entry', digitsEntered: 0, pinLength: 4, triesLeft: 3, lastAttemptWrong: false },
  { screen: 'authenticating' },
  { screen: 'issuing' },
  { screen: 'registration-confirm' },
  { screen: 'registration-filing' },
  { screen: 'pin-reset-working' },
  { screen: 'pin-reset-done', outcome: 'new-pin' },
  { screen: 'done', changeYen: 0 },
  { screen: 'error', error: 'card-removed', triesLeft: 3 },
  { screen: 'error', error: 'cancelled', triesLeft: 3 },
];

/** The instruction the guide says on a screen, in a language, as the page builds it. */
async function instructionOn(view: KioskScreen, language: Language): Promise<string> {
  const kiosk = new FakeKiosk({ transactionId: 'TX-SPEECH', receiptNumber: '12345678', language, view });
  const voice = new RecordingVoice();
  const { store } = createKioskStore(kiosk);
  render(<App store={store} i18n={createKioskI18n(language)} voice={voice} />);
  await screen.findByTestId(`screen-${view.screen}`);
  fireEvent.click(screen.getByTestId('guide-speak'));
  cleanup();
  return voice.said[0]!;
}

describe('the recorded lines', () => {
  it('cover every screen’s instruction in every language espeak-ng covers', async () => {
    for (const language of COVERED) {
      for (const view of SCREENS) {
        const line = await instructionOn(view, language);
        expect(line, `${language} ${view.screen}`).not.toBe('');
        expect(recordedPartsOf(line, language)?.join('. '), `${language} ${view.screen}`).toBe(line);
      }
    }
  });

  it('include the key feedback and no line with a digit run that could be a PIN', () => {
    for (const language of COVERED) {
      const lines = guideLinesOf(MESSAGES[language]);
      expect(lines).toContain(MESSAGES[language].guide.digitEntered);
      expect(lines).toContain(MESSAGES[language].guide.digitDeleted);
      for (const line of lines) {
        expect(line).not.toMatch(/[0-9０-９]{4,}/);
        expect(line).not.toContain('{{');
        expect(line).not.toMatch(/\{[^|{}]+\|[^|{}]+\}/);
      }
    }
  });

  it('take a line’s words without furigana and cut an instruction into recorded messages', () => {
    const heading = MESSAGES.ja.pinEntry.heading;
    expect(heading).toMatch(/\{暗証番号\|/);
    expect(guideLinesOf(MESSAGES.ja)).toContain('暗証番号（数字4桁）を入力してください');
    const en = MESSAGES.en;
    expect(recordedPartsOf(`${en.readingCard.heading}. ${en.readingCard.body}`, 'en')).toEqual([
      en.readingCard.heading,
      en.readingCard.body,
    ]);
    // A lead with a name in it: the heading alone is recorded.
    expect(recordedPartsOf(`${en.menu.heading}. Certificates from Chiyoda`, 'en')).toEqual([en.menu.heading]);
    expect(recordedPartsOf('1 234 yen', 'en')).toBeNull();
    expect(recordedPartsOf(en.readingCard.heading, 'tl')).toBeNull();
    expect(recordingUrl('en', `  ${en.readingCard.heading} `)).toBe(
      `./guide-audio/en/${lineKey(en.readingCard.heading)}.wav`,
    );
  });
});

/** A page with speech synthesis (with the given voices, or none) and <audio>, recording both. */
function fakePage(options: { synthesis: boolean; voices: string[] }) {
  const spoken: { text: string; lang: string; volume: number }[] = [];
  const played: { url: string; volume: number }[] = [];
  const audios: { onended: ((event: Event) => unknown) | null }[] = [];
  class Utterance {
    lang = '';
    volume = 1;
    constructor(readonly text: string) {}
  }
  class FakeAudio {
    volume = 1;
    onended: ((event: Event) => unknown) | null = null;
    onerror: ((event: Event | string) => unknown) | null = null;
    constructor(readonly url: string) {
      audios.push(this);
    }
    play() {
      played.push({ url: this.url, volume: this.volume });
      return Promise.resolve();
    }
    pause() {}
  }
  const page = {
    Audio: FakeAudio,
    ...(options.synthesis
      ? {
          SpeechSynthesisUtterance: Utterance,
          speechSynthesis: {
            getVoices: () => options.voices.map((lang) => ({ lang })),
            speak: (u: Utterance) => spoken.push({ text: u.text, lang: u.lang, volume: u.volume }),
            cancel: () => undefined,
          },
        }
      : {}),
  } as unknown as Window & typeof globalThis;
  return { page, spoken, played, audios };
}

describe('the kiosk’s voice', () => {
  const en = MESSAGES.en;
  const instruction = `${en.readingCard.heading}. ${en.readingCard.body}`;

  it('speaks through the platform when it has a voice for the language', () => {
    const { page, spoken, played } = fakePage({ synthesis: true, voices: ['en-US', 'ja-JP'] });
    createPageVoice(page).say(instruction, 'en', 0.6);
    expect(spoken).toEqual([{ text: instruction, lang: 'en-GB', volume: 0.6 }]);
    expect(played).toEqual([]);
  });

  it('plays the recordings, one after another at the volume, when the platform has no voice for it', () => {
    const { page, spoken, played, audios } = fakePage({ synthesis: true, voices: ['ja-JP'] });
    createPageVoice(page).say(instruction, 'en', 0.4);
    expect(spoken).toEqual([]);
    expect(played).toEqual([{ url: recordingUrl('en', en.readingCard.heading), volume: 0.4 }]);
    audios[0]!.onended!(new Event('ended'));
    expect(played.at(-1)).toEqual({ url: recordingUrl('en', en.readingCard.body), volume: 0.4 });
    audios[1]!.onended!(new Event('ended'));
    expect(played).toHaveLength(2);
  });

  it('plays the recordings when the page has no speech synthesis, and is silent for a line without one', () => {
    const { page, played } = fakePage({ synthesis: false, voices: [] });
    const voice = createPageVoice(page);
    voice.say(en.guide.digitEntered, 'vi', 1);
    expect(played).toEqual([]);
    voice.say(MESSAGES.vi.guide.digitEntered, 'vi', 1);
    expect(played).toEqual([{ url: recordingUrl('vi', MESSAGES.vi.guide.digitEntered), volume: 1 }]);
    voice.say('3', 'vi', 1);
    expect(played).toHaveLength(1);
  });

  it('hands a line without a recording to the platform’s default voice', () => {
    const { page, spoken, played } = fakePage({ synthesis: true, voices: ['ja-JP'] });
    createPageVoice(page).say('Tatlong subok pa', 'tl', 1);
    expect(played).toEqual([]);
    expect(spoken).toEqual([{ text: 'Tatlong subok pa', lang: 'fil-PH', volume: 1 }]);
  });
});
