import type { CertificateType, IssueOptions } from '../../protocol/index.ts';
import type { Printer } from '../printer/printer.ts';
import type { CentreClient } from '../host/centre-client.ts';
import { issueDocument, type DocumentRenderer, type MunicipalityKeyRing } from '../host/issue-document.ts';
import { flushDeliveries, type DeliveryFlush } from './delivery-outbox.ts';
import type { JournalEntry, JournalState, KioskJournal } from './journal.ts';
import { refundSlipPdf } from './refund-slip.ts';

export interface RecoveryParts {
  journal: KioskJournal;
  centre: CentreClient;
  keyRing: MunicipalityKeyRing;
  render: DocumentRenderer;
  printer: Printer;
  terminalId: string;
}

export type RecoveryOutcome =
  /** Paid and not printed: fetched again from the centre (same transaction id) and printed. */
  | { transactionId: string; from: JournalState; outcome: 'reprinted'; jobId: string }
  /**
   * Printed before the host stopped (journaled, or the printer reports the job it was printing
   * as completed): the resident's session is closed as delivered.
   */
  | { transactionId: string; from: JournalState; outcome: 'completed' }
  /** Could not be delivered safely: the money is owed back; a slip says so when the printer can. */
  | {
      transactionId: string;
      from: JournalState;
      outcome: 'refund-due';
      reason: string;
      slipPrinted: boolean;
    };

export interface RecoveryReport {
  outcomes: RecoveryOutcome[];
  /** Started and never paid: closed as abandoned (nothing to deliver, nothing to refund). */
  abandoned: number;
  deliveries: DeliveryFlush;
}

/**
 * Resolves every transaction a stopped host left unfinished, before the first resident:
 * - created or authenticated, nothing in the slot → abandoned; money in the slot but the fee not
 *   covered (the host stopped mid-payment) → refund-due with a slip;
 * - printed → done (delivered);
 * - paid or issued, printer ready → the same document fetched again (issue is idempotent on the
 *   transaction id; bound to the card that paid, seal checked) and printed → done;
 * - printing → the printer is asked for the job named after the transaction: completed → printed
 *   → done (with the impressions it reports); still queued → cancelled, then refund-due; not
 *   there, ended, or no answer → refund-due: a document is never printed twice;
 * - anything that cannot be delivered → refund-due, with a refund slip when the printer can print.
 * Then every delivery report owed to the centre is sent.
 */
export async function recoverJournal(parts: RecoveryParts): Promise<RecoveryReport> {
  const outcomes: RecoveryOutcome[] = [];
  let abandoned = 0;
  for (const entry of parts.journal.unpaid()) {
    // Coins or notes went in, and the host stopped before the fee was covered: they are owed back.
    if (entry.paidYen > 0) outcomes.push(await refund(parts, entry, 'host-stopped-mid-payment'));
    else if (parts.journal.abandoned(entry.transactionId).ok) abandoned += 1;
  }
  for (const entry of parts.journal.unfinished()) outcomes.push(await recoverOne(parts, entry));
  const deliveries = await flushDeliveries(parts.journal, parts.centre);
  return { outcomes, abandoned, deliveries };
}

async function recoverOne(parts: RecoveryParts, entry: JournalEntry): Promise<RecoveryOutcome> {
  const { journal } = parts;
  const tx = entry.transactionId;
  const from = entry.state;
  if (from === 'printed') {
    journal.done(tx);
    return { transactionId: tx, from, outcome: 'completed' };
  }
  if (from === 'printing') return recoverPrinting(parts, entry);
  const status = await parts.printer.status();
  if (status.kind !== 'idle' && status.kind !== 'processing')
    return refund(parts, entry, 'printer-not-ready');
  if (
    entry.certificateType === null ||
    entry.copies === null ||
    entry.quotedFeeYen === null ||
    !entry.holderBinding
  )
    return refund(parts, entry, 'journal-incomplete');
  const issued = await issueDocument({
    centre: parts.centre,
    keyRing: parts.keyRing,
    render: parts.render,
    terminalId: parts.terminalId,
    transactionId: tx,
    certificateType: entry.certificateType as CertificateType,
    copies: entry.copies,
    quotedFeeYen: entry.quotedFeeYen,
    ...(entry.options ? { options: entry.options as IssueOptions } : {}),
    holderBinding: entry.holderBinding,
  });
  // The centre's code when it refused (refetch-issue-replay-refused, refetch-fee-changed …).
  if (!issued.ok) return refund(parts, entry, `refetch-${issued.detail ?? issued.error}`);
  if (from === 'paid') journal.issued(tx, issued.documentId, issued.pageCount);
  else if (entry.documentId !== null && entry.documentId !== issued.documentId) {
    issued.pdf.fill(0);
    return refund(parts, entry, 'refetch-other-document');
  }
  journal.printing(tx);
  const printed = await parts.printer.print(issued.pdf, { jobName: tx, copies: entry.copies });
  issued.pdf.fill(0);
  if (!printed.ok) return refund(parts, { ...entry, state: 'printing' }, `reprint-${printed.failure.kind}`);
  journal.printed(tx, {
    jobId: printed.jobId,
    copies: entry.copies,
    ...(printed.impressions === undefined ? {} : { impressions: printed.impressions }),
  });
  journal.done(tx);
  return { transactionId: tx, from, outcome: 'reprinted', jobId: printed.jobId };
}

/** The host stopped with a job on its way: what the printer did with it decides. */
async function recoverPrinting(parts: RecoveryParts, entry: JournalEntry): Promise<RecoveryOutcome> {
  const { printer } = parts;
  const tx = entry.transactionId;
  let found = printer.findJob ? await printer.findJob(tx) : undefined;
  if (found?.kind === 'active' && printer.cancelJob && printer.findJob) {
    await printer.cancelJob(found.jobId);
    // It may have completed while it was being cancelled.
    found = await printer.findJob(tx);
  }
  if (found?.kind !== 'completed') return refund(parts, entry, 'print-interrupted');
  parts.journal.printed(tx, {
    jobId: found.jobId,
    copies: entry.copies ?? 1,
    ...(found.impressions === undefined ? {} : { impressions: found.impressions }),
  });
  parts.journal.done(tx);
  return { transactionId: tx, from: entry.state, outcome: 'completed' };
}

async function refund(parts: RecoveryParts, entry: JournalEntry, reason: string): Promise<RecoveryOutcome> {
  const yen = entry.paidYen;
  parts.journal.refundDue(entry.transactionId, reason, yen);
  let slipPrinted = false;
  const status = await parts.printer.status();
  if (status.kind === 'idle' || status.kind === 'processing') {
    const slip = await refundSlipPdf({
      transactionId: entry.transactionId,
      terminalId: entry.terminalId,
      yen,
      reason,
      at: new Date(),
    });
    const printed = await parts.printer.print(slip, { jobName: `refund-${entry.transactionId}`, copies: 1 });
    slipPrinted = printed.ok;
  }
  return {
    transactionId: entry.transactionId,
    from: entry.state,
    outcome: 'refund-due',
    reason,
    slipPrinted,
  };
}
