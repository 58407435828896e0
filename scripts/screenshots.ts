/**
 * `npx tsx scripts/screenshots.ts`: the screen gallery — every screen of the path in Japanese and
 * in Vietnamese, and the menu with its time-limit countdown, in high contrast and with larger
 * text — from the real kiosk (host + renderer, in-process virtual card, spool printer, the
 * payment simulator's credit) in Debian's chromium. Written to assets/screenshots/ as small JPEGs
 * (800×500) with the gallery page assets/screenshots/README.md, which the README links; the two
 * PNGs at the top of the README are kept.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { Language } from '../electron/kiosk-api.ts';
import { startKioskWebServer } from '../electron/web/kiosk-web-server.ts';
import { ensureRendererBuilt } from './dev/renderer-build.ts';
import { defaultWorldDir, startDevStack, type RunningStack } from './dev/stack.ts';
import { cliLogger, PROJECT_ROOT } from './cli-common.ts';

const OUT_DIR = join(PROJECT_ROOT, 'assets', 'screenshots');
/** The menu's limit is shortened so that its countdown (last 20 s) can be shown. */
const MENU_LIMIT_MS = 26_000;

interface Shot {
  file: string;
  caption: string;
}

async function shoot(page: Page, shots: Shot[], file: string, caption: string): Promise<void> {
  await page.waitForTimeout(300); // transitions settle
  await page.screenshot({ path: join(OUT_DIR, file), type: 'jpeg', quality: 72 });
  shots.push({ file, caption });
}

/** One resident's walk in one language: every screen on the way, then 中止 on a second visit. */
async function walk(page: Page, stack: RunningStack, language: Language, shots: Shot[]): Promise<void> {
  const shot = (name: string, caption: string) => shoot(page, shots, `${language}-${name}.jpg`, caption);
  await page.getByTestId('screen-welcome').waitFor();
  await page.getByTestId(`language-${language}`).click();
  await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
  await shot('welcome', 'welcome');
  await page.getByTestId('start-button').click();
  await page.getByTestId('screen-pin-entry').waitFor();
  for (const digit of '12') await page.getByTestId(`pin-key-${digit}`).click();
  await page.locator('.pin-dot--filled').nth(1).waitFor();
  await shot('pin-entry', 'PIN entry (two digits entered)');
  for (const digit of '34') await page.getByTestId(`pin-key-${digit}`).click();
  await page.getByTestId('pin-submit').click();
  await page.getByTestId('screen-menu').waitFor();
  await shot('menu', 'menu');
  await page.getByTestId('time-limit').waitFor({ timeout: MENU_LIMIT_MS });
  await shot('time-limit', 'the time limit’s countdown with 延長する');
  await page.getByTestId('extend-time').click();
  await page.getByTestId('time-limit').waitFor({ state: 'detached' });
  if (language === 'ja') {
    await page.getByTestId('display-contrast').click();
    await shot('high-contrast', 'high contrast');
    await page.getByTestId('display-contrast').click();
    await page.getByTestId('display-large-text').click();
    await shot('large-text', 'larger text');
    await page.getByTestId('display-large-text').click();
  }
  await page.getByTestId('menu-item-juminhyo').click();
  await page.getByTestId('screen-confirm').waitFor();
  await shot('confirm', 'confirm (住民票: whose entries, 本籍, 続柄)');
  await page.getByTestId('confirm-button').click();
  await page.locator('[data-testid="slot"][data-open="true"]').waitFor({ timeout: 30_000 });
  await shot('payment', 'payment');
  await stack.insertMoney(1000);
  await page.getByTestId('screen-done').waitFor({ timeout: 60_000 });
  await shot('done', 'done (change and the card reminder)');
  await page.getByTestId('finish-button').click();
  await page.getByTestId('screen-welcome').waitFor();
  await page.getByTestId(`language-${language}`).click();
  await page.getByTestId('start-button').click();
  await page.getByTestId('screen-pin-entry').waitFor();
  await page.getByTestId('cancel-button').click();
  await page.getByTestId('cancel-dialog').waitFor();
  await shot('cancel-dialog', 'お手続きを中止しますか？');
  await page.getByTestId('cancel-dialog-confirm').click();
  await page.getByTestId('screen-error').waitFor();
  await shot('cancelled', 'cancelled (a calm end, not an error)');
  await page.getByTestId('finish-button').click();
  await page.getByTestId('screen-welcome').waitFor();
}

