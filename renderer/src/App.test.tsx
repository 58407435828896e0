// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskApi, KioskScreen, KioskSnapshot, Language } from '../../electron/kiosk-api.ts';
import { CERTIFICATE_TITLES_JA } from '../../protocol/certificate-types.ts';
import { App } from './App.tsx';
import { createKioskI18n } from './i18n/index.ts';
import { ja } from './i18n/ja.ts';
import { ko } from './i18n/ko.ts';
import type { ReminderSound } from './reminderSound.ts';
import { createKioskStore } from './store.ts';
import { FakeKiosk } from './test-support/fake-kiosk.ts';

/**
 * A fake host: it records every intent and pushes snapshots when the test says so. It answers the
 * language switch like the real host does (a new snapshot in the chosen language).
 */

const TX = 'TX-TEST-0001';
const RECEIPT = '20481632';

function pinView(digitsEntered: number, triesLeft: number | null = 3, lastAttemptWrong = false): KioskScreen {
  return { screen: 'pin-entry', digitsEntered, pinLength: 4, triesLeft, lastAttemptWrong };
}

/** The speaker: what the page asked it to play, in order. */
class FakeSound implements ReminderSound {
  readonly played: { line: string; language: Language }[] = [];
  play(line: string, language: Language): void {
    this.played.push({ line, language });
  }
}

async function mount(view: KioskScreen, language: Language = 'ja', sound: ReminderSound = new FakeSound()) {
  const kiosk = new FakeKiosk(
    { transactionId: TX, receiptNumber: RECEIPT, language, view },
    { followLanguage: true },
  );
  const { store, dispose } = createKioskStore(kiosk);
  const result = render(<App store={store} i18n={createKioskI18n('ja')} sound={sound} />);
  await screen.findByTestId(`screen-${view.screen}`);
  return { kiosk, store, dispose, ...result };
}

afterEach(() => {
  cleanup();
});

describe('PIN entry', () => {
  it('sends each digit as its own intent and never renders the digits', async () => {
    const { kiosk, store } = await mount(pinView(0));
    const pin = [7, 3, 0, 9];
    for (const [index, digit] of pin.entries()) {
      fireEvent.click(screen.getByTestId(`pin-key-${digit}`));
      // The host answers with the count only, as the real one does.
      act(() => kiosk.show(pinView(index + 1)));
    }
    expect(kiosk.intents).toEqual(pin.map((digit) => ({ type: 'pin-digit', digit })));

    // Nothing outside the keypad shows a digit of the PIN; the dots show only how many.
    const keypad = screen.getByRole('group', { name: ja.pinEntry.keypad });
    const outsideKeypad = (document.body.textContent ?? '').replace(keypad.textContent ?? '', '');
    expect(outsideKeypad).not.toContain('7309');
    const dots = screen.getByTestId('pin-dots');
    expect(dots.textContent).toBe('');
    expect(dots.querySelectorAll('.pin-dot--filled')).toHaveLength(4);
    // …and the page's state holds no digits either: only the host's snapshot.
    expect(JSON.stringify(store.getState().snapshot)).not.toMatch(/[7309]{4}/);
    expect(Object.keys(store.getState()).sort()).not.toContain('pin');
  });

  it('enables 確定 only at 4 digits, and 訂正 only when there is a digit', async () => {
    const { kiosk } = await mount(pinView(0));
    const submit = screen.getByTestId('pin-submit');
    expect(submit).toHaveProperty('disabled', true);
    expect(screen.getByTestId('pin-backspace')).toHaveProperty('disabled', true);
    fireEvent.click(submit);
    expect(kiosk.intents).toEqual([]);

    for (const count of [1, 2, 3]) {
      act(() => kiosk.show(pinView(count)));
      expect(screen.getByTestId('pin-submit')).toHaveProperty('disabled', true);
      expect(screen.getByTestId('pin-backspace')).toHaveProperty('disabled', false);
    }
    act(() => kiosk.show(pinView(4)));
    expect(screen.getByTestId('pin-submit')).toHaveProperty('disabled', false);
    // A fifth digit cannot be typed.
    expect(screen.getByTestId('pin-key-5')).toHaveProperty('disabled', true);

    fireEvent.click(screen.getByTestId('pin-backspace'));
    fireEvent.click(screen.getByTestId('pin-submit'));
    expect(kiosk.intents).toEqual([{ type: 'pin-backspace' }, { type: 'pin-submit' }]);
  });

  it('labels every key for screen readers and warns before the last try', async () => {
    const { kiosk } = await mount(pinView(0, 3));
    for (let digit = 0; digit <= 9; digit += 1) {
      expect(screen.getByRole('button', { name: `数字 ${digit}` })).toBe(
        screen.getByTestId(`pin-key-${digit}`),
      );
    }
    expect(screen.getByTestId('tries-left').textContent).toContain('3');
    expect(screen.queryByTestId('last-try-warning')).toBeNull();
    expect(screen.queryByText(ja.pinEntry.wrong)).toBeNull();

    act(() => kiosk.show(pinView(0, 1, true)));
    expect(screen.getByTestId('tries-left').textContent).toContain('1');
    expect(screen.getByTestId('last-try-warning').textContent).toBe(ja.pinEntry.lastTry);
    expect(screen.getByText(ja.pinEntry.wrong)).toBeTruthy();
  });

  it('hides the tries line when the count is not known', async () => {
    await mount(pinView(0, null));
    expect(screen.queryByTestId('tries-left')).toBeNull();
  });
});

