/**
 * Issue 10's proof list, end to end in Debian's chromium against the real stack (one kiosk:web:
 * pcscd/vpcd, the reference centre, ippeveprinter, the payment simulator), as few and as short
 * walks as the list allows:
 * - every certificate type the other e2e files do not issue (they issue 住民票の写し), printed and
 *   read back; two wrong PINs (the warning before the last try) then the right one;
 * - the card taken off the reader on the menu, the confirm screen, the payment screen (the coin
 *   comes back) and the printing screen (the paper is printed: the document is already the
 *   card's);
 * - the payment's time limit (shortened with --time-limits): 「延長する」 gives the full time
 *   back, then the time runs out with the fee short, and the coin comes back;
 * - other residents' cards put on the same reader by the test: a PIN locked after three wrong
 *   tries (H0045), and the centre's refusals of design rule 6 reachable from the test world — an
 *   expired (H0006) and a revoked (H0011) certificate, a resident moved out (H0009) or deceased
 *   (H0010) — and a DV-blocked resident (H0008) whose menu offers nothing, with the summary of why.
 * H0005 and H0045 belong to this file (the test world keeps PIN counters).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KioskErrorCode } from '../../electron/kiosk-api.ts';
import { CERTIFICATE_TITLES_JA, type CertificateType } from '../../protocol/certificate-types.ts';
import { ja } from '../../renderer/src/i18n/ja.ts';
import { cardListRows } from '../../server/seed/index.ts';
import {
  insertFromPanel,
  launchChromium,
  payWithNoteFromPanel,
  placeOtherCard,
  startKioskWeb,
  type RunningKioskWeb,
} from '../support/kiosk-web.ts';
import { pdfText } from '../support/run-command.ts';

const HOLDER = 'H0005'; // 山田 キヨ, 千代田区, 本籍 in 都城市 (registered for the kiosk)
const LOCKED_HOLDER = 'H0045';
/** The payment's limit: its countdown shows at once (the last 20 s). */
const PAYMENT_LIMIT_MS = 20_000;

function pinOf(holderId: string): string {
  const pin = cardListRows().find((row) => row.holderId === holderId)?.authPin;
  if (!pin) throw new Error(`no test card for ${holderId}`);
  return pin;
}

/** A 4-digit PIN that is not this one. */
function wrongPin(pin: string): string {
  return pin === '9999' ? '8888' : '9999';
}

