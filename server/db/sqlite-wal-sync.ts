import { statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';

/**
 * Group commit for the busiest durable writes (an issuance, a delivery): the write commits
 * without its own fsync (`withoutOwnFsync`), then the caller awaits `durable()`, an fdatasync of
 * the WAL file on libuv's thread pool, before it answers. What synchronous FULL would do inside the
 * commit — SQLite has written the commit's WAL frames to the file when the commit returns; FULL
 * only adds this sync — but off the event loop's thread, and shared: callers whose commits came
 * while a sync was running share the next one.
 */
export interface WalDurability {
  /** Resolves once every commit made before the call is on disk. */
  durable(): Promise<void>;
  /** Waits for running syncs and closes the WAL file. */
  close(): Promise<void>;
}

/**
 * Shares `sync` among concurrent callers. A caller never gets a sync that began before its call
 * (its commit might not be in it): while one runs, callers queue for the one after it.
 */
export function coalescedSync(sync: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const start = (): Promise<void> => {
    const current: Promise<void> = sync().finally(() => {
      if (running === current) running = undefined;
    });
    running = current;
    return current;
  };
  return () => {
    if (running === undefined) return start();
    const next = () => {
      queued = undefined;
      return start();
    };
    queued ??= running.then(next, next);
    return queued;
  };
}

/** fdatasync of a database's WAL file, reopened if the file at the path is another one. */
function walFileSync(walPath: string): WalDurability {
  let file: { handle: FileHandle; ino: number } | undefined;
  const sync = coalescedSync(async () => {
    // Which file is at the path, asked on this thread: a stat of a local file takes microseconds,
    // a trip through libuv's pool for it cost the event loop more than that (and a wait).
    const { ino } = statSync(walPath);
    if (file?.ino !== ino) {
      await file?.handle.close();
      file = undefined;
      const handle = await open(walPath, 'r');
      file = { handle, ino: (await handle.stat()).ino };
    }
    await file.handle.datasync();
  });
  return {
    durable: sync,
    async close() {
      await sync().catch(() => undefined);
      await file?.handle.close();
      file = undefined;
    },
  };
}

/** The WAL durability of an open database; nothing to sync for an in-memory one. */
export function walDurabilityOf(db: Database.Database): WalDurability {
  if (db.memory) return { durable: async () => undefined, close: async () => undefined };
  return walFileSync(resolve(`${db.name}-wal`));
}
