/** Wall-clock facts in Japan Standard Time (UTC+9, no daylight saving). */
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

export interface JapanTime {
  date: string; // YYYY-MM-DD
  monthDay: string; // MM-DD
  clock: string; // HH:MM
  weekday: number; // 0 = Sunday
}

export function japanTime(instant: Date): JapanTime {
  const shifted = new Date(instant.getTime() + JST_OFFSET_MS);
  const iso = shifted.toISOString();
  return {
    date: iso.slice(0, 10),
    monthDay: iso.slice(5, 10),
    clock: iso.slice(11, 16),
    weekday: shifted.getUTCDay(),
  };
}

/** ISO 8601 with the +09:00 offset and whole seconds, e.g. 2026-11-25T19:00:00+09:00. */
export function japanIsoDateTime(instant: Date): string {
  const shifted = new Date(instant.getTime() + JST_OFFSET_MS);
  return `${shifted.toISOString().slice(0, 19)}+09:00`;
}

/** Age in whole years on `onDate` (both YYYY-MM-DD). */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
