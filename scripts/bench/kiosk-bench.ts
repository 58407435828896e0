/**
 * `npm run bench -- kiosk [-- --transactions N]`: the kiosk over many residents, no human waits
 * (the PIN typed by the bench at once, the payment simulator paid at once), each figure printed
 * beside the previous run's (kept in var/bench/kiosk.json):
 * - cold start: the host composed in this process (centre, reader, printer, payment, journal) to
 *   the welcome screen, and `kiosk:web` started as a new process to the welcome screen shown in
 *   Chromium (kiosk/cold-start.ts);
 * - machine time from the card placed to the document's first byte at the printer — a real
 *   ippeveprinter behind a relay that sees the Print-Job's document data reach the printer's
 *   socket (kiosk/printer-tap.ts), or the spool printer when ippeveprinter is missing (the report
 *   says so) — over N transactions of the host alone (kiosk/host-run.ts);
 * - memory after N transactions (default 100), which must not grow from the 10th on: the host's
 *   heap without a page, then the host's heap and the renderer's JS heap and DOM nodes with the
 *   real page in Debian's Chromium, walked by taps (kiosk/browser-run.ts).
 * The card is the in-process virtual card (the card bench measures the PC/SC path).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createHostLogger } from '../../electron/host/logger.ts';
import { PROJECT_ROOT } from '../cli-common.ts';
import { ensureRendererBuilt } from '../dev/renderer-build.ts';
import { startDevStack, type RunningStack } from '../dev/stack.ts';
import { ensureDevWorld } from '../dev/world.ts';
import { launchChromium } from '../../tests/support/kiosk-web.ts';
import { startBenchPrinter, type BenchPrinter } from './kiosk/bench-printer.ts';
import { runBrowserTransactions } from './kiosk/browser-run.ts';
import { measureColdStart } from './kiosk/cold-start.ts';
import { besidePrevious, parseKioskRun, type KioskFigure, type KioskRun } from './kiosk/history.ts';
import { runHostTransactions } from './kiosk/host-run.ts';
import { percentile, type BenchCheck, type BenchComparison, type BenchReport } from './report.ts';

const RESULTS = join(PROJECT_ROOT, 'var', 'bench', 'kiosk.json');
const HOLDER = 'H0001';
const WARM_UP = 10;
/** Growth from the warm-up to the last transaction that still counts as "not growing". */
export const GROWTH_LIMITS = { hostHeapMb: 16, rendererHeapMb: 4, rendererNodes: 100 } as const;
const CHROMIUM = '/usr/bin/chromium';

export interface KioskBenchOptions {
  /** Transactions of each part (host alone, then through the page); default 100. */
  transactions?: number;
}

async function withStack<T>(
  dirs: { world: string; spool: string; journal: string },
  printer: BenchPrinter,
  use: (stack: RunningStack) => Promise<T>,
): Promise<T> {
  const stack = await startDevStack({
    demoOpeningHours: true,
    worldDir: dirs.world,
    outputDir: dirs.spool,
    journalPath: dirs.journal,
    logger: createHostLogger({ level: 'silent' }),
    holderId: HOLDER,
    card: 'in-process',
    printer: printer.printer,
  });
  try {
    return await use(stack);
  } finally {
    await stack.close();
  }
}

const sortedOf = (values: readonly number[]) => [...values].sort((a, b) => a - b);

