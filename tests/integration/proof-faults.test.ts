/**
 * Issue 9's proof cases the other files did not cover end to end, with real parts (in-process
 * card, the reference centre in this file's own test world, ippeveprinter, the ccTalk payment
 * simulator, a journal file): the printer failing mid-job (paper out, jam, cover open — each
 * ippeveprinter job program reports the state and fails the job), the fee changed between the
 * menu and the issue, and the same transaction id fetched again with different options. Each
 * checks what the resident sees, that the card is given back (the next resident's session can
 * open it), that every yen came back, the journal's state and the centre's billing.
 *
 * Covered elsewhere: change empty, note jam, device offline mid-payment and coins returned on
 * cancel (payment-session.test.ts); paper out at the session level without the journal
 * (host-session.test.ts); the centre's own refusals (server/municipal/*.test.ts).
 */
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostLogger } from '../../electron/host/logger.ts';
import type { KioskScreen, KioskSnapshot } from '../../electron/kiosk-api.ts';
import { IppPrinter, type Printer } from '../../electron/printer/index.ts';
import { payAtSlot, runTransaction, waitForScreen, waitForSnapshot } from '../../scripts/dev/drive.ts';
import { startDevStack, type RunningStack } from '../../scripts/dev/stack.ts';
import { openCentreRepository } from '../../server/db/openRepository.ts';
import { cardListRows, loadSeedWorld } from '../../server/seed/index.ts';
import { startTestPrinter, type TestPrinter } from '../support/services.ts';

const HOLDER = 'H0003';
const pin = () => cardListRows(loadSeedWorld()).find((r) => r.holderId === HOLDER)?.authPin ?? '';

let scratch: string;
let worldDir: string;
let journalPath: string;
const printers = new Map<'healthy' | 'paper-out' | 'jam' | 'cover-open', TestPrinter>();
/** The printer the host prints on now: each case points it at the ippeveprinter it needs. */
let current: Printer;
const switchable: Printer = {
  describe: () => current.describe(),
  status: () => current.status(),
  print: (pdf, job) => current.print(pdf, job),
};

async function jobProgram(name: string, state: string): Promise<string> {
  const path = join(scratch, `${name}.sh`);
  await writeFile(path, `#!/bin/sh\necho "STATE: +${state}" >&2\nexit 1\n`);
  await chmod(path, 0o755);
  return path;
}

function use(name: Parameters<typeof printers.get>[0]): TestPrinter {
  const printer = printers.get(name) as TestPrinter;
  current = new IppPrinter({ url: printer.url });
  return printer;
}

async function startStack(): Promise<RunningStack> {
  return startDevStack({
    worldDir,
    outputDir: await mkdtemp(join(scratch, 'unused-')),
    logger: createHostLogger({ level: 'silent' }),
    card: 'in-process',
    printer: switchable,
    holderId: HOLDER,
    journalPath,
    // Tests run at any hour: opening hours alone are judged on the demo clock.
    demoOpeningHours: true,
  });
}

let stack: RunningStack;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kiosk-proof-'));
  // Its own world: the fee is changed at the centre mid-session, which no other file may see.
  worldDir = join(scratch, 'world');
  journalPath = join(scratch, 'journal', 'kiosk-journal.sqlite');
  printers.set('healthy', await startTestPrinter());
  printers.set(
    'paper-out',
    await startTestPrinter({ command: await jobProgram('paper', 'media-empty-error') }),
  );
  printers.set('jam', await startTestPrinter({ command: await jobProgram('jam', 'media-jam-error') }));
  printers.set(
    'cover-open',
    await startTestPrinter({ command: await jobProgram('cover', 'cover-open-error') }),
  );
  use('healthy');
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
  for (const printer of printers.values()) await printer.stop();
  await rm(scratch, { recursive: true, force: true });
});

type ErrorView = Extract<KioskScreen, { screen: 'error' }>;

/** The error screen once the refund step is over. */
async function settledError(): Promise<ErrorView> {
  const snapshot: KioskSnapshot = await waitForSnapshot(
    stack.host,
    (s) => s.view.screen === 'error' && s.view.refunding !== true,
    'the refund',
  );
  return snapshot.view as ErrorView;
}

