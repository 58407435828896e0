/**
 * Accessibility, in Debian's chromium against the real stack (kiosk:web, H0017's virtual card
 * behind pcscd/vpcd, the reference centre, ippeveprinter): axe-core finds no violation on any
 * screen of the path, the welcome screen in every language, the plain and the high-contrast mode; the whole path
 * is walked with the keyboard alone (Tab and Enter, the PIN on the digit keys); the menu's time
 * limit (shortened with --time-limits) shows its countdown and 「延長する」 extends it.
 * H0017 belongs to this file (the test world keeps PIN counters).
 */
import { AxeBuilder } from '@axe-core/playwright';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LANGUAGES } from '../../renderer/src/i18n/index.ts';
import { ja } from '../../renderer/src/i18n/ja.ts';
import { cardListRows } from '../../server/seed/index.ts';
import {
  launchChromium,
  payWithNoteFromPanel,
  startKioskWeb,
  type RunningKioskWeb,
} from '../support/kiosk-web.ts';

const HOLDER = 'H0017';
const PIN = cardListRows().find((row) => row.holderId === HOLDER)?.authPin ?? '';
/**
 * The menu's limit, shortened so that its countdown (the last 20 s) shows 25 s after the menu
 * does: time for the checks before it on a busy machine, and 20 s for those during it.
 */
const MENU_LIMIT_MS = 45_000;

/**
 * The rules whose outcome a language changes (the page's colours and layout do not): the lang
 * attributes, every control's and heading's name, the title. The full set runs in Japanese and
 * English and on every screen of the walk; these alone in the six other languages, to keep the
 * file within its time.
 */
const LANGUAGE_RULES = [
  'html-has-lang',
  'html-lang-valid',
  'valid-lang',
  'button-name',
  'label',
  'aria-toggle-field-name',
  'aria-command-name',
  'empty-heading',
  'document-title',
];

/** axe-core's violations on the page as it is now: rule id and the elements, for the message. */
async function violations(page: Page, rules?: string[]): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  const result = await (rules ? builder.withRules(rules) : builder).analyze();
  return result.violations.map(
    (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Presses Tab until the control with this test id has the focus, then Enter: as a keyboard user does. */
async function tabTo(page: Page, testId: string, press = true): Promise<void> {
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    if (focused === testId) {
      if (press) await page.keyboard.press('Enter');
      return;
    }
  }
  throw new Error(`Tab never reached ${testId}`);
}

describe('accessibility of every screen, and the keyboard alone', () => {
  let kiosk: RunningKioskWeb;
  let browser: Browser;
  let page: Page;
  let printedDir: string;

  beforeAll(async () => {
    printedDir = await mkdtemp(join(tmpdir(), 'kiosk-e2e-a11y-'));
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
      '--time-limits',
      `menuIdleMs=${MENU_LIMIT_MS}`,
    ]);
    browser = await launchChromium();
    // axe-core's Playwright runner wants a page of its own context.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
    await rm(printedDir, { recursive: true, force: true });
  });

  // Colours and layout are the same in every language: the full rule set (contrast included) in two.
  const FULL_LANGUAGES = new Set(['ja', 'en']);

  it('has no axe violation on the welcome screen in any language (high contrast in ja and en)', async () => {
    await page.goto(kiosk.url);
    await page.getByTestId('screen-welcome').waitFor();
    const found: string[] = [];
    for (const language of LANGUAGES) {
      await page.getByTestId(`language-${language}`).click();
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(language);
      const full = FULL_LANGUAGES.has(language);
      for (const contrast of full ? [false, true] : [false]) {
        if (contrast) await page.getByTestId('display-contrast').click();
        await expect
          .poll(() => page.locator('html').getAttribute('data-contrast'))
          .toBe(contrast ? 'high' : null);
        const seen = await violations(page, full ? undefined : LANGUAGE_RULES);
        found.push(...seen.map((v) => `${language}${contrast ? ' contrast' : ''}: ${v}`));
        if (contrast) await page.getByTestId('display-contrast').click();
      }
    }
    expect(found).toEqual([]);
    await page.getByTestId('language-ja').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('ja');
  }, 240_000);

  it('walks the whole path with the keyboard alone, with no axe violation on any screen', async () => {
    expect(PIN).toMatch(/^[0-9]{4}$/);
    const found: string[] = [];
    const check = async (label: string) =>
      found.push(...(await violations(page)).map((v) => `${label}: ${v}`));
    await page.goto(kiosk.url);
    await page.getByTestId('screen-welcome').waitFor();
    await check('welcome');
    await tabTo(page, 'start-button');

    await page.getByTestId('screen-pin-entry').waitFor({ timeout: 30_000 });
    await check('pin-entry');
    for (const digit of PIN) await page.keyboard.press(digit);
    await expect.poll(() => page.locator('.pin-dot--filled').count()).toBe(4);
    await page.keyboard.press('Enter');

    await page.getByTestId('screen-menu').waitFor({ timeout: 30_000 });
    await check('menu');
    // Larger text and high contrast, from the keyboard, on this screen.
    await tabTo(page, 'display-large-text');
    await tabTo(page, 'display-contrast');
    await expect.poll(() => page.locator('html').getAttribute('data-text')).toBe('large');
    await expect.poll(() => page.locator('html').getAttribute('data-contrast')).toBe('high');
    await check('menu (contrast, large text)');

    // The menu's limit is short here: its countdown shows, and 延長する takes it away.
    await page.getByTestId('time-limit').waitFor({ timeout: MENU_LIMIT_MS });
    expect(await page.getByRole('alert').filter({ hasText: ja.timeLimit.title }).count()).toBe(1);
    await check('menu (countdown)');
    await tabTo(page, 'extend-time');
    await page.getByTestId('time-limit').waitFor({ state: 'detached' });
    expect(await page.getByTestId('screen-menu').count()).toBe(1);

    await tabTo(page, 'menu-item-juminhyo');
    await page.getByTestId('screen-confirm').waitFor();
    await check('confirm');
    await tabTo(page, 'confirm-button');

    await page.getByTestId('screen-payment').waitFor({ timeout: 30_000 });
    await check('payment');
    // The money goes in at the slot (the payment simulator's panel), not on the screen.
    await payWithNoteFromPanel(page, kiosk);

    await page.getByTestId('screen-done').waitFor({ timeout: 60_000 });
    await check('done');
    await tabTo(page, 'finish-button');
    await page.getByTestId('screen-welcome').waitFor({ timeout: 30_000 });
    // The next resident starts on the plain screens.
    expect(await page.locator('html').getAttribute('data-contrast')).toBeNull();

    // 中止 from the keyboard: the question, then the calm end screen.
    await tabTo(page, 'start-button');
    await page.getByTestId('screen-pin-entry').waitFor({ timeout: 30_000 });
    await tabTo(page, 'cancel-button');
    await page.getByTestId('cancel-dialog').waitFor();
    await check('cancel dialog');
    await tabTo(page, 'cancel-dialog-confirm');
    await page.getByTestId('screen-error').waitFor({ timeout: 30_000 });
    await check('error (cancelled)');
    await tabTo(page, 'finish-button');
    await page.getByTestId('screen-welcome').waitFor({ timeout: 30_000 });

    expect(found).toEqual([]);
  }, 240_000);
});
