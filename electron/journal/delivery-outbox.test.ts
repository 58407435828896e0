import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryRequest, DeliveryResponse } from '../../protocol/index.ts';
import type { CentreResult } from '../host/centre-client.ts';
import { flushDeliveries } from './delivery-outbox.ts';
import type { KioskJournal } from './journal.ts';
import { steppingClock, tempJournals, writePaid } from './test-support/temp-journals.ts';

const DELIVERED = '11111111-2222-4333-8444-555555555555';
const VOIDED = '66666666-7777-4888-9999-aaaaaaaaaaaa';
const journals = tempJournals('kiosk-outbox-');
afterEach(() => journals.cleanUp());

/** A journal that owes the centre a `delivered` (2 copies) and, later, a `voided`. */
function journalOwingTwo(): KioskJournal {
  const j = journals.open(steppingClock());
  for (const tx of [DELIVERED, VOIDED]) {
    writePaid(j, tx, {
      certificateType: 'juminhyo',
      copies: 2,
      quotedFeeYen: 300,
      options: {},
      holderBinding: 'ab'.repeat(32),
      paidYen: 1000,
      coins: {},
    });
    j.issued(tx, `DOC000000000000${tx === DELIVERED ? 1 : 2}`, 2);
  }
  j.printing(DELIVERED);
  j.printed(DELIVERED, { jobId: '7', copies: 2, impressions: 2 });
  j.done(DELIVERED);
  j.refundDue(VOIDED, 'print-failed', 1000);
  return j;
}

type Answer = (tx: string, request: DeliveryRequest) => CentreResult<DeliveryResponse>;

function centre(answer: Answer) {
  const calls: { tx: string; request: DeliveryRequest }[] = [];
  return {
    calls,
    delivery: async (tx: string, request: DeliveryRequest) => {
      calls.push({ tx, request });
      return answer(tx, request);
    },
  };
}

const billed: Answer = (tx, request) => ({
  ok: true,
  value: {
    transactionId: tx,
    billing: request.outcome === 'delivered' ? 'billed' : 'voided',
    copies: request.copies,
    feeYenTotal: request.outcome === 'delivered' ? 300 * request.copies : 0,
  },
});

describe('delivery reports (billing follows delivery)', () => {
  it('keeps a report owed while the centre cannot be reached, and sends it again until acknowledged', async () => {
    const j = journalOwingTwo();
    const away = centre(() => ({
      ok: false,
      failure: { kind: 'centre-unreachable', detail: 'ECONNREFUSED' },
    }));
    expect(await flushDeliveries(j, away)).toEqual({ acknowledged: 0, pending: 2 });
    expect(
      j
        .deliveriesDue()
        .map((e) => e.transactionId)
        .sort(),
    ).toEqual([DELIVERED, VOIDED].sort());

    const back = centre(billed);
    expect(await flushDeliveries(j, back)).toEqual({ acknowledged: 2, pending: 0 });
    expect(back.calls.map((c) => [c.tx, c.request.outcome, c.request.copies]).sort()).toEqual(
      [
        [DELIVERED, 'delivered', 2],
        [VOIDED, 'voided', 0],
      ].sort(),
    );
    expect(back.calls.every((c) => c.request.terminalId === 'S0001-T01')).toBe(true);
    expect(j.deliveriesDue()).toEqual([]);
    expect(j.get(DELIVERED)?.deliveryAckedAt).not.toBeNull();
    // Acknowledged: nothing is sent again.
    const later = centre(billed);
    expect(await flushDeliveries(j, later)).toEqual({ acknowledged: 0, pending: 0 });
    expect(later.calls).toEqual([]);
  });

  it('settles a void the centre never issued, and a report the centre already holds differently; retries a centre error', async () => {
    const j = journalOwingTwo();
    const answers = centre((tx) =>
      tx === VOIDED
        ? { ok: false, failure: { kind: 'centre-error', code: 'not-issued', status: 404 } }
        : { ok: false, failure: { kind: 'centre-error', code: 'internal', status: 500 } },
    );
    expect(await flushDeliveries(j, answers)).toEqual({ acknowledged: 1, pending: 1 });
    expect(j.deliveriesDue().map((e) => e.transactionId)).toEqual([DELIVERED]);
    const conflict = centre(() => ({
      ok: false,
      failure: { kind: 'centre-error', code: 'delivery-conflict', status: 409 },
    }));
    expect(await flushDeliveries(j, conflict)).toEqual({ acknowledged: 1, pending: 0 });
    expect(j.deliveriesDue()).toEqual([]);
  });
});
