/**
 * A throwaway PostgreSQL for tests and benchmarks, from Debian's `postgresql` package: initdb
 * into a temporary folder, listen on loopback on a free port (and a socket in that folder),
 * trust authentication, no data kept. `stop()` stops the server and deletes the folder.
 * Missing binaries fail loudly, naming the package.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const POSTGRES_ROOT = '/usr/lib/postgresql';

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url: string;
  port: number;
  /** A fresh, empty database on the same server; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server as a crash would (`-m immediate`) and starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The newest installed PostgreSQL's bin folder, or a loud error naming the Debian package. */
export function postgresBinDir(): string {
  const versions = existsSync(POSTGRES_ROOT)
    ? readdirSync(POSTGRES_ROOT)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(POSTGRES_ROOT, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const version = versions[0];
  if (!version) {
    throw new Error(
      `PostgreSQL server binaries not found under ${POSTGRES_ROOT}/<version>/bin: install the Debian package "postgresql" (apt-get install postgresql)`,
    );
  }
  return join(POSTGRES_ROOT, version, 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** initdb refuses to run as root: as root, run the server binaries as the `postgres` user. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

async function runServerCommand(command: string, args: string[]): Promise<void> {
  const [file, argv] = asServerUser(command, args);
  try {
    await run(file, argv, { timeout: 60_000 });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${command} ${args[0] ?? ''} failed: ${e.stderr?.trim() || e.message}`, { cause: error });
  }
}

async function postgresUid(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  try {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: g } = await run('id', ['-g', 'postgres']);
    return { uid: Number(stdout.trim()), gid: Number(g.trim()) };
  } catch {
    throw new Error(
      'running as root needs the "postgres" system user: install the Debian package "postgresql"',
    );
  }
}

/** Starts a fresh PostgreSQL server (a few seconds); call `stop()` when done. fsync is off unless asked (benchmarks). */
export async function startTestPostgres(opts: { fsync?: boolean } = {}): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const owner = await postgresUid();
  const dir = await mkdtemp(join(tmpdir(), 'kiosk-pg-'));
  const data = join(dir, 'data');
  if (owner) {
    await chown(dir, owner.uid, owner.gid);
    await chmod(dir, 0o700);
  }
  const port = await freePort();
  const startArgs = [
    'start',
    '-D',
    data,
    '-w',
    '-t',
    '30',
    '-l',
    join(dir, 'server.log'),
    '-o',
    `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=${opts.fsync ? 'on' : 'off'} -c max_connections=200`,
  ];
  try {
    await runServerCommand(join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    await runServerCommand(join(bin, 'pg_ctl'), startArgs);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const base = `postgres://postgres@127.0.0.1:${port}`;
  let stopped = false;
  return {
    url: `${base}/postgres`,
    port,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new RangeError(`invalid database name ${name}`);
      const client = new pg.Client({ connectionString: `${base}/postgres` });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `${base}/${name}`;
    },
    async restart() {
      await runServerCommand(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']);
      await runServerCommand(join(bin, 'pg_ctl'), startArgs);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await runServerCommand(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
