/**
 * `npx tsx scripts/screenshots.ts`: screenshots of the real kiosk (host + renderer, in-process
 * virtual card, spool printer) in Debian's chromium, written to assets/screenshots/ for the README.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startKioskWebServer } from '../electron/web/kiosk-web-server.ts';
import { ensureRendererBuilt } from './dev/renderer-build.ts';
import { defaultWorldDir, startDevStack } from './dev/stack.ts';
import { cliLogger, PROJECT_ROOT } from './cli-common.ts';

async function main(): Promise<void> {
  const outDir = join(PROJECT_ROOT, 'assets', 'screenshots');
  await mkdir(outDir, { recursive: true });
  const spool = await mkdtemp(join(tmpdir(), 'kiosk-shots-'));
  const rendererDir = await ensureRendererBuilt(PROJECT_ROOT, { rebuild: true });
  const stack = await startDevStack({
    demoOpeningHours: true,
    worldDir: defaultWorldDir(PROJECT_ROOT),
    outputDir: spool,
    logger: cliLogger(),
    holderId: 'H0001',
    card: 'in-process',
    printer: 'spool',
  });
  const web = await startKioskWebServer({ host: stack.host, rendererDir });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(web.url);
    await page.getByTestId('screen-welcome').waitFor();
    await page.screenshot({ path: join(outDir, 'kiosk-welcome.png') });
    await page.getByTestId('start-button').click();
    await page.getByTestId('screen-pin-entry').waitFor();
    for (const digit of '12') await page.getByTestId(`pin-key-${digit}`).click();
    await page.screenshot({ path: join(outDir, 'kiosk-pin-entry.png') });
    for (const digit of '34') await page.getByTestId(`pin-key-${digit}`).click();
    await page.getByTestId('pin-submit').click();
    await page.getByTestId('screen-menu').waitFor();
    await page.screenshot({ path: join(outDir, 'kiosk-menu.png') });
    await page.getByTestId('cancel-button').click();
    await page.getByTestId('cancel-dialog-confirm').click();
    await page.getByTestId('screen-error').waitFor();
    await page.getByTestId('finish-button').click();
    await page.getByTestId('screen-welcome').waitFor();
    console.log(`screenshots in ${outDir}`);
  } finally {
    await browser.close();
    await web.close();
    await stack.close();
    await rm(spool, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
