/**
 * `npx tsx scripts/screenshots-operator.ts`: the gallery of the other two users — the store
 * operator's screens on the kiosk (the PIN, the status in Japanese and English, the self-tests,
 * out of service as residents see it) and the centre's web console (the operator's fleet view,
 * a municipality's usage chart). All from the real parts: the reference centre with mutual TLS
 * and its console, the kiosk host and renderer (in-process virtual card, the payment simulator,
 * ippeveprinter when installed) in Debian's chromium. The kiosk takes one real 住民票 first, so
 * the counts and the usage chart have something to show, and its own heartbeat fills the fleet
 * view. Written to assets/screenshots/ (PNG, 1280×800 drawn at 960×600) with the page
 * assets/screenshots/operator-and-console.md, which the gallery links.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEV_OPERATOR_PIN } from '../electron/host/operator-pin-file.ts';
import { startKioskWebServer } from '../electron/web/kiosk-web-server.ts';
import { startCentre } from '../server/centre.ts';
import { seedDevelopmentUsers, type DevelopmentUser } from '../server/console/dev-users.ts';
import { loadSeedWorld } from '../server/seed/index.ts';
import { cliLogger, PROJECT_ROOT } from './cli-common.ts';
import { demoOpeningHoursClock } from './dev/clock.ts';
import { ensureRendererBuilt } from './dev/renderer-build.ts';
import { liveResponderPolicy, startWorldRevocation } from './dev/revocation.ts';
import { defaultWorldDir, startDevStack, type RunningStack } from './dev/stack.ts';
import { centreOptionsFor, centreTlsFor, ensureDevWorld } from './dev/world.ts';

const OUT_DIR = join(PROJECT_ROOT, 'assets', 'screenshots');
const VIEWPORT = { width: 1280, height: 800 };
const CHIYODA = '131016';

interface Shot {
  file: string;
  caption: string;
}

/** Every scrolled box back at its top (a click on a key scrolls the kiosk's screen to the key). */
async function scrollToTop(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.scrollTo(0, 0);
    for (const element of document.querySelectorAll('*')) element.scrollTop = 0;
  });
}

async function shoot(page: Page, shots: Shot[], file: string, caption: string): Promise<void> {
  await page.waitForTimeout(300); // transitions settle
  await page.screenshot({ path: join(OUT_DIR, file), fullPage: false });
  shots.push({ file, caption });
}

async function openOperatorMode(page: Page): Promise<void> {
  await page.keyboard.press('Control+Alt+Shift+O');
  await page.keyboard.press('Control+Alt+Shift+O');
  await page.getByRole('heading', { name: '係員モード' }).waitFor();
}

async function typeOperatorPin(page: Page, pin: string): Promise<void> {
  for (const digit of pin) await page.getByRole('button', { name: `数字 ${digit}`, exact: true }).click();
}

/** One whole 住民票 at the kiosk, paid at the simulator's slot: counts and usage then show it. */
async function oneTransaction(page: Page, stack: RunningStack): Promise<void> {
  await page.getByTestId('screen-welcome').waitFor();
  await page.getByTestId('start-button').click();
  await page.getByTestId('screen-pin-entry').waitFor();
  for (const digit of '1234') await page.getByTestId(`pin-key-${digit}`).click();
  await page.getByTestId('pin-submit').click();
  await page.getByTestId('screen-menu').waitFor({ timeout: 30_000 });
  await page.getByTestId('menu-item-juminhyo').click();
  await page.getByTestId('screen-confirm').waitFor();
  await page.getByTestId('confirm-button').click();
  await page.locator('[data-testid="slot"][data-open="true"]').waitFor({ timeout: 30_000 });
  await stack.insertMoney(1000);
  await page.getByTestId('screen-done').waitFor({ timeout: 60_000 });
  await page.getByTestId('finish-button').click();
  await page.getByTestId('screen-welcome').waitFor();
}

async function operatorScreens(page: Page, stack: RunningStack, shots: Shot[]): Promise<void> {
  await oneTransaction(page, stack);
  await openOperatorMode(page);
  await typeOperatorPin(page, DEV_OPERATOR_PIN.slice(0, 3));
  await scrollToTop(page);
  await shoot(
    page,
    shots,
    'operator-pin.png',
    '係員モード: the operator PIN (digits go to the host, the page shows dots)',
  );
  await typeOperatorPin(page, DEV_OPERATOR_PIN.slice(3));
  await page.getByRole('button', { name: '確定' }).click();
  await page.getByTestId('screen-operator').waitFor();
  await page.getByTestId('operator-overall').waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: '入金機確認' }).click();
  await page
    .locator('[data-testid="self-test-payment"]:not([data-state="running"])')
    .waitFor({ timeout: 60_000 });
  await shoot(
    page,
    shots,
    'operator-tools-ja.png',
    'self-tests (one passed), log export, the out-of-service switch',
  );
  await scrollToTop(page);
  await shoot(
    page,
    shots,
    'operator-status-ja.png',
    'status: readers, printer, payment device, centre link, disk, versions',
  );
  await page.getByRole('button', { name: '表示言語を英語にする' }).click();
  await page.getByRole('heading', { name: 'Operator mode', level: 1 }).waitFor();
  await shoot(page, shots, 'operator-status-en.png', 'the same in English');
  await page.getByTestId('operator-counts').scrollIntoViewIfNeeded();
  await shoot(
    page,
    shots,
    'operator-counts-en.png',
    'today’s counts (one 住民票 issued before) and the journal’s refunds and left-behinds',
  );
  await page.getByRole('button', { name: 'Take out of service: maintenance' }).click();
  await page.getByTestId('operator-service-state').filter({ hasText: 'Out of service since' }).waitFor();
  await page.getByRole('button', { name: 'Leave operator mode' }).click();
  await page.getByTestId('out-of-service-notice').waitFor();
  await shoot(page, shots, 'operator-out-of-service.png', 'out of service: what residents see');
  await openOperatorMode(page);
  await typeOperatorPin(page, DEV_OPERATOR_PIN);
  await page.getByRole('button', { name: '確定' }).click();
  await page.getByRole('button', { name: '稼働に戻す' }).click();
  await page.getByTestId('operator-service-state').filter({ hasText: '稼働中' }).waitFor();
  await page.getByRole('button', { name: '係員モードを終了' }).click();
  await page.getByTestId('start-button').waitFor();
}

