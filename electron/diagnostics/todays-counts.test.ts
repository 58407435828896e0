import { describe, expect, it } from 'vitest';
import { openKioskJournal, type KioskJournal } from '../journal/journal.ts';
import { japanDayOf, todaysCounts } from './todays-counts.ts';

/** 2026-12-02 09:00 in Japan (00:00 UTC), and the Japan-time midnights around it. */
const MORNING = Date.parse('2026-12-02T00:00:00Z');
const JST_MIDNIGHT = Date.parse('2026-12-01T15:00:00Z');

function paid(j: KioskJournal, tx: string, type: string, copies: number) {
  j.created(tx, 'S0001-T01');
  j.authenticated(tx, '131016');
  j.paid(tx, {
    certificateType: type,
    copies,
    quotedFeeYen: 300,
    options: {},
    holderBinding: 'ab'.repeat(32),
    paidYen: 1000,
    coins: {},
  });
}

function delivered(j: KioskJournal, tx: string, type: string, copies: number) {
  paid(j, tx, type, copies);
  j.issued(tx, `DOC-${tx}`.padEnd(16, '0').slice(0, 16), copies);
  j.printing(tx);
  j.printed(tx, { jobId: tx, copies, impressions: copies });
  j.done(tx);
}

describe('today’s counts for the operator', () => {
  it('counts the Japan-time day: delivered copies by type, refunds due and done, cards and documents left behind', () => {
    let clock = JST_MIDNIGHT - 60_000; // the evening before, in Japan
    const j = openKioskJournal(':memory:', () => clock);
    try {
      delivered(j, 'yesterday', 'juminhyo', 1);
      clock = MORNING;
      delivered(j, 'a', 'juminhyo', 1);
      delivered(j, 'b', 'juminhyo', 2);
      delivered(j, 'c', 'inkan', 1);
      paid(j, 'd', 'juminhyo', 1);
      j.refundDue('d', 'print-failed', 1000);
      paid(j, 'e', 'nozei', 1);
      j.refundDue('e', 'centre-timeout', 1000);
      j.refunded('e', 1000);
      j.leftBehind('a', 'card');
      j.leftBehind('b', 'document');
      j.leftBehind('b', 'document');

      expect(todaysCounts(j, new Date(MORNING + 3_600_000))).toEqual({
        day: '2026-12-02',
        delivered: [
          { certificateType: 'inkan', transactions: 1, copies: 1 },
          { certificateType: 'juminhyo', transactions: 2, copies: 3 },
        ],
        refundsDue: { count: 1, yen: 1000 },
        refundsDone: { count: 1, yen: 1000 },
        cardsLeftBehind: 1,
        documentsUncollected: 1,
      });
      // The evening before is its own day.
      expect(todaysCounts(j, new Date(JST_MIDNIGHT - 1)).delivered).toEqual([
        { certificateType: 'juminhyo', transactions: 1, copies: 1 },
      ]);
    } finally {
      j.close();
    }
  });

  it('names the day by Japan time, not UTC', () => {
    expect(japanDayOf(new Date('2026-12-01T15:00:00Z'))).toMatchObject({
      day: '2026-12-02',
      since: JST_MIDNIGHT,
    });
    expect(japanDayOf(new Date('2026-12-01T14:59:59Z')).day).toBe('2026-12-01');
  });
});
