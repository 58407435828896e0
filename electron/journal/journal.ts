import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The kiosk's journal: one row per transaction and one row per step, in SQLite (WAL,
 * synchronous=FULL, so a step is on disk before the host takes it). It holds ids, types, amounts,
 * states and times only — never a name, an address, a PIN, a My Number or a document body.
 */

/** The steps of a transaction that is delivered, in order. */
export const DELIVERY_STEPS = [
  'created',
  'authenticated',
  'paid',
  'issued',
  'printing',
  'printed',
  'done',
] as const;

export const JOURNAL_STATES = [
  ...DELIVERY_STEPS,
  'refund-due',
  'refunded',
  /** Ended before any money was taken: nothing to deliver, nothing to refund. */
  'abandoned',
] as const;
export type JournalState = (typeof JOURNAL_STATES)[number];

/** States a transaction can be left in by a host that stopped: recovery resolves them at start. */
export const UNFINISHED_STATES: readonly JournalState[] = ['paid', 'issued', 'printing', 'printed'];

export type DeliveryOutcome = 'delivered' | 'voided';

/** What the resident chose and paid for: enough to fetch the same document again. */
export interface PaidRequest {
  certificateType: string;
  copies: number;
  /** Fee per copy as the menu quoted it. */
  quotedFeeYen: number;
  /** IssueOptions as sent to the centre (scope, member positions, flags, tax year): no personal data. */
  options?: Record<string, unknown>;
  /** SHA-256 (hex) of the card's 利用者証明用 certificate: the document must be bound to it. */
  holderBinding: string;
  paidYen: number;
  /** Coins and notes accepted, by denomination (yen → count), when the device reported them. */
  coins?: Record<string, number>;
}

export interface JournalEntry {
  transactionId: string;
  terminalId: string;
  state: JournalState;
  createdAt: number;
  updatedAt: number;
  municipalityCode: string | null;
  certificateType: string | null;
  copies: number | null;
  quotedFeeYen: number | null;
  options: Record<string, unknown> | null;
  holderBinding: string | null;
  paidYen: number;
  coins: Record<string, number> | null;
  documentId: string | null;
  pageCount: number | null;
  jobId: string | null;
  impressions: number | null;
  deliveredCopies: number | null;
  refundReason: string | null;
  refundDueYen: number | null;
  refundedYen: number | null;
  /** What the centre must be told (billing follows delivery); null = nothing to tell. */
  delivery: DeliveryOutcome | null;
  deliveryCopies: number | null;
  deliveryAckedAt: number | null;
  /** The centre's answer when it was not a plain acknowledgement (e.g. delivery-conflict). */
  deliveryNote: string | null;
  deliveryAttempts: number;
  /** Change the machine could not pay out at settlement (a slip the store settles). */
  changeOwedYen: number;
}

export interface JournalStep {
  transactionId: string;
  state: JournalState;
  at: number;
  detail: Record<string, unknown> | null;
}

/** Where each state may come from: a write out of order is refused (and said so), not applied. */
const ALLOWED_FROM: Readonly<Record<JournalState, readonly JournalState[]>> = {
  created: [],
  authenticated: ['created'],
  paid: ['authenticated'],
  issued: ['paid'],
  printing: ['issued', 'printing'],
  printed: ['printing'],
  done: ['printed'],
  'refund-due': ['authenticated', 'paid', 'issued', 'printing'],
  refunded: ['refund-due'],
  abandoned: ['created', 'authenticated'],
};

/**
 * What a resident left at the kiosk after printing (the operator's counts): the card still on the
 * reader when the done screen timed out, and a document nobody confirmed taking (終了 on the done
 * screen is 「受け取りました」; the printer cannot see its output tray).
 */
export const LEFT_BEHIND_ITEMS = ['card', 'document'] as const;
export type LeftBehindItem = (typeof LEFT_BEHIND_ITEMS)[number];

/** The operator's counts over a period. */
export interface LeftBehindCounts {
  'card-left-behind': number;
  'document-uncollected': number;
}

