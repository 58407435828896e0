// @vitest-environment jsdom
/**
 * What a walk through the screens found, checked on the page: a language picker on every screen,
 * the PIN from a keyboard or numpad, 中止 that asks first and ends calmly, 戻る on the confirm
 * screen, words instead of codes, a summary when nothing can be issued, furigana on the start.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskScreen, Language } from '../../electron/kiosk-api.ts';
import { App } from './App.tsx';
import { createKioskI18n, LANGUAGES, MESSAGES } from './i18n/index.ts';
import { ja } from './i18n/ja.ts';
import { createKioskStore } from './store.ts';
import { FakeKiosk } from './test-support/fake-kiosk.ts';

async function mount(view: KioskScreen, language: Language = 'ja') {
  const kiosk = new FakeKiosk(
    { transactionId: 'TX-WALK', receiptNumber: '00731942', language, view },
    { followLanguage: true },
  );
  const { store } = createKioskStore(kiosk);
  render(<App store={store} i18n={createKioskI18n('ja')} />);
  await screen.findByTestId(`screen-${view.screen}`);
  return kiosk;
}

const pinView = (digitsEntered: number): KioskScreen => ({
  screen: 'pin-entry',
  digitsEntered,
  pinLength: 4,
  triesLeft: 3,
  lastAttemptWrong: false,
});

const MENU: KioskScreen = {
  screen: 'menu',
  municipalityName: '千代田区',
  items: [{ certificateType: 'juminhyo', available: true, feeYen: 200, maxCopies: 10 }],
};

const CONFIRM: KioskScreen = {
  screen: 'confirm',
  certificateType: 'inkan',
  copies: 1,
  maxCopies: 5,
  feeYen: 1000,
  totalYen: 1000,
};

afterEach(() => cleanup());

describe('languages on every screen', () => {
  it('shows all eight languages on the welcome screen, each in its own words', async () => {
    await mount({ screen: 'welcome', reader: 'ready' });
    for (const language of LANGUAGES) {
      const button = screen.getByTestId(`language-${language}`);
      expect(button.textContent).toBe(MESSAGES[language].language.name);
      expect(button.getAttribute('lang')).toBe(language);
    }
    expect(screen.getByTestId('language-ja').getAttribute('aria-pressed')).toBe('true');
  });

  it('changes the language mid-session from the header picker, and stays on the screen', async () => {
    const kiosk = await mount(pinView(2));
    expect(screen.queryByTestId('language-panel')).toBeNull();
    fireEvent.click(screen.getByTestId('language-picker'));
    const panel = screen.getByTestId('language-panel');
    expect(panel.textContent).toContain('Tiếng Việt');
    expect(panel.textContent).toContain('한국어');
    fireEvent.click(screen.getByTestId('language-vi'));
    expect(kiosk.intents).toEqual([{ type: 'set-language', language: 'vi' }]);
    expect(await screen.findByText(MESSAGES.vi.pinEntry.heading)).toBeTruthy();
    expect(document.documentElement.lang).toBe('vi');
    expect(screen.queryByTestId('language-panel')).toBeNull();
    // The digits entered are untouched: still two dots, still the PIN screen.
    expect(screen.getByTestId('pin-dots').getAttribute('aria-label')).toBe('Đã nhập 2 trên 4 chữ số');
  });

  it('keeps certificate names in Japanese with the translation beside them, and formats money', async () => {
    await mount(CONFIRM, 'pt');
    const title = screen.getByTestId('screen-confirm').querySelector('.certificate-title') as HTMLElement;
    expect(title.querySelector('[lang="ja"]')?.textContent).toBe(ja.certificate.inkan);
    expect(screen.getByTestId('certificate-translation').textContent).toBe(MESSAGES.pt.certificate.inkan);
    expect(screen.getByTestId('total').textContent).toBe('1.000 ienes');
  });

  it('puts furigana on the key words of the start screens, and keeps plain names for readers', async () => {
    await mount({ screen: 'welcome', reader: 'ready' });
    const readings = [...document.querySelectorAll('ruby')].map((ruby) => [
      ruby.firstChild?.textContent,
      ruby.querySelector('rt')?.textContent,
    ]);
    expect(readings).toContainEqual(['証明書', 'しょうめいしょ']);
    expect(readings).toContainEqual(['交付', 'こうふ']);
    expect(readings).toContainEqual(['暗証番号', 'あんしょうばんごう']);
    expect(screen.getByRole('button', { name: '証明書の交付' })).toBeTruthy();
  });
});

describe('the PIN screen', () => {
  it('says it is the 4-digit 利用者証明用 PIN, not the signing password', async () => {
    await mount(pinView(0));
    expect(screen.getByTestId('pin-explanation').textContent).toContain('利用者証明用電子証明書');
    expect(screen.getByTestId('pin-explanation').textContent).toContain('数字4桁');
    expect(screen.getByTestId('pin-not-signing').textContent).toBe(ja.pinEntry.notSigning);
  });

  it('takes digits, Backspace and Enter from a keyboard or numpad', async () => {
    const kiosk = await mount(pinView(0));
    fireEvent.keyDown(window, { key: '5', code: 'Digit5' });
    fireEvent.keyDown(window, { key: '7', code: 'Numpad7' });
    act(() => kiosk.show(pinView(2)));
    fireEvent.keyDown(window, { key: 'Backspace', code: 'Backspace' });
    act(() => kiosk.show(pinView(1)));
    // Enter before the 4th digit does nothing; letters and shortcuts are not digits.
    fireEvent.keyDown(window, { key: 'Enter', code: 'Enter' });
    fireEvent.keyDown(window, { key: 'a', code: 'KeyA' });
    fireEvent.keyDown(window, { key: '1', code: 'Digit1', ctrlKey: true });
    act(() => kiosk.show(pinView(4)));
    fireEvent.keyDown(window, { key: '9', code: 'Digit9' });
    fireEvent.keyDown(window, { key: 'Enter', code: 'NumpadEnter' });
    expect(kiosk.intents).toEqual([
      { type: 'pin-digit', digit: 5 },
      { type: 'pin-digit', digit: 7 },
      { type: 'pin-backspace' },
      { type: 'pin-submit' },
    ]);
  });

  it('moves focus to 確定 after the 4th digit, not onto a disabled key', async () => {
    const kiosk = await mount(pinView(3));
    const key = screen.getByTestId('pin-key-8');
    key.focus();
    fireEvent.click(key);
    act(() => kiosk.show(pinView(4)));
    expect(document.activeElement).toBe(screen.getByTestId('pin-submit'));
  });

  it('asks before 中止 throws the session away, and ignores keys while asking', async () => {
    const kiosk = await mount(pinView(2));
    fireEvent.click(screen.getByTestId('cancel-button'));
    const dialog = screen.getByTestId('cancel-dialog');
    expect(dialog.getAttribute('role')).toBe('alertdialog');
    expect(document.activeElement).toBe(screen.getByTestId('cancel-dialog-keep'));
    fireEvent.keyDown(document.activeElement as Element, { key: '4', code: 'Digit4' });
    fireEvent.click(screen.getByTestId('cancel-dialog-keep'));
    expect(screen.queryByTestId('cancel-dialog')).toBeNull();
    expect(kiosk.intents).toEqual([]);
    fireEvent.click(screen.getByTestId('cancel-button'));
    fireEvent.click(screen.getByTestId('cancel-dialog-confirm'));
    expect(kiosk.intents).toEqual([{ type: 'cancel' }]);
  });
});

describe('中止 and 戻る', () => {
  it('asks on the menu too', async () => {
    const kiosk = await mount(MENU);
    fireEvent.click(screen.getByTestId('cancel-button'));
    expect(screen.getByTestId('cancel-dialog').textContent).toContain(ja.cancelDialog.title);
    expect(screen.getByTestId('cancel-dialog').textContent).not.toContain(ja.cancelDialog.refund);
    fireEvent.click(screen.getByTestId('cancel-dialog-confirm'));
    expect(kiosk.intents).toEqual([{ type: 'cancel' }]);
  });

  it('offers 戻る on the confirm screen and 中止 that ends the session like everywhere else', async () => {
    const kiosk = await mount(CONFIRM);
    fireEvent.click(screen.getByTestId('back-button'));
    fireEvent.click(screen.getByTestId('cancel-button'));
    fireEvent.click(screen.getByTestId('cancel-dialog-confirm'));
    expect(kiosk.intents).toEqual([{ type: 'back-to-menu' }, { type: 'cancel' }]);
  });

  it('ends a cancelled session calmly: no red mark, no “could not complete”', async () => {
    await mount({ screen: 'error', error: 'cancelled' });
    expect(screen.getByTestId('ended-cancelled')).toBeTruthy();
    expect(screen.getByTestId('error-title').textContent).toBe('お手続きを中止しました');
    expect(document.body.textContent).not.toContain(ja.error.heading);
    expect(document.querySelector('.error-mark')).toBeNull();
    expect(document.body.textContent).not.toContain('cancelled');
  });

  it('says what happened when no card was placed', async () => {
    await mount({ screen: 'error', error: 'card-not-placed' });
    expect(screen.getByTestId('error-title').textContent).toBe(ja.kioskError['card-not-placed'].title);
    expect(screen.getByTestId('ended-failed')).toBeTruthy();
  });
});

describe('a resident for whom nothing can be issued', () => {
  it('gets one summary of why and where to go', async () => {
    await mount({
      screen: 'menu',
      municipalityName: '千代田区',
      items: [
        { certificateType: 'juminhyo', available: false, reason: 'dv-block' },
        { certificateType: 'inkan', available: false, reason: 'no-registration' },
        { certificateType: 'koseki-zenbu', available: false, reason: 'outside-hours' },
        { certificateType: 'koseki-kojin', available: false, reason: 'outside-hours' },
      ],
    });
    const summary = screen.getByTestId('menu-none-available');
    expect(summary.textContent).toContain(ja.menu.noneHeading);
    expect(summary.querySelectorAll('li')).toHaveLength(3);
    expect(screen.getByTestId('menu-none-reason-outside-hours').textContent).toContain(
      ja.unavailableHelp['outside-hours'],
    );
    expect(screen.getByTestId('menu-none-reason-dv-block').textContent).toContain(
      ja.unavailableHelp['dv-block'],
    );
  });

  it('shows no summary while something can be issued', async () => {
    await mount(MENU);
    expect(screen.queryByTestId('menu-none-available')).toBeNull();
  });
});
