/**
 * Starts `npm run phone -- --web --holder ID --world DIR --port 0` (the phone page served by a
 * centre on the world's database, with the card bridge to the holder's virtual card) and waits for
 * its first line, `Phone page: URL`.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from './run-command.ts';

export interface RunningPhoneWeb {
  url: string;
  stop(): Promise<void>;
}

export function startPhoneWeb(
  holderId: string,
  worldDir: string,
  timeoutMs = 90_000,
): Promise<RunningPhoneWeb> {
  const child = spawn(
    'npm',
    ['run', 'phone', '--', '--web', '--holder', holderId, '--world', worldDir, '--port', '0'],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
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
      reject(new Error(`npm run phone -- --web printed no URL in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run phone -- --web exited (${code}) before printing its URL\n${stderr}`));
    });
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const match = /^Phone page: (http:\/\/127\.0\.0\.1:\d+\/phone\/#bridge=\S+)$/.exec(line);
      if (match) resolve({ url: match[1] as string, stop });
      else {
        void stop();
        reject(new Error(`npm run phone -- --web's first line is not the page: ${line}`));
      }
    });
  });
}
