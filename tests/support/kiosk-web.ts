import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chromium, type Browser } from 'playwright-core';
import { DEVELOPER_HEADER, DEVELOPER_PATH } from '../../electron/web/developer-controls.ts';
import { PROJECT_ROOT } from './run-command.ts';

export interface RunningKioskWeb {
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
    headers: { [DEVELOPER_HEADER]: '1' },
  });
  if (!response.ok) throw new Error(`kiosk:web refused to ${action} the card: ${response.status}`);
}

/** Starts `npm run kiosk:web -- args` and waits for its first line, `Kiosk: http://127.0.0.1:PORT/`. */
export function startKioskWeb(args: string[], timeoutMs = 90_000): Promise<RunningKioskWeb> {
  const child: ChildProcess = spawn('npm', ['run', 'kiosk:web', '--', ...args], {
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
      const match = /^Kiosk: (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(line);
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

/** Debian's chromium, headless, driven by playwright-core (Playwright's own browser download fails here). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
