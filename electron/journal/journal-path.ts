import { join } from 'node:path';

/** Where the kiosk keeps its journal unless told otherwise: var/kiosk-journal.sqlite, or $KIOSK_JOURNAL. */
export function defaultJournalPath(projectRoot: string): string {
  return process.env.KIOSK_JOURNAL ?? join(projectRoot, 'var', 'kiosk-journal.sqlite');
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** A calendar day in Japan time as [since, until) epoch ms; undefined if it is not a date. */
export function dayRange(day: string): { since: number; until: number } | undefined {
  const match = DAY.exec(day);
  if (!match) return undefined;
  const utcMidnight = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(utcMidnight) || new Date(utcMidnight).toISOString().slice(0, 10) !== day) return undefined;
  const since = utcMidnight - JST_OFFSET_MS;
  return { since, until: since + 24 * 60 * 60 * 1000 };
}
