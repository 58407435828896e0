/** What every benchmark module returns; `npm run bench` prints them as tables. */
export interface BenchReport {
  title: string;
  rows: Array<Record<string, string | number>>;
  notes?: string[];
  /** Targets the bench measures against; `npm run bench -- --check` exits 1 when one fails. */
  checks?: BenchCheck[];
}

export interface BenchCheck {
  target: string;
  measured: string;
  pass: boolean;
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index] as number;
}

export function formatReport(report: BenchReport): string {
  const columns = [...new Set(report.rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: string | number | undefined) =>
    value === undefined
      ? ''
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? String(value)
          : value.toFixed(1)
        : value;
  const widths = columns.map((c) => Math.max(c.length, ...report.rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] as number)).join('  ');
  return [
    `## ${report.title}`,
    line(columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...report.rows.map((row) => line(columns.map((c) => cell(row[c])))),
    ...(report.notes ?? []).map((note) => `  ${note}`),
    ...(report.checks && report.checks.length > 0 ? ['targets:'] : []),
    ...(report.checks ?? []).map(
      (check) => `  ${check.pass ? 'PASS' : 'FAIL'}  ${check.target}: ${check.measured}`,
    ),
  ].join('\n');
}
