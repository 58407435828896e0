/**
 * Centre throughput through the load test (scripts/loadtest/run.ts), measured in one run so each
 * figure sits beside its comparison: one centre on SQLite, one on PostgreSQL, two behind HAProxy
 * on PostgreSQL — the same kiosks, the same transactions, mutual TLS, every document checked and
 * the ledger audited. The summary lines (`comparisons`): SQLite beside PostgreSQL with one centre,
 * two centres beside one on PostgreSQL, in throughput and p99. Where the CPU goes is the issuance
 * bench's (issuance-bench.ts); the load test does not split it by process.
 * Each case first runs BENCH_LOAD_WARM_UP whole transactions that are checked and audited but not
 * timed: with 120 timed transactions and no warm-up, the centres' JIT and the kiosks' first TLS
 * handshakes made the p99 and a third of the run (a cold centre is the kiosk bench's first row);
 * 2,400 by default, as the issuance bench's (V8 optimises a centre's code only after many calls).
 * `npm run bench -- centres`; tune with BENCH_KIOSKS, BENCH_LOAD_TRANSACTIONS, BENCH_LOAD_WARM_UP.
 */
import { availableParallelism, loadavg } from 'node:os';
import { runLoadtest, type LoadtestOptions } from '../../loadtest/run.ts';
import type { BenchReport } from '../report.ts';
import { databaseAndScaleComparisons, type ThroughputFigures } from './comparisons.ts';
import { rsaSignatureMs } from './machine-speed.ts';

const KIOSKS = Number(process.env.BENCH_KIOSKS ?? 8);
const TRANSACTIONS = Number(process.env.BENCH_LOAD_TRANSACTIONS ?? 400);
const WARM_UP = Number(process.env.BENCH_LOAD_WARM_UP ?? 2400);

const CASES: Array<{ name: string; options: Required<Pick<LoadtestOptions, 'db' | 'centres'>> }> = [
  { name: 'SQLite, 1 centre', options: { db: 'sqlite', centres: 1 } },
  { name: 'PostgreSQL, 1 centre', options: { db: 'postgres', centres: 1 } },
  { name: 'PostgreSQL, 2 centres via HAProxy', options: { db: 'postgres', centres: 2 } },
];

export async function run(): Promise<BenchReport> {
  const rows: BenchReport['rows'] = [];
  const figures: ThroughputFigures[] = [];
  let misIssued = 0;
  const errorNotes: string[] = [];
  for (const c of CASES) {
    const speed = rsaSignatureMs();
    const report = await runLoadtest({
      kiosks: KIOSKS,
      transactions: TRANSACTIONS,
      ...(WARM_UP > 0 ? { warmUp: WARM_UP } : {}),
      balancer: 'haproxy',
      chaos: false,
      render: false,
      ...c.options,
    });
    misIssued += report.misIssued;
    const kinds = Object.entries(report.errorsByKind).map(([kind, count]) => `${kind} ×${count}`);
    if (kinds.length > 0) errorNotes.push(`${c.name}: failed attempts ${kinds.join(', ')}`);
    figures.push({
      label: c.name,
      database: c.options.db,
      centres: c.options.centres,
      issuancesPerSecond: report.issuancesPerSecond,
      p99Ms: report.latencyMs.p99,
    });
    rows.push({
      case: c.name,
      completed: report.completed,
      'issuances/s': report.issuancesPerSecond,
      'p50 ms': report.latencyMs.p50,
      'p99 ms': report.latencyMs.p99,
      'issue p99 ms': report.issueLatencyMs.p99,
      failed: report.failed,
      'mis-issued': report.misIssued,
      'lost/billed twice': report.ledger.lost.length + report.ledger.billedTwice.length,
      'RSA sign µs': Math.round(speed * 1000),
    });
  }
  const best = Math.max(...rows.map((r) => Number(r['issuances/s'])));
  const worstP99 = Math.max(...rows.map((r) => Number(r['p99 ms'])));
  return {
    title:
      'Centres: whole transactions through mutual TLS (load test), SQLite vs PostgreSQL, one centre vs two',
    rows,
    notes: [
      `${KIOSKS} kiosks, ${TRANSACTIONS} timed transactions a case after ${WARM_UP} warm-up transactions (checked and audited, not timed), each kiosk one resident again and again, no PDF rendering at the kiosk (the centre's work alone); centres in their own processes with live OCSP.`,
      ...errorNotes,
      `Machine: ${availableParallelism()} CPUs, load average ${loadavg()[0]?.toFixed(1)} at the end, shared with the kiosks, PostgreSQL, HAProxy and any other work on the machine. RSA sign µs: the machine's speed just before each case (one RSA-2048 signature in the bench's process, median of 200; machine-speed.ts): a case with a higher figure ran on a slower machine.`,
    ],
    checks: [
      { target: 'nothing mis-issued', measured: String(misIssued), pass: misIssued === 0 },
      { target: '≥ 300 issuances/s (issue 14)', measured: `${best} at best`, pass: best >= 300 },
      { target: 'p99 < 100 ms (issue 14)', measured: `${worstP99} ms at worst`, pass: worstP99 < 100 },
    ],
    comparisons: databaseAndScaleComparisons(figures, 'whole transactions through mutual TLS (load test)'),
  };
}
