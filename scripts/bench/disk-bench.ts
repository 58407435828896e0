/**
 * The disk under the centres' databases: how long an fdatasync takes, and how long the slowest.
 * Every durable commit waits for one (SQLite's shared WAL sync for an issuance, a delivery report
 * and a challenge's consumption; PostgreSQL's commit with fsync on), so a stall of the disk is a
 * stall of every transaction in flight: the issuance and load-test p99 can be no better than this
 * tail. Writes 16 kB and syncs it, again and again, in the folder the benches' databases use.
 * `npm run bench -- disk`; BENCH_DISK_SECONDS (default 10).
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, type BenchReport } from './report.ts';

const SECONDS = Number(process.env.BENCH_DISK_SECONDS ?? 10);
const WRITE_BYTES = 16 * 1024;
const SLOW_MS = 100;

/** fdatasync times (ms, sorted) of `seconds` of 16 kB writes in `dir`. */
export function measureDataSyncs(dir: string, seconds: number): number[] {
  const folder = mkdtempSync(join(dir, 'kiosk-disk-bench-'));
  const fd = openSync(join(folder, 'sync.bin'), 'w');
  const block = Buffer.alloc(WRITE_BYTES, 0x5a);
  const times: number[] = [];
  try {
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      writeSync(fd, block);
      const begin = performance.now();
      fdatasyncSync(fd);
      times.push(performance.now() - begin);
    }
  } finally {
    closeSync(fd);
    rmSync(folder, { recursive: true, force: true });
  }
  return times.sort((a, b) => a - b);
}

export async function run(): Promise<BenchReport> {
  const dir = tmpdir();
  const times = measureDataSyncs(dir, SECONDS);
  const ms = (p: number): number => Number(percentile(times, p).toFixed(2));
  const max = Number((times[times.length - 1] ?? Number.NaN).toFixed(1));
  const slow = times.filter((t) => t > SLOW_MS).length;
  return {
    title: 'Disk: fdatasync under the databases (every durable commit waits for one)',
    rows: [
      {
        folder: dir,
        syncs: times.length,
        'p50 ms': ms(50),
        'p99 ms': ms(99),
        'p99.9 ms': ms(99.9),
        'max ms': max,
        [`over ${SLOW_MS} ms`]: slow,
      },
    ],
    notes: [
      `${SECONDS} s of ${WRITE_BYTES / 1024} kB writes, each followed by fdatasync, in the folder where the issuance and load-test benches keep their SQLite files and PostgreSQL clusters.`,
      'A sync slower than a transaction stalls every transaction in flight at once (they all wait for their commit to be on disk), which a p99 over a few hundred transactions shows as a few whole transactions that slow.',
    ],
    comparisons: [
      {
        measure: 'disk: fdatasync, the slowest beside the median (every durable commit waits for one)',
        ours: `max ${max} ms (${slow} over ${SLOW_MS} ms in ${times.length} syncs)`,
        against: `p50 ${ms(50)} ms, p99 ${ms(99)} ms`,
        comparison: `${Math.round(max / Math.max(ms(50), 0.01))}× the median`,
      },
    ],
  };
}
