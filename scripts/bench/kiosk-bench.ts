/**
 * `npm run bench -- kiosk`: the kiosk host over many residents. Cold start (composing the host:
 * centre, card, printer, journal → the welcome screen), machine time per transaction (sign-in →
 * printed; no human waits) and the host's memory after 100 transactions, which must not grow.
 * Each figure is printed beside the previous run's (kept in var/bench/kiosk.json).
 * The renderer's memory is not measured here: it needs Chromium in the loop (tests/e2e).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createHostLogger } from '../../electron/host/logger.ts';
import { runTransaction } from '../dev/drive.ts';
import { startDevStack } from '../dev/stack.ts';
import { PROJECT_ROOT } from '../cli-common.ts';
import { percentile, type BenchReport } from './report.ts';

const RESULTS = join(PROJECT_ROOT, 'var', 'bench', 'kiosk.json');
/** Heap growth from the 10th to the last transaction that still counts as "not growing". */
const HEAP_GROWTH_LIMIT_MB = 16;
const WARM_UP = 10;

interface KioskBenchResult {
  at: string;
  transactions: number;
  coldStartMs: number;
  p50Ms: number;
  p95Ms: number;
  heapAfterWarmUpMb: number;
  heapAfterAllMb: number;
  rssAfterAllMb: number;
}

/** A full collection before reading memory (V8's gc, reached without a command-line flag). */
function collect(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

const mb = (bytes: number) => bytes / 1024 / 1024;

async function previous(): Promise<KioskBenchResult | undefined> {
  try {
    return JSON.parse(await readFile(RESULTS, 'utf8')) as KioskBenchResult;
  } catch {
    return undefined;
  }
}

export async function run(options: { transactions?: number } = {}): Promise<BenchReport> {
  const transactions = options.transactions ?? 100;
  const worldDir = await mkdtemp(join(tmpdir(), 'kiosk-bench-world-'));
  const spool = await mkdtemp(join(tmpdir(), 'kiosk-bench-spool-'));
  const journalDir = await mkdtemp(join(tmpdir(), 'kiosk-bench-journal-'));
  const coldStarted = performance.now();
  const stack = await startDevStack({
    demoOpeningHours: true,
    worldDir,
    outputDir: spool,
    journalPath: join(journalDir, 'journal.sqlite'),
    logger: createHostLogger({ level: 'silent' }),
    holderId: 'H0001',
    card: 'in-process',
    printer: 'spool',
  });
  const coldStartMs = performance.now() - coldStarted;
  if (stack.host.getSnapshot().view.screen !== 'welcome')
    throw new Error('the host did not start on welcome');
  const times: number[] = [];
  let heapAfterWarmUp = 0;
  try {
    for (let i = 0; i < transactions; i++) {
      const started = performance.now();
      const outcome = await runTransaction(
        stack.host,
        { pin: '1234', certificateType: 'juminhyo', copies: 1 },
        stack.insertMoney,
      );
      if (outcome.kind !== 'printed') throw new Error(`transaction ${i} did not print: ${outcome.kind}`);
      times.push(performance.now() - started);
      if (i + 1 === WARM_UP) {
        collect();
        heapAfterWarmUp = process.memoryUsage().heapUsed;
      }
    }
    collect();
  } finally {
    await stack.close();
    await Promise.all([worldDir, spool, journalDir].map((dir) => rm(dir, { recursive: true, force: true })));
  }
  const memory = process.memoryUsage();
  const sorted = [...times].sort((a, b) => a - b);
  const result: KioskBenchResult = {
    at: new Date().toISOString(),
    transactions,
    coldStartMs,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    heapAfterWarmUpMb: mb(heapAfterWarmUp),
    heapAfterAllMb: mb(memory.heapUsed),
    rssAfterAllMb: mb(memory.rss),
  };
  const before = await previous();
  await mkdir(dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, JSON.stringify(result, null, 2) + '\n');

  const row = (label: string, key: keyof KioskBenchResult, unit: string) => ({
    measure: `${label} (${unit})`,
    now: result[key],
    previous: before ? before[key] : '—',
  });
  const growth = result.heapAfterAllMb - result.heapAfterWarmUpMb;
  return {
    title: `Kiosk host over ${transactions} transactions (in-process card, reference centre, spool printer)`,
    rows: [
      row('cold start to welcome', 'coldStartMs', 'ms'),
      row('transaction p50', 'p50Ms', 'ms'),
      row('transaction p95', 'p95Ms', 'ms'),
      row(`heap after ${WARM_UP}`, 'heapAfterWarmUpMb', 'MB'),
      row(`heap after ${transactions}`, 'heapAfterAllMb', 'MB'),
      row(`rss after ${transactions}`, 'rssAfterAllMb', 'MB'),
    ],
    notes: [
      `previous run: ${before?.at ?? 'none'} (var/bench/kiosk.json)`,
      'a transaction: PIN → authentication → 住民票 issued, seal checked, PDF → spool printer; no human waits',
      'the bench process holds the centre too: heap and rss are the whole process, the host a part of it',
    ],
    checks: [
      {
        target: `heap does not grow from transaction ${WARM_UP} to ${transactions} (< ${HEAP_GROWTH_LIMIT_MB} MB)`,
        measured: `${growth.toFixed(1)} MB`,
        pass: growth < HEAP_GROWTH_LIMIT_MB,
      },
    ],
  };
}
