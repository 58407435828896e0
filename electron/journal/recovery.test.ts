import { afterEach, describe, expect, it } from 'vitest';
import type { CentreClient } from '../host/centre-client.ts';
import type { DocumentRenderer, MunicipalityKeyRing } from '../host/issue-document.ts';
import type { JobLookup, PrintJob, PrintResult, Printer } from '../printer/printer.ts';
import type { KioskJournal } from './journal.ts';
import { tempJournals, writePaid } from './test-support/temp-journals.ts';
import { recoverJournal } from './recovery.ts';

const TX = '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';
const journals = tempJournals('kiosk-recovery-');
afterEach(() => journals.cleanUp());

/** A journal left by a host that stopped after writing `printing` (the job may be on its way). */
function leftPrinting(): KioskJournal {
  const journal = journals.open();
  writePaid(journal, TX, {
    certificateType: 'juminhyo',
    copies: 1,
    quotedFeeYen: 300,
    holderBinding: 'cd'.repeat(32),
    paidYen: 300,
  });
  journal.issued(TX, 'DOC-1', 1);
  journal.printing(TX);
  return journal;
}

/** A printer that answers lookups from a script of answers and records what it was asked. */
class ScriptedPrinter implements Printer {
  readonly calls: string[] = [];
  constructor(private readonly lookups: JobLookup[]) {}
  describe(): string {
    return 'scripted';
  }
  async status() {
    return { kind: 'idle' } as const;
  }
  async print(_pdf: Uint8Array, job: PrintJob): Promise<PrintResult> {
    this.calls.push(`print ${job.jobName}`);
    return { ok: true, jobId: job.jobName };
  }
  async findJob(jobName: string): Promise<JobLookup> {
    this.calls.push(`find ${jobName}`);
    return this.lookups.shift() ?? { kind: 'none' };
  }
  async cancelJob(jobId: string): Promise<void> {
    this.calls.push(`cancel ${jobId}`);
  }
}

function recover(j: KioskJournal, printer: Printer) {
  const centre = { delivery: async () => ({ ok: true, value: {} }) } as unknown as CentreClient;
  return recoverJournal({
    journal: j,
    centre,
    keyRing: {} as MunicipalityKeyRing,
    render: (() => {
      throw new Error('no document is rendered when the job is looked up');
    }) as unknown as DocumentRenderer,
    printer,
    terminalId: 'S0001-T01',
  });
}

describe('recovery of a transaction left printing', () => {
  it('closes it as delivered when the printer reports the job completed, with its impressions', async () => {
    const j = leftPrinting();
    const printer = new ScriptedPrinter([{ kind: 'completed', jobId: '12', impressions: 1 }]);
    const report = await recover(j, printer);
    expect(report.outcomes).toEqual([{ transactionId: TX, from: 'printing', outcome: 'completed' }]);
    expect(j.get(TX)).toMatchObject({ state: 'done', jobId: '12', impressions: 1, delivery: 'delivered' });
    expect(printer.calls).toEqual([`find ${TX}`]);
  });

  it('cancels a job still queued, so it cannot come out later, and owes the refund', async () => {
    const j = leftPrinting();
    const printer = new ScriptedPrinter([
      { kind: 'active', jobId: '13' },
      { kind: 'ended', jobId: '13' },
    ]);
    const report = await recover(j, printer);
    expect(report.outcomes).toMatchObject([{ outcome: 'refund-due', reason: 'print-interrupted' }]);
    expect(j.get(TX)).toMatchObject({ state: 'refund-due', refundDueYen: 300, delivery: 'voided' });
    expect(printer.calls).toEqual([`find ${TX}`, 'cancel 13', `find ${TX}`, `print refund-${TX}`]);
  });

  it('counts a job that completed while it was being cancelled as delivered', async () => {
    const j = leftPrinting();
    const printer = new ScriptedPrinter([
      { kind: 'active', jobId: '14' },
      { kind: 'completed', jobId: '14' },
    ]);
    expect((await recover(j, printer)).outcomes).toMatchObject([{ outcome: 'completed' }]);
    expect(j.get(TX)).toMatchObject({ state: 'done', jobId: '14' });
  });

  it('never prints the document again when the printer has no such job or does not answer', async () => {
    for (const lookup of [{ kind: 'none' }, { kind: 'unknown', detail: 'no answer' }] as JobLookup[]) {
      const j = leftPrinting();
      const printer = new ScriptedPrinter([lookup]);
      expect((await recover(j, printer)).outcomes).toMatchObject([{ outcome: 'refund-due' }]);
      expect(printer.calls).toEqual([`find ${TX}`, `print refund-${TX}`]);
      j.close();
    }
  });
});

describe('recovery of a transaction left mid-payment', () => {
  function leftMidPayment(creditYen: number): KioskJournal {
    const journal = journals.open();
    journal.created(TX, 'S0001-T01');
    journal.authenticated(TX, '131016');
    if (creditYen > 0) expect(journal.credited(TX, creditYen)).toEqual({ ok: true });
    return journal;
  }

  it('owes back the money already in the slot: refund-due with a slip, never abandoned', async () => {
    const j = leftMidPayment(200);
    const printer = new ScriptedPrinter([]);
    const report = await recover(j, printer);
    expect(report.abandoned).toBe(0);
    expect(report.outcomes).toMatchObject([
      { transactionId: TX, from: 'authenticated', outcome: 'refund-due', reason: 'host-stopped-mid-payment' },
    ]);
    expect(j.get(TX)).toMatchObject({ state: 'refund-due', paidYen: 200 });
  });

  it('abandons a transaction with nothing in the slot', async () => {
    const j = leftMidPayment(0);
    const report = await recover(j, new ScriptedPrinter([]));
    expect(report).toMatchObject({ abandoned: 1, outcomes: [] });
    expect(j.get(TX)?.state).toBe('abandoned');
  });
});
