/**
 * The operator's recovery list: what recovery did at this start to each transaction a stopped host
 * left unfinished, with its state read again from the journal (a refund due at start may have been
 * paid back since). The 受付番号, the start time, the action and an amount: nothing else.
 */
import type { RecoveredTransactionView } from '../kiosk-api.ts';
import { receiptNumberOf } from '../host/receipt-number.ts';
import type { KioskJournal } from '../journal/journal.ts';
import type { RecoveryReport } from '../journal/recovery.ts';

export function recoveryListOf(
  report: Pick<RecoveryReport, 'outcomes'>,
  journal: Pick<KioskJournal, 'get'>,
): RecoveredTransactionView[] {
  const rows = report.outcomes.map((outcome) => {
    const entry = journal.get(outcome.transactionId);
    const startedAt = entry?.createdAt ?? 0;
    const base = { receiptNumber: receiptNumberOf(outcome.transactionId), startedAt };
    if (outcome.outcome !== 'refund-due') return { ...base, action: outcome.outcome };
    if (entry?.state === 'refunded')
      return { ...base, action: 'refunded' as const, yen: entry.refundedYen ?? 0 };
    const owed = (entry?.refundDueYen ?? 0) - (entry?.refundedYen ?? 0);
    return { ...base, action: 'refund-due' as const, yen: owed };
  });
  return rows
    .sort((a, b) => a.startedAt - b.startedAt)
    .map((row) => ({ ...row, startedAt: new Date(row.startedAt).toISOString() }));
}