export type JournalWrite =
  { ok: true } | { ok: false; problem: 'unknown-transaction' | 'out-of-order'; state?: string };

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS transactions (
    transaction_id TEXT PRIMARY KEY,
    terminal_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN (${JOURNAL_STATES.map((s) => `'${s}'`).join(', ')})),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    municipality_code TEXT,
    certificate_type TEXT,
    copies INTEGER,
    quoted_fee_yen INTEGER,
    options_json TEXT,
    holder_binding TEXT,
    paid_yen INTEGER NOT NULL DEFAULT 0,
    coins_json TEXT,
    document_id TEXT,
    page_count INTEGER,
    job_id TEXT,
    impressions INTEGER,
    delivered_copies INTEGER,
    refund_reason TEXT,
    refund_due_yen INTEGER,
    refunded_yen INTEGER,
    delivery TEXT CHECK (delivery IN ('delivered', 'voided')),
    delivery_copies INTEGER,
    delivery_acked_at INTEGER,
    delivery_note TEXT,
    delivery_attempts INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX IF NOT EXISTS transactions_state ON transactions(state);
  CREATE INDEX IF NOT EXISTS transactions_created ON transactions(created_at);
  CREATE TABLE IF NOT EXISTS steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    transaction_id TEXT NOT NULL REFERENCES transactions(transaction_id),
    state TEXT NOT NULL,
    at INTEGER NOT NULL,
    detail_json TEXT
  ) STRICT;
  CREATE TABLE IF NOT EXISTS left_behind (
    transaction_id TEXT NOT NULL,
    item TEXT NOT NULL CHECK (item IN (${LEFT_BEHIND_ITEMS.map((i) => `'${i}'`).join(', ')})),
    at INTEGER NOT NULL,
    PRIMARY KEY (transaction_id, item)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS left_behind_at ON left_behind(at);
  -- Change the machine could not pay out when the fee was settled (the resident got a slip for it).
  CREATE TABLE IF NOT EXISTS change_owed (
    transaction_id TEXT PRIMARY KEY REFERENCES transactions(transaction_id),
    yen INTEGER NOT NULL CHECK (yen > 0),
    at INTEGER NOT NULL
  ) STRICT;
  CREATE VIEW IF NOT EXISTS transactions_with_change AS
    SELECT transactions.*, COALESCE(change_owed.yen, 0) AS change_owed_yen
    FROM transactions LEFT JOIN change_owed USING (transaction_id);
`;

interface Row {
  transaction_id: string;
  terminal_id: string;
  state: JournalState;
  created_at: number;
  updated_at: number;
  municipality_code: string | null;
  certificate_type: string | null;
  copies: number | null;
  quoted_fee_yen: number | null;
  options_json: string | null;
  holder_binding: string | null;
  paid_yen: number;
  coins_json: string | null;
  document_id: string | null;
  page_count: number | null;
  job_id: string | null;
  impressions: number | null;
  delivered_copies: number | null;
  refund_reason: string | null;
  refund_due_yen: number | null;
  refunded_yen: number | null;
  delivery: DeliveryOutcome | null;
  delivery_copies: number | null;
  delivery_acked_at: number | null;
  delivery_note: string | null;
  delivery_attempts: number;
  change_owed_yen: number;
}

function entryOf(row: Row): JournalEntry {
  return {
    transactionId: row.transaction_id,
    terminalId: row.terminal_id,
    state: row.state,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    municipalityCode: row.municipality_code,
    certificateType: row.certificate_type,
    copies: row.copies,
    quotedFeeYen: row.quoted_fee_yen,
    options: row.options_json === null ? null : (JSON.parse(row.options_json) as Record<string, unknown>),
    holderBinding: row.holder_binding,
    paidYen: row.paid_yen,
    coins: row.coins_json === null ? null : (JSON.parse(row.coins_json) as Record<string, number>),
    documentId: row.document_id,
    pageCount: row.page_count,
    jobId: row.job_id,
    impressions: row.impressions,
    deliveredCopies: row.delivered_copies,
    refundReason: row.refund_reason,
    refundDueYen: row.refund_due_yen,
    refundedYen: row.refunded_yen,
    delivery: row.delivery,
    deliveryCopies: row.delivery_copies,
    deliveryAckedAt: row.delivery_acked_at,
    deliveryNote: row.delivery_note,
    deliveryAttempts: row.delivery_attempts,
    changeOwedYen: row.change_owed_yen,
  };
}

/** Column updates a step may carry, by column name. */
type Changes = Partial<Record<keyof Row, string | number | null>>;

export interface KioskJournal {
  readonly path: string;
  created(transactionId: string, terminalId: string): JournalWrite;
  authenticated(transactionId: string, municipalityCode: string): JournalWrite;
  paid(transactionId: string, request: PaidRequest): JournalWrite;
  issued(transactionId: string, documentId: string, pageCount: number): JournalWrite;
  /** Written before the job is submitted; again with the printer's job id once it is known. */
  printing(transactionId: string, jobId?: string): JournalWrite;
  printed(
    transactionId: string,
    result: { jobId: string; copies: number; impressions?: number },
  ): JournalWrite;
  /** The resident has the document: the centre is to bill the delivered copies. */
  done(transactionId: string): JournalWrite;
  /** The money is owed back; the centre is to void what it issued. */
  refundDue(transactionId: string, reason: string, yen: number): JournalWrite;
  refunded(transactionId: string, yen: number): JournalWrite;
  /**
   * Money the machine kept and could not pay back (the device failed while refunding): before
   * payment it makes the transaction refund-due for that amount; after, the amount still owed
   * (refund-due yen − refunded yen) covers it. Never lost as "abandoned".
   */
  /**
   * Money in the slot before the fee is covered (`totalYen` so far, on an authenticated
   * transaction): kept in `paidYen`, so a host that stops mid-payment leaves it on record.
   */
  credited(transactionId: string, totalYen: number): JournalWrite;
  owed(transactionId: string, yen: number): JournalWrite;
  /** Change the machine could not pay at settlement: recorded once the transaction is paid. */
  changeOwed(transactionId: string, yen: number): JournalWrite;
  abandoned(transactionId: string): JournalWrite;
  /** The centre answered the delivery report (or said there is nothing to settle). */
  deliveryAcknowledged(transactionId: string, note?: string): void;
  deliveryAttempted(transactionId: string): void;
  get(transactionId: string): JournalEntry | undefined;
  steps(transactionId: string): JournalStep[];
  /** Newest first; `since` (epoch ms) limits to transactions created from then on. */
  list(options?: { since?: number; until?: number }): JournalEntry[];
  unfinished(): JournalEntry[];
  /** Started and not (yet) paid: at start, these were left by a stopped host. */
  unpaid(): JournalEntry[];
  deliveriesDue(): JournalEntry[];
  /** Records that the resident left the card or the document (once per transaction and item). */
  leftBehind(transactionId: string, item: LeftBehindItem): void;
  /** The operator's counts, recorded from `since` to `until` (epoch ms; default all). */
  counts(options?: { since?: number; until?: number }): LeftBehindCounts;
  close(): void;
}

export class JournalError extends Error {
  override readonly name = 'JournalError';
}

/** Opens (creating if needed) the journal at `path` (`:memory:` for tests). */
export function openKioskJournal(path: string, now: () => number = Date.now): KioskJournal {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  // Every commit reaches the disk before the host moves on: the journal is what survives a crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);

  const getRow = db.prepare('SELECT * FROM transactions_with_change WHERE transaction_id = ?');
  const insertTx = db.prepare(
    `INSERT INTO transactions (transaction_id, terminal_id, state, created_at, updated_at)
     VALUES (?, ?, 'created', ?, ?) ON CONFLICT(transaction_id) DO NOTHING`,
  );
  const insertStep = db.prepare(
    'INSERT INTO steps (transaction_id, state, at, detail_json) VALUES (?, ?, ?, ?)',
  );

  const step = db.transaction(
    (transactionId: string, to: JournalState, changes: Changes, detail: Record<string, unknown> | null) => {
      const row = getRow.get(transactionId) as Row | undefined;
      if (!row) return { ok: false, problem: 'unknown-transaction' } as const;
      if (!ALLOWED_FROM[to].includes(row.state))
        return { ok: false, problem: 'out-of-order', state: row.state } as const;
      const at = now();
      const columns = Object.keys(changes);
      const sets = ['state = ?', 'updated_at = ?', ...columns.map((c) => `${c} = ?`)].join(', ');
      db.prepare(`UPDATE transactions SET ${sets} WHERE transaction_id = ?`).run(
        to,
        at,
        ...columns.map((c) => changes[c as keyof Row] ?? null),
        transactionId,
      );
      insertStep.run(transactionId, to, at, detail === null ? null : JSON.stringify(detail));
      return { ok: true } as const;
    },
  );

  const journal: KioskJournal = {
    path,
    created(transactionId, terminalId) {
      const at = now();
      const inserted = db.transaction(() => {
        const changes = insertTx.run(transactionId, terminalId, at, at).changes;
        if (changes === 1) insertStep.run(transactionId, 'created', at, null);
        return changes;
      })();
      return inserted === 1 ? { ok: true } : { ok: false, problem: 'out-of-order', state: 'exists' };
    },
    authenticated(transactionId, municipalityCode) {
      return step(
        transactionId,
        'authenticated',
        { municipality_code: municipalityCode },
        { municipalityCode },
      );
    },
    paid(transactionId, r) {
      return step(
        transactionId,
        'paid',
        {
          certificate_type: r.certificateType,
          copies: r.copies,
          quoted_fee_yen: r.quotedFeeYen,
          options_json: r.options ? JSON.stringify(r.options) : null,
          holder_binding: r.holderBinding,
          paid_yen: r.paidYen,
          coins_json: r.coins ? JSON.stringify(r.coins) : null,
        },
        { yen: r.paidYen, ...(r.coins ? { coins: r.coins } : {}) },
      );
    },
    issued(transactionId, documentId, pageCount) {
      return step(
        transactionId,
        'issued',
        { document_id: documentId, page_count: pageCount },
        { documentId },
      );
    },
    printing(transactionId, jobId) {
      return step(
        transactionId,
        'printing',
        jobId === undefined ? {} : { job_id: jobId },
        jobId ? { jobId } : null,
      );
    },
    printed(transactionId, result) {
      return step(
        transactionId,
        'printed',
        {
          job_id: result.jobId,
          impressions: result.impressions ?? null,
          delivered_copies: result.copies,
        },
        { jobId: result.jobId, copies: result.copies, impressions: result.impressions ?? null },
      );
    },
    done(transactionId) {
      const row = getRow.get(transactionId) as Row | undefined;
      return step(
        transactionId,
        'done',
        { delivery: 'delivered', delivery_copies: row?.delivered_copies ?? row?.copies ?? null },
        null,
      );
    },
    refundDue(transactionId, reason, yen) {
      // Whatever the centre issued is voided: nothing reached the resident. A 'not-issued'
      // answer settles it as well (nothing to void).
      return step(
        transactionId,
        'refund-due',
        { refund_reason: reason, refund_due_yen: yen, delivery: 'voided', delivery_copies: 0 },
        { reason, yen },
      );
    },
    refunded(transactionId, yen) {
      return step(transactionId, 'refunded', { refunded_yen: yen }, { yen });
    },
    credited(transactionId, totalYen) {
      const row = getRow.get(transactionId) as Row | undefined;
      if (!row) return { ok: false, problem: 'unknown-transaction' };
      if (row.state !== 'authenticated') return { ok: false, problem: 'out-of-order', state: row.state };
      db.prepare(
        'UPDATE transactions SET paid_yen = MAX(COALESCE(paid_yen, 0), ?), updated_at = ? WHERE transaction_id = ?',
      ).run(totalYen, now(), transactionId);
      return { ok: true };
    },
    changeOwed(transactionId, yen) {
      const row = getRow.get(transactionId) as Row | undefined;
      if (!row) return { ok: false, problem: 'unknown-transaction' };
      if (row.state === 'created' || row.state === 'authenticated' || row.state === 'abandoned')
        return { ok: false, problem: 'out-of-order', state: row.state };
      db.prepare(
        `INSERT INTO change_owed (transaction_id, yen, at) VALUES (?, ?, ?)
         ON CONFLICT (transaction_id) DO UPDATE SET yen = excluded.yen, at = excluded.at`,
      ).run(transactionId, yen, now());
      return { ok: true };
    },
    owed(transactionId, yen) {
      const row = getRow.get(transactionId) as Row | undefined;
      if (!row) return { ok: false, problem: 'unknown-transaction' };
      if (row.state === 'authenticated') return journal.refundDue(transactionId, 'refund-owed', yen);
      if (row.state !== 'refund-due' && row.state !== 'refunded')
        return { ok: false, problem: 'out-of-order', state: row.state };
      const due = Math.max(row.refund_due_yen ?? 0, (row.refunded_yen ?? 0) + yen);
      db.prepare('UPDATE transactions SET refund_due_yen = ?, updated_at = ? WHERE transaction_id = ?').run(
        due,
        now(),
        transactionId,
      );
      return { ok: true };
    },
    abandoned(transactionId) {
      return step(transactionId, 'abandoned', {}, null);
    },
    deliveryAcknowledged(transactionId, note) {
      db.prepare(
        'UPDATE transactions SET delivery_acked_at = ?, delivery_note = ? WHERE transaction_id = ? AND delivery_acked_at IS NULL',
      ).run(now(), note ?? null, transactionId);
    },
    deliveryAttempted(transactionId) {
      db.prepare(
        'UPDATE transactions SET delivery_attempts = delivery_attempts + 1 WHERE transaction_id = ?',
      ).run(transactionId);
    },
    get(transactionId) {
      const row = getRow.get(transactionId) as Row | undefined;
      return row ? entryOf(row) : undefined;
    },
    steps(transactionId) {
      return (
        db.prepare('SELECT * FROM steps WHERE transaction_id = ? ORDER BY id').all(transactionId) as {
          transaction_id: string;
          state: JournalState;
          at: number;
          detail_json: string | null;
        }[]
      ).map((s) => ({
        transactionId: s.transaction_id,
        state: s.state,
        at: s.at,
        detail: s.detail_json === null ? null : (JSON.parse(s.detail_json) as Record<string, unknown>),
      }));
    },
    list(options = {}) {
      return (
        db
          .prepare(
            'SELECT * FROM transactions_with_change WHERE created_at >= ? AND created_at < ? ORDER BY created_at DESC, transaction_id',
          )
          .all(options.since ?? 0, options.until ?? Number.MAX_SAFE_INTEGER) as Row[]
      ).map(entryOf);
    },
    unfinished() {
      return (
        db
          .prepare(
            `SELECT * FROM transactions_with_change WHERE state IN (${UNFINISHED_STATES.map(() => '?').join(', ')}) ORDER BY created_at`,
          )
          .all(...UNFINISHED_STATES) as Row[]
      ).map(entryOf);
    },
    unpaid() {
      return (
        db
          .prepare(
            "SELECT * FROM transactions_with_change WHERE state IN ('created', 'authenticated') ORDER BY created_at",
          )
          .all() as Row[]
      ).map(entryOf);
    },
    deliveriesDue() {
      return (
        db
          .prepare(
            'SELECT * FROM transactions_with_change WHERE delivery IS NOT NULL AND delivery_acked_at IS NULL ORDER BY updated_at',
          )
          .all() as Row[]
      ).map(entryOf);
    },
    leftBehind(transactionId, item) {
      db.prepare(
        'INSERT INTO left_behind (transaction_id, item, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ).run(transactionId, item, now());
    },
    counts(options = {}) {
      const rows = db
        .prepare('SELECT item, COUNT(*) AS n FROM left_behind WHERE at >= ? AND at < ? GROUP BY item')
        .all(options.since ?? 0, options.until ?? Number.MAX_SAFE_INTEGER) as {
        item: LeftBehindItem;
        n: number;
      }[];
      const n = (item: LeftBehindItem) => rows.find((r) => r.item === item)?.n ?? 0;
      return { 'card-left-behind': n('card'), 'document-uncollected': n('document') };
    },
    close() {
      db.close();
    },
  };
  return journal;
}