describe('the proof list: every certificate, every failure the browser can reach', () => {
  let kiosk: RunningKioskWeb;
  let browser: Browser;
  let page: Page;
  let printedDir: string;
  let worldDir: string;

  beforeAll(async () => {
    printedDir = await mkdtemp(join(tmpdir(), 'kiosk-e2e-paths-'));
    worldDir = inject('worldDir');
    kiosk = await startKioskWeb([
      '--holder',
      HOLDER,
      '--world',
      worldDir,
      '--out',
      printedDir,
      '--card',
      'pcsc',
      '--printer',
      'ipp',
      '--time-limits',
      `paymentIdleMs=${PAYMENT_LIMIT_MS}`,
    ]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(kiosk.url);
    await page.getByTestId('screen-welcome').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
    await rm(printedDir, { recursive: true, force: true });
  });

  const printed = async () => (await readdir(printedDir)).filter((name) => name.endsWith('.pdf')).sort();

  async function typePin(pin: string): Promise<void> {
    for (const digit of pin) await page.getByTestId(`pin-key-${digit}`).click();
    await page.getByTestId('pin-submit').click();
  }

  /** From the welcome screen to the menu with the card on the reader. */
  async function signIn(pin = pinOf(HOLDER)): Promise<void> {
    await page.getByTestId('start-button').click();
    await page.getByTestId('screen-pin-entry').waitFor({ timeout: 30_000 });
    await typePin(pin);
    await page.getByTestId('screen-menu').waitFor({ timeout: 30_000 });
  }

  async function choose(type: CertificateType): Promise<void> {
    await page.getByTestId(`menu-item-${type}`).click();
    await page.getByTestId('screen-confirm').waitFor();
  }

  /** The error screen says this failure in words (title and message), then 終了 leads to the welcome screen. */
  async function expectEnded(code: KioskErrorCode): Promise<void> {
    await page.getByTestId('ended-failed').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('error-title').innerText()).toBe(ja.kioskError[code].title);
    expect(await page.getByTestId('error-message').innerText()).toBe(ja.kioskError[code].body);
  }

  async function finish(): Promise<void> {
    await page.getByTestId('finish-button').click({ timeout: 30_000 });
    await page.getByTestId('screen-welcome').waitFor({ timeout: 30_000 });
  }

  /** From the confirm screen: pays, waits for the paper, and reads it back. */
  async function payAndCollect(type: CertificateType, whilePrinting?: () => Promise<void>): Promise<void> {
    const before = await printed();
    await page.getByTestId('confirm-button').click();
    await page.getByTestId('screen-payment').waitFor({ timeout: 30_000 });
    await payWithNoteFromPanel(page, kiosk);
    if (whilePrinting) {
      await page
        .locator('[data-testid="screen-printing"], [data-testid="screen-done"]')
        .first()
        .waitFor({ timeout: 60_000 });
      await whilePrinting();
    }
    await page.getByTestId('screen-done').waitFor({ timeout: 60_000 });
    const after = await printed();
    expect(after).toHaveLength(before.length + 1);
    const paper = after.find((name) => !before.includes(name)) as string;
    const text = (await pdfText(join(printedDir, paper))).replace(/\s+/g, '');
    expect(text).toContain(CERTIFICATE_TITLES_JA[type].replace(/\s+/g, ''));
    expect(text).toContain('山田キヨ');
  }

  it('takes two wrong PINs (warning before the last try), then the right one, and prints a 印鑑登録証明書', async () => {
    const pin = pinOf(HOLDER);
    await page.getByTestId('start-button').click();
    await page.getByTestId('screen-pin-entry').waitFor({ timeout: 30_000 });
    await typePin(wrongPin(pin));
    await page.getByTestId('pin-wrong').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('tries-left').innerText()).toContain('2');
    expect(await page.getByTestId('last-try-warning').count()).toBe(0);
    await typePin(wrongPin(pin));
    await page.getByTestId('last-try-warning').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('tries-left').innerText()).toContain('1');
    await typePin(pin);
    await page.getByTestId('screen-menu').waitFor({ timeout: 30_000 });

    await choose('inkan');
    await payAndCollect('inkan');
    await finish();
  });

  it('prints every other certificate type; the card taken off on the printing screen still gets its paper', async () => {
    const types: CertificateType[] = [
      'juminhyo-kisai',
      'shotoku-kazei',
      'nozei',
      'koseki-zenbu',
      'koseki-kojin',
    ];
    for (const type of types) {
      await signIn();
      await choose(type);
      await payAndCollect(type);
      await finish();
    }
    await signIn();
    await choose('koseki-fuhyo');
    await payAndCollect('koseki-fuhyo', () => kiosk.removeCard());
    // The card is gone: no reminder to take it.
    await expect.poll(() => page.getByTestId('card-reminder').count()).toBe(0);
    await finish();
    await kiosk.placeCard();
  });

  it('ends with “the card was removed” on the menu, the confirm screen and the payment screen (the coin back)', async () => {
    await signIn();
    await kiosk.removeCard();
    await expectEnded('card-removed');
    await kiosk.placeCard();
    await finish();

    await signIn();
    await choose('juminhyo');
    await kiosk.removeCard();
    await expectEnded('card-removed');
    await kiosk.placeCard();
    await finish();

    await signIn();
    await choose('juminhyo');
    await page.getByTestId('confirm-button').click();
    await page.getByTestId('screen-payment').waitFor({ timeout: 30_000 });
    await insertFromPanel(page, kiosk, 100);
    await expect.poll(() => page.getByTestId('amount-paid').innerText()).toContain('100');
    await kiosk.removeCard();
    await expectEnded('card-removed');
    await page.getByTestId('refunded').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('refunded').innerText()).toContain('100');
    await kiosk.placeCard();
    await finish();
  });

  it('gives the full time back with 延長する, then ends when the time runs out with the fee short, and returns the coin', async () => {
    await signIn();
    await choose('juminhyo');
    await page.getByTestId('confirm-button').click();
    await page.getByTestId('screen-payment').waitFor({ timeout: 30_000 });
    await insertFromPanel(page, kiosk, 100);
    // 「残り 18 秒」 in Japanese: the number in the countdown's words.
    const seconds = async () =>
      Number(/[0-9]+/.exec(await page.getByTestId('time-limit-seconds').innerText())?.[0]);
    await expect
      .poll(seconds, { timeout: PAYMENT_LIMIT_MS })
      .toBeLessThanOrEqual(PAYMENT_LIMIT_MS / 1000 - 4);
    await page.getByTestId('extend-time').click();
    await expect.poll(seconds).toBeGreaterThanOrEqual(PAYMENT_LIMIT_MS / 1000 - 2);

    await expectEnded('timeout');
    expect(await page.getByTestId('refunded').innerText()).toContain('100');
    await finish();
  }, 120_000);

  it('locks the PIN after three wrong tries and points to the PIN reset', async () => {
    const other = await placeOtherCard(kiosk, worldDir, LOCKED_HOLDER);
    try {
      await page.getByTestId('start-button').click();
      await page.getByTestId('screen-pin-entry').waitFor({ timeout: 30_000 });
      const wrong = wrongPin(pinOf(LOCKED_HOLDER));
      await typePin(wrong);
      await page.getByTestId('pin-wrong').waitFor({ timeout: 30_000 });
      await typePin(wrong);
      await page.getByTestId('last-try-warning').waitFor({ timeout: 30_000 });
      await typePin(wrong);
      await expectEnded('pin-locked');
      expect(await page.getByTestId('pin-reset').innerText()).toBe(ja.error.pinReset);
      await finish();
    } finally {
      await other.remove();
    }
    await kiosk.placeCard();
  });

  it.each([
    ['H0006', 'certificate-expired'],
    ['H0011', 'certificate-revoked'],
    ['H0009', 'resident-moved-out'],
    ['H0010', 'resident-deceased'],
  ] as const)('shows the centre’s refusal of %s’s card: %s', async (holderId, code) => {
    const other = await placeOtherCard(kiosk, worldDir, holderId);
    try {
      await page.getByTestId('start-button').click();
      const pinOrEnd = page.locator('[data-testid="screen-pin-entry"], [data-testid="ended-failed"]').first();
      await pinOrEnd.waitFor({ timeout: 30_000 });
      if ((await page.getByTestId('screen-pin-entry').count()) === 1) await typePin(pinOf(holderId));
      await expectEnded(code);
      await finish();
    } finally {
      await other.remove();
    }
    await kiosk.placeCard();
  });

  it('tells a DV-blocked resident why nothing can be issued here', async () => {
    const other = await placeOtherCard(kiosk, worldDir, 'H0008');
    try {
      await signIn(pinOf('H0008'));
      await page.getByTestId('menu-none-available').waitFor();
      expect(await page.getByTestId('menu-none-reason-dv-block').count()).toBe(1);
      await page.getByTestId('cancel-button').click();
      await page.getByTestId('cancel-dialog-confirm').click();
      await page.getByTestId('ended-cancelled').waitFor({ timeout: 30_000 });
      await finish();
    } finally {
      await other.remove();
    }
    await kiosk.placeCard();
  });
});
