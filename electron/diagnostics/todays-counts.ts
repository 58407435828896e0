/**
 * The operator's counts for one day (Japan time) from the kiosk journal: certificates delivered
 * by type, refunds still due and refunds paid, cards and documents left behind. Ids, types and
 * amounts only: the journal holds nothing else.
 */
import type { KioskJournal } from '../journal/journal.ts';

export interface TodaysCounts {
  /** The day, YYYY-MM-DD in Japan time. */
  day: string;
  /** Delivered transactions and copies by certificate type. */
  delivered: { certificateType: string; transactions: number; copies: number }[];
  refundsDue: { count: number; yen: number };
  refundsDone: { count: number; yen: number };
  cardsLeftBehind: number;
  documentsUncollected: number;
}

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The Japan-time day `at` falls in, as [since, until) and its name. */
export function japanDayOf(at: Date): { day: string; since: number; until: number } {
  const shifted = at.getTime() + JST_OFFSET_MS;
  const since = shifted - (shifted % DAY_MS) - JST_OFFSET_MS;
  return { day: new Date(since + JST_OFFSET_MS).toISOString().slice(0, 10), since, until: since + DAY_MS };
}

export function todaysCounts(journal: KioskJournal, now: Date): TodaysCounts {
  const { day, since, until } = japanDayOf(now);
  const entries = journal.list({ since, until });
  const byType = new Map<string, { transactions: number; copies: number }>();
  const refundsDue = { count: 0, yen: 0 };
  const refundsDone = { count: 0, yen: 0 };
  for (const entry of entries) {
    if (entry.state === 'done' && entry.certificateType !== null) {
      const row = byType.get(entry.certificateType) ?? { transactions: 0, copies: 0 };
      row.transactions += 1;
      row.copies += entry.deliveredCopies ?? entry.copies ?? 0;
      byType.set(entry.certificateType, row);
    }
    if (entry.state === 'refund-due') {
      refundsDue.count += 1;
      refundsDue.yen += (entry.refundDueYen ?? 0) - (entry.refundedYen ?? 0);
    }
    if (entry.state === 'refunded') {
      refundsDone.count += 1;
      refundsDone.yen += entry.refundedYen ?? 0;
    }
  }
  const left = journal.counts({ since, until });
  return {
    day,
    delivered: [...byType.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([certificateType, row]) => ({ certificateType, ...row })),
    refundsDue,
    refundsDone,
    cardsLeftBehind: left['card-left-behind'],
    documentsUncollected: left['document-uncollected'],
  };
}
