/**
 * The walking skeleton end to end, as a resident does it: the renderer in Debian's chromium
 * (Playwright), the kiosk host in Node (kiosk:web), the holder's virtual card behind pcscd (vpcd),
 * the reference centre, and ippeveprinter. Place card, enter PIN, choose 住民票の写し, pay, print —
 * then read the printed file and check it names the right resident.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  launchChromium,
  payWithNoteFromPanel,
  startKioskWeb,
  type RunningKioskWeb,
} from '../support/kiosk-web.ts';
import { pdfText } from '../support/run-command.ts';

describe('kiosk in the browser, card to paper', () => {
  let kiosk: RunningKioskWeb;
  let browser: Browser;
  let page: Page;
  let printedDir: string;

  beforeAll(async () => {
    printedDir = await mkdtemp(join(tmpdir(), 'kiosk-e2e-printed-'));
    kiosk = await startKioskWeb([
      '--holder',
      'H0002',
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

  it('says which parts it started', () => {
    const parts = kiosk.output.join('\n');
    expect(parts).toContain('pcscd with the vpcd virtual reader');
    expect(parts).toContain('ippeveprinter');
    expect(parts).toContain('virtual My Number Card of H0002');
    expect(parts).toContain('simulated coin and note acceptor (ccTalk');
  });

  it('issues and prints the resident’s 住民票', async () => {
    await page.goto(kiosk.url);
    await page.getByTestId('screen-welcome').waitFor();
    await page.getByTestId('start-button').click();

    // The card is on the reader: the kiosk reads it and asks for the PIN.
    await page.getByTestId('screen-pin-entry').waitFor({ timeout: 30_000 });
    for (const digit of '2345') await page.getByTestId(`pin-key-${digit}`).click();
    // The page shows dots, never the digits.
    expect(await page.getByTestId('screen-pin-entry').innerText()).not.toContain('2345');
    await page.getByTestId('pin-submit').click();

    await page.getByTestId('screen-menu').waitFor({ timeout: 30_000 });
    await page.getByTestId('menu-item-juminhyo').click();
    await page.getByTestId('screen-confirm').waitFor();
    await page.getByTestId('confirm-button').click();
    await page.getByTestId('screen-payment').waitFor();
    // The page has no money buttons: the note goes into the (simulated) acceptor.
    expect(await page.getByRole('button', { name: /円/ }).count()).toBe(0);
    await payWithNoteFromPanel(page, kiosk);

    await page.getByTestId('screen-done').waitFor({ timeout: 60_000 });
    const printed = (await readdir(printedDir)).filter((name) => name.endsWith('.pdf'));
    expect(printed).toHaveLength(1);
    const text = await pdfText(join(printedDir, printed[0] as string));
    expect(text).toContain('住 民 票 の 写 し');
    expect(text).toContain('山田 花子');
    expect(text).toContain('東京都千代田区');

    await page.getByTestId('finish-button').click();
    await page.getByTestId('screen-welcome').waitFor();
  });

  it('shows the tries left after a wrong PIN and cancels cleanly', async () => {
    await page.getByTestId('start-button').click();
    await page.getByTestId('screen-pin-entry').waitFor({ timeout: 30_000 });
    for (const digit of '9999') await page.getByTestId(`pin-key-${digit}`).click();
    await page.getByTestId('pin-submit').click();
    await page.getByTestId('pin-wrong').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('tries-left').innerText()).toContain('2');
    // 中止 asks first, then ends calmly with 「お手続きを中止しました」.
    await page.getByTestId('cancel-button').click();
    await page.getByTestId('cancel-dialog-confirm').click();
    await page.getByTestId('ended-cancelled').waitFor();
    await page.getByTestId('finish-button').click();
    await page.getByTestId('screen-welcome').waitFor();
  });
});
