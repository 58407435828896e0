/**
 * The ledger after a run, read from the centres' database and held against what the kiosks saw:
 * every completed transaction billed exactly once at the fee its kiosk was told, to the holder
 * whose card paid; nothing billed that no kiosk delivered; no paper recorded for another holder.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import type { TransactionOutcome } from './transaction.ts';

export interface LedgerRow {
  transactionId: string;
  holderId: string;
  state: string | null;
  billedYen: number | null;
}

export interface LedgerAudit {
  /** Completed at a kiosk, but not billed (or billed at another amount). */
  lost: string[];
  /** More than one billing record for one transaction. */
  billedTwice: string[];
  /** Billed, but no kiosk confirmed its delivery. */
  billedUndelivered: string[];
  /** Recorded for a holder other than the one whose card the kiosk used. */
  wrongHolder: string[];
  /** Issued, delivery not reported (a transaction that failed after issue): never billed. */
  pending: number;
}

const LEDGER_SQL = `SELECT d.transaction_id AS "transactionId", d.holder_id AS "holderId",
  b.state AS state, b.billed_yen AS "billedYen"
  FROM issued_documents d LEFT JOIN billing_records b ON b.transaction_id = d.transaction_id`;

export async function readLedger(
  database: { databasePath: string } | { databaseUrl: string },
): Promise<LedgerRow[]> {
  if ('databasePath' in database) {
    const db = new Database(database.databasePath, { readonly: true });
    try {
      return db.prepare(LEDGER_SQL).all() as LedgerRow[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: database.databaseUrl });
  await client.connect();
  try {
    return (await client.query<LedgerRow>(LEDGER_SQL)).rows.map((row) => ({
      ...row,
      billedYen: row.billedYen === null ? null : Number(row.billedYen),
    }));
  } finally {
    await client.end();
  }
}

export function auditLedger(
  rows: readonly LedgerRow[],
  outcomes: readonly TransactionOutcome[],
): LedgerAudit {
  const byTransaction = new Map<string, LedgerRow[]>();
  for (const row of rows)
    byTransaction.set(row.transactionId, [...(byTransaction.get(row.transactionId) ?? []), row]);
  const audit: LedgerAudit = {
    lost: [],
    billedTwice: [],
    billedUndelivered: [],
    wrongHolder: [],
    pending: 0,
  };
  const completed = new Map<string, Extract<TransactionOutcome, { kind: 'completed' }>>();
  const holders = new Map<string, string>();
  for (const outcome of outcomes) {
    if (outcome.kind === 'completed') completed.set(outcome.transactionId, outcome);
    if ('transactionId' in outcome && outcome.transactionId)
      holders.set(outcome.transactionId, outcome.holderId);
  }
  for (const [transactionId, outcome] of completed) {
    const billed = (byTransaction.get(transactionId) ?? []).filter((r) => r.state === 'billed');
    if (billed.length === 0 || billed[0]?.billedYen !== outcome.billedYen) audit.lost.push(transactionId);
  }
  for (const [transactionId, records] of byTransaction) {
    if (records.length > 1) audit.billedTwice.push(transactionId);
    const holder = holders.get(transactionId);
    if (holder !== undefined && records.some((r) => r.holderId !== holder))
      audit.wrongHolder.push(transactionId);
    if (records.some((r) => r.state === 'billed') && !completed.has(transactionId))
      audit.billedUndelivered.push(transactionId);
    if (records.every((r) => r.state === 'pending' || r.state === null)) audit.pending++;
  }
  return audit;
}
