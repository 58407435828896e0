/**
 * `npm run bench`: the project's benchmarks, one after another, printed as tables.
 * Speed and memory targets live here, not in timed tests.
 */
import { formatReport, type BenchReport } from './bench/report.ts';

const BENCHMARKS: Array<{ name: string; load: () => Promise<{ run: () => Promise<BenchReport> }> }> = [
  { name: 'card', load: () => import('../native/bench/card-bench.ts') },
  { name: 'issuance', load: () => import('../server/bench/issuance-bench.ts') },
  { name: 'transaction', load: () => import('./bench/transaction-bench.ts') },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  let failed = false;
  for (const bench of BENCHMARKS) {
    if (only.length > 0 && !only.includes(bench.name)) continue;
    try {
      const module = await bench.load();
      console.log(formatReport(await module.run()) + '\n');
    } catch (error) {
      failed = true;
      console.error(
        `benchmark ${bench.name} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  process.exit(failed ? 1 : 0);
}

void main();
