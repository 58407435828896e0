/**
 * Starting the system services the stack needs on a machine with no service manager (a
 * container, a developer's shell, CI): DNS-SD (dbus + avahi) for ippeveprinter, ippeveprinter
 * itself, and pcscd with the vpcd virtual reader. Each start first checks whether the service
 * already runs; each handle stops only what it started. Failures are typed ServiceError values
 * that name the Debian package to install.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { access, mkdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { callIpp, describeIppError } from '../../electron/printer/ipp-client.ts';

export type ServiceError =
  | { kind: 'missing-package'; service: string; path: string; debianPackage: string }
  | { kind: 'start-failed'; service: string; detail: string }
  | { kind: 'not-ready'; service: string; waitedMs: number; detail: string };

export type ServiceResult<T> = { ok: true; value: T } | { ok: false; error: ServiceError };

export function describeServiceError(error: ServiceError): string {
  switch (error.kind) {
    case 'missing-package':
      return `${error.service}: ${error.path} is missing; install the Debian package ${error.debianPackage} (npm run setup:system)`;
    case 'start-failed':
      return `${error.service} did not start: ${error.detail}`;
    case 'not-ready':
      return `${error.service} was not ready after ${error.waitedMs} ms: ${error.detail}`;
  }
}

// The paths below are also in debian-packages.txt; requirements.test.ts checks they agree.
export const SYSTEM_PATHS = {
  dbusDaemon: { path: '/usr/bin/dbus-daemon', debianPackage: 'dbus' },
  avahiDaemon: { path: '/usr/sbin/avahi-daemon', debianPackage: 'avahi-daemon' },
  ippeveprinter: { path: '/usr/sbin/ippeveprinter', debianPackage: 'cups-ipp-utils' },
  pcscd: { path: '/usr/sbin/pcscd', debianPackage: 'pcscd' },
  vpcdDriver: { path: '/usr/lib/pcsc/drivers/serial/libifdvpcd.so', debianPackage: 'vsmartcard-vpcd' },
  socat: { path: '/usr/bin/socat', debianPackage: 'socat' },
} as const;

type SystemPart = (typeof SYSTEM_PATHS)[keyof typeof SYSTEM_PATHS];

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function requirePart(service: string, part: SystemPart): Promise<ServiceError | undefined> {
  if (await exists(part.path)) return undefined;
  return { kind: 'missing-package', service, path: part.path, debianPackage: part.debianPackage };
}

type RunResult = { code: number | null; output: string };

function run(file: string, args: readonly string[], timeoutMs = 10_000): Promise<RunResult> {
  return new Promise((done) => {
    execFile(file, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      done({ code, output: `${stdout}${stderr}`.trim() });
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

async function pidFromFile(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= until) return false;
    await sleep(stepMs);
  }
}

// ---------------------------------------------------------------- DNS-SD (dbus + avahi)

const DBUS_DIR = '/run/dbus';
const DBUS_PID = '/run/dbus/pid';
const DBUS_SOCKET = '/run/dbus/system_bus_socket';

async function systemBusRuns(): Promise<boolean> {
  const pid = await pidFromFile(DBUS_PID);
  return pid !== undefined && pidAlive(pid) && (await exists(DBUS_SOCKET));
}

async function avahiRuns(): Promise<boolean> {
  return (await run(SYSTEM_PATHS.avahiDaemon.path, ['--check'])).code === 0;
}

/**
 * Makes sure the system D-Bus and avahi-daemon run (ippeveprinter cannot start without
 * DNS-SD). Starts them only when they are not running; they are left running afterwards,
 * like the system services they are.
 */
