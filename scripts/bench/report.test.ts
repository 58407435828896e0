import { describe, expect, it } from 'vitest';
import { formatReport, percentile } from './report.ts';

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
});