export async function run(options: KioskBenchOptions = {}): Promise<BenchReport> {
  const transactions = options.transactions ?? 100;
  if (!(Number.isInteger(transactions) && transactions > WARM_UP))
    throw new Error(`the kiosk bench needs more than ${WARM_UP} transactions, not ${transactions}`);
  const work = await mkdtemp(join(tmpdir(), 'kiosk-bench-'));
  const world = join(work, 'world');
  const spool = join(work, 'printed');
  await mkdir(spool);
  const figures: KioskRun['figures'] = {};
  const set = (key: KioskFigure, value: number) => {
    if (Number.isFinite(value)) figures[key] = Number(value.toFixed(1));
  };
  const notes: string[] = [];
  const checks: BenchCheck[] = [];
  const startedAt = performance.now();
  let pageTransactions = 0;
  // The world (keys, certificates, register) is made once, before anything is timed.
  await ensureDevWorld(world);
  const printer = await startBenchPrinter(spool);
  try {
    // The host alone: cold start, card placed → first byte at the printer, host heap.
    const coldStarted = performance.now();
    const host = await withStack(
      { world, spool, journal: join(work, 'journal-host.sqlite') },
      printer,
      async (stack) => {
        set('coldStartHostMs', performance.now() - coldStarted);
        if (stack.host.getSnapshot().view.screen !== 'welcome')
          throw new Error('the host did not start on welcome');
        return runHostTransactions(stack, printer, { transactions, warmUp: WARM_UP });
      },
    );
    const firstByte = sortedOf(host.cardToFirstByteMs);
    set('cardToFirstByteP50Ms', percentile(firstByte, 50));
    set('cardToFirstByteP95Ms', percentile(firstByte, 95));
    set('cardToFirstByteFirstMs', host.cardToFirstByteMs[0] ?? Number.NaN);
    set('stepCardReadP50Ms', percentile(sortedOf(host.steps.cardRead), 50));
    set('stepAuthenticateP50Ms', percentile(sortedOf(host.steps.authenticate), 50));
    set('stepChooseP50Ms', percentile(sortedOf(host.steps.choose), 50));
    set('stepPayP50Ms', percentile(sortedOf(host.steps.pay), 50));
    set('stepIssueP50Ms', percentile(sortedOf(host.steps.issue), 50));
    set('cardToWelcomeP50Ms', percentile(sortedOf(host.cardToWelcomeMs), 50));
    set('hostHeapAfterWarmUpMb', host.heapAfterWarmUpMb);
    set('hostHeapAfterAllMb', host.heapAfterAllMb);
    set('hostRssAfterAllMb', host.rssAfterAllMb);
    const hostGrowth = host.heapAfterAllMb - host.heapAfterWarmUpMb;
    checks.push({
      target: `host heap (no page) does not grow from transaction ${WARM_UP} to ${transactions} (< ${GROWTH_LIMITS.hostHeapMb} MB)`,
      measured: `${hostGrowth >= 0 ? '+' : ''}${hostGrowth.toFixed(1)} MB`,
      pass: hostGrowth < GROWTH_LIMITS.hostHeapMb,
    });

    // With the real page in Chromium: cold start of kiosk:web, then transactions by taps.
    if (!existsSync(CHROMIUM)) {
      notes.push(`no ${CHROMIUM} (Debian's chromium): the page's cold start and memory are not measured`);
    } else {
      const rendererDir = await ensureRendererBuilt(PROJECT_ROOT);
      const browser = await launchChromium();
      try {
        const cold = await measureColdStart(browser, { worldDir: world, holderId: HOLDER });
        set('coldStartUrlMs', cold.toUrlMs);
        set('coldStartScreenMs', cold.toWelcomeMs);
      } finally {
        await browser.close();
      }
      const pageStarted = performance.now();
      const page = await withStack(
        { world, spool, journal: join(work, 'journal-page.sqlite') },
        printer,
        (stack) => runBrowserTransactions(stack, rendererDir, { transactions, warmUp: WARM_UP }),
      );
      pageTransactions = transactions;
      notes.push(
        `${transactions} transactions through the page took ${((performance.now() - pageStarted) / 1000).toFixed(0)} s (--transactions N for fewer)`,
      );
      set('pageTransactionP50Ms', percentile(sortedOf(page.transactionMs), 50));
      set('pageHostHeapAfterWarmUpMb', page.hostHeapAfterWarmUpMb);
      set('pageHostHeapAfterAllMb', page.hostHeapAfterAllMb);
      set('rendererHeapAfterWarmUpMb', page.rendererHeapAfterWarmUpMb);
      set('rendererHeapAfterAllMb', page.rendererHeapAfterAllMb);
      set('rendererNodesAfterWarmUp', page.domNodesAfterWarmUp);
      set('rendererNodesAfterAll', page.domNodesAfterAll);
      const pageHostGrowth = page.hostHeapAfterAllMb - page.hostHeapAfterWarmUpMb;
      const rendererGrowth = page.rendererHeapAfterAllMb - page.rendererHeapAfterWarmUpMb;
      const nodesGrowth = page.domNodesAfterAll - page.domNodesAfterWarmUp;
      checks.push(
        {
          target: `host heap (with the page) does not grow from transaction ${WARM_UP} to ${transactions} (< ${GROWTH_LIMITS.hostHeapMb} MB)`,
          measured: `${pageHostGrowth >= 0 ? '+' : ''}${pageHostGrowth.toFixed(1)} MB`,
          pass: pageHostGrowth < GROWTH_LIMITS.hostHeapMb,
        },
        {
          target: `renderer JS heap does not grow from transaction ${WARM_UP} to ${transactions} (< ${GROWTH_LIMITS.rendererHeapMb} MB)`,
          measured: `${rendererGrowth >= 0 ? '+' : ''}${rendererGrowth.toFixed(2)} MB`,
          pass: rendererGrowth < GROWTH_LIMITS.rendererHeapMb,
        },
        {
          target: `renderer DOM nodes do not grow from transaction ${WARM_UP} to ${transactions} (< ${GROWTH_LIMITS.rendererNodes})`,
          measured: `${nodesGrowth >= 0 ? '+' : ''}${nodesGrowth}`,
          pass: nodesGrowth < GROWTH_LIMITS.rendererNodes,
        },
      );
    }
    notes.unshift(`first byte: ${printer.firstByte}`);
  } finally {
    await printer.close();
    await rm(work, { recursive: true, force: true });
  }

  const now: KioskRun = { at: new Date().toISOString(), transactions, pageTransactions, figures };
  const before = parseKioskRun(await readFile(RESULTS, 'utf8').catch(() => undefined));
  await mkdir(dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, JSON.stringify(now, null, 2) + '\n');
  notes.push(
    `previous run: ${before?.at ?? 'none'} (var/bench/kiosk.json); the whole bench took ${((performance.now() - startedAt) / 1000).toFixed(0)} s`,
    'a transaction: card placed → PIN → authentication → 住民票 (5-member household) issued, seals checked, PDF → printer → 終了; in-process virtual card',
    'heaps read after a full collection (V8 gc in this process; HeapProfiler.collectGarbage + Performance.getMetrics in Chromium); this process holds the centre too',
  );
  return {
    title: `Kiosk: ${transactions} transactions without a page, ${pageTransactions} through the page in Chromium`,
    rows: besidePrevious(now, before),
    notes,
    checks,
    comparisons: kioskComparisons(now),
  };
}