function galleryPage(shots: Shot[]): string {
  const byName = new Map<string, Partial<Record<Language, Shot>>>();
  for (const shot of shots) {
    const [language, ...rest] = shot.file.replace(/\.jpg$/, '').split('-');
    const name = rest.join('-');
    byName.set(name, { ...byName.get(name), [language as Language]: shot });
  }
  const cell = (shot: Shot | undefined) => (shot ? `![${shot.caption}](${shot.file})` : '');
  return [
    '# The kiosk’s screens',
    '',
    'Made by `npx tsx scripts/screenshots.ts` from the real kiosk (host, renderer, virtual card,',
    'reference centre, spool printer) in Debian’s chromium: each screen in Japanese and Vietnamese.',
    'The store operator’s screens and the municipal console: [operator-and-console.md](operator-and-console.md)',
    '(`scripts/screenshots-operator.ts`).',
    '',
    '| screen | 日本語 | Tiếng Việt |',
    '|---|---|---|',
    ...[...byName.entries()].map(
      ([name, row]) => `| ${(row.ja ?? row.vi)?.caption ?? name} | ${cell(row.ja)} | ${cell(row.vi)} |`,
    ),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  await mkdir(OUT_DIR, { recursive: true });
  const spool = await mkdtemp(join(tmpdir(), 'kiosk-shots-'));
  const journalDir = await mkdtemp(join(tmpdir(), 'kiosk-shots-journal-'));
  const rendererDir = await ensureRendererBuilt(PROJECT_ROOT, { rebuild: true });
  const stack = await startDevStack({
    demoOpeningHours: true,
    worldDir: defaultWorldDir(PROJECT_ROOT),
    outputDir: spool,
    journalPath: join(journalDir, 'journal.sqlite'),
    logger: cliLogger(),
    holderId: 'H0001',
    card: 'in-process',
    printer: 'spool',
    timeouts: { menuIdleMs: MENU_LIMIT_MS },
  });
  const web = await startKioskWebServer({ host: stack.host, rendererDir });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    // The README's two PNGs, full size.
    const full = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await full.goto(web.url);
    await full.getByTestId('screen-welcome').waitFor();
    await full.screenshot({ path: join(OUT_DIR, 'kiosk-welcome.png') });
    await full.getByTestId('start-button').click();
    await full.getByTestId('screen-pin-entry').waitFor();
    for (const digit of '12') await full.getByTestId(`pin-key-${digit}`).click();
    await full.screenshot({ path: join(OUT_DIR, 'kiosk-pin-entry.png') });
    await full.getByTestId('cancel-button').click();
    await full.getByTestId('cancel-dialog-confirm').click();
    await full.getByTestId('finish-button').click();
    await full.getByTestId('screen-welcome').waitFor();
    await full.close();

    // The gallery: 1280×800 screens drawn at 800×500, small JPEGs.
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      deviceScaleFactor: 0.625,
    });
    const page = await context.newPage();
    await page.goto(web.url);
    const shots: Shot[] = [];
    for (const language of ['ja', 'vi'] as const) await walk(page, stack, language, shots);
    await writeFile(join(OUT_DIR, 'README.md'), galleryPage(shots));
    let bytes = 0;
    for (const shot of shots) bytes += (await stat(join(OUT_DIR, shot.file))).size;
    console.log(
      `${shots.length} screenshots (${Math.round(bytes / 1024)} KiB) and the gallery in ${OUT_DIR}`,
    );
  } finally {
    await browser.close();
    await web.close();
    await stack.close();
    await rm(spool, { recursive: true, force: true });
    await rm(journalDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
