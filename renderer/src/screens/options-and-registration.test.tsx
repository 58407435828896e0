// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskScreen, Language } from '../../../electron/kiosk-api.ts';
import { CERTIFICATE_TYPES, UnavailableReasonSchema, type CertificateType } from '../../../protocol/index.ts';
import { App } from '../App.tsx';
import { en } from '../i18n/en.ts';
import { createKioskI18n } from '../i18n/index.ts';
import { ja } from '../i18n/ja.ts';
import { createKioskStore } from '../store.ts';
import { FakeKiosk } from '../test-support/fake-kiosk.ts';

async function mount(view: KioskScreen, language: Language = 'ja') {
  const kiosk = new FakeKiosk({ transactionId: 'TX-OPTIONS', language, view });
  const { store } = createKioskStore(kiosk);
  render(<App store={store} i18n={createKioskI18n(language)} />);
  await screen.findByTestId(`screen-${view.screen}`);
  return kiosk;
}

afterEach(() => cleanup());

const JUMINHYO_CONFIRM: Extract<KioskScreen, { screen: 'confirm' }> = {
  screen: 'confirm',
  certificateType: 'juminhyo',
  copies: 1,
  maxCopies: 10,
  feeYen: 200,
  totalYen: 200,
  options: {
    scope: { allowed: ['household', 'self', 'members'], chosen: 'household' },
    honseki: false,
    relationship: true,
  },
  complete: true,
};

const pressed = (testId: string) => screen.getByTestId(testId).getAttribute('aria-pressed');

describe('confirm screen choices', () => {
  it('shows the allowed choices as pressed toggles and sends each tap as an intent', async () => {
    const kiosk = await mount(JUMINHYO_CONFIRM);
    expect(pressed('scope-household')).toBe('true');
    expect(pressed('scope-self')).toBe('false');
    expect(pressed('relationship-include')).toBe('true');
    expect(pressed('honseki-omit')).toBe('true');
    expect(screen.queryByTestId('option-tax-year')).toBeNull();
    // 個人番号 is never offered; the resident is told where to get it.
    expect(document.body.textContent).not.toContain('個人番号を記載');
    expect(screen.getByTestId('my-number-note').textContent).toBe(ja.confirm.myNumberNote);

    fireEvent.click(screen.getByTestId('scope-self'));
    fireEvent.click(screen.getByTestId('honseki-include'));
    fireEvent.click(screen.getByTestId('relationship-omit'));
    expect(kiosk.intents).toEqual([
      { type: 'set-scope', scope: 'self' },
      { type: 'set-honseki', include: true },
      { type: 'set-relationship', include: false },
    ]);
    // The page changes nothing by itself: the host's next snapshot does.
    expect(pressed('scope-household')).toBe('true');
    act(() =>
      kiosk.show({
        ...JUMINHYO_CONFIRM,
        options: {
          ...JUMINHYO_CONFIRM.options,
          scope: { allowed: ['household', 'self', 'members'], chosen: 'self' },
        },
      }),
    );
    expect(pressed('scope-self')).toBe('true');
  });

  it('lists the household for chosen members and blocks payment until someone is chosen', async () => {
    const kiosk = await mount({
      ...JUMINHYO_CONFIRM,
      options: {
        scope: { allowed: ['household', 'self', 'members'], chosen: 'members' },
        members: [
          { order: 1, name: '山田 太郎', chosen: false },
          { order: 2, name: '山田 花子', chosen: false },
        ],
      },
      complete: false,
    });
    expect(screen.getByTestId('members-needed').textContent).toBe(ja.confirm.membersNeeded);
    expect(screen.getByTestId('confirm-button')).toHaveProperty('disabled', true);
    const hanako = screen.getByTestId('member-2');
    expect(hanako.textContent).toContain('山田 花子');
    expect(hanako.getAttribute('aria-checked')).toBe('false');
    fireEvent.click(hanako);
    expect(kiosk.intents).toEqual([{ type: 'toggle-member', order: 2 }]);

    act(() =>
      kiosk.show({
        ...JUMINHYO_CONFIRM,
        options: {
          scope: { allowed: ['household', 'self', 'members'], chosen: 'members' },
          members: [
            { order: 1, name: '山田 太郎', chosen: false },
            { order: 2, name: '山田 花子', chosen: true },
          ],
        },
        complete: true,
      }),
    );
    expect(screen.getByTestId('member-2').getAttribute('aria-checked')).toBe('true');
    expect(screen.queryByTestId('members-needed')).toBeNull();
    expect(screen.getByTestId('confirm-button')).toHaveProperty('disabled', false);
  });

  it('offers the fiscal years of a tax certificate in the Japanese era and in English', async () => {
    const view: KioskScreen = {
      screen: 'confirm',
      certificateType: 'shotoku-kazei',
      copies: 1,
      maxCopies: 5,
      feeYen: 300,
      totalYen: 300,
      options: { taxYear: { allowed: [2025, 2019, 2018], chosen: 2025 } },
      complete: true,
    };
    const kiosk = await mount(view);
    expect(screen.getByTestId('tax-year-2025').textContent).toBe('令和7年度（2025年度）');
    expect(screen.getByTestId('tax-year-2019').textContent).toBe('令和元年度（2019年度）');
    expect(screen.getByTestId('tax-year-2018').textContent).toBe('平成30年度（2018年度）');
    expect(pressed('tax-year-2025')).toBe('true');
    expect(screen.queryByTestId('my-number-note')).toBeNull();
    fireEvent.click(screen.getByTestId('tax-year-2019'));
    expect(kiosk.intents).toEqual([{ type: 'set-tax-year', year: 2019 }]);
    cleanup();
    await mount(view, 'en');
    expect(screen.getByTestId('tax-year-2025').textContent).toBe('FY 2025 (Reiwa 7)');
  });

  it('keeps the plain layout for a certificate without choices', async () => {
    await mount({ ...JUMINHYO_CONFIRM, certificateType: 'inkan', options: undefined, complete: true });
    expect(screen.queryByTestId('option-scope')).toBeNull();
    expect(screen.getByTestId('confirm-button')).toHaveProperty('disabled', false);
  });
});