describe('menu', () => {
  it('shows fees, greys unavailable items with the reason, and sends the choice', async () => {
    const { kiosk } = await mount({
      screen: 'menu',
      municipalityName: '横浜市',
      items: [
        { certificateType: 'juminhyo', available: true, feeYen: 200, maxCopies: 10 },
        { certificateType: 'inkan', available: true, feeYen: 1200, maxCopies: 5 },
        { certificateType: 'koseki-zenbu', available: false, reason: 'outside-hours' },
        { certificateType: 'koseki-fuhyo', available: false, reason: 'registration-needed' },
      ],
    });
    const juminhyo = screen.getByTestId('menu-item-juminhyo');
    expect(juminhyo.textContent).toContain(CERTIFICATE_TITLES_JA.juminhyo);
    expect(juminhyo.textContent).toContain('200円');
    expect(screen.getByTestId('menu-item-inkan').textContent).toContain('1,200円');

    const koseki = screen.getByTestId('menu-item-koseki-zenbu');
    expect(koseki).toHaveProperty('disabled', true);
    expect(koseki.className).toContain('menu-item--unavailable');
    expect(koseki.textContent).toContain(CERTIFICATE_TITLES_JA['koseki-zenbu']);
    expect(koseki.textContent).toContain(ja.unavailable['outside-hours']);
    expect(koseki.textContent).not.toContain('円');
    expect(screen.getByTestId('menu-item-koseki-fuhyo').textContent).toContain(
      ja.unavailable['registration-needed'],
    );
    expect(screen.getByText('横浜市の証明書')).toBeTruthy();

    fireEvent.click(koseki);
    fireEvent.click(juminhyo);
    expect(kiosk.intents).toEqual([{ type: 'choose-certificate', certificateType: 'juminhyo' }]);
  });
});

