/**
 * Dates as Japanese certificates print them: 和暦 (元号) with 元年 for the first year, and 西暦.
 * Uses the ICU Japanese calendar in Node (Intl with `ja-JP-u-ca-japanese`), which knows the era
 * boundaries (e.g. 1989-01-07 昭和64年, 1989-01-08 平成元年, 2019-05-01 令和元年).
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const warekiFormat = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
  era: 'long',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  timeZone: 'UTC',
});

const tokyoDate = new Intl.DateTimeFormat('en-CA', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  timeZone: 'Asia/Tokyo',
});

function utcDay(isoDate: string): Date {
  const m = ISO_DATE.exec(isoDate);
  if (!m) throw new RangeError('not an ISO calendar date');
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== isoDate) {
    throw new RangeError('not a calendar date');
  }
  return day;
}

/**
 * Formatted dates remembered by input: every form prints the same few thousand dates (birth dates, register entries, the issue date). A pure function of
 * its input, so a remembered answer is the answer; bounded, the oldest go first. Invalid dates are
 * never remembered (they throw every time).
 */
const WAREKI_REMEMBERED = 50_000;
const warekiOf = new Map<string, string>();

/** '1980-04-01' → '昭和55年4月1日'; '2019-05-01' → '令和元年5月1日'. */
export function formatWareki(isoDate: string): string {
  const known = warekiOf.get(isoDate);
  if (known !== undefined) return known;
  const formatted = formatWarekiNow(isoDate);
  if (warekiOf.size >= WAREKI_REMEMBERED) warekiOf.delete(warekiOf.keys().next().value as string);
  warekiOf.set(isoDate, formatted);
  return formatted;
}

/**
 * The eras since Japan took the Gregorian calendar (1873-01-01), newest first: the first day of
 * each and its name. Within them the era's year is plain arithmetic; ICU's formatToParts, the dear
 * part, is kept for earlier dates. A new era must be added here when it is proclaimed: a test
 * compares every day from 1873 to 2100 with ICU, so Node's ICU knowing it first fails that test.
 */
const ERAS: readonly { since: string; name: string; firstYear: number }[] = [
  { since: '2019-05-01', name: '令和', firstYear: 2019 },
  { since: '1989-01-08', name: '平成', firstYear: 1989 },
  { since: '1926-12-25', name: '昭和', firstYear: 1926 },
  { since: '1912-07-30', name: '大正', firstYear: 1912 },
  { since: '1868-10-23', name: '明治', firstYear: 1868 },
];
const GREGORIAN_IN_JAPAN = '1873-01-01';

function formatWarekiNow(isoDate: string): string {
  const day = utcDay(isoDate);
  // ISO dates of four digits compare as text in calendar order.
  const era = isoDate >= GREGORIAN_IN_JAPAN ? ERAS.find((e) => isoDate >= e.since) : undefined;
  if (era) {
    const year = day.getUTCFullYear() - era.firstYear + 1;
    return `${era.name}${year === 1 ? '元' : year}年${day.getUTCMonth() + 1}月${day.getUTCDate()}日`;
  }
  return formatWarekiByIcu(day);
}

/** The same text from ICU's Japanese calendar (dates before 1873, and the tests' reference). */
export function formatWarekiByIcu(day: Date): string {
  const parts = warekiFormat.formatToParts(day);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const era = get('era');
  const year = get('year');
  return `${era}${year === '1' ? '元' : year}年${get('month')}月${get('day')}日`;
}

/** '1980-04-01' → '1980年4月1日'. */
export function formatSeireki(isoDate: string): string {
  const day = utcDay(isoDate);
  return `${day.getUTCFullYear()}年${day.getUTCMonth() + 1}月${day.getUTCDate()}日`;
}

/** The last instant given as text and its date: every document of a menu has one issue time. */
let lastIssued: { instant: string; date: string } | undefined;

/** The calendar date in Japan (Asia/Tokyo) of an instant, as 'YYYY-MM-DD'. */
export function japanDateOf(instant: Date | string): string {
  if (typeof instant === 'string' && lastIssued?.instant === instant) return lastIssued.date;
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new RangeError('not a date-time');
  const formatted = tokyoDate.format(date);
  if (typeof instant === 'string') lastIssued = { instant, date: formatted };
  return formatted;
}

/** A calendar year in 和暦, as of its last day: 2019 → '令和元年', 2025 → '令和7年'. */
export function warekiYear(year: number): string {
  return formatWareki(`${String(year).padStart(4, '0')}-12-31`).replace(/年.*$/u, '年');
}

/** A fiscal year (年度, April to March) in 和暦, as of its first day: 2019 → '平成31年度'. */
export function warekiFiscalYear(year: number): string {
  return formatWareki(`${String(year).padStart(4, '0')}-04-01`).replace(/年.*$/u, '年度');
}
