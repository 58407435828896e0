/**
 * `npm run journal -- [--json] [--counts] [--day YYYY-MM-DD] [--journal PATH]`
 * The kiosk journal: each transaction's id, state, amount, refunds and whether the centre has
 * its delivery report; and the operator's counts (cards left on the reader, documents nobody
 * confirmed taking). `--counts` prints the counts alone. Default journal: var/kiosk-journal.sqlite
 * (or $KIOSK_JOURNAL), where `npm start`, `npm run kiosk:web` and `npm run issue` write.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openKioskJournal } from '../electron/journal/journal.ts';
import { defaultJournalPath, dayRange } from '../electron/journal/journal-path.ts';
import { fail, PROJECT_ROOT } from './cli-common.ts';

const USAGE = 'usage: npm run journal -- [--json] [--counts] [--day YYYY-MM-DD] [--journal PATH]';

function main(): number {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' },
      counts: { type: 'boolean' },
      day: { type: 'string' },
      journal: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const path = values.journal ?? defaultJournalPath(PROJECT_ROOT);
  if (!existsSync(path)) fail(`no kiosk journal at ${path} (run a transaction first, or pass --journal)`, 2);
  const range = values.day === undefined ? undefined : dayRange(values.day);
  if (values.day !== undefined && !range) fail('--day is a date, e.g. 2026-12-01 (Japan time)', 2);
  const journal = openKioskJournal(path);
  try {
    const counts = journal.counts(range ?? {});
    if (values.counts) {
      if (values.json)
        console.log(
          JSON.stringify({ journal: path, ...(values.day ? { day: values.day } : {}), counts }, null, 2),
        );
      else
        console.log(
          `${values.day ?? 'all days'}: cards left behind ${counts['card-left-behind']}, documents not collected ${counts['document-uncollected']}`,
        );
      return 0;
    }
    const entries = journal.list(range ?? {});
    const transactions = entries.map((e) => ({
      transactionId: e.transactionId,
      state: e.state,
      createdAt: new Date(e.createdAt).toISOString(),
      certificateType: e.certificateType,
      copies: e.copies,
      paidYen: e.paidYen,
      refundDueYen: e.refundDueYen,
      refundedYen: e.refundedYen,
      refundReason: e.refundReason,
      changeOwedYen: e.changeOwedYen,
      documentId: e.documentId,
      jobId: e.jobId,
      impressions: e.impressions,
      delivery:
        e.delivery === null
          ? null
          : {
              outcome: e.delivery,
              copies: e.deliveryCopies,
              acknowledged: e.deliveryAckedAt !== null,
              note: e.deliveryNote,
            },
    }));
    if (values.json) {
      console.log(JSON.stringify({ journal: path, transactions, counts }, null, 2));
      return 0;
    }
    console.log(`journal ${path}: ${transactions.length} transaction(s)`);
    for (const t of transactions) {
      const money = t.refundedYen
        ? ` refunded ${t.refundedYen}円`
        : t.refundDueYen
          ? ` REFUND DUE ${t.refundDueYen}円 (${t.refundReason})`
          : '';
      const change = t.changeOwedYen > 0 ? ` CHANGE OWED ${t.changeOwedYen}円` : '';
      const delivery = t.delivery
        ? ` centre: ${t.delivery.outcome}${t.delivery.acknowledged ? '' : ' (not yet acknowledged)'}`
        : '';
      console.log(
        `${t.createdAt}  ${t.transactionId}  ${t.state.padEnd(13)} ${t.certificateType ?? '-'} ×${t.copies ?? 0}  paid ${t.paidYen}円${money}${change}${delivery}`,
      );
    }
    console.log(
      `cards left behind: ${counts['card-left-behind']}, documents not collected: ${counts['document-uncollected']}`,
    );
    return 0;
  } finally {
    journal.close();
  }
}

process.exit(main());
