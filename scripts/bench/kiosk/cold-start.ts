/**
 * Cold start as a shop sees it: `kiosk:web` started as a new process (tsx scripts/kiosk-web.ts,
 * the host composed with its centre, reader, printer, payment simulator and journal) until the
 * welcome screen is on the page in Chromium. Chromium is started first and not counted (in the
 * shop the window opens with the host); the printer is the spool folder, so a printer's own start
 * is not counted either. The journal and printed files go to a temporary folder.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser } from 'playwright-core';
import { PROJECT_ROOT } from '../../cli-common.ts';

export interface ColdStartResult {
  /** Process spawned → the page's URL printed (the host ready to serve). */
  toUrlMs: number;
  /** Process spawned → the welcome screen shown in Chromium. */
  toWelcomeMs: number;
}

const URL_LINE = /^Kiosk: (http:\/\/127\.0\.0\.1:\d+\/\?key=\S+)$/;

export async function measureColdStart(
  browser: Browser,
  options: { worldDir: string; holderId: string; timeoutMs?: number },
): Promise<ColdStartResult> {
  const work = await mkdtemp(join(tmpdir(), 'kiosk-bench-cold-'));
  const started = performance.now();
  const child = spawn(
    join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'),
    [
      join(PROJECT_ROOT, 'scripts', 'kiosk-web.ts'),
      '--demo-opening-hours',
      '--holder',
      options.holderId,
      '--world',
      options.worldDir,
      '--out',
      join(work, 'printed'),
      '--card',
      'in-process',
      '--printer',
      'spool',
    ],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, KIOSK_JOURNAL: join(work, 'journal.sqlite'), KIOSK_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`kiosk:web printed no URL in time\n${stderr}`)),
        options.timeoutMs ?? 120_000,
      );
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`kiosk:web exited (${code}) before printing its URL\n${stderr}`));
      });
      createInterface({ input: child.stdout }).on('line', (line) => {
        const match = URL_LINE.exec(line);
        if (!match) return;
        clearTimeout(timer);
        resolve(match[1] as string);
      });
    });
    const toUrlMs = performance.now() - started;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(url);
      await page.getByTestId('screen-welcome').waitFor({ timeout: 60_000 });
      return { toUrlMs, toWelcomeMs: performance.now() - started };
    } finally {
      await page.close();
    }
  } finally {
    if (child.exitCode === null && child.pid !== undefined) {
      process.kill(-child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(work, { recursive: true, force: true });
  }
}
