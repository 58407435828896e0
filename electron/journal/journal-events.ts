import type { TransactionEvent } from '../host/session-machine.ts';
import type { KioskJournal } from './journal.ts';

/**
 * The session's transaction events written to the journal, each before the host takes the next
 * step (better-sqlite3 writes synchronously; the machine emits the event before it invokes the
 * step). Returns what the journal refused, for the log: a refusal never stops the session.
 */
export function journalTransactionEvent(
  journal: KioskJournal,
  terminalId: string,
  event: TransactionEvent,
): string | undefined {
  const tx = event.transactionId;
  const write = (() => {
    switch (event.kind) {
      case 'started':
        return journal.created(tx, terminalId);
      case 'authenticated':
        return journal.authenticated(tx, event.municipalityCode);
      case 'credit':
        return journal.credited(tx, event.totalYen);
      case 'paid':
        return journal.paid(tx, {
          certificateType: event.certificateType,
          copies: event.copies,
          quotedFeeYen: event.quotedFeeYen,
          ...(event.options ? { options: event.options } : {}),
          holderBinding: event.holderBinding,
          paidYen: event.yen,
        });
      case 'issued':
        return journal.issued(tx, event.documentId, event.pageCount);
      case 'printing':
        return journal.printing(tx);
      case 'printed':
        return journal.printed(tx, {
          jobId: event.jobId,
          copies: event.copies,
          ...(event.impressions === undefined ? {} : { impressions: event.impressions }),
        });
      case 'failed': {
        const entry = journal.get(tx);
        if (entry && entry.paidYen > 0 && ['paid', 'issued', 'printing'].includes(entry.state))
          return journal.refundDue(tx, event.error, entry.paidYen);
        return undefined;
      }
      case 'refunded': {
        const entry = journal.get(tx);
        if (entry && entry.state !== 'refund-due') {
          const due = journal.refundDue(tx, 'refund', event.yen);
          if (!due.ok) return due;
        }
        return journal.refunded(tx, event.yen);
      }
      case 'ended': {
        const entry = journal.get(tx);
        if (entry?.state === 'printed') return journal.done(tx);
        // Money in the slot that was neither settled nor paid back stays owed: never abandoned.
        if (entry?.state === 'authenticated' && entry.paidYen > 0)
          return journal.refundDue(tx, 'ended-with-credit', entry.paidYen);
        if (entry?.state === 'created' || entry?.state === 'authenticated') return journal.abandoned(tx);
        return undefined;
      }
      case 'left-behind':
        journal.leftBehind(tx, event.item);
        return undefined;
      case 'owed':
        // A refund the machine could not pay is recorded here, also when the device failed before
        // the fee was covered (nothing "paid" yet); change it could not pay, beside the paid step.
        return event.reason === 'refund' ? journal.owed(tx, event.yen) : journal.changeOwed(tx, event.yen);
      case 'registration-filed':
        return undefined;
    }
  })();
  if (write && !write.ok) return `${event.kind}: ${write.problem}${write.state ? ` (${write.state})` : ''}`;
  return undefined;
}
