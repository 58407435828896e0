/**
 * A walk in other languages, as a resident does it: the renderer in Debian's chromium (Playwright),
 * the kiosk host in Node (kiosk:web), H0007's virtual card (グエン ヴァン アン, 千代田区) behind
 * pcscd (vpcd), the reference centre. Vietnamese from the first screen, the PIN typed on a
 * keyboard, Korean chosen mid-session from the header, 戻る and 中止, then the next session in
 * Japanese; and the card taken off the reader from kiosk:web's developer panel.
 * H0007 belongs to this file (the test world keeps PIN counters).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cardListRows } from '../../server/seed/index.ts';
import { ko } from '../../renderer/src/i18n/ko.ts';
import { vi } from '../../renderer/src/i18n/vi.ts';
import { launchChromium, startKioskWeb, type RunningKioskWeb } from '../support/kiosk-web.ts';

const HOLDER = 'H0007';
const PIN = cardListRows().find((row) => row.holderId === HOLDER)?.authPin ?? '';

describe('kiosk in Vietnamese and Korean, and the card taken away', () => {
  let kiosk: RunningKioskWeb;
  let browser: Browser;
  let page: Page;
  let printedDir: string;

  beforeAll(async () => {
    printedDir = await mkdtemp(join(tmpdir(), 'kiosk-e2e-languages-'));
    kiosk = await startKioskWeb([
      '--holder',
      HOLDER,
      '--world',
      inject('worldDir'),
      '--out',
      printedDir,
      '--card',
      'pcsc',
      '--printer',
      'ipp',
    ]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
    await rm(printedDir, { recursive: true, force: true });
  });

  it('walks in Vietnamese, switches to Korean mid-session, and the next session starts in Japanese', async () => {
    expect(PIN).toMatch(/^[0-9]{4}$/);
    await page.goto(kiosk.url);
    await page.getByTestId('screen-welcome').waitFor();
    await page.getByTestId('language-vi').click();
    await expect.poll(() => page.getByTestId('start-button').innerText()).toBe(vi.welcome.start);
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    await page.getByTestId('start-button').click();

    // The PIN from the keyboard: the digits go to the host; the page shows dots.
    await page.getByTestId('screen-pin-entry').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('pin-explanation').innerText()).toBe(vi.pinEntry.body);
    for (const digit of PIN) await page.keyboard.press(digit);
    await expect.poll(() => page.locator('.pin-dot--filled').count()).toBe(4);
    expect(await page.getByTestId('screen-pin-entry').innerText()).not.toContain(PIN);
    // Focus moved to 確定 after the 4th digit; Enter submits.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('pin-submit');
    await page.keyboard.press('Enter');

    await page.getByTestId('screen-menu').waitFor({ timeout: 30_000 });
    expect(await page.locator('h1').innerText()).toBe(vi.menu.heading);
    const juminhyo = page.getByTestId('menu-item-juminhyo');
    expect(await juminhyo.innerText()).toContain('住民票の写し');
    expect(await juminhyo.innerText()).toContain(vi.certificate.juminhyo);
    // The 受付番号 is 8 digits in two groups, not the transaction id.
    expect(await page.getByTestId('transaction-id').innerText()).toMatch(/^[0-9]{4} [0-9]{4}$/);

    // Korean from the header, without leaving the menu.
    await page.getByTestId('language-picker').click();
    await page.getByTestId('language-ko').click();
    await expect.poll(() => page.locator('h1').innerText()).toBe(ko.menu.heading);
    await page.getByTestId('screen-menu').waitFor();

    await juminhyo.click();
    await page.getByTestId('screen-confirm').waitFor();
    await page.getByTestId('back-button').click();
    await page.getByTestId('screen-menu').waitFor();
    await juminhyo.click();
    await page.getByTestId('screen-confirm').waitFor();

    // 中止 asks first, in Korean, then ends calmly.
    await page.getByTestId('cancel-button').click();
    expect(await page.getByTestId('cancel-dialog').innerText()).toContain(ko.cancelDialog.title);
    await page.getByTestId('cancel-dialog-confirm').click();
    await page.getByTestId('ended-cancelled').waitFor();
    expect(await page.getByTestId('error-title').innerText()).toBe(ko.kioskError.cancelled.title);
    await page.getByTestId('finish-button').click();

    await page.getByTestId('screen-welcome').waitFor();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('ja');
    expect(await page.getByTestId('start-button').getAttribute('aria-label')).toBe('証明書の交付');
  });

  it('ends with “the card was removed” when the developer panel takes the card off mid-PIN', async () => {
    await page.getByTestId('start-button').click();
    await page.getByTestId('screen-pin-entry').waitFor({ timeout: 30_000 });
    await page.keyboard.press(PIN[0] as string);

    await page.getByTestId('dev-panel-toggle').click();
    await expect.poll(() => page.getByTestId('dev-card-status').innerText()).toContain('on the reader');
    await page.getByTestId('dev-card-remove').click();
    await page.getByTestId('screen-error').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('error-title').innerText()).toBe('カードが取り外されました');
    expect(await page.getByTestId('dev-card-status').innerText()).toContain('off the reader');

    // Put it back (the tests' driver does what the panel's button does) and start again.
    await kiosk.placeCard();
    await page.getByTestId('finish-button').click();
    await page.getByTestId('screen-welcome').waitFor();
    await page.getByTestId('start-button').click();
    await page.getByTestId('screen-pin-entry').waitFor({ timeout: 30_000 });
    await page.getByTestId('cancel-button').click();
    await page.getByTestId('cancel-dialog-confirm').click();
    await page.getByTestId('ended-cancelled').waitFor();
    await page.getByTestId('finish-button').click();
    await page.getByTestId('screen-welcome').waitFor();
  });
});
