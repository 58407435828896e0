/**
 * HAProxy (Debian `haproxy`) in front of several centres, TLS passed through (mode tcp): each
 * kiosk's TLS session ends at a centre, which still sees the terminal certificate. Round robin,
 * health checks every 500 ms, a connection that cannot reach its centre is sent to another.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isListening } from '../system/services.ts';

export const HAPROXY = '/usr/sbin/haproxy';

export function haproxyConfig(listenPort: number, centrePorts: readonly number[]): string {
  return [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode tcp',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  retries 3',
    '  option redispatch',
    'frontend kiosks',
    `  bind 127.0.0.1:${listenPort}`,
    '  default_backend centres',
    'backend centres',
    '  balance roundrobin',
    ...centrePorts.map(
      (port, i) => `  server centre${i + 1} 127.0.0.1:${port} check inter 500ms fall 2 rise 1`,
    ),
    '',
  ].join('\n');
}

export interface RunningHaproxy {
  url: string;
  stop(): Promise<void>;
}

export async function startHaproxy(opts: {
  dir: string;
  listenPort: number;
  centrePorts: readonly number[];
}): Promise<RunningHaproxy> {
  const config = join(opts.dir, 'haproxy.cfg');
  await writeFile(config, haproxyConfig(opts.listenPort, opts.centrePorts));
  const child: ChildProcess = spawn(HAPROXY, ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', resolve);
  });
  await spawned;
  for (let i = 0; i < 100 && !(await isListening(opts.listenPort)); i++) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}: ${stderr.trim()}`);
    await sleep(50);
  }
  return {
    url: `https://127.0.0.1:${opts.listenPort}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
