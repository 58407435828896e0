/**
 * Operator mode as a store operator uses it, through kiosk:web in Debian's chromium (accessible
 * names): the key sequence on the welcome screen, a wrong operator PIN then the right one, the
 * status, the three self-tests on the real parts (ippeveprinter, pcscd + vpcd with H0001's
 * virtual card, the payment simulator), the redacted log export (read back: no PIN, no name),
 * the out-of-service switch as residents see it, and back in service.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEV_OPERATOR_PIN } from '../../electron/host/operator-pin-file.ts';
import { ja } from '../../renderer/src/i18n/ja.ts';
import { cardListRows } from '../../server/seed/index.ts';
import { launchChromium, startKioskWeb, type RunningKioskWeb } from '../support/kiosk-web.ts';

const HOLDER = 'H0001';
const HOLDER_ROW = cardListRows().find((row) => row.holderId === HOLDER);

async function openOperatorMode(page: Page): Promise<void> {
  await page.keyboard.press('Control+Alt+Shift+O');
  await page.keyboard.press('Control+Alt+Shift+O');
  await page.getByRole('heading', { name: '係員モード' }).waitFor();
}

async function typeOperatorPin(page: Page, pin: string): Promise<void> {
  for (const digit of pin) await page.getByRole('button', { name: `数字 ${digit}`, exact: true }).click();
  await page.getByRole('button', { name: '確定' }).click();
}

describe('operator mode', () => {
  let kiosk: RunningKioskWeb;
  let browser: Browser;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-e2e-operator-'));
    process.env['KIOSK_LOG_EXPORT_DIR'] = join(dir, 'exports');
    kiosk = await startKioskWeb([
      '--holder',
      HOLDER,
      '--world',
      inject('worldDir'),
      '--out',
      join(dir, 'printed'),
      '--card',
      'pcsc',
      '--printer',
      'ipp',
    ]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  });

  afterAll(async () => {
    delete process.env['KIOSK_LOG_EXPORT_DIR'];
    await browser?.close();
    await kiosk?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('opens with the key sequence and the PIN, tests the parts, exports a clean log, and switches the kiosk off and on', async () => {
    expect(HOLDER_ROW?.authPin).toMatch(/^[0-9]{4}$/);
    await page.goto(kiosk.url);
    await page.getByTestId('screen-welcome').waitFor();
    await openOperatorMode(page);

    // A wrong PIN: refused, with the tries left before the lock.
    await typeOperatorPin(page, '999999');
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('あと4回');
    // The right one, on the keyboard this time.
    await page.keyboard.type(DEV_OPERATOR_PIN);
    await page.keyboard.press('Enter');
    await page.getByTestId('screen-operator').waitFor();
    await page.getByTestId('operator-overall').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('operator-centre').innerText()).toContain('接続可');
    expect(await page.getByTestId('operator-printer').innerText()).toMatch(/^(idle|processing)/);

    // English.
    await page.getByRole('button', { name: '表示言語を英語にする' }).click();
    await page.getByRole('heading', { name: 'Operator mode', level: 1 }).waitFor();

    // The self-tests, on the real parts.
    for (const [name, test, detail] of [
      ['Print a test page', 'printer', 'printed'],
      ['Test the card reader', 'reader', 'my-number-card'],
      ['Test the payment device', 'payment', 'online'],
    ] as const) {
      await page.getByRole('button', { name }).click();
      const line = page.getByTestId(`self-test-${test}`);
      await expect.poll(() => line.getAttribute('data-state'), { timeout: 60_000 }).not.toBe('running');
      expect(await line.innerText()).toBe(`${name}: pass (${detail})`);
    }

    // The log export: written, and nothing of the resident or the PINs in it.
    await page.getByRole('button', { name: 'Export the log (no personal data)' }).click();
    const exported = await page.getByTestId('operator-log-export').innerText();
    const file = /: (\/.+\.jsonl)$/.exec(exported)?.[1];
    expect(file).toBeDefined();
    const text = await readFile(file!, 'utf8');
    for (const secret of [DEV_OPERATOR_PIN, HOLDER_ROW!.authPin, HOLDER_ROW!.name])
      expect(text).not.toContain(secret);

    // Out of service: residents read the notice and cannot start.
    await page.getByRole('button', { name: 'Take out of service: maintenance' }).click();
    await expect
      .poll(() => page.getByTestId('operator-service-state').innerText())
      .toContain('Out of service since');
    await page.getByRole('button', { name: 'Leave operator mode' }).click();
    const notice = page.getByTestId('out-of-service-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toContain(ja.outOfServiceNotice.maintenance);
    expect(await page.getByTestId('start-button').count()).toBe(0);

    // Back in service from the out-of-service screen.
    await openOperatorMode(page);
    await typeOperatorPin(page, DEV_OPERATOR_PIN);
    await page.getByRole('button', { name: '稼働に戻す' }).click();
    await expect.poll(() => page.getByTestId('operator-service-state').innerText()).toBe('稼働中');
    await page.getByRole('button', { name: '係員モードを終了' }).click();
    await page.getByTestId('start-button').waitFor();
    expect(await page.getByTestId('start-button').isEnabled()).toBe(true);
  });
});