describe('confirm and payment', () => {
  it('changes copies within 1..max and confirms', async () => {
    const { kiosk } = await mount({
      screen: 'confirm',
      certificateType: 'inkan',
      copies: 1,
      maxCopies: 2,
      feeYen: 300,
      totalYen: 300,
    });
    expect(screen.getByTestId('copies-minus')).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByTestId('copies-plus'));
    act(() =>
      kiosk.show({
        screen: 'confirm',
        certificateType: 'inkan',
        copies: 2,
        maxCopies: 2,
        feeYen: 300,
        totalYen: 600,
      }),
    );
    expect(screen.getByTestId('copies-plus')).toHaveProperty('disabled', true);
    expect(screen.getByTestId('total').textContent).toBe('600円');
    fireEvent.click(screen.getByTestId('copies-minus'));
    fireEvent.click(screen.getByTestId('confirm-button'));
    expect(kiosk.intents).toEqual([
      { type: 'set-copies', copies: 2 },
      { type: 'set-copies', copies: 1 },
      { type: 'confirm' },
    ]);
  });

  it('shows the household list loading, then a kind message with a retry when it could not come', async () => {
    const confirm = (options: Extract<KioskScreen, { screen: 'confirm' }>['options']): KioskScreen => ({
      screen: 'confirm',
      certificateType: 'juminhyo',
      copies: 1,
      maxCopies: 10,
      feeYen: 300,
      totalYen: 300,
      options,
      complete: false,
    });
    const scope = { allowed: ['household' as const, 'members' as const], chosen: 'members' as const };
    const { kiosk } = await mount(confirm({ scope, membersStatus: 'loading' }));
    expect(screen.getByTestId('members-loading').textContent).toContain(ja.confirm.membersLoading);
    expect(screen.queryByTestId('member-1')).toBeNull();
    expect(screen.getByTestId('confirm-button')).toHaveProperty('disabled', true);

    act(() => kiosk.show(confirm({ scope, membersStatus: 'failed' })));
    expect(screen.queryByTestId('members-loading')).toBeNull();
    expect(screen.getByTestId('members-failed').textContent).toContain(ja.confirm.membersFailed);
    fireEvent.click(screen.getByTestId('members-retry'));
    expect(kiosk.intents).toEqual([{ type: 'set-scope', scope: 'members' }]);

    act(() => kiosk.show(confirm({ scope, members: [{ order: 1, name: '山田 太郎', chosen: false }] })));
    expect(screen.queryByTestId('members-failed')).toBeNull();
    expect(screen.getByTestId('member-1').textContent).toContain('山田 太郎');
  });

  it('shows what the device reported and has no way to create money, only to cancel', async () => {
    const { kiosk } = await mount({
      screen: 'payment',
      certificateType: 'juminhyo',
      copies: 2,
      totalYen: 400,
      paidYen: 100,
      accepts: [10, 50, 100, 500, 1000],
    });
    expect(screen.getByTestId('amount-due').textContent).toBe('400円');
    expect(screen.getByTestId('amount-paid').textContent).toBe('100円');
    expect(screen.getByTestId('amount-remaining').textContent).toBe('300円');
    const slot = screen.getByRole('group', { name: ja.payment.slot });
    expect(within(slot).queryAllByRole('button')).toEqual([]);
    expect(screen.queryByTestId('no-notes')).toBeNull();
    fireEvent.click(screen.getByTestId('cancel-button'));
    // Money is in: 中止 asks first, and says the money comes back.
    expect(screen.getByTestId('cancel-dialog').textContent).toContain(ja.cancelDialog.refund);
    fireEvent.click(screen.getByTestId('cancel-dialog-confirm'));
    expect(kiosk.intents).toEqual([{ type: 'cancel' }]);
  });

  it('says 1000円 notes cannot be used when the machine could not change them', async () => {
    await mount({
      screen: 'payment',
      certificateType: 'juminhyo',
      copies: 1,
      totalYen: 300,
      paidYen: 0,
      accepts: [10, 50, 100],
    });
    expect(screen.getByTestId('no-notes').textContent).toBe(ja.payment.noNotes);
  });
});

