import type Database from 'better-sqlite3';

/**
 * The centre's SQLite connections commit with synchronous FULL (openSqliteDatabase): a commit is
 * on disk before the call returns — a revocation, a seal key change, an abolition, a 利用登録
 * decision. A session, an issuance and a delivery commit without their own fsync and are on disk
 * before their call returns all the same: the repository awaits a shared WAL sync
 * (sqlite-wal-sync.ts). A session must be: the kiosk takes payment after the sign-in.
 *
 * `withoutOwnFsync` runs one write whose loss in a power failure costs only a repeat, without
 * waiting for its own fsync (synchronous NORMAL for that commit, FULL again after it): a challenge
 * put or consumed (a consumption, the replay check, then awaits the shared WAL sync as an issuance
 * does), a session saved (then awaits the shared WAL sync too), a delivered document emptied (lost, the retention job empties it within the hour), a
 * migration or a register load (run again at the next start). SQLite writes WAL
 * frames in order, so the next FULL commit puts every earlier commit on disk with it: a power
 * failure takes back at most the latest such writes, never one that a durable commit followed.
 * Inside a caller's transaction the transaction's own level applies.
 */
export function withoutOwnFsync<T>(db: Database.Database, write: () => T): T {
  if (db.inTransaction) return write();
  db.exec('PRAGMA synchronous = NORMAL');
  try {
    return write();
  } finally {
    db.exec('PRAGMA synchronous = FULL');
  }
}
