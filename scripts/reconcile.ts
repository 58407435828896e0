/**
 * `npm run reconcile -- [--json] [--day YYYY-MM-DD] [--journal PATH] [--centre-db PATH | --centre-database-url URL]`
 * The kiosk's journal against the centre's billing, per transaction: every difference is
 * printed; exit 0 when there are none, 1 when there are. Defaults: var/kiosk-journal.sqlite and
 * the dev world's centre database (var/world/centre.sqlite).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openKioskJournal } from '../electron/journal/journal.ts';
import { dayRange, defaultJournalPath } from '../electron/journal/journal-path.ts';
import { reconcile } from '../electron/journal/reconcile.ts';
import { openCentreRepository } from '../server/db/openRepository.ts';
import { defaultWorldDir } from './dev/stack.ts';
import { fail, PROJECT_ROOT } from './cli-common.ts';

const USAGE =
  'usage: npm run reconcile -- [--json] [--day YYYY-MM-DD] [--journal PATH] [--centre-db PATH | --centre-database-url URL]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' },
      day: { type: 'string' },
      journal: { type: 'string' },
      'centre-db': { type: 'string' },
      'centre-database-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const journalPath = values.journal ?? defaultJournalPath(PROJECT_ROOT);
  if (!existsSync(journalPath)) fail(`no kiosk journal at ${journalPath}`, 2);
  const range = values.day === undefined ? undefined : dayRange(values.day);
  if (values.day !== undefined && !range) fail('--day is a date, e.g. 2026-12-01 (Japan time)', 2);
  const centreDb = values['centre-db'] ?? join(defaultWorldDir(PROJECT_ROOT), 'centre.sqlite');
  const databaseUrl = values['centre-database-url'];
  if (!databaseUrl && !existsSync(centreDb)) fail(`no centre database at ${centreDb}`, 2);

  const journal = openKioskJournal(journalPath);
  const repository = await openCentreRepository(databaseUrl ? { databaseUrl } : { databasePath: centreDb });
  try {
    const entries = journal.list(range ?? {});
    const billing = await repository.listBillingRecords();
    // With a day, the centre's rows are those of the day's transactions; without, every row
    // unknown to the journal is a difference too.
    const report = reconcile(entries, billing, { includeUnknown: range === undefined });
    if (values.json)
      console.log(JSON.stringify({ journal: journalPath, day: values.day ?? null, ...report }, null, 2));
    else {
      console.log(
        `${report.transactions} transaction(s); delivered ${report.delivered.kiosk} cop(ies), billed ${report.delivered.billedAtCentre}; ` +
          `collected ${report.yen.collected}円, refunded ${report.yen.refunded}円, refund due ${report.yen.refundDue}円, billed ${report.yen.billed}円`,
      );
      for (const d of report.differences)
        console.log(`difference: ${d.transactionId} ${d.kind} ${JSON.stringify(d)}`);
      console.log(`${report.differences.length} difference(s)`);
    }
    return report.differences.length === 0 ? 0 : 1;
  } finally {
    journal.close();
    await repository.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => fail(error instanceof Error ? error.message : String(error)),
);
