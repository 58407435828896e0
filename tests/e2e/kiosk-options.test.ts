/**
 * Contract 0.2.0 on the kiosk, end to end as a resident does it: the renderer in Debian's chromium
 * (Playwright), the kiosk host in Node (kiosk:web), the holder's virtual card behind pcscd (vpcd),
 * the reference centre and ippeveprinter.
 * - H0001 (山田 太郎, household of five in 千代田区) chooses 「ご本人のみ」 on the confirm screen: the
 *   printed 住民票 names him and nobody else of the household.
 * - H0043 (山﨑 健太, 千代田区, 本籍 in 都城市, no 利用登録 yet) files the 利用登録 from the menu: the
 *   kiosk says 都城市 decides.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cardListRows } from '../../server/seed/index.ts';
import {
  launchChromium,
  payWithNoteFromPanel,
  startKioskWeb,
  type RunningKioskWeb,
} from '../support/kiosk-web.ts';
import { pdfText } from '../support/run-command.ts';

function pinOf(holderId: string): string {
  const pin = cardListRows().find((row) => row.holderId === holderId)?.authPin;
  if (!pin) throw new Error(`no test card for ${holderId}`);
  return pin;
}

/** A kiosk:web with this holder's card on the virtual reader, and a browser page on it. */
function kioskFor(holderId: string) {
  const state = {} as { kiosk: RunningKioskWeb; browser: Browser; page: Page; printedDir: string };
  beforeAll(async () => {
    state.printedDir = await mkdtemp(join(tmpdir(), 'kiosk-e2e-options-'));
    state.kiosk = await startKioskWeb([
      '--holder',
      holderId,
      '--world',
      inject('worldDir'),
      '--out',
      state.printedDir,
      '--card',
      'pcsc',
      '--printer',
      'ipp',
    ]);
    state.browser = await launchChromium();
    state.page = await state.browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await state.browser?.close();
    await state.kiosk?.stop();
    if (state.printedDir) await rm(state.printedDir, { recursive: true, force: true });
  });
  return state;
}

async function signIn(page: Page, url: string, pin: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('screen-welcome').waitFor();
  await page.getByTestId('start-button').click();
  await page.getByTestId('screen-pin-entry').waitFor({ timeout: 30_000 });
  for (const digit of pin) await page.getByTestId(`pin-key-${digit}`).click();
  await page.getByTestId('pin-submit').click();
  await page.getByTestId('screen-menu').waitFor({ timeout: 30_000 });
}

describe('kiosk: the resident chooses whose 住民票', () => {
  const state = kioskFor('H0001');

  it('prints a 住民票 for the resident alone when 「ご本人のみ」 is chosen', async () => {
    const { page, kiosk, printedDir } = state;
    await signIn(page, kiosk.url, pinOf('H0001'));
    await page.getByTestId('menu-item-juminhyo').click();
    await page.getByTestId('screen-confirm').waitFor();

    // The whole household is the default; the household is listed only for 「世帯の一部」.
    expect(await page.getByTestId('scope-household').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('scope-members').click();
    await page.getByTestId('member-2').waitFor();
    expect(await page.getByTestId('screen-confirm').innerText()).toContain('山田 キヨ');
    expect(await page.getByTestId('confirm-button').isDisabled()).toBe(true);
    await page.getByTestId('scope-self').click();
    await expect.poll(() => page.getByTestId('scope-self').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('member-2').count()).toBe(0);
    // 個人番号 is not among the choices.
    expect(await page.getByTestId('screen-confirm').innerText()).not.toMatch(/個人番号を記載/);

    await page.getByTestId('confirm-button').click();
    await page.getByTestId('screen-payment').waitFor();
    await payWithNoteFromPanel(page, kiosk);
    await page.getByTestId('screen-done').waitFor({ timeout: 60_000 });

    const printed = (await readdir(printedDir)).filter((name) => name.endsWith('.pdf'));
    expect(printed).toHaveLength(1);
    const text = await pdfText(join(printedDir, printed[0] as string));
    expect(text).toContain('住 民 票 の 写 し');
    expect(text).toContain('山田 太郎');
    for (const other of ['山田 花子', '山田 一郎', '山田 美咲', '山田 キヨ'])
      expect(text).not.toContain(other);

    await page.getByTestId('finish-button').click();
    await page.getByTestId('screen-welcome').waitFor();
  });
});

describe('kiosk: 利用登録 with the 本籍地', () => {
  const state = kioskFor('H0043');

  it('files the 利用登録 from the menu and says the 本籍地 decides', async () => {
    const { page, kiosk } = state;
    await signIn(page, kiosk.url, pinOf('H0043'));
    const koseki = page.getByTestId('menu-item-koseki-zenbu');
    expect(await koseki.innerText()).toContain('本籍地への利用登録が必要です');
    await koseki.click();
    await page.getByTestId('screen-registration-confirm').waitFor();
    await page.getByTestId('registration-submit').click();

    await page.getByTestId('screen-registration-done').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('registration-message').innerText()).toContain('本籍地の都城市が');
    expect(await page.getByTestId('registration-request-id').innerText()).toMatch(/^[0-9A-Z]{12}$/);

    // Back on the menu the 戸籍 items wait for the decision.
    await page.getByTestId('back-to-menu-button').click();
    await page.getByTestId('screen-menu').waitFor();
    expect(await page.getByTestId('menu-reason-koseki-zenbu').innerText()).toContain('審査中');
    expect(await page.getByTestId('menu-item-koseki-zenbu').isDisabled()).toBe(true);
    await page.getByTestId('cancel-button').click();
    await page.getByTestId('cancel-dialog-confirm').click();
    await page.getByTestId('ended-cancelled').waitFor();
    await page.getByTestId('finish-button').click();
    await page.getByTestId('screen-welcome').waitFor();
  });
});
