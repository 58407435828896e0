// @vitest-environment jsdom
/**
 * Every screen's time-limit countdown with 「延長する」, the display modes and the audio guide, as a
 * resident meets them: through the page, with a fake host and a recording voice.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskScreen, KioskSnapshot, Language } from '../../electron/kiosk-api.ts';
import { App } from './App.tsx';
import type { GuideVoice } from './guide.ts';
import { createKioskI18n } from './i18n/index.ts';
import { ja } from './i18n/ja.ts';
import { createKioskStore } from './store.ts';
import { FakeKiosk } from './test-support/fake-kiosk.ts';

/** The host changes part of its snapshot (a time limit cleared with `timeLimit: undefined`). */
function update(kiosk: FakeKiosk, change: Partial<KioskSnapshot>): void {
  const next = { ...kiosk.snapshot, ...change };
  if (change.timeLimit === undefined && 'timeLimit' in change) delete next.timeLimit;
  act(() => kiosk.push(next));
}

class RecordingVoice implements GuideVoice {
  readonly said: { line: string; language: Language; volume: number }[] = [];
  say(line: string, language: Language, volume: number) {
    this.said.push({ line, language, volume });
  }
  hush() {}
}

const PIN: KioskScreen = {
  screen: 'pin-entry',
  digitsEntered: 0,
  pinLength: 4,
  triesLeft: 3,
  lastAttemptWrong: false,
};

async function mount(view: KioskScreen = PIN) {
  const kiosk = new FakeKiosk({ transactionId: 'TX-A11Y', receiptNumber: '12345678', language: 'ja', view });
  const voice = new RecordingVoice();
  const { store } = createKioskStore(kiosk);
  render(<App store={store} i18n={createKioskI18n('ja')} voice={voice} />);
  await screen.findByTestId(`screen-${view.screen}`);
  return { kiosk, voice };
}

afterEach(() => {
  cleanup();
  delete document.documentElement.dataset.contrast;
  delete document.documentElement.dataset.text;
});

describe('the countdown of a time limit', () => {
  it('appears only when the host says the limit is close, announced, and 延長する sends extend-time', async () => {
    const { kiosk } = await mount({ screen: 'menu', municipalityName: '千代田区', items: [] });
    expect(screen.queryByTestId('time-limit')).toBeNull();
    update(kiosk, { timeLimit: { secondsLeft: 20 } });
    const notice = screen.getByTestId('time-limit');
    expect(screen.getByRole('alert').textContent).toContain('あと20秒で終了します');
    expect(screen.getByRole('timer').textContent).toBe('のこり 20 秒');
    fireEvent.click(screen.getByRole('button', { name: ja.timeLimit.extend }));
    expect(kiosk.intents).toContainEqual({ type: 'extend-time' });
    expect(notice.isConnected).toBe(true);
    update(kiosk, { timeLimit: undefined });
    expect(screen.queryByTestId('time-limit')).toBeNull();
  });
});

describe('display modes', () => {
  it('high contrast and larger text are toggles on every screen, and end with the session', async () => {
    const { kiosk } = await mount();
    const contrast = screen.getByRole('button', { name: ja.display.contrast });
    const large = screen.getByRole('button', { name: ja.display.largeText });
    fireEvent.click(contrast);
    fireEvent.click(large);
    expect(contrast.getAttribute('aria-pressed')).toBe('true');
    expect(document.documentElement.dataset.contrast).toBe('high');
    expect(document.documentElement.dataset.text).toBe('large');
    update(kiosk, { view: { screen: 'menu', municipalityName: '千代田区', items: [] } });
    expect(screen.getByRole('button', { name: ja.display.contrast }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    // The session ends: the next resident starts on the plain screens.
    update(kiosk, { transactionId: null, view: { screen: 'welcome', reader: 'ready' } });
    expect(document.documentElement.dataset.contrast).toBeUndefined();
    expect(document.documentElement.dataset.text).toBeUndefined();
  });
});

describe('the audio guide', () => {
  it('speaks the screen’s instruction on request, then each new screen by itself', async () => {
    const { kiosk, voice } = await mount();
    expect(voice.said).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: ja.guide.speak }));
    expect(voice.said).toHaveLength(1);
    expect(voice.said[0]!.line).toContain('暗証番号');
    expect(voice.said[0]!.language).toBe('ja');
    update(kiosk, { view: { screen: 'authenticating' } });
    expect(voice.said).toHaveLength(2);
    update(kiosk, { language: 'en' });
    expect(voice.said.at(-1)!.language).toBe('en');
  });

  it('says the welcome heading’s words once, without the furigana shown above them', async () => {
    const { voice } = await mount({ screen: 'welcome', reader: 'ready' });
    fireEvent.click(screen.getByRole('button', { name: ja.guide.speak }));
    const line = voice.said[0]!.line;
    const readings = [...ja.welcome.heading.matchAll(/\{([^|{}]+)\|([^|{}]+)\}/g)];
    expect(readings.length).toBeGreaterThan(0);
    for (const [, base, reading] of readings) {
      expect(line).toContain(base);
      expect(line).not.toContain(reading);
    }
    expect(line).not.toMatch(/[(（]/);
  });

  it('says “digit entered” for each PIN key, never the digit', async () => {
    const { kiosk, voice } = await mount();
    fireEvent.click(screen.getByRole('button', { name: ja.guide.speak }));
    fireEvent.click(screen.getByTestId('pin-key-7'));
    expect(kiosk.intents).toContainEqual({ type: 'pin-digit', digit: 7 });
    for (const digitsEntered of [1, 2, 3]) update(kiosk, { view: { ...PIN, digitsEntered } });
    update(kiosk, { view: { ...PIN, digitsEntered: 2 } });
    const feedback = voice.said.slice(1).map((s) => s.line);
    expect(feedback).toEqual([
      ja.guide.digitEntered,
      ja.guide.digitEntered,
      ja.guide.digitEntered,
      ja.guide.digitDeleted,
    ]);
    expect(feedback.some((line) => /[0-9０-９]/.test(line))).toBe(false);
    // The instruction speaks of the 4-digit PIN; the digit pressed (7) is never said.
    expect(voice.said.some((s) => /[7７]/.test(s.line))).toBe(false);
  });

  it('stays silent until asked, and the volume reaches the voice', async () => {
    const { kiosk, voice } = await mount();
    update(kiosk, { view: { ...PIN, digitsEntered: 1 } });
    expect(voice.said).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: ja.guide.speak }));
    fireEvent.click(screen.getByTestId('volume-down'));
    expect(screen.getByTestId('volume-value').textContent).toBe('60%');
    update(kiosk, { view: { ...PIN, digitsEntered: 2 } });
    expect(voice.said.at(-1)).toEqual({
      line: ja.guide.digitEntered,
      language: 'ja',
      volume: 0.6000000000000001,
    });
  });
});