async function signIn(browser: Browser, consoleUrl: string, user: DevelopmentUser): Promise<Page> {
  const page = await (await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 0.75 })).newPage();
  await page.goto(consoleUrl);
  await page.getByLabel('利用者名').fill(user.login);
  await page.getByLabel('パスワード').fill(user.password);
  await page.getByRole('button', { name: 'サインイン' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
  return page;
}

async function consoleScreens(
  browser: Browser,
  consoleUrl: string,
  users: DevelopmentUser[],
  shots: Shot[],
): Promise<void> {
  const find = (role: DevelopmentUser['role'], scope: string) => {
    const user = users.find((u) => u.role === role && u.municipalityCode === scope);
    if (!user) throw new Error(`no development user ${role}@${scope}`);
    return user;
  };
  const operator = await signIn(browser, consoleUrl, find('operator', 'centre'));
  await operator.getByRole('heading', { level: 1 }).first().waitFor();
  await shoot(
    operator,
    shots,
    'console-fleet.png',
    'the centre operator’s fleet view: kiosks by store, status, alerts',
  );
  const viewer = await signIn(browser, consoleUrl, find('viewer', CHIYODA));
  await viewer.goto(new URL(`/console/m/${CHIYODA}/usage`, consoleUrl).href);
  await viewer.getByRole('heading', { level: 1 }).first().waitFor();
  await shoot(
    viewer,
    shots,
    'console-usage.png',
    'a municipality’s usage by certificate type and month (chart, CSV)',
  );
}

/** The page's order: how an operator meets the screens, then the console. */
const PAGE_ORDER = [
  'operator-pin.png',
  'operator-status-ja.png',
  'operator-status-en.png',
  'operator-counts-en.png',
  'operator-tools-ja.png',
  'operator-out-of-service.png',
  'console-fleet.png',
  'console-usage.png',
];

function galleryPage(taken: Shot[]): string {
  const rank = (shot: Shot) => PAGE_ORDER.indexOf(shot.file);
  const shots = [...taken].sort((a, b) => rank(a) - rank(b));
  return [
    '# The store operator’s and the municipality’s screens',
    '',
    'Made by `npx tsx scripts/screenshots-operator.ts` from the real parts: the reference centre',
    '(mutual TLS) with its console, the kiosk host and renderer, the payment simulator, in Debian’s',
    'chromium. The kiosk issues one 住民票 first; the fleet view shows its own signed heartbeat.',
    '',
    ...shots.flatMap((shot) => [`**${shot.caption}**`, '', `![${shot.caption}](${shot.file})`, '']),
  ].join('\n');
}

async function main(): Promise<void> {
  const spool = await mkdtemp(join(tmpdir(), 'kiosk-shots-operator-'));
  const rendererDir = await ensureRendererBuilt(PROJECT_ROOT, { rebuild: true });
  const world = await ensureDevWorld(defaultWorldDir(PROJECT_ROOT));
  const revocation = await startWorldRevocation(world, () => new Date());
  const centre = await startCentre({
    ...centreOptionsFor(world),
    tls: centreTlsFor(world),
    databasePath: join(spool, 'centre.sqlite'),
    revocation: liveResponderPolicy(revocation),
    world: loadSeedWorld(),
    logger: false,
    console: { port: 0 },
    openingHoursNow: demoOpeningHoursClock().openingHoursNow,
  });
  const closers: Array<() => Promise<unknown>> = [() => revocation.close(), () => centre.close()];
  try {
    if (!centre.consoleUrl) throw new Error('the console did not start');
    const users = await seedDevelopmentUsers(
      centre.centre.consoleStore,
      [CHIYODA],
      'development',
      Date.now(),
    );
    const stack = await startDevStack({
      worldDir: world.dir,
      centreUrl: centre.url,
      outputDir: join(spool, 'printed'),
      journalPath: join(spool, 'journal.sqlite'),
      logger: cliLogger(),
      holderId: 'H0001',
      card: 'in-process',
      printer: 'auto',
    });
    closers.unshift(() => stack.close());
    const web = await startKioskWebServer({ host: stack.host, rendererDir });
    closers.unshift(() => web.close());
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    closers.unshift(() => browser.close());
    const shots: Shot[] = [];
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 0.75 });
    const page = await context.newPage();
    await page.goto(web.url);
    await operatorScreens(page, stack, shots);
    // The kiosk's first heartbeat went at start; wait until the centre holds it.
    const deadline = Date.now() + 30_000;
    while ((await centre.centre.fleet.latestTerminalHealth()).length === 0) {
      if (Date.now() > deadline) throw new Error('no heartbeat reached the centre');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await consoleScreens(browser, centre.consoleUrl, users, shots);
    await writeFile(join(OUT_DIR, 'operator-and-console.md'), galleryPage(shots));
    let bytes = 0;
    for (const shot of shots) bytes += (await stat(join(OUT_DIR, shot.file))).size;
    console.log(`${shots.length} screenshots (${Math.round(bytes / 1024)} KiB) and their page in ${OUT_DIR}`);
  } finally {
    for (const close of closers) await close().catch(() => undefined);
    await rm(spool, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
