/**
 * `npm run bench [-- NAME...] [-- --check] [-- --runs N] [-- --transactions N] [-- --out DIR] [-- --help]`: the project's
 * benchmarks, one after another, printed as tables and written as one report (DIR, default
 * var/bench: bench-report.json and bench-report.md, led by a summary where each figure sits beside
 * its comparison from the same run). Speed and size targets live here, not in timed tests: each report
 * says PASS or FAIL per target, and only `--check` makes a failed target fail the process.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as prettier from 'prettier';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatReport, formatSummary, type BenchReport } from './bench/report.ts';

export interface BenchArgs {
  /** Measured runs per case, where a bench repeats (documents). */
  runs?: number;
  /** Kiosk transactions per part (kiosk; default 100). */
  transactions?: number;
}

const BENCHMARKS: Array<{ name: string; run: (args: BenchArgs) => Promise<BenchReport> }> = [
  { name: 'card', run: async () => (await import('./bench/card/card-bench.ts')).run() },
  { name: 'disk', run: async () => (await import('./bench/disk-bench.ts')).run() },
  { name: 'issuance', run: async () => (await import('./bench/centre/issuance-bench.ts')).run() },
  { name: 'centres', run: async () => (await import('./bench/centre/centres-bench.ts')).run() },
  { name: 'transaction', run: async () => (await import('./bench/transaction-bench.ts')).run() },
  {
    name: 'kiosk',
    run: async (args) =>
      (await import('./bench/kiosk-bench.ts')).run(
        args.transactions === undefined ? {} : { transactions: args.transactions },
      ),
  },
  { name: 'face', run: async () => (await import('./bench/face-bench.ts')).run() },
  {
    name: 'documents',
    run: async (args) =>
      (await import('./bench/documents-bench.ts')).run(args.runs === undefined ? {} : { runs: args.runs }),
  },
];

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      check: { type: 'boolean', default: false },
      runs: { type: 'string' },
      transactions: { type: 'string' },
      out: { type: 'string', default: join('var', 'bench') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(
      [
        'usage: npm run bench [-- NAME...] [-- --check] [-- --runs N] [-- --transactions N] [-- --out DIR]',
        `benchmarks (all when none is named): ${BENCHMARKS.map((b) => b.name).join(', ')}`,
        '--check: exit 1 when a target is missed; --runs: measured runs a case (documents);',
        '--transactions: kiosk transactions a part (kiosk); --out: the report folder (default var/bench).',
      ].join('\n'),
    );
    process.exit(0);
  }
  const unknown = positionals.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark ${unknown.join(', ')}: one of ${BENCHMARKS.map((b) => b.name).join(', ')}`,
    );
    process.exit(2);
  }
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  if (runs !== undefined && !(Number.isInteger(runs) && runs > 0)) {
    console.error(`--runs must be a positive whole number, not ${values.runs}`);
    process.exit(2);
  }
  const transactions = values.transactions === undefined ? undefined : Number(values.transactions);
  if (transactions !== undefined && !(Number.isInteger(transactions) && transactions > 10)) {
    console.error(`--transactions must be a whole number above 10, not ${values.transactions}`);
    process.exit(2);
  }
  const args: BenchArgs = {
    ...(runs === undefined ? {} : { runs }),
    ...(transactions === undefined ? {} : { transactions }),
  };
  let failed = false;
  let missed = false;
  const reports: Array<{ name: string; report?: BenchReport; error?: string }> = [];
  for (const bench of BENCHMARKS) {
    if (positionals.length > 0 && !positionals.includes(bench.name)) continue;
    try {
      const report = await bench.run(args);
      console.log(formatReport(report) + '\n');
      reports.push({ name: bench.name, report });
      if (report.checks?.some((check) => !check.pass)) missed = true;
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? error.message : String(error);
      reports.push({ name: bench.name, error: message });
      console.error(`benchmark ${bench.name} failed: ${message}`);
    }
  }
  await mkdir(values.out, { recursive: true });
  const measuredAt = new Date().toISOString();
  const summary = reports.flatMap(({ name, report }) =>
    (report?.comparisons ?? []).map((comparison) => ({ bench: name, ...comparison })),
  );
  const summaryTable = formatSummary(reports);
  // In the repository's own format (prettier, its settings): a report kept in assets/bench/ passes
  // `npm run lint` as written.
  const jsonPath = join(values.out, 'bench-report.json');
  const prettierOptions = (await prettier.resolveConfig(jsonPath)) ?? {};
  await writeFile(
    jsonPath,
    await prettier.format(JSON.stringify({ measuredAt, summary, reports }, null, 2), {
      ...prettierOptions,
      parser: 'json',
    }),
  );
  await writeFile(
    join(values.out, 'bench-report.md'),
    [
      `# Benchmark report (${measuredAt})`,
      '',
      ...(summaryTable
        ? ['Each figure beside its comparison, measured in the same run:', '', summaryTable, '']
        : []),
      ...reports.map((r) =>
        r.report ? '```\n' + formatReport(r.report) + '\n```\n' : `## ${r.name}\n\nfailed: ${r.error}\n`,
      ),
    ].join('\n'),
  );
  if (summaryTable) console.log(summaryTable + '\n');
  console.log(`report: ${join(values.out, 'bench-report.md')} and bench-report.json`);
  process.exit(failed || (values.check && missed) ? 1 : 0);
}

void main();
