// @vitest-environment jsdom
/**
 * The PIN-reset screens against a fake host: the welcome button, the password keypad, the new
 * 署名用 PIN keyboard (rules shown, dots only, never the PIN), two different entries, the outcome.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskScreen, Language } from '../../../electron/kiosk-api.ts';
import { App } from '../App.tsx';
import type { GuideVoice } from '../guide.ts';
import { en } from '../i18n/en.ts';
import { createKioskI18n } from '../i18n/index.ts';
import { ja } from '../i18n/ja.ts';
import { createKioskStore } from '../store.ts';
import { FakeKiosk } from '../test-support/fake-kiosk.ts';

class RecordingVoice implements GuideVoice {
  readonly said: string[] = [];
  say(line: string) {
    this.said.push(line);
  }
  hush() {}
}

async function mount(view: KioskScreen, language: Language = 'ja', voice?: GuideVoice) {
  const kiosk = new FakeKiosk({ transactionId: 'TX-PIN-RESET', language, view });
  const { store } = createKioskStore(kiosk);
  render(<App store={store} i18n={createKioskI18n(language)} {...(voice ? { voice } : {})} />);
  await screen.findByTestId(`screen-${view.screen}`);
  return kiosk;
}

const press = (key: string) => fireEvent.keyDown(window, { key });

afterEach(() => cleanup());

const PASSWORD_VIEW: Extract<KioskScreen, { screen: 'pin-reset-password' }> = {
  screen: 'pin-reset-password',
  digitsEntered: 0,
  passwordLength: 8,
  triesLeft: null,
  lastAttemptWrong: false,
};

const NEW_PIN_VIEW: Extract<KioskScreen, { screen: 'pin-reset-new-pin' }> = {
  screen: 'pin-reset-new-pin',
  step: 'first',
  charsEntered: 0,
  minLength: 6,
  maxLength: 16,
  mismatch: false,
};

describe('the PIN reset screens', () => {
  it('the welcome screen offers 「暗証番号の初期化・再設定」 when the kiosk has the reset, and starts it', async () => {
    const kiosk = await mount({ screen: 'welcome', reader: 'ready', pinResetOffered: true });
    fireEvent.click(screen.getByTestId('pin-reset-button'));
    expect(kiosk.intents).toEqual([{ type: 'start-pin-reset' }]);
    expect(screen.getByTestId('pin-reset-button').getAttribute('aria-label')).toBe(
      '暗証番号の初期化・再設定',
    );
    cleanup();
    await mount({ screen: 'welcome', reader: 'ready' });
    expect(screen.queryByTestId('pin-reset-button')).toBeNull();
  });

  it('the password keypad sends digits one by one, shows dots and the tries left, submits only at 8 digits', async () => {
    const kiosk = await mount(PASSWORD_VIEW);
    fireEvent.click(screen.getByTestId('otp-key-7'));
    fireEvent.click(screen.getByTestId('otp-key-0'));
    expect(kiosk.intents).toEqual([
      { type: 'otp-digit', digit: 7 },
      { type: 'otp-digit', digit: 0 },
    ]);
    expect((screen.getByTestId('otp-submit') as HTMLButtonElement).disabled).toBe(true);
    act(() => kiosk.show({ ...PASSWORD_VIEW, digitsEntered: 8, triesLeft: 3, lastAttemptWrong: true }));
    expect(screen.getByTestId('otp-dots').querySelectorAll('.pin-dot--filled')).toHaveLength(8);
    expect(screen.getByTestId('otp-dots').textContent).toBe('');
    expect(screen.getByTestId('otp-tries-left').textContent).toBe(
      ja.pinReset.password.triesLeft.replace('{{count}}', '3'),
    );
    expect(screen.getByTestId('otp-wrong')).toBeTruthy();
    expect((screen.getByTestId('otp-key-1') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('otp-submit'));
    expect(kiosk.intents.at(-1)).toEqual({ type: 'otp-submit' });
  });

  it('the new 署名用 PIN: an A–Z 0–9 keyboard, the rules shown while typing, dots only, never the PIN', async () => {
    const kiosk = await mount(NEW_PIN_VIEW);
    expect(screen.getByTestId('new-pin-rules').textContent).toBe(ja.pinReset.newPin.rules);
    // 26 letters and 10 digits, nothing else typed.
    expect(screen.getAllByTestId(/^new-pin-key-/)).toHaveLength(36);
    expect(screen.queryByTestId('new-pin-key-a')).toBeNull();
    for (const char of 'ABC123') fireEvent.click(screen.getByTestId(`new-pin-key-${char}`));
    expect(kiosk.intents).toEqual([...'ABC123'].map((char) => ({ type: 'new-pin-char', char })));
    // Below 6 characters 確定 is off and the page says how many more.
    act(() => kiosk.show({ ...NEW_PIN_VIEW, charsEntered: 5 }));
    expect((screen.getByTestId('new-pin-submit') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('new-pin-count').textContent).toBe(
      ja.pinReset.newPin.tooShort.replace('{{count}}', '1'),
    );
    act(() => kiosk.show({ ...NEW_PIN_VIEW, charsEntered: 6 }));
    expect(screen.getByTestId('new-pin-rules')).toBeTruthy();
    expect(screen.getByTestId('new-pin-dots').querySelectorAll('.pin-dot--filled')).toHaveLength(6);
    expect(screen.getByTestId('new-pin-dots').textContent).toBe('');
    // No field holds what was typed, and the typed sequence appears nowhere on the page.
    expect(document.querySelector('input, textarea')).toBeNull();
    expect(document.body.textContent).not.toContain('ABC123');
    fireEvent.click(screen.getByTestId('new-pin-submit'));
    expect(kiosk.intents.at(-1)).toEqual({ type: 'new-pin-submit' });
    act(() => kiosk.show({ ...NEW_PIN_VIEW, step: 'again' }));
    expect(screen.getByTestId('new-pin-heading').textContent).toBe(ja.pinReset.newPin.headingAgain);
  });

  it('the password pad takes the keyboard and numpad, moves focus to OK when full, and the guide never says a digit', async () => {
    const voice = new RecordingVoice();
    const kiosk = await mount(PASSWORD_VIEW, 'ja', voice);
    fireEvent.click(screen.getByRole('button', { name: ja.guide.speak }));
    press('4');
    press('x');
    press('Enter'); // not before 8 digits
    press('Backspace'); // nothing entered yet (the host's count is 0)
    expect(kiosk.intents).toEqual([{ type: 'otp-digit', digit: 4 }]);
    act(() => kiosk.show({ ...PASSWORD_VIEW, digitsEntered: 1 }));
    press('Delete');
    expect(kiosk.intents.at(-1)).toEqual({ type: 'otp-backspace' });
    act(() => kiosk.show({ ...PASSWORD_VIEW, digitsEntered: 0 }));
    expect(voice.said.slice(1)).toEqual([ja.guide.digitEntered, ja.guide.digitDeleted]);
    expect(voice.said.some((line) => /[4４]/.test(line))).toBe(false);
    act(() => kiosk.show({ ...PASSWORD_VIEW, digitsEntered: 8 }));
    expect(document.activeElement).toBe(screen.getByTestId('otp-submit'));
    press('9'); // full: no more digits
    expect(kiosk.intents.filter((i) => i.type === 'otp-digit')).toHaveLength(1);
    fireEvent.keyDown(document.body, { key: 'Enter' });
    expect(kiosk.intents.at(-1)).toEqual({ type: 'otp-submit' });
  });

  it('the new 署名用 PIN takes typed letters (small or capital) and digits, and the guide says a character, never which', async () => {
    const voice = new RecordingVoice();
    const kiosk = await mount(NEW_PIN_VIEW, 'ja', voice);
    fireEvent.click(screen.getByRole('button', { name: ja.guide.speak }));
    for (const key of ['a', 'B', '7', '-', 'ア', ' ']) press(key);
    expect(kiosk.intents).toEqual([
      { type: 'new-pin-char', char: 'A' },
      { type: 'new-pin-char', char: 'B' },
      { type: 'new-pin-char', char: '7' },
    ]);
    fireEvent.keyDown(window, { key: 'c', ctrlKey: true }); // a shortcut, not a character
    act(() => kiosk.show({ ...NEW_PIN_VIEW, charsEntered: 5 }));
    press('Enter'); // below 6: not submitted
    press('Backspace');
    expect(kiosk.intents.slice(3)).toEqual([{ type: 'new-pin-backspace' }]);
    act(() => kiosk.show({ ...NEW_PIN_VIEW, charsEntered: 6 }));
    press('Enter');
    expect(kiosk.intents.at(-1)).toEqual({ type: 'new-pin-submit' });
    expect(voice.said.slice(1)).toEqual([ja.pinReset.newPin.guideEntered]);
    act(() => kiosk.show({ ...NEW_PIN_VIEW, charsEntered: 16 }));
    expect(document.activeElement).toBe(screen.getByTestId('new-pin-submit'));
    press('Z');
    expect(kiosk.intents.filter((i) => i.type === 'new-pin-char')).toHaveLength(3);
  });

  it('two different entries: the page says so and asks for the PIN from the start', async () => {
    await mount({ ...NEW_PIN_VIEW, mismatch: true });
    expect(screen.getByTestId('new-pin-mismatch').textContent).toBe(ja.pinReset.newPin.mismatch);
    expect(screen.getByTestId('new-pin-heading').textContent).toBe(ja.pinReset.newPin.headingFirst);
  });

  it('the outcome in plain words: the new PIN when done, the old one after a refusal', async () => {
    const kiosk = await mount({ screen: 'pin-reset-done', outcome: 'new-pin' }, 'en');
    expect(screen.getByTestId('pin-reset-outcome').textContent).toBe(en.pinReset.outcome['new-pin']);
    fireEvent.click(screen.getByTestId('finish-button'));
    expect(kiosk.intents).toEqual([{ type: 'finish' }]);
    act(() => kiosk.show({ screen: 'error', error: 'pin-reset-refused', pinResetOutcome: 'old-pin' }));
    await screen.findByTestId('screen-error');
    expect(screen.getByTestId('pin-reset-outcome').textContent).toBe(en.pinReset.outcome['old-pin']);
    expect(screen.getByTestId('pin-reset-both-forgotten').textContent).toBe(en.pinReset.bothForgotten);
    // The grant held by another kiosk's transaction: its own words, not the general refusal's.
    act(() => kiosk.show({ screen: 'error', error: 'pin-reset-in-use', pinResetOutcome: 'old-pin' }));
    await screen.findByText(en.kioskError['pin-reset-in-use'].title);
    expect(screen.getByTestId('error-message').textContent).toBe(en.kioskError['pin-reset-in-use'].body);
    expect(screen.getByTestId('error-message').textContent).not.toBe(en.kioskError['pin-reset-refused'].body);
    expect(screen.getByTestId('pin-reset-outcome').textContent).toBe(en.pinReset.outcome['old-pin']);
    expect(screen.queryByTestId('pin-reset-both-forgotten')).toBeNull();
  });

  it('which PIN: both choices go to the host, and both forgotten sends the resident to the counter', async () => {
    const kiosk = await mount({ screen: 'pin-reset-choose' }, 'en');
    expect(screen.getByTestId('pin-reset-choose-both').textContent).toBe(en.pinReset.bothForgotten);
    fireEvent.click(screen.getByTestId('pin-reset-choose-auth'));
    fireEvent.click(screen.getByTestId('pin-reset-choose-signing'));
    expect(kiosk.intents).toEqual([
      { type: 'choose-pin-reset', target: 'auth' },
      { type: 'choose-pin-reset', target: 'signing' },
    ]);
  });

  it('the 4-digit PIN’s reset: the signing PIN on the letter keyboard, then a new PIN of digits only', async () => {
    const kiosk = await mount(
      { screen: 'pin-reset-signing-pin', charsEntered: 0, minLength: 6, maxLength: 16, triesLeft: 4 },
      'en',
    );
    expect(screen.getByTestId('new-pin-heading').textContent).toBe(en.pinReset.signingPin.heading);
    expect(screen.getByTestId('new-pin-mismatch').textContent).toBe(
      'The signing PIN is wrong. 4 tries left.',
    );
    fireEvent.click(screen.getByTestId('new-pin-key-K'));
    expect(kiosk.intents).toEqual([{ type: 'new-pin-char', char: 'K' }]);
    act(() => kiosk.show({ ...NEW_PIN_VIEW, pin: 'auth', minLength: 4, maxLength: 4 }));
    await screen.findByTestId('screen-pin-reset-new-pin');
    expect(screen.getByTestId('new-pin-heading').textContent).toBe(en.pinReset.newPin.headingFirstAuth);
    expect(screen.queryByTestId('new-pin-key-A')).toBeNull();
    press('7');
    expect(kiosk.intents.at(-1)).toEqual({ type: 'new-pin-char', char: '7' });
  });
});