describe('error and done', () => {
  it('shows the Japanese message for pin-locked in words, where to reset the PIN, and 終了 sends finish', async () => {
    const { kiosk } = await mount({ screen: 'error', error: 'pin-locked', triesLeft: 0 });
    expect(screen.getByTestId('error-title').textContent).toBe('暗証番号がロックされています');
    expect(screen.getByTestId('error-message').textContent).toBe(ja.kioskError['pin-locked'].body);
    // Words, not codes: the resident never sees `pin-locked`.
    expect(document.body.textContent).not.toContain('pin-locked');
    expect(screen.getByTestId('pin-reset').textContent).toBe(ja.error.pinReset);
    expect(screen.queryByTestId('cancel-button')).toBeNull();
    expect(screen.queryByTestId('refunded')).toBeNull();
    expect(screen.queryByTestId('tries-left')).toBeNull();
    fireEvent.click(screen.getByTestId('finish-button'));
    expect(kiosk.intents).toEqual([{ type: 'finish' }]);
  });

  it('shows tries left and the refunded amount when the host reports them', async () => {
    await mount({ screen: 'error', error: 'printer-jammed', triesLeft: 2, refundedYen: 1500 });
    expect(screen.getByTestId('tries-left').textContent).toContain('2');
    expect(screen.getByTestId('refunded').textContent).toContain('1,500円');
  });

  it('reminds the resident to take card, certificate and change', async () => {
    await mount({ screen: 'done', changeYen: 600 });
    const done = screen.getByTestId('screen-done');
    expect(done.textContent).toContain(ja.done.takeBoth);
    expect(screen.getByTestId('change').textContent).toContain('600円');
    expect(screen.queryByTestId('cancel-button')).toBeNull();
    expect(screen.queryByTestId('owed')).toBeNull();
  });

  it('asks the resident to confirm taking the certificate with 受け取りました', async () => {
    const { kiosk } = await mount({ screen: 'done', changeYen: 0 });
    expect(screen.getByTestId('confirm-taken').textContent).toBe(ja.done.confirmTaken);
    expect(screen.getByTestId('finish-button').textContent).toBe('受け取りました');
    fireEvent.click(screen.getByTestId('finish-button'));
    expect(kiosk.intents).toEqual([{ type: 'finish' }]);
  });

  it('shows and plays the card reminder once per reminder the host raises, in the resident’s language', async () => {
    const sound = new FakeSound();
    const { kiosk } = await mount({ screen: 'done', changeYen: 0 }, 'ko', sound);
    expect(screen.queryByTestId('card-reminder')).toBeNull();
    expect(sound.played).toEqual([]);

    act(() => kiosk.show({ screen: 'done', changeYen: 0, cardReminder: 1 }));
    expect((await screen.findByTestId('card-reminder')).textContent).toBe(ko.done.cardReminder);
    expect(sound.played).toEqual([{ line: ko.done.cardReminder, language: 'ko' }]);

    act(() => kiosk.show({ screen: 'done', changeYen: 0, cardReminder: 2 }));
    expect(sound.played).toHaveLength(2);

    // The card is taken: the reminder goes, and nothing more is played.
    act(() => kiosk.show({ screen: 'done', changeYen: 0 }));
    expect(screen.queryByTestId('card-reminder')).toBeNull();
    expect(sound.played).toHaveLength(2);
  });

  it('tells the resident where to get what the machine could not pay back', async () => {
    await mount({ screen: 'done', changeYen: 200, owedYen: 500 });
    expect(screen.getByTestId('owed').textContent).toBe(ja.done.owed.replace('{{amount}}', '500円'));
    cleanup();
    await mount({ screen: 'error', error: 'payment-unavailable', refundedYen: 100, owedYen: 500 });
    expect(screen.getByTestId('refunded').textContent).toContain('100円');
    expect(screen.getByTestId('owed').textContent).toContain('500円');
  });
});

describe('frame', () => {
  it('offers 中止 where cancelling is allowed, and shows the short 受付番号, not the transaction id', async () => {
    const { kiosk } = await mount({ screen: 'place-card', reader: 'ready' });
    expect(screen.getByTestId('transaction-id').textContent).toBe('2048 1632');
    expect(document.body.textContent).not.toContain(TX);
    // Nothing entered yet: 中止 needs no confirmation here.
    fireEvent.click(screen.getByTestId('cancel-button'));
    expect(kiosk.intents).toEqual([{ type: 'cancel' }]);

    act(() => kiosk.show({ screen: 'printing', copiesPrinted: 0, copies: 2 }));
    await screen.findByTestId('screen-printing');
    expect(screen.queryByTestId('cancel-button')).toBeNull();
    // The printer reports only at the end: no made-up count, no half-full bar.
    const progress = screen.getByTestId('print-progress');
    expect(progress.getAttribute('aria-valuenow')).toBeNull();
    expect(screen.getByTestId('print-progress-label').textContent).toBe('2通を印刷しています');
    expect(document.body.textContent).not.toContain('0通');
  });

  it('disables 証明書の交付 while the reader is missing', async () => {
    const { kiosk } = await mount({ screen: 'welcome', reader: 'no-reader' });
    expect(screen.getByTestId('start-button')).toHaveProperty('disabled', true);
    expect(screen.getByRole('alert').textContent).toBe(ja.welcome.reader['no-reader']);
    act(() => kiosk.show({ screen: 'welcome', reader: 'ready' }));
    fireEvent.click(screen.getByTestId('start-button'));
    expect(kiosk.intents).toEqual([{ type: 'start' }]);
  });
});