/** The kiosk's lines in the report's summary: memory after all beside after the warm-up. */
function kioskComparisons(now: KioskRun): BenchComparison[] {
  const f = now.figures;
  const lines: BenchComparison[] = [];
  const growth = (key: string, after: number | undefined, warm: number | undefined, unit: string) => {
    if (after === undefined || warm === undefined) return;
    const delta = after - warm;
    lines.push({
      measure: key,
      ours: `${after} ${unit} after ${now.transactions}`,
      against: `${warm} ${unit} after ${WARM_UP}`,
      comparison: `${delta >= 0 ? '+' : ''}${delta.toFixed(1)} ${unit}`,
    });
  };
  if (f.cardToFirstByteP50Ms !== undefined && f.cardToWelcomeP50Ms !== undefined)
    lines.push({
      measure: 'machine time: card placed → first byte at the printer (p50)',
      ours: `${f.cardToFirstByteP50Ms} ms`,
      against: `${f.cardToWelcomeP50Ms} ms card placed → printed, back on welcome`,
      comparison: `${((f.cardToFirstByteP50Ms / f.cardToWelcomeP50Ms) * 100).toFixed(0)}% of the whole`,
    });
  growth('host heap, no page', f.hostHeapAfterAllMb, f.hostHeapAfterWarmUpMb, 'MB');
  growth('host heap, with the page', f.pageHostHeapAfterAllMb, f.pageHostHeapAfterWarmUpMb, 'MB');
  growth('renderer JS heap (Chromium)', f.rendererHeapAfterAllMb, f.rendererHeapAfterWarmUpMb, 'MB');
  if (f.coldStartScreenMs !== undefined)
    lines.push({
      measure: 'cold start: kiosk:web process → welcome in Chromium',
      ours: `${f.coldStartScreenMs} ms`,
      against: `${f.coldStartHostMs ?? '—'} ms host composed in a running process`,
      comparison: 'process start, module loading and the page',
    });
  return lines;
}