describe('menu notices and the 利用登録', () => {
  const menu = (registrationFiled: boolean): KioskScreen => ({
    screen: 'menu',
    municipalityName: '千代田区',
    items: [
      { certificateType: 'juminhyo', available: true, feeYen: 200, maxCopies: 10 },
      { certificateType: 'koseki-zenbu', available: false, reason: 'registration-needed' },
      { certificateType: 'koseki-fuhyo', available: false, reason: 'outside-hours' },
    ],
    notices: [
      { id: 'maint', ja: '3月1日は保守のため休止します。', en: 'Closed for maintenance on 1 March.' },
      { id: 'ja-only', ja: '戸籍証明書は平日のみです。' },
    ],
    registrationFiled,
  });

  it('shows the municipality’s notices, in English where there is a translation', async () => {
    await mount(menu(false));
    expect(screen.getByTestId('notice-maint').textContent).toBe('3月1日は保守のため休止します。');
    cleanup();
    await mount(menu(false), 'en');
    expect(screen.getByTestId('notice-maint').textContent).toBe('Closed for maintenance on 1 March.');
    const jaOnly = screen.getByTestId('notice-ja-only');
    expect(jaOnly.textContent).toBe('戸籍証明書は平日のみです。');
    expect(jaOnly.getAttribute('lang')).toBe('ja');
  });

  it('lets a 戸籍 item that needs the 利用登録 start the request, once', async () => {
    const kiosk = await mount(menu(false));
    const koseki = screen.getByTestId('menu-item-koseki-zenbu');
    expect(koseki).toHaveProperty('disabled', false);
    expect(koseki.textContent).toContain(ja.unavailable['registration-needed']);
    expect(koseki.textContent).toContain(ja.menu.registrationAction);
    expect(screen.getByTestId('menu-item-koseki-fuhyo')).toHaveProperty('disabled', true);
    fireEvent.click(koseki);
    fireEvent.click(screen.getByTestId('menu-item-koseki-fuhyo'));
    expect(kiosk.intents).toEqual([{ type: 'request-koseki-registration' }]);

    act(() => kiosk.show(menu(true)));
    const filed = screen.getByTestId('menu-item-koseki-zenbu');
    expect(filed).toHaveProperty('disabled', true);
    expect(screen.getByTestId('menu-reason-koseki-zenbu').textContent).toContain(ja.menu.registrationFiled);
  });

  it('translates every reason an item can be unavailable', async () => {
    for (const language of ['ja', 'en'] as const) {
      const messages = language === 'ja' ? ja : en;
      await mount(
        {
          screen: 'menu',
          municipalityName: 'X',
          items: UnavailableReasonSchema.options.map((reason, i) => ({
            certificateType: CERTIFICATE_TYPES[i] as CertificateType,
            available: false as const,
            reason,
          })),
          registrationFiled: false,
        },
        language,
      );
      for (const [i, reason] of UnavailableReasonSchema.options.entries()) {
        const type = CERTIFICATE_TYPES[i] as CertificateType;
        expect(screen.getByTestId(`menu-reason-${type}`).textContent).toContain(messages.unavailable[reason]);
      }
      cleanup();
    }
  });

  it('explains the 利用登録 and files it or goes back', async () => {
    const kiosk = await mount({ screen: 'registration-confirm' });
    expect(screen.getByTestId('screen-registration-confirm').textContent).toContain(ja.registration.body);
    fireEvent.click(screen.getByTestId('registration-submit'));
    fireEvent.click(screen.getByTestId('registration-back'));
    // 戻る goes back to the menu; it does not end the session.
    expect(kiosk.intents).toEqual([{ type: 'confirm' }, { type: 'back-to-menu' }]);
    act(() => kiosk.show({ screen: 'registration-filing' }));
    expect(await screen.findByTestId('screen-registration-filing')).toBeTruthy();
    expect(screen.queryByTestId('cancel-button')).toBeNull();
  });

  it('says the 本籍地 decides, usually within a few business days', async () => {
    const view: KioskScreen = {
      screen: 'registration-done',
      municipalityName: '都城市',
      status: 'pending',
      requestId: 'R00000000001',
    };
    const kiosk = await mount(view);
    expect(screen.getByTestId('registration-title').textContent).toBe(ja.registration.done.pending.title);
    const message = screen.getByTestId('registration-message').textContent ?? '';
    expect(message).toContain('本籍地の都城市が');
    expect(message).toContain('通常は数日');
    expect(screen.getByTestId('registration-request-id').textContent).toBe('R00000000001');
    fireEvent.click(screen.getByTestId('back-to-menu-button'));
    fireEvent.click(screen.getByTestId('finish-button'));
    expect(kiosk.intents).toEqual([{ type: 'back-to-menu' }, { type: 'finish' }]);
    cleanup();
    await mount(view, 'en');
    expect(screen.getByTestId('registration-message').textContent).toContain('a few business days');
    cleanup();
    await mount({ ...view, status: 'rejected' });
    expect(screen.getByTestId('registration-title').textContent).toBe(ja.registration.done.rejected.title);
  });
});