describe('language', () => {
  it('starts in Japanese and switches to English through the host', async () => {
    const { kiosk } = await mount({ screen: 'welcome', reader: 'ready' });
    expect(screen.getByRole('button', { name: '証明書の交付' })).toBe(screen.getByTestId('start-button'));
    expect(document.documentElement.lang).toBe('ja');

    fireEvent.click(screen.getByTestId('language-en'));
    expect(kiosk.intents).toEqual([{ type: 'set-language', language: 'en' }]);
    expect(await screen.findByText('Get a certificate')).toBe(screen.getByTestId('start-button'));
    expect(document.documentElement.lang).toBe('en');
    expect(screen.getByTestId('language-en').getAttribute('aria-pressed')).toBe('true');

    act(() => kiosk.show({ screen: 'error', error: 'pin-locked' }));
    expect(screen.getByTestId('error-title').textContent).toBe('Your PIN is locked');
  });

  it('shows English titles with the official Japanese name beside them', async () => {
    await mount(
      {
        screen: 'menu',
        municipalityName: 'Yokohama',
        items: [{ certificateType: 'koseki-kojin', available: false, reason: 'dv-block' }],
      },
      'en',
    );
    const item = screen.getByTestId('menu-item-koseki-kojin');
    expect(item.textContent).toContain('Family Register (individual record)');
    expect(item.textContent).toContain(CERTIFICATE_TITLES_JA['koseki-kojin']);
    expect(item.textContent).toContain('Please ask at your city office');
  });
});

describe('connection', () => {
  it('shows the neutral starting screen until the first snapshot arrives', async () => {
    let resolveSnapshot: (snapshot: KioskSnapshot) => void = () => {};
    const slow: KioskApi = {
      getSnapshot: () => new Promise((resolve) => (resolveSnapshot = resolve)),
      onSnapshot: () => () => {},
      send: () => Promise.resolve({ accepted: true }),
    };
    const { store } = createKioskStore(slow);
    render(<App store={store} i18n={createKioskI18n('ja')} />);
    expect(screen.getByTestId('screen-starting')).toBeTruthy();
    act(() =>
      resolveSnapshot({ transactionId: null, language: 'ja', view: { screen: 'welcome', reader: 'ready' } }),
    );
    expect(await screen.findByTestId('screen-welcome')).toBeTruthy();
  });

  it('shows out-of-service when the host stops answering', async () => {
    const kiosk = new FakeKiosk(
      { transactionId: TX, language: 'ja', view: pinView(0) },
      { followLanguage: true },
    );
    kiosk.send = () => Promise.reject(new Error('host gone'));
    const { store } = createKioskStore(kiosk);
    render(<App store={store} i18n={createKioskI18n('ja')} />);
    fireEvent.click(await screen.findByTestId('pin-key-1'));
    expect(await screen.findByTestId('screen-disconnected')).toBeTruthy();
    expect(store.getState().connection).toBe('disconnected');
  });

  it('shows the out-of-service screen the host sends after its third fault, with nothing to press', async () => {
    const kiosk = new FakeKiosk(
      { transactionId: null, language: 'ja', view: { screen: 'out-of-service' } },
      { followLanguage: true },
    );
    const { store } = createKioskStore(kiosk);
    render(<App store={store} i18n={createKioskI18n('ja')} />);
    const shown = await screen.findByTestId('screen-out-of-service');
    expect(shown.textContent).toContain(ja.app.outOfService);
    expect(within(shown).queryAllByRole('button')).toEqual([]);
  });
});
