import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadSeedWorld } from '../seed/index.ts';
import { billingRecord, issuedRecord, sessionRecord } from '../test-support/kiosk-records.ts';
import type { CentreRepository } from './repository.ts';
import { loadRegister } from './seedLoader.ts';
import { openSqliteDatabase, sqliteRepositoryOn } from './sqliteRepository.ts';

/**
 * Which of a kiosk transaction's writes commit with their own fsync on SQLite (synchronous FULL,
 * on the centre's thread) and which without it (NORMAL, `withoutOwnFsync`). Each statement the
 * repository prepares reports the level in effect when it runs. Of the writes at NORMAL, a challenge
 * put and an emptied document are done then (PostgreSQL's same two do not wait for its WAL either:
 * postgres-wal-flush.test.ts); a session, an issuance and a delivery's billing then await the
 * shared WAL sync (sqlite-wal-sync.ts), which the last case counts on a database file.
 */
const TX = '5d0c7a3e-2b1f-4c8d-9e6a-1f2b3c4d5e6f';
const NORMAL = 1;
const FULL = 2;

let repo: CentreRepository;
/** Each statement run since the set-up: its SQL text and the synchronous level it ran at. */
let levels: Array<{ sql: string; level: number }>;

beforeEach(async () => {
  const db = openSqliteDatabase(':memory:');
  levels = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    const run = statement.run.bind(statement);
    statement.run = ((...args: unknown[]) => {
      levels.push({
        sql: sql.trim().replace(/\s+/g, ' '),
        level: Number(db.pragma('synchronous', { simple: true })),
      });
      return run(...args);
    }) as typeof statement.run;
    return statement;
  }) as typeof db.prepare;
  repo = sqliteRepositoryOn(db);
  await loadRegister(repo, loadSeedWorld());
  await repo.saveSession(sessionRecord(TX));
  await repo.recordIssuance(issuedRecord(TX, { documentSha256: 'd'.repeat(64) }), billingRecord(TX));
  levels = [];
});

const seen = (start: string) => levels.filter((l) => l.sql.startsWith(start)).map((l) => l.level);

describe('SQLite: writes that commit without their own fsync', () => {
  it('empties a delivered document at NORMAL, as it puts a challenge and saves a session', async () => {
    expect(await repo.purgeIssuedDocument(TX, undefined, 5)).toBe(true);
    await repo.putChallenge({ challenge: 'c1', terminalId: 'S1-T1', transactionId: TX, expiresAt: 10 });
    await repo.saveSession(sessionRecord('6d0c7a3e-2b1f-4c8d-9e6a-1f2b3c4d5e6f'));
    expect(seen('UPDATE issued_documents')).toEqual([NORMAL]);
    expect(seen('INSERT INTO challenges')).toEqual([NORMAL]);
    expect(seen('INSERT INTO sessions')).toEqual([NORMAL]);
  });

  it('revokes a certificate at FULL: on disk before it answers', async () => {
    await repo.revokeCertificate('ca', '1', 5);
    expect(levels.map((l) => l.level)).toContain(FULL);
    expect(levels.map((l) => l.level)).not.toContain(NORMAL);
  });
});

describe('SQLite: writes on disk before they answer, through the shared WAL sync', () => {
  it('syncs the WAL for a saved session (the kiosk takes payment after it), not for a challenge put', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'commit-level-'));
    try {
      const db = openSqliteDatabase(join(dir, 'centre.sqlite'));
      const onDisk = sqliteRepositoryOn(db);
      await loadRegister(onDisk, loadSeedWorld());
      const probe = await open(join(dir, 'centre.sqlite'), 'r');
      const datasync = vi.spyOn(Object.getPrototypeOf(probe) as { datasync(): Promise<void> }, 'datasync');
      await probe.close();
      try {
        await onDisk.putChallenge({ challenge: 'c1', terminalId: 'S1-T1', transactionId: TX, expiresAt: 10 });
        expect(datasync).not.toHaveBeenCalled();
        await onDisk.saveSession(sessionRecord(TX));
        expect(datasync).toHaveBeenCalled();
      } finally {
        datasync.mockRestore();
        await onDisk.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
