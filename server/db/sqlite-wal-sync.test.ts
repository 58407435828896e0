import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { coalescedSync, walDurabilityOf } from './sqlite-wal-sync.ts';

/** A sync whose runs end when the test says so. */
function controlledSync() {
  const runs: { end: (error?: Error) => void }[] = [];
  const sync = () =>
    new Promise<void>((resolve, reject) => {
      runs.push({ end: (error) => (error ? reject(error) : resolve()) });
    });
  return { sync, runs };
}

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('coalescedSync', () => {
  it('gives callers during a sync the next one, shared, and never the one already running', async () => {
    const { sync, runs } = controlledSync();
    const durable = coalescedSync(sync);
    const first = durable();
    const second = durable();
    const third = durable();
    expect(runs).toHaveLength(1);
    runs[0]!.end();
    await first;
    expect(await settled(second)).toBe(false);
    expect(runs).toHaveLength(2);
    const fourth = durable();
    runs[1]!.end();
    await Promise.all([second, third]);
    expect(await settled(fourth)).toBe(false);
    expect(runs).toHaveLength(3);
    runs[2]!.end();
    await fourth;
    expect(runs).toHaveLength(3);
  });

  it('fails the callers of a failed sync, and the next caller gets a new one', async () => {
    const { sync, runs } = controlledSync();
    const durable = coalescedSync(sync);
    const first = durable();
    runs[0]!.end(new Error('EIO'));
    await expect(first).rejects.toThrow('EIO');
    const next = durable();
    expect(runs).toHaveLength(2);
    runs[1]!.end();
    await expect(next).resolves.toBeUndefined();
  });
});

describe('walDurabilityOf', () => {
  it("syncs a WAL database's log file, also after the database is reopened", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wal-sync-'));
    try {
      for (let round = 0; round < 2; round++) {
        const db = new Database(join(dir, 'c.sqlite'));
        db.pragma('journal_mode = WAL');
        db.exec('CREATE TABLE IF NOT EXISTS t (a INTEGER)');
        db.prepare('INSERT INTO t VALUES (?)').run(round);
        const wal = walDurabilityOf(db);
        await Promise.all([wal.durable(), wal.durable()]);
        await wal.close();
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has nothing to sync for an in-memory database', async () => {
    const db = new Database(':memory:');
    const wal = walDurabilityOf(db);
    await expect(wal.durable()).resolves.toBeUndefined();
    await wal.close();
    db.close();
  });
});
