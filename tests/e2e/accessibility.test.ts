/**
 * Accessibility, in Debian's chromium against the real stack (kiosk:web, H0017's virtual card
 * behind pcscd/vpcd, the reference centre, ippeveprinter), in one walk of the path with the
 * keyboard alone (Tab and Enter, the PIN on the digit keys): welcome, place card (the card taken
 * off first), PIN, a wrong PIN, menu, confirm, payment, done, the 中止 question and its calm end,
 * and the card taken off on the PIN screen.
 * - On each screen the page is switched in place, through its own language picker and
 *   くっきり表示, to each of the eight languages in the plain and the high-contrast mode, and
 *   each time axe-core finds no violation and no control is smaller than 15 mm in either
 *   dimension on the kiosk's panel (electron/kiosk-screen.ts). The switching is the checks'
 *   doing, in the page; the path itself goes on with the keyboard.
 * - The welcome screen fits the 1280×800 panel in each of the eight languages (checked at the end
 *   of the walk): neither the page nor the screen's body scrolls, and 証明書の交付 and the PIN
 *   reset's button lie wholly on the screen; in larger text too (which scrolls: its footer alone
 *   wraps to three rows) both buttons show.
 * - The menu in larger text, and its time limit (shortened with --time-limits): the countdown
 *   shows and 「延長する」 extends it.
 * H0017 belongs to this file (the test world keeps PIN counters). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MIN_TOUCH_TARGET_MM, millimetresToPixels } from '../../electron/kiosk-screen.ts';
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
 * The menu's (and confirm screen's) limit, shortened so that its countdown (the last 20 s) shows
 * 25 s after the menu does: time for the checks before it on a busy machine, and 20 s for those
 * during it. The done screen's limit is lengthened so that its checks finish before it ends.
 */
const MENU_LIMIT_MS = 45_000;
const DONE_LIMIT_MS = 120_000;

/** 15 mm on the kiosk's panel, in CSS pixels (rounded down by less than a pixel's rounding). */
const MIN_TARGET_PX = millimetresToPixels(MIN_TOUCH_TARGET_MM) - 0.5;

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeRunner {
  run(
    context: Document,
    options: { resultTypes: string[]; runOnly?: { type: 'rule'; values: string[] } },
  ): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }>;
}

/**
 * Colours and layout are the same in every language: the full rule set (contrast included) runs in
 * Japanese and English; in the six other languages the rules whose outcome a language changes —
 * the lang attributes, every control's and heading's name, the title.
 */
const FULL_LANGUAGES = new Set(['ja', 'en']);
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

/** One state to check: a language and the display modes (null or absent: leave it as it is). */
interface CheckedState {
  language: string | null;
  highContrast: boolean | null;
  largeText?: boolean;
}

/**
 * What the checks found: axe-core's violations, the controls under 15 mm, and where a screen that
 * must fit the panel scrolls or leaves a control off it, each labelled.
 */
interface Findings {
  axe: string[];
  small: string[];
  overflow: string[];
}

/**
 * Puts the page in each state in turn — through its own controls (the language picker, the
 * welcome screen's language list, くっきり表示), clicked in the page — and there runs axe-core
 * (every rule in Japanese and English, LANGUAGE_RULES in the other languages) and measures every
 * control the resident can touch: buttons, links, form fields and anything focusable (kiosk:web's
 * developer panel is not the kiosk's); `axe: false` leaves axe-core out. With `mustShow`, each of those controls must be present and
 * wholly inside the viewport, and, except in larger text (which scrolls), the screen must fit it:
 * the document and the screen's body (`main`, which scrolls on its own) no taller than they show.
 * All in one call into the page: no round trip per state.
 * axe-core is put into the page once (the kiosk is one page that never navigates).
 */
