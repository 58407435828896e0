import { describe, expect, it } from 'vitest';
import { openKioskJournal } from './journal.ts';
import { reconcile, type CentreBilling } from './reconcile.ts';

const ids = Array.from({ length: 6 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);

function journalOf() {
  const j = openKioskJournal(':memory:');
  const pay = (tx: string) => {
    j.created(tx, 'S0001-T01');
    j.authenticated(tx, '131016');
    j.paid(tx, {
      certificateType: 'juminhyo',
      copies: 1,
      quotedFeeYen: 200,
      holderBinding: 'ab'.repeat(32),
      paidYen: 200,
    });
  };
  // 0: delivered; 1: refunded; 2: delivered; 3: still paid (host stopped, not recovered); 4: abandoned
  for (const tx of [ids[0]!, ids[2]!]) {
    pay(tx);
    j.issued(tx, `DOC000000000000${tx.at(-1)}`, 1);
    j.printing(tx);
    j.printed(tx, { jobId: '1', copies: 1 });
    j.done(tx);
  }
  pay(ids[1]!);
  j.refundDue(ids[1]!, 'printer-jammed', 200);
  j.refunded(ids[1]!, 200);
  pay(ids[3]!);
  j.created(ids[4]!, 'S0001-T01');
  j.abandoned(ids[4]!);
  return j;
}

const billed = (transactionId: string, copies = 1): CentreBilling => ({
  transactionId,
  copies,
  feeYenTotal: 200 * copies,
  state: 'billed',
  settlement: { outcome: 'delivered', copies, billedYen: 200 * copies },
});

describe('reconcile: kiosk journal against the centre billing', () => {
  it('finds no difference when every delivery is billed and every refund voided', () => {
    const j = journalOf();
    j.refundDue(ids[3]!, 'print-interrupted', 200);
    const report = reconcile(
      j.list(),
      [
        billed(ids[0]!),
        billed(ids[2]!),
        { transactionId: ids[1]!, copies: 1, feeYenTotal: 200, state: 'voided' },
      ],
      { includeUnknown: true },
    );
    expect(report.differences).toEqual([]);
    expect(report.delivered).toEqual({ kiosk: 2, billedAtCentre: 2 });
    expect(report.yen).toEqual({ collected: 800, refunded: 200, refundDue: 200, billed: 400 });
  });

  it('names each kind of difference', () => {
    const j = journalOf();
    const report = reconcile(
      j.list(),
      [
        { transactionId: ids[0]!, copies: 1, feeYenTotal: 200, state: 'pending' },
        billed(ids[1]!),
        billed(ids[2]!, 2),
        billed(ids[5]!),
      ],
      { includeUnknown: true },
    );
    expect(report.differences.map((d) => [d.transactionId, d.kind]).sort()).toEqual(
      [
        [ids[0]!, 'delivered-not-billed'],
        [ids[1]!, 'billed-but-refunded'],
        [ids[2]!, 'copies-differ'],
        [ids[3]!, 'unresolved-at-kiosk'],
        [ids[5]!, 'unknown-to-kiosk'],
      ].sort(),
    );
  });
});
