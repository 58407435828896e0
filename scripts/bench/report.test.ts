import { describe, expect, it } from 'vitest';
import { formatReport, formatSummary, percentile, ratio } from './report.ts';

describe('bench report', () => {
  it('prints each target with PASS or FAIL and what was measured', () => {
    const text = formatReport({
      title: 'Documents',
      rows: [{ document: 'juminhyo-household', 'median (ms)': 41.25 }],
      checks: [
        { target: 'median ≤ 50 ms', measured: '41.3 ms', pass: true },
        { target: '≤ 100 kB a page', measured: '107.6 kB', pass: false },
      ],
    });
    expect(text).toContain('## Documents');
    expect(text).toContain('41.3');
    expect(text).toMatch(
      /targets:\n {2}PASS {2}median ≤ 50 ms: 41\.3 ms\n {2}FAIL {2}≤ 100 kB a page: 107\.6 kB$/u,
    );
  });

  it('prints no targets section for a report without targets', () => {
    expect(formatReport({ title: 'Card', rows: [{ apdus: 3 }] })).not.toContain('targets:');
  });

  it('takes the nearest-rank percentile', () => {
    const sorted = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(10);
    expect(percentile(sorted, 95)).toBe(19);
    expect(percentile([], 50)).toBeNaN();
  });

  it("puts every report's comparisons in one markdown table, bench by bench", () => {
    const table = formatSummary([
      {
        name: 'card',
        report: {
          title: 'Card',
          rows: [],
          comparisons: [{ measure: 'APDUs', ours: '15', against: 'OpenSC 72', comparison: '4.8× fewer' }],
        },
      },
      { name: 'centres' },
      { name: 'kiosk', report: { title: 'Kiosk', rows: [] } },
    ]);
    expect(table.split('\n')).toEqual([
      '| bench | measure | ours | against (same run) | comparison |',
      '|---|---|---|---|---|',
      '| card | APDUs | 15 | OpenSC 72 | 4.8× fewer |',
    ]);
    expect(formatSummary([{ name: 'kiosk', report: { title: 'Kiosk', rows: [] } }])).toBe('');
  });

  it('says how many times fewer or more, and nothing without both figures', () => {
    expect(ratio(15, 72, 'fewer', 'more')).toBe('4.8× fewer');
    expect(ratio(90, 30, 'faster', 'slower')).toBe('3.0× slower');
    expect(ratio(Number.NaN, 30, 'fewer', 'more')).toBe('—');
  });
});
