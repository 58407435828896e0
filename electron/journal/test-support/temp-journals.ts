/**
 * Kiosk journals on disk for the journal's tests: each in a new temporary folder, all closed and
 * removed after each test; a clock that steps; a transaction written up to `paid`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openKioskJournal, type JournalWrite, type KioskJournal, type PaidRequest } from '../journal.ts';

export interface TempJournals {
  /** A new journal (`journal.sqlite`, or `file`) in a new temporary folder; `now` is its clock. */
  open(now?: () => number, file?: string): KioskJournal;
  /** The journal at `path` opened again, as a restarted host opens it. */
  reopen(path: string): KioskJournal;
  /** Closes every journal opened here (closing twice is harmless) and removes their folders. */
  cleanUp(): void;
}

/** Journals whose folders are named from `prefix`; call `cleanUp` in `afterEach`. */
export function tempJournals(prefix: string): TempJournals {
  let journals: KioskJournal[] = [];
  let dirs: string[] = [];
  const track = (journal: KioskJournal): KioskJournal => {
    journals.push(journal);
    return journal;
  };
  return {
    open(now = Date.now, file = 'journal.sqlite') {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return track(openKioskJournal(join(dir, file), now));
    },
    reopen(path) {
      return track(openKioskJournal(path));
    },
    cleanUp() {
      for (const journal of journals) journal.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      journals = [];
      dirs = [];
    },
  };
}

/** A clock that moves `stepMs` forward at each reading, from `startMs`. */
export function steppingClock(startMs = 1_000, stepMs = 10): () => number {
  let clock = startMs;
  return () => (clock += stepMs);
}

/** Writes `created` and `authenticated` (terminal S0001-T01, municipality 131016), then `paid`: its answer. */
export function writePaid(journal: KioskJournal, transactionId: string, request: PaidRequest): JournalWrite {
  journal.created(transactionId, 'S0001-T01');
  journal.authenticated(transactionId, '131016');
  return journal.paid(transactionId, request);
}
