/**
 * Makes sure pcscd with the vpcd virtual reader is running for an integration test: starts
 * `pcscd --foreground` as a child only if none is running, waits until vpcd listens on TCP
 * 35963, and stops only what it started. Fails loudly, naming the Debian package, when a part
 * is missing. Checks the port through /proc/net/tcp so that probing never "inserts" a card.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const PCSCD_BINARY = '/usr/sbin/pcscd';
export const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
export const VPCD_READER_CONF = '/etc/reader.conf.d/vpcd';
export const VPCD_PORT = 35963;
const PID_FILE = '/run/pcscd/pcscd.pid';

export interface PcscdHandle {
  /** True when this helper started pcscd (and stop() will end it). */
  started: boolean;
  stop(): Promise<void>;
}

/** True if something listens on the TCP port (IPv4 or IPv6), read from /proc without connecting. */
export function isListening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 3 && cols[1]?.endsWith(`:${hex}`) && cols[3] === '0A') return true;
    }
  }
  return false;
}

function runningPcscdPid(): number | null {
  try {
    const pid = Number.parseInt(readFileSync(PID_FILE, 'utf8').trim(), 10);
    if (!Number.isInteger(pid) || pid <= 0) return null;
    process.kill(pid, 0);
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    // "pid (comm) S …": a zombie (Z) or dead (X) pcscd is not running
    const state = /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
    return comm === 'pcscd' && state !== 'Z' && state !== 'X' ? pid : null;
  } catch {
    return null;
  }
}

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function ensurePcscd(opts: { timeoutMs?: number } = {}): Promise<PcscdHandle> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  if (!existsSync(PCSCD_BINARY)) {
    throw new Error(`${PCSCD_BINARY} is missing: install the Debian package "pcscd" (npm run setup:system)`);
  }
  if (!existsSync(VPCD_DRIVER) || !existsSync(VPCD_READER_CONF)) {
    throw new Error(
      `the vpcd driver (${VPCD_DRIVER}, ${VPCD_READER_CONF}) is missing: install the Debian package "vsmartcard-vpcd"`,
    );
  }
  if (runningPcscdPid() !== null) {
    await waitFor(() => isListening(VPCD_PORT), timeoutMs, `vpcd on TCP ${VPCD_PORT} (pcscd is running)`);
    return { started: false, stop: async () => undefined };
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error('pcscd is not running and starting it needs root: start it with `sudo pcscd` first');
  }
  const child: ChildProcess = spawn(PCSCD_BINARY, ['--foreground'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  try {
    await waitFor(
      () => exited || isListening(VPCD_PORT),
      timeoutMs,
      `pcscd to open vpcd on TCP ${VPCD_PORT}`,
    );
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
  if (exited) throw new Error(`pcscd exited at start: ${stderr.trim() || 'no output'}`);
  return {
    started: true,
    stop: async () => {
      if (exited) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}
