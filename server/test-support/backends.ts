/**
 * The two database backends a centre-level test suite runs on, for `describe.each(DATABASE_BACKENDS)`:
 * SQLite (a file in a temporary folder, WAL as in production) and PostgreSQL (ONE throwaway server
 * per test file, from tests/support/postgres.ts, a fresh database per `fresh()` call).
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPostgres, type TestPostgres } from '../../tests/support/postgres.ts';
import Database from 'better-sqlite3';
import pg from 'pg';
import { MIGRATIONS, migrate, migratePostgres } from '../db/migrations.ts';
import type { DatabaseConfig } from '../db/openRepository.ts';

export interface DatabaseBackend {
  name: 'SQLite' | 'PostgreSQL';
  /** Call in `beforeAll` (PostgreSQL takes a few seconds: give the hook `BACKEND_SETUP_TIMEOUT_MS`). */
  setup(): Promise<void>;
  /** Call in `afterAll`: stops the server / deletes the folder. */
  teardown(): Promise<void>;
  /** A new, empty database for `openCentreRepository` / `openCentreStores` / `startCentre`. */
  fresh(): Promise<DatabaseConfig>;
  /**
   * Prepares one template database (`prepare` fills it, then must close every connection to it)
   * and returns a function giving fresh copies of it: loading the seed once per backend instead
   * of once per test. Call in `beforeAll`.
   */
  template(prepare: (config: DatabaseConfig) => Promise<void>): Promise<() => Promise<DatabaseConfig>>;
  /** Applies only the migrations up to `version` to the database (an older schema, to migrate from). */
  migrateTo(config: DatabaseConfig, version: number): Promise<void>;
  /** Runs one raw SQL statement on its own connection, outside any repository; the rows it returns. */
  query(config: DatabaseConfig, sql: string): Promise<Array<Record<string, unknown>>>;
}

const upTo = (version: number) => MIGRATIONS.filter((m) => m.version <= version);

function sqlitePath(config: DatabaseConfig): string {
  if (config.databasePath === undefined) throw new Error('not a SQLite database configuration');
  return config.databasePath;
}

function postgresUrl(config: DatabaseConfig): string {
  if (config.databaseUrl === undefined) throw new Error('not a PostgreSQL database configuration');
  return config.databaseUrl;
}

export const BACKEND_SETUP_TIMEOUT_MS = 60_000;

function sqliteBackend(): DatabaseBackend {
  let dir: string | undefined;
  let n = 0;
  const newPath = (): string => {
    if (!dir) throw new Error('SQLite backend not set up: call setup() in beforeAll');
    return join(dir, `centre-${++n}.sqlite`);
  };
  return {
    name: 'SQLite',
    async setup() {
      dir = await mkdtemp(join(tmpdir(), 'centre-sqlite-'));
    },
    async teardown() {
      if (dir) await rm(dir, { recursive: true, force: true });
      dir = undefined;
    },
    fresh: async () => ({ databasePath: newPath() }),
    async template(prepare) {
      const databasePath = newPath();
      await prepare({ databasePath });
      // Closing the last connection checkpoints the WAL into the file: the file alone is the copy.
      if (existsSync(`${databasePath}-wal`)) throw new Error('template still open: close it in prepare');
      return async () => {
        const copy = newPath();
        await copyFile(databasePath, copy);
        return { databasePath: copy };
      };
    },
    async migrateTo(config, version) {
      const db = new Database(sqlitePath(config));
      try {
        migrate(db, upTo(version));
      } finally {
        db.close();
      }
    },
    async query(config, sql) {
      const db = new Database(sqlitePath(config));
      try {
        const statement = db.prepare(sql);
        if (!statement.reader) {
          statement.run();
          return [];
        }
        return statement.all() as Array<Record<string, unknown>>;
      } finally {
        db.close();
      }
    },
  };
}

function postgresBackend(): DatabaseBackend {
  let server: TestPostgres | undefined;
  let n = 0;
  return {
    name: 'PostgreSQL',
    async setup() {
      server = await startTestPostgres();
    },
    async teardown() {
      await server?.stop();
      server = undefined;
    },
    async fresh() {
      if (!server) throw new Error('PostgreSQL backend not set up: call setup() in beforeAll');
      return { databaseUrl: await server.createDatabase(`centre_${++n}`) };
    },
    async template(prepare) {
      if (!server) throw new Error('PostgreSQL backend not set up: call setup() in beforeAll');
      const name = `template_${++n}`;
      await prepare({ databaseUrl: await server.createDatabase(name) });
      const admin = server.url;
      return async () => {
        // CREATE DATABASE … TEMPLATE copies the files: fails loudly if prepare left a connection open.
        const copy = `centre_${++n}`;
        const client = new pg.Client({ connectionString: admin });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${copy} TEMPLATE ${name}`);
        } finally {
          await client.end();
        }
        const url = new URL(admin);
        url.pathname = `/${copy}`;
        return { databaseUrl: url.toString() };
      };
    },
    async migrateTo(config, version) {
      const pool = new pg.Pool({ connectionString: postgresUrl(config) });
      try {
        await migratePostgres(pool, upTo(version));
      } finally {
        await pool.end();
      }
    },
    async query(config, sql) {
      const client = new pg.Client({ connectionString: postgresUrl(config) });
      await client.connect();
      try {
        return (await client.query<Record<string, unknown>>(sql)).rows;
      } finally {
        await client.end();
      }
    },
  };
}

/** A new pair of backends (each test file gets its own, so one PostgreSQL server per file). */
export function databaseBackends(): DatabaseBackend[] {
  return [sqliteBackend(), postgresBackend()];
}
