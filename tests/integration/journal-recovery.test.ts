/**
 * The kiosk journal with real parts (in-process card, the reference centre, a spool printer):
 * a delivered transaction is billed at the centre; a host stopped mid-transaction leaves the
 * journal as it was, and the next host resolves it before its first resident — reprinted when
 * nothing could have printed yet, refunded (with a slip, voided at the centre) when the print job
 * may already have left the printer. `npm run journal -- --json` and `npm run reconcile -- --json`
 * read the same journal file as an operator or an accountant would.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHostLogger } from '../../electron/host/logger.ts';
import { openKioskJournal } from '../../electron/journal/journal.ts';
import { reconcile } from '../../electron/journal/reconcile.ts';
import type { Printer } from '../../electron/printer/printer.ts';
import { payAtSlot, runTransaction, waitForScreen } from '../../scripts/dev/drive.ts';
import { startDevStack, type RunningStack, type StackOptions } from '../../scripts/dev/stack.ts';
import { openCentreRepository } from '../../server/db/openRepository.ts';
import { cardListRows } from '../../server/seed/index.ts';
import { runNpmScript } from '../support/run-command.ts';

const HOLDER = 'H0001';
const pin = () => cardListRows().find((row) => row.holderId === HOLDER)?.authPin as string;

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kiosk-journal-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function stackWith(journalPath: string, options: Partial<StackOptions> = {}): Promise<RunningStack> {
  return startDevStack({
    demoOpeningHours: true,
    worldDir: inject('worldDir'),
    outputDir: await mkdtemp(join(scratch, 'out-')),
    logger: createHostLogger({ level: 'silent' }),
    card: 'in-process',
    printer: 'spool',
    holderId: HOLDER,
    journalPath,
    ...options,
  });
}

async function centreBilling() {
  const repository = await openCentreRepository({ databasePath: join(inject('worldDir'), 'centre.sqlite') });
  try {
    return await repository.listBillingRecords();
  } finally {
    await repository.close();
  }
}

/** The JSON a command printed after npm's own header lines. */
function printedJson(stdout: string): unknown {
  return JSON.parse(stdout.slice(stdout.search(/^\{/m)));
}

/** Today in Japan time (the journal's and the centre's day), YYYY-MM-DD. */
const japanToday = () => new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);

/** Waits (bounded) until the journal owes the centre no delivery report. */
async function deliveriesSent(stack: RunningStack): Promise<void> {
  for (let i = 0; i < 200 && stack.journal.deliveriesDue().length > 0; i++)
    await new Promise((resolve) => setTimeout(resolve, 50));
  expect(stack.journal.deliveriesDue()).toEqual([]);
}

/**
 * A printer that takes a certificate job and never answers (the host is stopped while it
 * "prints"); refund slips it prints at once and notes.
 */
function hangingPrinter(slips: string[]): Printer {
  return {
    describe: () => 'printer that never finishes a certificate',
    status: async () => ({ kind: 'idle' }),
    print: (_pdf, job) => {
      if (!job.jobName.startsWith('refund-')) return new Promise(() => undefined);
      slips.push(job.jobName);
      return Promise.resolve({ ok: true, jobId: job.jobName });
    },
  };
}

/** Drives one resident up to the printing screen (the job has been handed to the printer). */
async function untilPrinting(stack: RunningStack): Promise<string> {
  const host = stack.host;
  host.send({ type: 'start' });
  await waitForScreen(host, ['pin-entry']);
  for (const digit of pin()) host.send({ type: 'pin-digit', digit: Number(digit) });
  host.send({ type: 'pin-submit' });
  await waitForScreen(host, ['menu']);
  host.send({ type: 'choose-certificate', certificateType: 'juminhyo' });
  await waitForScreen(host, ['confirm']);
  host.send({ type: 'confirm' });
  await waitForScreen(host, ['payment']);
  await payAtSlot(host, stack.insertMoney);
  const printing = await waitForScreen(host, ['printing']);
  return printing.transactionId as string;
}

