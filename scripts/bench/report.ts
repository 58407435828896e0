/** What every benchmark module returns; `npm run bench` prints them as tables. */
export interface BenchReport {
  title: string;
  rows: Array<Record<string, string | number>>;
  notes?: string[];
  /** Targets the bench measures against; `npm run bench -- --check` exits 1 when one fails. */
  checks?: BenchCheck[];
  /** The report's key figures, each beside what it is compared with in the same run (the summary). */
  comparisons?: BenchComparison[];
}

/** One line of the report's summary: a figure of ours beside its comparison, measured in the same run. */
export interface BenchComparison {
  measure: string;
  ours: string;
  against: string;
  /** What the comparison says, e.g. "4.8× fewer APDUs" or "+0.2 MB". */
  comparison: string;
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

/** The summary of a whole run: every report's comparisons as one markdown table. */
export function formatSummary(reports: ReadonlyArray<{ name: string; report?: BenchReport }>): string {
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const lines = reports.flatMap(({ name, report }) =>
    (report?.comparisons ?? []).map(
      (c) =>
        `| ${cell(name)} | ${cell(c.measure)} | ${cell(c.ours)} | ${cell(c.against)} | ${cell(c.comparison)} |`,
    ),
  );
  if (lines.length === 0) return '';
  return [
    '| bench | measure | ours | against (same run) | comparison |',
    '|---|---|---|---|---|',
    ...lines,
  ].join('\n');
}

/** `ours` beside `against` as "N.N× <fewer>" (or "N.N× <more>") for the summary; "—" when either is missing. */
export function ratio(ours: number, against: number, fewer: string, more: string): string {
  if (!Number.isFinite(ours) || !Number.isFinite(against) || ours <= 0 || against <= 0) return '—';
  return ours <= against
    ? `${(against / ours).toFixed(1)}× ${fewer}`
    : `${(ours / against).toFixed(1)}× ${more}`;
}