async function checkStates(
  page: Page,
  label: string,
  states: CheckedState[],
  options: { backToJapanesePlain: boolean; mustShow?: string[]; axe?: boolean },
): Promise<Findings> {
  const found = await page.evaluate(
    async ({ source, states, full, languageRules, minPx, restore, mustShow, runAxe }) => {
      const scope = window as unknown as { axe?: AxeRunner };
      if (!scope.axe) (0, eval)(source);
      const axe = scope.axe as AxeRunner;
      const html = document.documentElement;
      const control = (testId: string) => document.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
      const until = async (what: string, done: () => boolean) => {
        const started = performance.now();
        while (!done()) {
          if (performance.now() - started > 15_000) throw new Error(`the page never showed ${what}`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        // One more frame: what React rendered with the change is on the screen.
        await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
      };
      const isHigh = () => html.getAttribute('data-contrast') === 'high';
      const setContrast = async (high: boolean) => {
        if (isHigh() !== high) control('display-contrast')?.click();
        await until(high ? 'high contrast' : 'plain contrast', () => isHigh() === high);
      };
      const isLarge = () => html.getAttribute('data-text') === 'large';
      const setLargeText = async (large: boolean) => {
        if (isLarge() !== large) control('display-large-text')?.click();
        await until(large ? 'larger text' : 'plain text', () => isLarge() === large);
      };
      const chooseLanguage = async (language: string) => {
        if (html.lang === language) return;
        if (!control(`language-${language}`)) control('language-picker')?.click();
        await until(`the button for ${language}`, () => control(`language-${language}`) !== null);
        control(`language-${language}`)?.click();
        await until(language, () => html.lang === language && control('language-panel') === null);
      };
      const result = { axe: [] as string[], small: [] as string[], overflow: [] as string[] };
      for (const state of states) {
        if (state.highContrast !== null) await setContrast(state.highContrast);
        if (state.largeText !== undefined) await setLargeText(state.largeText);
        if (state.language !== null) await chooseLanguage(state.language);
        const where = `${html.lang}${isHigh() ? ' contrast' : ''}${isLarge() ? ' large' : ''}`;
        const run = runAxe
          ? await axe.run(document, {
              resultTypes: ['violations'],
              ...(full.includes(html.lang)
                ? {}
                : { runOnly: { type: 'rule' as const, values: languageRules } }),
            })
          : { violations: [] };
        for (const v of run.violations) {
          // Furigana are visible text that is not part of a control's name (its aria-label is the
          // words without their readings): axe-core 4.14's label-in-name rule counts the readings.
          // Every other control stays under that rule.
          const nodes = v.nodes.filter(
            (n) =>
              v.id !== 'label-content-name-mismatch' ||
              document.querySelector(n.target.join(' '))?.querySelector('ruby') == null,
          );
          if (nodes.length > 0)
            result.axe.push(
              `${where}: ${v.id}: ${v.help} — ${nodes.map((n) => n.target.join(' ')).join(', ')}`,
            );
        }
        const controls = document.querySelectorAll<HTMLElement>(
          'button, a[href], input, select, textarea, [role="button"], [role="link"], [tabindex]:not([tabindex="-1"])',
        );
        for (const element of controls) {
          if (element.closest('[data-testid="dev-panel"]')) continue;
          const box = element.getBoundingClientRect();
          if (box.width === 0 && box.height === 0) continue; // not shown
          if (box.width < minPx || box.height < minPx) {
            const name =
              element.dataset.testid ?? element.getAttribute('aria-label') ?? element.textContent ?? '';
            result.small.push(
              `${where}: ${name.trim().slice(0, 40)} (${Math.round(box.width)}×${Math.round(box.height)} px)`,
            );
          }
        }
        if (mustShow.length > 0) {
          const scrolling = isLarge() ? [] : [document.scrollingElement, document.querySelector('main')];
          for (const element of scrolling) {
            if (element && element.scrollHeight > element.clientHeight)
              result.overflow.push(
                `${where}: ${element.tagName.toLowerCase()} scrolls (${element.scrollHeight} > ${element.clientHeight} px)`,
              );
          }
          for (const testId of mustShow) {
            const box = control(testId)?.getBoundingClientRect();
            if (!box) result.overflow.push(`${where}: ${testId} not shown`);
            else if (box.top < 0 || box.left < 0 || box.bottom > innerHeight || box.right > innerWidth)
              result.overflow.push(
                `${where}: ${testId} off the screen (bottom ${Math.round(box.bottom)} of ${innerHeight} px)`,
              );
          }
        }
      }
      if (restore) {
        await setContrast(false);
        await setLargeText(false);
        await chooseLanguage('ja');
      }
      return result;
    },
    {
      source: AXE_SOURCE,
      states,
      full: [...FULL_LANGUAGES],
      languageRules: LANGUAGE_RULES,
      minPx: MIN_TARGET_PX,
      restore: options.backToJapanesePlain,
      mustShow: options.mustShow ?? [],
      runAxe: options.axe ?? true,
    },
  );
  return {
    axe: found.axe.map((v) => `${label} ${v}`),
    // The same control once per state: keep each line once.
    small: [...new Set(found.small.map((v) => `${label} ${v}`))],
    overflow: found.overflow.map((v) => `${label} ${v}`),
  };
}

/** Every language in both display modes (plain first, then high contrast), back to Japanese, plain. */
const EVERY_LANGUAGE_AND_MODE: CheckedState[] = [false, true].flatMap((highContrast) =>
  LANGUAGES.map((language) => ({ language, highContrast })),
);

/** The test ids of the screens and end screens on the page now: what a failure says it saw. */
function shownScreens(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid^="screen-"], [data-testid^="ended-"]')
    .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid') ?? ''));
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
      `menuIdleMs=${MENU_LIMIT_MS},doneMs=${DONE_LIMIT_MS}`,
    ]);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
    await rm(printedDir, { recursive: true, force: true });
  });

  it('walks every screen with the keyboard alone: no axe violation and no control under 15 mm, in every language and both display modes', async () => {
    expect(PIN).toMatch(/^[0-9]{4}$/);
    expect(MIN_TARGET_PX).toBeGreaterThan(70);
    const findings: Findings = { axe: [], small: [], overflow: [] };
    const record = (found: Findings) => {
      findings.axe.push(...found.axe);
      findings.small.push(...found.small);
      findings.overflow.push(...found.overflow);
    };
    /** The screen as it is now in every language and both display modes; then Japanese, plain. */
    const check = async (screen: string) =>
      record(await checkStates(page, screen, EVERY_LANGUAGE_AND_MODE, { backToJapanesePlain: true }));
    /** The page as it is now, without switching (a dialog over the screen, a countdown). */
    const checkAsItIs = async (state: string) =>
      record(
        await checkStates(page, state, [{ language: null, highContrast: null }], {
          backToJapanesePlain: false,
        }),
      );

    await page.goto(kiosk.url);
    await page.getByTestId('screen-welcome').waitFor();
    await check('welcome');

    // The card is off the reader: the kiosk asks for it.
    await kiosk.removeCard();
    await tabTo(page, 'start-button');
    // pcscd can report the card gone a moment after its socket closed (on a busy machine, more
    // than one start later): a start in that moment reads a card that leaves
    // (「カードが取り外されました」). Then a later start asks for it.
    const placeOrEnd = page.locator('[data-testid="screen-place-card"], [data-testid="ended-failed"]');
    const ended = async () => (await page.getByTestId('ended-failed').count()) === 1;
    const startAgain = async () => {
      await tabTo(page, 'finish-button');
      await page.getByTestId('screen-welcome').waitFor({ timeout: 30_000 });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await tabTo(page, 'start-button');
    };
    for (let start = 1; ; start += 1) {
      await placeOrEnd.first().waitFor({ timeout: 30_000 });
      // The screen asks for the card at once; the late report can still end it moments later.
      if (!(await ended())) await new Promise((resolve) => setTimeout(resolve, 4_000));
      if (!(await ended())) break;
      expect(start, 'starts that read the card just taken off').toBeLessThan(5);
      await startAgain();
    }
    await page
      .getByTestId('screen-place-card')
      .waitFor({ timeout: 30_000 })
      .catch(async (error: unknown) => {
        throw new Error(`${String(error)}\nscreens shown: ${(await shownScreens(page)).join(', ')}`);
      });
    await check('place-card');
    await kiosk.placeCard();
    // The same late report: the card put back can be read as the one that left. Then the next
    // start, with the card on the reader, asks for the PIN.
    const pinOrEnd = page.locator('[data-testid="screen-pin-entry"], [data-testid="ended-failed"]');
    for (let start = 1; ; start += 1) {
      await pinOrEnd
        .first()
        .waitFor({ timeout: 30_000 })
        .catch(async (error: unknown) => {
          throw new Error(`${String(error)}\nscreens shown: ${(await shownScreens(page)).join(', ')}`);
        });
      if (!(await ended())) break;
      expect(start, 'starts that read the card just put back as gone').toBeLessThan(3);
      await startAgain();
    }

    // The PIN on the digit keys; a wrong one first (the right one next sets the counter back).
    await page.getByTestId('screen-pin-entry').waitFor({ timeout: 30_000 });
    await check('pin-entry');
    for (const digit of PIN === '9999' ? '8888' : '9999') await page.keyboard.press(digit);
    await expect.poll(() => page.locator('.pin-dot--filled').count()).toBe(4);
    await page.keyboard.press('Enter');
    await page.getByTestId('pin-wrong').waitFor({ timeout: 30_000 });
    await check('pin-entry (wrong PIN)');
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
    await checkAsItIs('menu (large text)');
    await tabTo(page, 'display-large-text');
    await expect.poll(() => page.locator('html').getAttribute('data-text')).toBeNull();

    // The menu's limit is short here: its countdown shows, and 延長する takes it away.
    await page.getByTestId('time-limit').waitFor({ timeout: MENU_LIMIT_MS });
    expect(await page.getByRole('alert').filter({ hasText: ja.timeLimit.title }).count()).toBe(1);
    await checkAsItIs('menu (countdown)');
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
    await checkAsItIs('cancel dialog');
    await tabTo(page, 'cancel-dialog-confirm');
    await page.getByTestId('ended-cancelled').waitFor({ timeout: 30_000 });
    await check('error (cancelled)');
    await tabTo(page, 'finish-button');

    // A failure's screen: the card taken off the reader on the PIN screen.
    await page.getByTestId('screen-welcome').waitFor({ timeout: 30_000 });
    await tabTo(page, 'start-button');
    await page.getByTestId('screen-pin-entry').waitFor({ timeout: 30_000 });
    await kiosk.removeCard();
    await page.getByTestId('ended-failed').waitFor({ timeout: 30_000 });
    await check('error (card removed)');
    await kiosk.placeCard();
    await tabTo(page, 'finish-button');
    await page.getByTestId('screen-welcome').waitFor({ timeout: 30_000 });

    // Last, with no card moved after it (these checks before the card is first taken off were
    // followed, in some runs, by pcscd reporting it back for a moment): the welcome screen fits the
    // panel in every language, nothing below the fold; in larger text its two buttons still show
    // without scrolling. Contrast changes no size here; axe-core checked this screen at the start.
    const fitStates = [false, true].flatMap((largeText) =>
      LANGUAGES.map((language) => ({ language, highContrast: false, largeText })),
    );
    record(
      await checkStates(page, 'welcome (fit)', fitStates, {
        backToJapanesePlain: true,
        mustShow: ['start-button', 'pin-reset-button'],
        axe: false,
      }),
    );

    expect(findings).toEqual({ axe: [], small: [], overflow: [] });
  }, 400_000);
});
