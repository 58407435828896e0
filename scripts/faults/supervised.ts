/**
 * The parts the fault test kills besides the kiosk host — the centre and the printer — run as
 * supervised processes: when one dies (SIGKILL from the kiosk run), it is started again at the
 * same address (the centre on its own database; the printer keeping its documents in a new
 * folder, since a restarted ippeveprinter numbers its jobs from 1 again), as a store's service
 * manager would. Each stops only what it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeServiceError, freePort, startIppEvePrinter } from '../system/services.ts';
import { centreProcessArgs } from '../bench/centre/centre-processes.ts';

export interface SupervisedPart {
  url: string;
  /** The process to kill now (changes after each restart). */
  pid(): number;
  restarts(): number;
  /** Settles when the part answers again after its latest (re)start. */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The dev world's centre on `port` with its own SQLite file, restarted whenever it dies. */
export async function superviseCentre(options: {
  worldDir: string;
  databasePath: string;
}): Promise<SupervisedPart> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let url = '';
  let starting: Promise<void> = Promise.resolve();
  const start = (): Promise<void> =>
    (starting = new Promise((resolve, reject) => {
      const proc = spawn(
        process.execPath,
        centreProcessArgs({
          worldDir: options.worldDir,
          databasePath: options.databasePath,
          port,
          tls: 'world',
          revocation: 'live',
        }),
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      child = proc;
      createInterface({ input: proc.stdout }).on('line', (line) => {
        const m = /^CENTRE_URL (\S+)$/.exec(line);
        if (m) {
          url = m[1] as string;
          resolve();
        }
      });
      proc.once('exit', () => {
        if (stopping) return;
        if (!url) return reject(new Error('the centre process exited before it listened'));
        restarts += 1;
        void start().catch((error: unknown) => process.stderr.write(`centre restart: ${String(error)}\n`));
      });
    }));
  await start();
  return {
    url,
    pid: () => child?.pid ?? -1,
    restarts: () => restarts,
    ready: () => starting,
    async stop() {
      stopping = true;
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((done) => proc.once('exit', done));
      proc.stdin?.end();
      await Promise.race([exited, sleep(5_000).then(() => proc.kill('SIGKILL'))]);
    },
  };
}

/** ippeveprinter (`-k -d`) on one port, restarted with a fresh folder `<base>-<n>` whenever it dies. */
export async function supervisePrinter(options: {
  baseDir: string;
  name: string;
}): Promise<SupervisedPart & { dirs(): string[] }> {
  const port = await freePort();
  const dirs: string[] = [];
  let current: { pid: number; stop(): Promise<void> } | undefined;
  let stopping = false;
  let restarts = 0;
  let url = '';
  let starting: Promise<void> = Promise.resolve();
  const startOnce = async (): Promise<void> => {
    const dir = `${options.baseDir}-${dirs.length + 1}`;
    dirs.push(dir);
    const started = await startIppEvePrinter({ name: options.name, port, spoolDir: dir });
    if (!started.ok) throw new Error(describeServiceError(started.error));
    current = started.value;
    url = started.value.url;
  };
  const start = (): Promise<void> => (starting = startOnce());
  await start();
  const watch = (async () => {
    while (!stopping) {
      await sleep(100);
      if (!stopping && current && !alive(current.pid)) {
        restarts += 1;
        await start().catch((error: unknown) => process.stderr.write(`printer restart: ${String(error)}\n`));
      }
    }
  })();
  return {
    url,
    pid: () => current?.pid ?? -1,
    restarts: () => restarts,
    ready: () => starting,
    dirs: () => [...dirs],
    async stop() {
      stopping = true;
      await watch;
      await current?.stop();
    },
  };
}
