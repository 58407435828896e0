import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { withoutOwnFsync } from './sqlite-durability.ts';

const NORMAL = 1;
const FULL = 2;
const level = (db: Database.Database) => db.pragma('synchronous', { simple: true });

function database(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (a INTEGER)');
  return db;
}

describe('withoutOwnFsync', () => {
  it('commits its write at synchronous NORMAL and is back at FULL after it, also when it throws', () => {
    const db = database();
    expect(
      withoutOwnFsync(db, () => [level(db), db.prepare('INSERT INTO t VALUES (1)').run().changes]),
    ).toEqual([NORMAL, 1]);
    expect(level(db)).toBe(FULL);
    expect(() =>
      withoutOwnFsync(db, () => {
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(level(db)).toBe(FULL);
  });

  it('inside a transaction leaves the level to the transaction', () => {
    const db = database();
    const seen = db.transaction(() => withoutOwnFsync(db, () => level(db)))();
    expect(seen).toBe(FULL);
    expect(level(db)).toBe(FULL);
  });
});
