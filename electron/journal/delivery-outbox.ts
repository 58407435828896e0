import type { CentreClient } from '../host/centre-client.ts';
import type { KioskJournal } from './journal.ts';

export interface DeliveryFlush {
  acknowledged: number;
  /** Still owed to the centre (unreachable, or an answer to try again). */
  pending: number;
}

/**
 * Billing follows delivery: every delivery report the journal owes the centre is sent, oldest
 * first, until the centre acknowledges it. Safe to repeat (the centre's endpoint is idempotent);
 * called at start, after every session and on a timer.
 */
export async function flushDeliveries(
  journal: KioskJournal,
  centre: Pick<CentreClient, 'delivery'>,
): Promise<DeliveryFlush> {
  let acknowledged = 0;
  let pending = 0;
  for (const entry of journal.deliveriesDue()) {
    if (entry.delivery === null) continue;
    journal.deliveryAttempted(entry.transactionId);
    const answer = await centre.delivery(entry.transactionId, {
      terminalId: entry.terminalId,
      outcome: entry.delivery,
      copies: entry.delivery === 'voided' ? 0 : (entry.deliveryCopies ?? 0),
    });
    if (answer.ok) {
      journal.deliveryAcknowledged(entry.transactionId);
      acknowledged += 1;
    } else if (
      answer.failure.kind === 'centre-error' &&
      answer.failure.code === 'not-issued' &&
      entry.delivery === 'voided'
    ) {
      // Nothing was issued (refused, or the issue never reached the centre): nothing to void.
      journal.deliveryAcknowledged(entry.transactionId, 'not-issued');
      acknowledged += 1;
    } else if (answer.failure.kind === 'centre-error' && answer.failure.code === 'delivery-conflict') {
      // The centre holds another report: settled there; reconcile shows the difference.
      journal.deliveryAcknowledged(entry.transactionId, 'delivery-conflict');
      acknowledged += 1;
    } else {
      pending += 1;
    }
  }
  return { acknowledged, pending };
}
