/**
 * The PIN reset through both steps, as a resident who forgot the 署名用 PIN does it, in Debian's
 * chromium (accessible names): step 1 on the phone page (`npm run phone -- --web`: the card
 * through the development card bridge, the 4-digit PIN, a selfie from Chromium's fake camera fed
 * the holder's test selfie — the one `npm run card -- --selfie` writes — as Y4M) yields the one-time
 * password, after another person's photo (chosen with the file input) was refused in words; step 2 at the kiosk (kiosk:web, whose centre shares the world's database) walks
 * 暗証番号の初期化・再設定 → 署名用 → card → 4-digit PIN → the password → the new PIN twice → done. Then the
 * card itself, through the JPKI client, refuses the old signing PIN and accepts the new one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isCardError } from '../../native/card-transport.ts';
import { JpkiClient } from '../../native/jpki/jpki-client.ts';
import { InProcessCardReader } from '../../native/virtual-card/in-process-reader.ts';
import { impostorSelfieJpeg, selfieJpeg } from '../../scripts/dev/test-faces.ts';
import { ensureDevWorld, openVirtualCard } from '../../scripts/dev/world.ts';
import { cardListRows } from '../../server/seed/index.ts';
import { writeY4mFromImage } from '../support/fake-camera.ts';
import { launchChromium, startKioskWeb, type RunningKioskWeb } from '../support/kiosk-web.ts';
import { startPhoneWeb, type RunningPhoneWeb } from '../support/phone-web.ts';

// A holder with a face on the card whose signing PIN no other test uses.
const HOLDER = 'H0005';
const ROW = cardListRows().find((row) => row.holderId === HOLDER);
const NEW_SIGNING_PIN = 'NEWPIN2026';

async function signingPinVerdicts(worldDir: string, pins: string[]): Promise<string[]> {
  const card = await openVirtualCard(await ensureDevWorld(worldDir), HOLDER);
  if (!('transmit' in card)) throw new Error(card.kind);
  const reader = new InProcessCardReader();
  reader.insert(card);
  const session = await reader.connect();
  if (isCardError(session)) throw new Error(session.kind);
  try {
    const client = new JpkiClient(session.transport);
    const verdicts: string[] = [];
    for (const pin of pins)
      verdicts.push((await client.verifySigningPin(Uint8Array.from(Buffer.from(pin, 'ascii')))).kind);
    return verdicts;
  } finally {
    await session.close();
    await reader.close();
  }
}

async function pressKeys(page: Page, labels: string[]): Promise<void> {
  for (const name of labels) await page.getByRole('button', { name, exact: true }).click();
}

describe('PIN reset: phone page, then kiosk', () => {
  let dir: string;
  let kiosk: RunningKioskWeb;
  let phone: RunningPhoneWeb;
  let browser: Browser;
  let impostor: Uint8Array;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-e2e-pin-reset-'));
    const camera = join(dir, 'selfie.y4m');
    const selfie = await selfieJpeg(HOLDER, 1);
    const other = await impostorSelfieJpeg(HOLDER);
    if (!selfie || !other) throw new Error(`no test face for ${HOLDER}`);
    impostor = other;
    await writeY4mFromImage(selfie, camera);
    const chromium = launchChromium([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${camera}`,
    ]);
    kiosk = await startKioskWeb([
      '--holder',
      HOLDER,
      '--world',
      inject('worldDir'),
      '--out',
      join(dir, 'printed'),
      '--card',
      'in-process',
      '--printer',
      'spool',
    ]);
    // After the kiosk's centre, not beside it: two centres starting at once on a world nobody
    // has started yet would both make the municipalities' first seal keys on the one token.
    phone = await startPhoneWeb(HOLDER, inject('worldDir'));
    browser = await chromium;
  });

  afterAll(async () => {
    await browser?.close();
    await phone?.stop();
    await kiosk?.stop();
    // The card's PINs back to the factory state for the other tests (`npm run card -- --reset`).
    await rm(join(inject('worldDir'), 'card-state', `${HOLDER}.state.json`), { force: true });
    await rm(dir, { recursive: true, force: true });
  });

  it('the phone’s face check refuses an impostor and gives the holder a password; the kiosk sets the new signing PIN with it', async () => {
    if (!ROW) throw new Error(`${HOLDER} is not in the seed`);

    // Step 1: the phone page.
    const phonePage = await browser.newPage({ viewport: { width: 420, height: 900 } });
    await phonePage.goto(phone.url);
    await phonePage.getByText('照合番号Bは、開発用のテスト用カードから読み取ります').waitFor();
    const pinField = phonePage.getByLabel('利用者証明用電子証明書の暗証番号（数字4桁）');
    // Another person's photo, through the file input (the fallback without a camera): refused in words.
    await pinField.fill(ROW.authPin);
    await phonePage.getByLabel('写真を選ぶ（カメラを使えないとき）').setInputFiles({
      name: 'impostor.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from(impostor),
    });
    await phonePage.getByRole('button', { name: '送信する' }).click();
    await expect
      .poll(() => phonePage.getByRole('alert').innerText(), { timeout: 60_000 })
      .toContain('撮影した顔と、カードの顔写真が一致しませんでした');
    // The field is emptied as soon as the PIN is read.
    expect(await pinField.inputValue()).toBe('');

    // The holder's own face, from the camera.
    await pinField.fill(ROW.authPin);
    await phonePage.getByRole('button', { name: '撮り直す' }).click();
    await phonePage.getByRole('button', { name: '撮影する' }).click();
    await phonePage.getByRole('img', { name: '撮影した顔写真' }).waitFor();
    await phonePage.getByRole('button', { name: '送信する' }).click();
    // When the check does not pass, the failure says what the page said instead (an alert in words).
    await phonePage
      .getByRole('heading', { name: '本人確認ができました' })
      .waitFor({ timeout: 60_000 })
      .catch(async (error: unknown) => {
        const alerts = await phonePage.getByRole('alert').allInnerTexts();
        throw new Error(`no 本人確認ができました; the page's alerts: ${JSON.stringify(alerts)}`, {
          cause: error,
        });
      });
    expect(await pinField.inputValue()).toBe('');
    const password = (await phonePage.getByLabel('ワンタイムパスワード').innerText()).trim();
    expect(password).toMatch(/^[0-9]{8}$/);
    expect(await phonePage.getByText(/有効期限：.*（日本時間）まで（1回限り）/).count()).toBe(1);
    await phonePage.close();

    // Step 2: the kiosk.
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(kiosk.url);
    await page.getByRole('button', { name: '暗証番号の初期化・再設定' }).click();
    await page.getByRole('button', { name: '署名用の暗証番号（英数字6〜16文字）' }).click();
    await page.getByRole('button', { name: '数字 1', exact: true }).waitFor({ timeout: 30_000 });
    await pressKeys(
      page,
      [...ROW.authPin].map((digit) => `数字 ${digit}`),
    );
    await page.getByRole('button', { name: '確定' }).click();
    await page.getByRole('heading', { name: 'ワンタイムパスワード（数字8桁）を入力してください' }).waitFor({
      timeout: 30_000,
    });
    await pressKeys(
      page,
      [...password].map((digit) => `数字 ${digit}`),
    );
    await page.getByRole('button', { name: '確定' }).click();
    await page.getByRole('heading', { name: '新しい署名用の暗証番号を入力してください' }).waitFor();
    await pressKeys(
      page,
      [...NEW_SIGNING_PIN].map((char) => `文字 ${char}`),
    );
    await page.getByRole('button', { name: '確定' }).click();
    await page.getByRole('heading', { name: '確認のため、もう一度入力してください' }).waitFor();
    await pressKeys(
      page,
      [...NEW_SIGNING_PIN].map((char) => `文字 ${char}`),
    );
    await page.getByRole('button', { name: '確定' }).click();
    await page.getByRole('heading', { name: '署名用の暗証番号を設定しました' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: '終了' }).click();
    await page.close();

    // The card: the old signing PIN refused, the new one accepted.
    expect(await signingPinVerdicts(inject('worldDir'), [ROW.signingPin, NEW_SIGNING_PIN])).toEqual([
      'wrong',
      'ok',
    ]);
  });
});
