import { describe, expect, it } from 'vitest';
import { formatSeireki, formatWareki, formatWarekiByIcu, japanDateOf } from './wareki.ts';

describe('和暦', () => {
  it('formats dates in the era of the day, with 元年 for first years', () => {
    expect(formatWareki('1980-04-01')).toBe('昭和55年4月1日');
    expect(formatWareki('1989-01-07')).toBe('昭和64年1月7日');
    expect(formatWareki('1989-01-08')).toBe('平成元年1月8日');
    expect(formatWareki('2019-04-30')).toBe('平成31年4月30日');
    expect(formatWareki('2019-05-01')).toBe('令和元年5月1日');
    expect(formatWareki('2026-11-25')).toBe('令和8年11月25日');
    expect(formatWareki('1926-12-25')).toBe('昭和元年12月25日');
    expect(formatWareki('1912-07-30')).toBe('大正元年7月30日');
    expect(formatSeireki('1980-04-01')).toBe('1980年4月1日');
  });

  it('takes the issue date in Japan time, whatever the offset', () => {
    expect(japanDateOf('2026-11-25T23:30:00+00:00')).toBe('2026-11-26');
    expect(japanDateOf('2026-11-25T00:10:00+09:00')).toBe('2026-11-25');
  });

  it('refuses impossible dates', () => {
    expect(() => formatWareki('2026-02-30')).toThrow(RangeError);
    expect(() => formatWareki('26-1-1')).toThrow(RangeError);
  });
});

describe('和暦 by arithmetic', () => {
  it("is ICU's Japanese calendar for every day from 1873 (the Gregorian calendar in Japan) to 2100", () => {
    const differing: string[] = [];
    for (let t = Date.UTC(1873, 0, 1); t <= Date.UTC(2100, 11, 31); t += 86_400_000) {
      const day = new Date(t);
      const iso = day.toISOString().slice(0, 10);
      if (formatWareki(iso) !== formatWarekiByIcu(day)) differing.push(iso);
    }
    // A new era in Node's ICU and not yet in our table shows here first.
    expect(differing.slice(0, 5)).toEqual([]);
  });

  it('leaves dates before 1873 to ICU', () => {
    expect(formatWareki('1868-10-23')).toBe('明治元年10月23日');
    expect(formatWareki('1868-10-22')).toBe(formatWarekiByIcu(new Date(Date.UTC(1868, 9, 22))));
    expect(formatWareki('1868-10-22').startsWith('慶応')).toBe(true);
  });
});

describe('和暦, asked again', () => {
  it('gives the same text for a date formatted before, and still refuses an impossible one', () => {
    const first = ['1989-01-07', '1989-01-08', '2019-05-01'].map(formatWareki);
    expect(['1989-01-07', '1989-01-08', '2019-05-01'].map(formatWareki)).toEqual(first);
    expect(first).toEqual(['昭和64年1月7日', '平成元年1月8日', '令和元年5月1日']);
    expect(() => formatWareki('2026-02-30')).toThrow(RangeError);
    expect(() => formatWareki('2026-02-30')).toThrow(RangeError);
  });

  it('gives the Japan date of an issue time asked for again, and of the next one', () => {
    expect(japanDateOf('2026-11-25T23:30:00+00:00')).toBe('2026-11-26');
    expect(japanDateOf('2026-11-25T23:30:00+00:00')).toBe('2026-11-26');
    expect(japanDateOf('2026-11-25T14:59:59+00:00')).toBe('2026-11-25');
    expect(japanDateOf(new Date('2026-11-25T23:30:00+00:00'))).toBe('2026-11-26');
    expect(() => japanDateOf('not a time')).toThrow(RangeError);
    expect(japanDateOf('2026-11-25T14:59:59+00:00')).toBe('2026-11-25');
  });
});
