/**
 * The reference centre enforces real service hours (6:30–23:00 JST, 戸籍 on weekdays 9:00–17:00,
 * closed 12/29–1/3). A demo or a test run at 3 a.m. or on New Year's Day would only ever see
 * "outside hours", so a demo may judge opening hours — and nothing else — on a shifted clock: the
 * real time when it falls on a weekday between 9:00 and 17:00 JST outside the year-end closure,
 * otherwise the most recent such weekday at 10:00 JST, advancing in real time from there.
 * Everything signed or checked (certificate validity, OCSP/CRL freshness, sessions, issuedAt)
 * stays on the real time: the centre's `openingHoursNow` option takes this clock, `now` never does.
 * Only behind an explicit flag: `--demo-opening-hours`, `StackOptions.demoOpeningHours`.
 */
const JST_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;

function jstParts(date: Date): { weekday: number; hour: number; month: number; day: number } {
  const jst = new Date(date.getTime() + JST_OFFSET_MS);
  return {
    weekday: jst.getUTCDay(),
    hour: jst.getUTCHours(),
    month: jst.getUTCMonth() + 1,
    day: jst.getUTCDate(),
  };
}

export function isBusinessTime(date: Date): boolean {
  const { weekday, hour, month, day } = jstParts(date);
  const yearEnd = (month === 12 && day >= 29) || (month === 1 && day <= 3);
  return weekday >= 1 && weekday <= 5 && hour >= 9 && hour < 17 && !yearEnd;
}

/** The start instant the business-hours clock maps `now` to. */
export function businessTimeFor(now: Date): Date {
  if (isBusinessTime(now)) return now;
  const jstMidnight = Math.floor((now.getTime() + JST_OFFSET_MS) / DAY_MS) * DAY_MS - JST_OFFSET_MS;
  for (let back = 0; back < 14; back++) {
    const candidate = new Date(jstMidnight - back * DAY_MS + 10 * 3_600_000);
    if (candidate.getTime() <= now.getTime() && isBusinessTime(candidate)) return candidate;
  }
  throw new Error('no business day in the last two weeks');
}

/** The opening-hours clock of a demo: `openingHoursNow` for the centre; `shifted` when it differs from the real time. */
export function demoOpeningHoursClock(realNow: () => Date = () => new Date()): {
  openingHoursNow: () => Date;
  shifted: boolean;
} {
  const start = realNow();
  const mapped = businessTimeFor(start);
  const offset = start.getTime() - mapped.getTime();
  return { openingHoursNow: () => new Date(realNow().getTime() - offset), shifted: offset !== 0 };
}
