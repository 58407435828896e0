import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BRIDGE_KEY_PARAM } from '../../electron/web/bridge-messages.ts';
import { DEVELOPER_HEADER, DEVELOPER_PATH } from '../../electron/web/developer-controls.ts';
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
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(-child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
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
 * Pays on the payment screen as a developer does in kiosk:web: once the page shows the slot open,
 * a 1000円 note from the payment simulator's developer panel (never through the kiosk page).
 */
export async function payWithNoteFromPanel(page: Page, kiosk: RunningKioskWeb): Promise<void> {
  await page.locator('[data-testid="slot"][data-open="true"]').waitFor({ timeout: 30_000 });
  // The panel is another window (its own context: a page opened with browser.newPage() cannot
  // open a second page in its context).
  const browser = page.context().browser();
  if (!browser) throw new Error('the kiosk page has no browser to open the payment panel in');
  const panelContext = await browser.newContext();
  try {
    const panel = await panelContext.newPage();
    await panel.goto(await paymentPanelUrl(kiosk));
    await panel.getByTestId('sim-insert-1000').click();
    await panel.getByText('last insert: accepted').waitFor();
  } finally {
    await panelContext.close();
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