describe('kiosk journal and recovery', () => {
  it('journals a delivered transaction step by step and the centre bills exactly the delivered copy', async () => {
    const journalPath = join(scratch, 'delivered.sqlite');
    const stack = await stackWith(journalPath);
    try {
      const outcome = await runTransaction(
        stack.host,
        {
          pin: pin(),
          certificateType: 'juminhyo',
          copies: 1,
        },
        stack.insertMoney,
      );
      if (outcome.kind !== 'printed') throw new Error(`expected printed, got ${outcome.kind}`);
      stack.host.send({ type: 'finish' });
      await waitForScreen(stack.host, ['welcome']);
      await deliveriesSent(stack);
      const tx = outcome.transactionId;
      expect(stack.journal.steps(tx).map((s) => s.state)).toEqual([
        'created',
        'authenticated',
        'paid',
        'issued',
        'printing',
        'printed',
        'done',
      ]);
      expect(stack.journal.get(tx)).toMatchObject({ state: 'done', paidYen: 1000, deliveryCopies: 1 });
      const billing = (await centreBilling()).filter((b) => b.transactionId === tx);
      expect(billing.map((b) => [b.state, b.settlement?.copies])).toEqual([['billed', 1]]);
      expect(reconcile(stack.journal.list(), billing, { includeUnknown: false }).differences).toEqual([]);
    } finally {
      await stack.close();
    }

    // The commands, on the journal file the host left: what the operator and the accountant read.
    const listed = await runNpmScript('journal', ['--json', '--journal', journalPath]);
    expect(listed.code).toBe(0);
    expect(printedJson(listed.stdout)).toMatchObject({
      journal: journalPath,
      transactions: [
        {
          state: 'done',
          certificateType: 'juminhyo',
          paidYen: 1000,
          delivery: { outcome: 'delivered', copies: 1, acknowledged: true },
        },
      ],
    });
    const reconciled = await runNpmScript('reconcile', [
      '--json',
      '--journal',
      journalPath,
      '--centre-db',
      join(inject('worldDir'), 'centre.sqlite'),
      '--day',
      japanToday(),
    ]);
    expect(reconciled.code).toBe(0);
    expect(printedJson(reconciled.stdout)).toMatchObject({ transactions: 1, differences: [] });
  });

  it('reprints a paid transaction left between issue and print, and refunds one left while printing', async () => {
    const journalPath = join(scratch, 'recovery.sqlite');
    // Two residents; the host is stopped while each job is at the printer.
    const stopped: string[] = [];
    const slips: string[] = [];
    for (let i = 0; i < 2; i++) {
      const stack = await stackWith(journalPath, { printer: hangingPrinter(slips) });
      try {
        stopped.push(await untilPrinting(stack));
      } finally {
        await stack.close();
      }
    }
    // The second host resolved the first one at its start: the job may have printed, so no reprint.
    const [refund, reprint] = stopped as [string, string];
    expect(slips).toEqual([`refund-${refund}`]);
    {
      // The first host died one step earlier: after 'issued', before 'printing' reached the disk.
      const raw = new Database(journalPath);
      raw.prepare("UPDATE transactions SET state = 'issued' WHERE transaction_id = ?").run(reprint);
      raw.prepare("DELETE FROM steps WHERE transaction_id = ? AND state = 'printing'").run(reprint);
      raw.close();
    }
    const stack = await stackWith(journalPath);
    try {
      expect(stack.recovery.outcomes.map((o) => [o.transactionId, o.outcome])).toEqual([
        [reprint, 'reprinted'],
      ]);
      expect((await readdir(stack.outputDir)).filter((f) => f.endsWith('.pdf'))).toEqual([`${reprint}.pdf`]);
      expect(stack.journal.get(reprint)).toMatchObject({ state: 'done', deliveryCopies: 1 });
      expect(stack.journal.get(refund)).toMatchObject({
        state: 'refund-due',
        refundDueYen: 1000,
        refundReason: 'print-interrupted',
      });
      await deliveriesSent(stack);
      const billing = (await centreBilling()).filter((b) => stopped.includes(b.transactionId));
      expect(Object.fromEntries(billing.map((b) => [b.transactionId, b.state]))).toEqual({
        [reprint]: 'billed',
        [refund]: 'voided',
      });
      expect(reconcile(stack.journal.list(), billing, { includeUnknown: false }).differences).toEqual([]);
    } finally {
      await stack.close();
    }
    // The journal file is what the operator lists: it survives the hosts.
    const journal = openKioskJournal(journalPath);
    try {
      expect(
        journal
          .list()
          .map((e) => e.state)
          .sort(),
      ).toEqual(['done', 'refund-due']);
    } finally {
      journal.close();
    }
  });
});
