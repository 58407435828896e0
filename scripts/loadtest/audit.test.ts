import { describe, expect, it } from 'vitest';
import { auditLedger, type LedgerRow } from './audit.ts';
import type { TransactionOutcome } from './transaction.ts';

const T1 = '00000000-0000-4000-8000-000000000001';
const T2 = '00000000-0000-4000-8000-000000000002';
const T3 = '00000000-0000-4000-8000-000000000003';

const completed = (transactionId: string, holderId: string, billedYen = 300): TransactionOutcome => ({
  kind: 'completed',
  transactionId,
  holderId,
  billedYen,
  ms: 10,
  authenticateMs: 3,
  issueMs: 5,
  deliveryMs: 2,
});
const billed = (transactionId: string, holderId: string, billedYen = 300): LedgerRow => ({
  transactionId,
  holderId,
  state: 'billed',
  billedYen,
});

describe('the load test ledger audit', () => {
  it('finds nothing wrong when every completed transaction is billed once to its holder at its fee', () => {
    const audit = auditLedger(
      [
        billed(T1, 'H1'),
        billed(T2, 'H2'),
        { transactionId: T3, holderId: 'H3', state: null, billedYen: null },
      ],
      [
        completed(T1, 'H1'),
        completed(T2, 'H2'),
        { kind: 'failed', transactionId: T3, holderId: 'H3', step: 'delivery', lastError: 'x' },
      ],
    );
    expect(audit).toEqual({ lost: [], billedTwice: [], billedUndelivered: [], wrongHolder: [], pending: 1 });
  });

  it('calls a completed transaction lost when it is not billed, or billed at another amount', () => {
    const audit = auditLedger([billed(T2, 'H2', 600)], [completed(T1, 'H1'), completed(T2, 'H2')]);
    expect(audit.lost).toEqual([T1, T2]);
  });

  it('finds a transaction billed twice, billed without delivery, or recorded for another holder', () => {
    const audit = auditLedger(
      [billed(T1, 'H1'), billed(T1, 'H1'), billed(T2, 'H9'), billed(T3, 'H3')],
      [completed(T1, 'H1'), completed(T2, 'H2')],
    );
    expect(audit.billedTwice).toEqual([T1]);
    expect(audit.wrongHolder).toEqual([T2]);
    expect(audit.billedUndelivered).toEqual([T3]);
  });
});