/** 終了, then the next resident's session opens the same card: it was given back, not held. */
async function finishAndCardReturned(): Promise<void> {
  expect(stack.host.send({ type: 'finish' })).toEqual({ accepted: true });
  await waitForScreen(stack.host, ['welcome']);
  use('healthy');
  for (let i = 0; i < 100 && !stack.host.send({ type: 'start' }).accepted; i++)
    await new Promise((resolve) => setTimeout(resolve, 20));
  expect((await waitForScreen(stack.host, ['pin-entry', 'error'])).view.screen).toBe('pin-entry');
  stack.host.send({ type: 'cancel' });
  await waitForScreen(stack.host, ['error']);
  stack.host.send({ type: 'finish' });
  await waitForScreen(stack.host, ['welcome']);
}

async function trayYen(): Promise<number> {
  return (await stack.paymentSim?.control.status())?.tray.yen ?? Number.NaN;
}

/** Waits (bounded) until the journal owes the centre no delivery report. */
async function deliveriesSent(): Promise<void> {
  for (let i = 0; i < 200 && stack.journal.deliveriesDue().length > 0; i++)
    await new Promise((resolve) => setTimeout(resolve, 50));
  expect(stack.journal.deliveriesDue()).toEqual([]);
}

async function centre<T>(read: (repo: Awaited<ReturnType<typeof openCentreRepository>>) => Promise<T>) {
  const repository = await openCentreRepository({ databasePath: join(worldDir, 'centre.sqlite') });
  try {
    return await read(repository);
  } finally {
    await repository.close();
  }
}

async function billingOf(transactionId: string) {
  return (await centre((r) => r.listBillingRecords())).filter((b) => b.transactionId === transactionId);
}

/** Start, PIN, 住民票 ×1 on the confirm screen. */
async function toConfirm(): Promise<{ transactionId: string; totalYen: number }> {
  for (let i = 0; i < 100 && !stack.host.send({ type: 'start' }).accepted; i++)
    await new Promise((resolve) => setTimeout(resolve, 20));
  await waitForScreen(stack.host, ['pin-entry']);
  for (const digit of pin()) stack.host.send({ type: 'pin-digit', digit: Number(digit) });
  stack.host.send({ type: 'pin-submit' });
  await waitForScreen(stack.host, ['menu']);
  stack.host.send({ type: 'choose-certificate', certificateType: 'juminhyo' });
  const confirm = await waitForScreen(stack.host, ['confirm']);
  const view = confirm.view as Extract<KioskScreen, { screen: 'confirm' }>;
  return { transactionId: confirm.transactionId as string, totalYen: view.totalYen };
}

describe('the printer fails mid-job (ippeveprinter states)', () => {
  const cases = [
    { printer: 'paper-out', error: 'printer-out-of-paper' },
    { printer: 'jam', error: 'printer-jammed' },
    // ippeveprinter aborts the job; IPP has no out-of-paper-like code for an open cover: the
    // resident is told the printer cannot print.
    { printer: 'cover-open', error: 'printer-unavailable' },
  ] as const;
  for (const c of cases) {
    it(`${c.printer}: says so, returns the card and every yen, journals the refund, voids at the centre`, async () => {
      use(c.printer);
      const before = await trayYen();
      const outcome = await runTransaction(
        stack.host,
        { pin: pin(), certificateType: 'juminhyo', copies: 1 },
        stack.insertMoney,
      );
      expect(outcome.kind).toBe('error');
      const error = await settledError();
      expect(error.error).toBe(c.error);
      const transactionId = stack.host.getSnapshot().transactionId as string;
      const entry = stack.journal.get(transactionId);
      expect(entry).toMatchObject({ state: 'refunded', refundReason: c.error, delivery: 'voided' });
      // The change was paid at once, the fee refunded after the failure: all of it came back.
      expect((await trayYen()) - before).toBe(entry?.paidYen);
      // The change went out with the payment; the fee came back with the refund.
      expect(error.refundedYen).toBe((entry?.quotedFeeYen ?? 0) * (entry?.copies ?? 0));
      await finishAndCardReturned();
      await deliveriesSent();
      expect((await billingOf(transactionId)).map((b) => b.state)).toEqual(['voided']);
    });
  }
});

