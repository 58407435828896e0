import type { JournalEntry } from './journal.ts';

/** The centre's billing row as reconcile needs it (server/db/records.ts BillingEntry). */
export interface CentreBilling {
  transactionId: string;
  copies: number;
  feeYenTotal: number;
  state: 'pending' | 'billed' | 'voided';
  settlement?: { outcome: 'delivered' | 'voided'; copies: number; billedYen: number };
}

export type ReconcileDifference =
  /** Delivered at the kiosk, not billed (yet) at the centre: the delivery report is still owed. */
  | { transactionId: string; kind: 'delivered-not-billed'; kioskCopies: number; centre: string }
  /** Billed for other copies than the kiosk delivered. */
  | { transactionId: string; kind: 'copies-differ'; kioskCopies: number; billedCopies: number }
  /** Billed while the kiosk refunded (or owes a refund). */
  | { transactionId: string; kind: 'billed-but-refunded'; billedYen: number; kioskState: string }
  /** Issued at the centre and still pending: the kiosk never settled it. */
  | { transactionId: string; kind: 'pending-at-centre'; kioskState: string }
  /** Billed at the centre, unknown to this kiosk's journal. */
  | { transactionId: string; kind: 'unknown-to-kiosk'; centreState: string }
  /** Paid at the kiosk and neither delivered nor refunded (recovery has not run). */
  | { transactionId: string; kind: 'unresolved-at-kiosk'; kioskState: string };

export interface ReconcileReport {
  transactions: number;
  delivered: { kiosk: number; billedAtCentre: number };
  /** collected: fee × copies of every paid transaction; refunds: paid back or owed; billed: at the centre. */
  yen: { collected: number; refunded: number; refundDue: number; billed: number };
  differences: ReconcileDifference[];
}

/**
 * The kiosk's journal against the centre's billing, per transaction id. 0 differences means:
 * every delivered copy billed, nothing billed that was refunded, nothing left pending.
 */
export function reconcile(
  journal: readonly JournalEntry[],
  billing: readonly CentreBilling[],
  options: { includeUnknown: boolean },
): ReconcileReport {
  const byId = new Map(billing.map((b) => [b.transactionId, b]));
  const differences: ReconcileDifference[] = [];
  const yen = { collected: 0, refunded: 0, refundDue: 0, billed: 0 };
  let kioskDelivered = 0;
  let centreBilled = 0;
  for (const entry of journal) {
    const b = byId.get(entry.transactionId);
    const tx = entry.transactionId;
    // What the resident owed for the request (inserted money above it went back as change).
    yen.collected += (entry.quotedFeeYen ?? 0) * (entry.copies ?? 0);
    yen.refunded += entry.refundedYen ?? 0;
    if (entry.state === 'refund-due') yen.refundDue += entry.refundDueYen ?? 0;
    if (b?.state === 'billed') {
      yen.billed += b.settlement?.billedYen ?? 0;
      centreBilled += b.settlement?.copies ?? 0;
    }
    if (entry.state === 'done') {
      const copies = entry.deliveryCopies ?? 0;
      kioskDelivered += copies;
      if (!b || b.state !== 'billed')
        differences.push({
          transactionId: tx,
          kind: 'delivered-not-billed',
          kioskCopies: copies,
          centre: b?.state ?? 'none',
        });
      else if ((b.settlement?.copies ?? 0) !== copies)
        differences.push({
          transactionId: tx,
          kind: 'copies-differ',
          kioskCopies: copies,
          billedCopies: b.settlement?.copies ?? 0,
        });
    } else if (entry.state === 'refund-due' || entry.state === 'refunded') {
      if (b?.state === 'billed')
        differences.push({
          transactionId: tx,
          kind: 'billed-but-refunded',
          billedYen: b.settlement?.billedYen ?? 0,
          kioskState: entry.state,
        });
      else if (b?.state === 'pending')
        differences.push({ transactionId: tx, kind: 'pending-at-centre', kioskState: entry.state });
    } else if (['paid', 'issued', 'printing', 'printed'].includes(entry.state)) {
      differences.push({ transactionId: tx, kind: 'unresolved-at-kiosk', kioskState: entry.state });
    } else if (b) {
      // created / authenticated / abandoned: nothing was paid, so nothing may be issued or billed.
      if (b.state !== 'voided')
        differences.push(
          b.state === 'billed'
            ? {
                transactionId: tx,
                kind: 'billed-but-refunded',
                billedYen: b.settlement?.billedYen ?? 0,
                kioskState: entry.state,
              }
            : { transactionId: tx, kind: 'pending-at-centre', kioskState: entry.state },
        );
    }
  }
  if (options.includeUnknown) {
    const known = new Set(journal.map((e) => e.transactionId));
    for (const b of billing)
      if (!known.has(b.transactionId) && b.state !== 'voided')
        differences.push({ transactionId: b.transactionId, kind: 'unknown-to-kiosk', centreState: b.state });
  }
  return {
    transactions: journal.length,
    delivered: { kiosk: kioskDelivered, billedAtCentre: centreBilled },
    yen,
    differences,
  };
}
