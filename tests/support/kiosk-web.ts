import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BRIDGE_KEY_PARAM } from '../../electron/web/bridge-messages.ts';
import { DEVELOPER_HEADER, DEVELOPER_PATH } from '../../electron/web/developer-controls.ts';
import { VpcdConnection } from '../../native/virtual-card/vpcd-connection.ts';
import { ensureDevWorld, openVirtualCard } from '../../scripts/dev/world.ts';
import { PROJECT_ROOT } from './run-command.ts';

export interface RunningKioskWeb {
  /** The page's URL, with this start's secret (the bridge refuses a page without it). */
  url: string;
  output: string[];
  stop(): Promise<void>;
  /** The developer panel's card controls: the holder's virtual card on the reader, or off it. */
  placeCard(): Promise<void>;
  removeCard(): Promise<void>;
}

/** Moves the virtual card through kiosk:web's developer routes, as the panel's buttons do. */
async function moveCard(url: string, action: 'place' | 'remove'): Promise<void> {
  const response = await fetch(new URL(`${DEVELOPER_PATH}/card/${action}`, url), {
    method: 'POST',
    // The developer routes take this start's secret, from the page's URL.
    headers: { [DEVELOPER_HEADER]: new URL(url).searchParams.get(BRIDGE_KEY_PARAM) ?? '' },
  });
  if (!response.ok) throw new Error(`kiosk:web refused to ${action} the card: ${response.status}`);
}

/**
 * Starts `npm run kiosk:web -- --demo-opening-hours args` (the tests run at any hour: opening hours
 * alone are judged on the demo clock) and waits for its first line,
 * `Kiosk: http://127.0.0.1:PORT/?key=SECRET`.
 */
export function startKioskWeb(args: string[], timeoutMs = 90_000): Promise<RunningKioskWeb> {
  const child: ChildProcess = spawn('npm', ['run', 'kiosk:web', '--', '--demo-opening-hours', ...args], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  // npm exits at once on SIGTERM; kiosk:web (its process group) then closes its parts and takes
  // its card off the reader: stopped means the whole group has gone (SIGKILL after 10 s), so the
  // next test file never meets this one's card on the reader.
  const stop = async () => {
    const group = child.pid;
    if (group === undefined || !signalGroup(group, 'SIGTERM')) return;
    const deadline = Date.now() + 10_000;
    let killed = false;
    while (signalGroup(group, 0)) {
      if (!killed && Date.now() > deadline) killed = signalGroup(group, 'SIGKILL');
      if (Date.now() > deadline + 5_000) throw new Error(`kiosk:web's processes outlived SIGKILL`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`kiosk:web printed no URL in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kiosk:web exited (${code}) before printing its URL\n${stderr}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output.push(line);
      if (output.length !== 1) return;
      clearTimeout(timer);
      const match = /^Kiosk: (http:\/\/127\.0\.0\.1:\d+\/\?key=[A-Za-z0-9_-]{32,})$/.exec(line);
      if (!match) {
        void stop();
        reject(new Error(`kiosk:web's first line is not the URL: ${line}`));
        return;
      }
      const url = match[1] as string;
      resolve({
        url,
        output,
        stop,
        placeCard: () => moveCard(url, 'place'),
        removeCard: () => moveCard(url, 'remove'),
      });
    });
  });
}

/** The payment simulator's developer panel that kiosk:web started (from its list of parts). */
export async function paymentPanelUrl(kiosk: RunningKioskWeb, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const line of kiosk.output) {
      const match = /developer panel (http:\/\/127\.0\.0\.1:\d+\/)/.exec(line);
      if (match) return match[1] as string;
    }
    if (Date.now() > deadline)
      throw new Error(`kiosk:web named no payment panel:\n${kiosk.output.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Puts money into the slot as a developer does in kiosk:web: once the page shows the slot open,
 * a coin or note from the payment simulator's developer panel (never through the kiosk page).
 */
export async function insertFromPanel(
  page: Page,
  kiosk: RunningKioskWeb,
  yen: 10 | 50 | 100 | 500 | 1000,
): Promise<void> {
  await page.locator('[data-testid="slot"][data-open="true"]').waitFor({ timeout: 30_000 });
  // The panel is another window (its own context: a page opened with browser.newPage() cannot
  // open a second page in its context).
  const browser = page.context().browser();
  if (!browser) throw new Error('the kiosk page has no browser to open the payment panel in');
  const panelContext = await browser.newContext();
  try {
    const panel = await panelContext.newPage();
    await panel.goto(await paymentPanelUrl(kiosk));
    await panel.getByTestId(`sim-insert-${yen}`).click();
    await panel.getByText('last insert: accepted').waitFor();
  } finally {
    await panelContext.close();
  }
}

/** Pays on the payment screen with a 1000円 note from the payment simulator's panel. */
export function payWithNoteFromPanel(page: Page, kiosk: RunningKioskWeb): Promise<void> {
  return insertFromPanel(page, kiosk, 1000);
}

/** Another resident's virtual card on kiosk:web's reader, put there by the test. */
export interface OtherCard {
  holderId: string;
  /** Takes it off the reader. */
  remove(): Promise<void>;
}

/**
 * Takes kiosk:web's own card off the reader and puts another holder's card of the same test world
 * on it, as the next resident would: the test connects that card to the vpcd reader kiosk:web
 * named in its list of parts. The host reads whatever card is on the reader; kiosk:web's own
 * card goes back with `kiosk.placeCard()` once this one is removed.
 */
export async function placeOtherCard(
  kiosk: RunningKioskWeb,
  worldDir: string,
  holderId: string,
): Promise<OtherCard> {
  const port = kiosk.output
    .map((line) => /vpcd virtual reader \(TCP (\d+)\)/.exec(line)?.[1])
    .find((found) => found !== undefined);
  if (!port) throw new Error(`kiosk:web named no vpcd reader:\n${kiosk.output.join('\n')}`);
  const card = await openVirtualCard(await ensureDevWorld(worldDir), holderId);
  if (!('transmit' in card)) throw new Error(`no test card for ${holderId}: ${card.kind}`);
  await kiosk.removeCard();
  const connection = new VpcdConnection(card, { port: Number(port) });
  const inserted = await connection.insert({ timeoutMs: 10_000 });
  if (inserted.kind !== 'inserted') {
    await connection.remove();
    throw new Error(`vpcd did not take ${holderId}'s card: ${inserted.detail}`);
  }
  return { holderId, remove: () => connection.remove() };
}

/** Sends a signal to every process of this process group; false when none lives. */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Debian's chromium, headless, driven by playwright-core (Playwright's own browser download fails
 * here). `extraArgs`: more switches (the phone page's fake camera).
 */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', ...extraArgs],
  });
}