describe('the fee changes between the menu and the issue', () => {
  it('is refused before anything is billed, and every coin comes back', async () => {
    const { transactionId, totalYen } = await toConfirm();
    // The municipality raises the fee while the resident is on the confirm screen.
    const municipality = await centre(async (r) => {
      const resident = await r.getResident(HOLDER);
      return r.getMunicipality(resident?.municipalityCode ?? '');
    });
    if (!municipality) throw new Error('no municipality for the holder');
    const offering = municipality.offerings.juminhyo;
    if (!offering) throw new Error('住民票 not offered');
    const provenance = await centre((r) => r.getRulesProvenance(municipality.code));
    await centre((r) =>
      r.putMunicipality({
        ...municipality,
        offerings: { ...municipality.offerings, juminhyo: { ...offering, feeYen: offering.feeYen + 100 } },
      }),
    );
    try {
      const before = await trayYen();
      stack.host.send({ type: 'confirm' });
      await waitForScreen(stack.host, ['payment']);
      await payAtSlot(stack.host, stack.insertMoney);
      const error = await settledError();
      expect(error.error).toBe('fee-changed');
      const entry = stack.journal.get(transactionId);
      expect(entry).toMatchObject({ state: 'refunded', refundReason: 'fee-changed', documentId: null });
      expect(entry?.paidYen).toBeGreaterThanOrEqual(totalYen);
      expect((await trayYen()) - before).toBe(entry?.paidYen);
      // Nothing was issued, so nothing is billed or even pending.
      expect(await centre((r) => r.getIssuedDocument(transactionId))).toBeUndefined();
      expect(await billingOf(transactionId)).toEqual([]);
      await finishAndCardReturned();
    } finally {
      await centre((r) => r.putMunicipality(municipality, provenance));
    }
  });
});

describe('the same transaction id fetched again with different options', () => {
  it('is refused by the centre, not answered with the first document: refund-due, nothing printed twice', async () => {
    // The host stops while the job is at a printer that never answers.
    const slips: string[] = [];
    current = {
      describe: () => 'a printer that never finishes a certificate',
      status: async () => ({ kind: 'idle' }),
      print: (_pdf, job) => {
        if (!job.jobName.startsWith('refund-')) return new Promise(() => undefined);
        slips.push(job.jobName);
        return Promise.resolve({ ok: true, jobId: job.jobName });
      },
    };
    const { transactionId } = await toConfirm();
    stack.host.send({ type: 'confirm' });
    await waitForScreen(stack.host, ['payment']);
    await payAtSlot(stack.host, stack.insertMoney);
    await waitForScreen(stack.host, ['printing']);
    await stack.close();
    {
      // As if the host had stopped before 'printing' reached the disk, and its journal held
      // other options for the same transaction (a retry that differs from the first request).
      const raw = new Database(journalPath);
      raw
        .prepare("UPDATE transactions SET state = 'issued', options_json = ? WHERE transaction_id = ?")
        .run(JSON.stringify({ scope: 'self', relationship: false }), transactionId);
      raw.prepare("DELETE FROM steps WHERE transaction_id = ? AND state = 'printing'").run(transactionId);
      raw.close();
    }
    const healthy = use('healthy');
    const before = await readdir(healthy.dir);
    stack = await startStack();
    const outcome = stack.recovery.outcomes.find((o) => o.transactionId === transactionId);
    expect(outcome).toMatchObject({ reason: 'refetch-issue-replay-refused' });
    const entry = stack.journal.get(transactionId);
    expect(entry).toMatchObject({ state: 'refund-due', delivery: 'voided' });
    expect(entry?.refundDueYen).toBeGreaterThan(0);
    // The certificate was not printed (the first document was not handed back): only the refund slip was.
    expect(slips).toEqual([]);
    // ippeveprinter keeps each document as "<job-id>-<job name>.pdf".
    const received = (await readdir(healthy.dir)).filter((f) => !before.includes(f) && f.endsWith('.pdf'));
    expect(
      received.filter((f) => f === `${f.split('-')[0]}-${transactionId}.pdf`),
      received.join(', '),
    ).toEqual([]);
    expect(
      received.filter((f) => f === `${f.split('-')[0]}-refund-${transactionId}.pdf`),
      received.join(', '),
    ).toHaveLength(1);
    await deliveriesSent();
    expect((await billingOf(transactionId)).map((b) => b.state)).toEqual(['voided']);
  });
});