export async function ensureDnsSd(): Promise<ServiceResult<{ started: string[] }>> {
  for (const [service, part] of [
    ['dbus', SYSTEM_PATHS.dbusDaemon],
    ['avahi-daemon', SYSTEM_PATHS.avahiDaemon],
  ] as const) {
    const missing = await requirePart(service, part);
    if (missing) return { ok: false, error: missing };
  }
  const started: string[] = [];

  if (!(await systemBusRuns())) {
    await mkdir(DBUS_DIR, { recursive: true }).catch(() => undefined);
    // dbus-daemon refuses to start over a stale pid file.
    const stale = await pidFromFile(DBUS_PID);
    if (stale === undefined || !pidAlive(stale)) await rm(DBUS_PID, { force: true }).catch(() => undefined);
    const result = await run(SYSTEM_PATHS.dbusDaemon.path, ['--system', '--fork']);
    // Another process may have started it at the same moment: what counts is that it runs now.
    if (!(await waitFor(systemBusRuns, 5_000))) {
      return {
        ok: false,
        error: { kind: 'start-failed', service: 'dbus', detail: result.output || `exit ${result.code}` },
      };
    }
    started.push('dbus');
  }

  if (!(await avahiRuns())) {
    const result = await run(SYSTEM_PATHS.avahiDaemon.path, ['--no-drop-root', '-D']);
    if (!(await waitFor(avahiRuns, 5_000, 200))) {
      return {
        ok: false,
        error: {
          kind: 'start-failed',
          service: 'avahi-daemon',
          detail: result.output || `exit ${result.code}`,
        },
      };
    }
    started.push('avahi-daemon');
  }
  return { ok: true, value: { started } };
}

// ---------------------------------------------------------------- child processes

/** Keeps the last lines a child printed, for error messages (never printed to the console). */
function captureOutput(child: ChildProcess, maxChars = 4_000): () => string {
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-maxChars);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text.trim();
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

async function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = exitOf(child);
  child.kill('SIGTERM');
  const inTime = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!inTime) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, failed) => {
    const server = createServer();
    server.once('error', failed);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

// ---------------------------------------------------------------- ippeveprinter

export type IppEvePrinterOptions = {
  /** Printer name (DNS-SD service name), e.g. "kiosk-printer". */
  name: string;
  /** TCP port; a free one is picked when omitted. */
  port?: number;
  /** Where ippeveprinter keeps each received document (`-k -d`). */
  spoolDir: string;
  /**
   * The program ippeveprinter runs for each job (`-c`); it gets the document's path and may
   * report printer states on stderr ("STATE: +media-empty-error"). Default /bin/true: the job
   * completes as soon as it is received. Pass null for ippeveprinter's own simulated 5–15 s.
   */
  command?: string | null;
  /** How long to wait for Get-Printer-Attributes to answer. Default 15 000 ms. */
  readyTimeoutMs?: number;
  /** Offer two-sided printing (`-2`); one-sided only when absent. */
  duplex?: boolean;
};

export type RunningIppEvePrinter = {
  /** ipp://127.0.0.1:<port>/ipp/print */
  url: string;
  spoolDir: string;
  pid: number;
  stop(): Promise<void>;
};

export async function startIppEvePrinter(
  options: IppEvePrinterOptions,
): Promise<ServiceResult<RunningIppEvePrinter>> {
  const service = 'ippeveprinter';
  const missing = await requirePart(service, SYSTEM_PATHS.ippeveprinter);
  if (missing) return { ok: false, error: missing };
  const dnsSd = await ensureDnsSd();
  if (!dnsSd.ok) return dnsSd;

  const spoolDir = resolve(options.spoolDir);
  await mkdir(spoolDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const command = options.command === undefined ? '/bin/true' : options.command;
  const args = ['-k', '-d', spoolDir, '-f', 'application/pdf', '-p', String(port), '-n', 'localhost'];
  if (command !== null) args.push('-c', command);
  if (options.duplex) args.push('-2');
  args.push(options.name);

  const child = spawn(SYSTEM_PATHS.ippeveprinter.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = captureOutput(child);
  let spawnFailure: string | undefined;
  child.once('error', (err) => {
    spawnFailure = String(err);
  });
  const url = `ipp://127.0.0.1:${port}/ipp/print`;
  const exited = () => child.exitCode !== null || child.signalCode !== null;

  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  const started = Date.now();
  for (;;) {
    await sleep(50);
    if (spawnFailure !== undefined || exited()) {
      const detail = spawnFailure ?? (output() || `exit ${child.exitCode}`);
      return { ok: false, error: { kind: 'start-failed', service, detail } };
    }
    const answer = await callIpp(url, {
      operation: 'Get-Printer-Attributes',
      operationAttributes: { 'requested-attributes': ['printer-state'] },
      timeoutMs: 1_000,
    });
    // Answered, and by our child (had the port been taken, ippeveprinter would have exited).
    if (answer.ok && !exited()) break;
    if (Date.now() - started > readyTimeoutMs) {
      await stopChild(child);
      const problem = answer.ok ? 'ippeveprinter exited' : describeIppError(answer.error);
      return {
        ok: false,
        error: {
          kind: 'not-ready',
          service,
          waitedMs: Date.now() - started,
          detail: `${problem}; ${output()}`,
        },
      };
    }
  }

  return { ok: true, value: { url, spoolDir, pid: child.pid ?? -1, stop: () => stopChild(child) } };
}

// ---------------------------------------------------------------- pcscd + vpcd

export const VPCD_PORT = 35963;
const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';

export type RunningPcscd = {
  /** True when this call started pcscd (and stop() will end it). */
  startedByUs: boolean;
  vpcdPort: number;
  stop(): Promise<void>;
};

async function pcscdPids(): Promise<number[]> {
  const result = await run('pidof', ['pcscd']);
  if (result.code !== 0) return [];
  return result.output
    .split(/\s+/)
    .map((p) => Number.parseInt(p, 10))
    .filter((p) => Number.isInteger(p) && p > 0);
}

/**
 * Whether something listens on the TCP port, read from /proc/net/tcp{,6} — without connecting,
 * because a connection to vpcd's port is what a virtual card does to insert itself.
 */
export async function isListening(port: number): Promise<boolean> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // fields[1] = local address "ADDR:PORT", fields[3] = state ("0A" is LISTEN)
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A') return true;
    }
  }
  return false;
}

