import { describe, expect, it } from 'vitest';
import { receiptNumberOf } from '../host/receipt-number.ts';
import { openKioskJournal } from '../journal/journal.ts';
import { recoveryListOf } from './recovery-list.ts';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';
const T0 = Date.parse('2026-12-02T01:00:00Z');

function paid(journal: ReturnType<typeof openKioskJournal>, tx: string) {
  expect(journal.created(tx, 'S0001-T01').ok).toBe(true);
  expect(journal.authenticated(tx, '131016').ok).toBe(true);
  expect(
    journal.paid(tx, {
      certificateType: 'juminhyo',
      copies: 1,
      quotedFeeYen: 200,
      holderBinding: 'ab'.repeat(32),
      paidYen: 200,
    }).ok,
  ).toBe(true);
}

describe("the operator's recovery list", () => {
  it('lists each recovered transaction by 受付番号 and start time, oldest first, with what became of it since', () => {
    let now = T0;
    const journal = openKioskJournal(':memory:', () => now);
    try {
      paid(journal, A);
      now += 60_000;
      paid(journal, B);
      now += 60_000;
      paid(journal, C);
      expect(journal.refundDue(B, 'printer-not-ready', 200).ok).toBe(true);
      expect(journal.refundDue(C, 'host-stopped-mid-payment', 200).ok).toBe(true);
      const report = {
        outcomes: [
          {
            transactionId: C,
            from: 'paid' as const,
            outcome: 'refund-due' as const,
            reason: 'x',
            slipPrinted: true,
          },
          { transactionId: A, from: 'paid' as const, outcome: 'reprinted' as const, jobId: 'job-1' },
          {
            transactionId: B,
            from: 'paid' as const,
            outcome: 'refund-due' as const,
            reason: 'y',
            slipPrinted: false,
          },
        ],
      };
      const before = recoveryListOf(report, journal);
      expect(before).toEqual([
        { receiptNumber: receiptNumberOf(A), startedAt: '2026-12-02T01:00:00.000Z', action: 'reprinted' },
        {
          receiptNumber: receiptNumberOf(B),
          startedAt: '2026-12-02T01:01:00.000Z',
          action: 'refund-due',
          yen: 200,
        },
        {
          receiptNumber: receiptNumberOf(C),
          startedAt: '2026-12-02T01:02:00.000Z',
          action: 'refund-due',
          yen: 200,
        },
      ]);
      // The store pays B back at the counter: the list says so on the next look.
      expect(journal.refunded(B, 200).ok).toBe(true);
      expect(recoveryListOf(report, journal)[1]).toEqual({
        receiptNumber: receiptNumberOf(B),
        startedAt: '2026-12-02T01:01:00.000Z',
        action: 'refunded',
        yen: 200,
      });
      // Ids never reach the operator: only the 8-digit number.
      expect(JSON.stringify(before)).not.toMatch(new RegExp(`${A}|${B}|${C}|(ab){32}`));
    } finally {
      journal.close();
    }
  });
});
