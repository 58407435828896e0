import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { journalTransactionEvent } from './journal-events.ts';
import type { KioskJournal } from './journal.ts';
import { steppingClock, tempJournals, writePaid } from './test-support/temp-journals.ts';

const TX = '3d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d';
const BINDING = 'ab'.repeat(32);
const journals = tempJournals('kiosk-journal-');
afterEach(() => journals.cleanUp());

const open = (): KioskJournal => journals.open(steppingClock());

function paid(j: KioskJournal, tx = TX) {
  return writePaid(j, tx, {
    certificateType: 'juminhyo',
    copies: 2,
    quotedFeeYen: 200,
    options: { scope: 'members', members: [2] },
    holderBinding: BINDING,
    paidYen: 500,
    coins: { '500': 1 },
  });
}

describe('kiosk journal', () => {
  it('records every step of a delivered transaction in order, and owes the centre a delivery report', () => {
    const j = open();
    expect(paid(j)).toEqual({ ok: true });
    expect(j.issued(TX, 'DOC0000000000001', 2)).toEqual({ ok: true });
    expect(j.printing(TX)).toEqual({ ok: true });
    expect(j.printed(TX, { jobId: '7', copies: 2, impressions: 4 })).toEqual({ ok: true });
    expect(j.unfinished().map((e) => e.transactionId)).toEqual([TX]);
    expect(j.done(TX)).toEqual({ ok: true });
    expect(j.steps(TX).map((s) => s.state)).toEqual([
      'created',
      'authenticated',
      'paid',
      'issued',
      'printing',
      'printed',
      'done',
    ]);
    expect(j.get(TX)).toMatchObject({
      state: 'done',
      paidYen: 500,
      coins: { '500': 1 },
      documentId: 'DOC0000000000001',
      jobId: '7',
      impressions: 4,
      delivery: 'delivered',
      deliveryCopies: 2,
      deliveryAckedAt: null,
    });
    expect(j.unfinished()).toEqual([]);
    expect(j.deliveriesDue().map((e) => e.transactionId)).toEqual([TX]);
    j.deliveryAcknowledged(TX);
    expect(j.deliveriesDue()).toEqual([]);
  });

  it('refuses a step out of order and leaves the transaction as it was', () => {
    const j = open();
    j.created(TX, 'S0001-T01');
    expect(j.issued(TX, 'DOC0000000000001', 1)).toEqual({
      ok: false,
      problem: 'out-of-order',
      state: 'created',
    });
    expect(j.printed('00000000-0000-4000-8000-000000000000', { jobId: '1', copies: 1 })).toEqual({
      ok: false,
      problem: 'unknown-transaction',
    });
    expect(j.created(TX, 'S0001-T01')).toMatchObject({ ok: false });
    expect(j.get(TX)?.state).toBe('created');
    expect(j.abandoned(TX)).toEqual({ ok: true });
    expect(
      j.paid(TX, {
        certificateType: 'inkan',
        copies: 1,
        quotedFeeYen: 200,
        holderBinding: BINDING,
        paidYen: 200,
      }),
    ).toMatchObject({ ok: false });
  });

  it('a refund voids at the centre: refund-due with its reason, then refunded', () => {
    const j = open();
    paid(j);
    j.issued(TX, 'DOC0000000000001', 2);
    expect(j.refundDue(TX, 'printer-jammed', 500)).toEqual({ ok: true });
    expect(j.get(TX)).toMatchObject({
      state: 'refund-due',
      refundReason: 'printer-jammed',
      refundDueYen: 500,
      delivery: 'voided',
      deliveryCopies: 0,
    });
    expect(j.refunded(TX, 500)).toEqual({ ok: true });
    expect(j.get(TX)).toMatchObject({ state: 'refunded', refundedYen: 500 });
    expect(j.done(TX)).toMatchObject({ ok: false });
  });

  it('keeps what it wrote across a reopen, in WAL mode with synchronous=FULL', () => {
    const j = open();
    paid(j);
    const path = j.path;
    j.close();
    const journal = journals.reopen(path);
    expect(journal.get(TX)?.state).toBe('paid');
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('counts cards left behind and documents not collected for the operator, once per transaction', () => {
    let clock = Date.UTC(2026, 11, 1, 3);
    const j = journals.open(() => clock, 'counts.sqlite');
    j.leftBehind('tx-1', 'card');
    j.leftBehind('tx-1', 'card');
    j.leftBehind('tx-1', 'document');
    clock += 24 * 60 * 60 * 1000;
    j.leftBehind('tx-2', 'card');
    expect(j.counts()).toEqual({ 'card-left-behind': 2, 'document-uncollected': 1 });
    expect(j.counts({ since: clock })).toEqual({ 'card-left-behind': 1, 'document-uncollected': 0 });
    const path = j.path;
    j.close();
    // Persisted: a restarted host reads the same counts.
    const reopened = journals.reopen(path);
    expect(reopened.counts({ until: clock })).toEqual({ 'card-left-behind': 1, 'document-uncollected': 1 });
  });

  it('records money it could not pay back before the fee was covered as refund-due, never abandoned', () => {
    const j = open();
    j.created(TX, 'S0001-T01');
    j.authenticated(TX, '131016');
    expect(j.owed(TX, 100)).toEqual({ ok: true });
    expect(j.get(TX)).toMatchObject({ state: 'refund-due', refundReason: 'refund-owed', refundDueYen: 100 });
    expect(j.abandoned(TX)).toMatchObject({ ok: false, problem: 'out-of-order' });
  });

  it('keeps what is still owed after a partial refund: refund-due yen covers refunded plus owed', () => {
    const j = open();
    j.created(TX, 'S0001-T01');
    j.authenticated(TX, '131016');
    j.refundDue(TX, 'refund', 500);
    j.refunded(TX, 500);
    expect(j.owed(TX, 100)).toEqual({ ok: true });
    expect(j.get(TX)).toMatchObject({ state: 'refunded', refundDueYen: 600, refundedYen: 500 });
    const k = paid(j, 'other-tx');
    expect(k).toEqual({ ok: true });
    j.refundDue('other-tx', 'centre-timeout', 500);
    j.refunded('other-tx', 400);
    j.owed('other-tx', 100);
    expect(j.get('other-tx')).toMatchObject({ refundDueYen: 500, refundedYen: 400 });
    expect(j.owed('unknown', 10)).toEqual({ ok: false, problem: 'unknown-transaction' });
  });

  it('keeps the money in the slot before the fee is covered, credit by credit, and only then', () => {
    const j = open();
    j.created(TX, 'S0001-T01');
    expect(j.credited(TX, 100)).toMatchObject({ ok: false, problem: 'out-of-order' });
    j.authenticated(TX, '131016');
    expect(j.credited(TX, 100)).toEqual({ ok: true });
    expect(j.credited(TX, 200)).toEqual({ ok: true });
    expect(j.get(TX)).toMatchObject({ state: 'authenticated', paidYen: 200 });
    expect(j.unpaid().map((e) => e.paidYen)).toEqual([200]);
    expect(j.credited('unknown', 10)).toEqual({ ok: false, problem: 'unknown-transaction' });
  });

  it('turns a session that ended with unsettled credit into refund-due, not abandoned', () => {
    const j = open();
    for (const event of [
      { kind: 'started', transactionId: TX },
      { kind: 'authenticated', transactionId: TX, municipalityCode: '131016' },
      { kind: 'credit', transactionId: TX, yen: 100, totalYen: 100 },
      { kind: 'ended', transactionId: TX },
    ] as const)
      expect(journalTransactionEvent(j, 'S0001-T01', event)).toBeUndefined();
    expect(j.get(TX)).toMatchObject({
      state: 'refund-due',
      refundReason: 'ended-with-credit',
      refundDueYen: 100,
    });
  });

  it('records change the machine could not pay at settlement beside the paid step', () => {
    const j = open();
    expect(paid(j, TX)).toEqual({ ok: true });
    expect(
      journalTransactionEvent(j, 'S0001-T01', { kind: 'owed', transactionId: TX, yen: 50, reason: 'change' }),
    ).toBeUndefined();
    expect(j.get(TX)).toMatchObject({ state: 'paid', changeOwedYen: 50 });
    expect(j.list().find((e) => e.transactionId === TX)?.changeOwedYen).toBe(50);
    j.created('other-tx', 'S0001-T01');
    expect(j.changeOwed('other-tx', 10)).toMatchObject({ ok: false, problem: 'out-of-order' });
  });
});