/**
 * Starts pcscd (in the foreground, as our child) unless it already runs, then waits until the
 * vpcd driver listens on TCP 35963. The handle stops pcscd only if this call started it.
 */
export async function startPcscd(
  options: { readyTimeoutMs?: number } = {},
): Promise<ServiceResult<RunningPcscd>> {
  const service = 'pcscd';
  for (const part of [SYSTEM_PATHS.pcscd, SYSTEM_PATHS.vpcdDriver]) {
    const missing = await requirePart(service, part);
    if (missing) return { ok: false, error: missing };
  }
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  const alreadyRunning = (await pcscdPids()).length > 0 && (await exists(PCSCD_SOCKET));

  let child: ChildProcess | undefined;
  let output = () => '';
  if (!alreadyRunning) {
    child = spawn(SYSTEM_PATHS.pcscd.path, ['--foreground'], { stdio: ['ignore', 'pipe', 'pipe'] });
    output = captureOutput(child);
    child.once('error', () => undefined);
  }

  const started = Date.now();
  const ready = await waitFor(async () => {
    if (child && (child.exitCode !== null || child.signalCode !== null)) return true;
    return isListening(VPCD_PORT);
  }, readyTimeoutMs);
  if (child && (child.exitCode !== null || child.signalCode !== null)) {
    return {
      ok: false,
      error: { kind: 'start-failed', service, detail: output() || `exit ${child.exitCode}` },
    };
  }
  if (!ready) {
    if (child) await stopChild(child);
    return {
      ok: false,
      error: {
        kind: 'not-ready',
        service,
        waitedMs: Date.now() - started,
        detail:
          `nothing listens on TCP ${VPCD_PORT} (is the vpcd driver configured in /etc/reader.conf.d?) ${output()}`.trim(),
      },
    };
  }
  const ours = child;
  return {
    ok: true,
    value: {
      startedByUs: ours !== undefined,
      vpcdPort: VPCD_PORT,
      stop: async () => {
        if (ours) await stopChild(ours);
      },
    },
  };
}
