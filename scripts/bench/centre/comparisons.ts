/**
 * The centre benchmarks' lines in the bench report's summary (scripts/bench/report.ts), built from
 * the figures of one run: SQLite beside PostgreSQL for one centre, two centres beside one on
 * PostgreSQL, and the CPU a transaction took beside what a throughput target allows on this
 * machine's cores. Pure: the benches measure, these only compare and word.
 */
import { ratio, type BenchComparison } from '../report.ts';

/** Where the CPU went, part by part, in ms (a transaction's, or a whole run's; PostgreSQL only on PostgreSQL). */
export interface CpuByPart {
  /** The centre process(es), all of them together. */
  centre: number;
  /** Of `centre`, the centres' JavaScript threads (the rest: GC and compiler helpers, libuv's pool). */
  centreMainThread?: number;
  /** The OCSP responder's process (the CA's side). */
  responder: number;
  /** The bench's own process: the terminals with their virtual cards, the seal checks. */
  terminals: number;
  /** The PostgreSQL server: postmaster, backends and writers. */
  postgres?: number;
}

/** One case of a throughput run: which database, how many centres, and what it did. */
export interface ThroughputFigures {
  label: string;
  database: 'sqlite' | 'postgres';
  centres: number;
  issuancesPerSecond: number;
  p99Ms: number;
  cpu?: CpuByPart;
}

const ms = (n: number): string => n.toFixed(1);

function summaryOf(f: ThroughputFigures): string {
  return (
    `${f.label}: ${f.issuancesPerSecond.toFixed(1)}/s, p99 ${f.p99Ms.toFixed(0)} ms` +
    (f.cpu ? `, centre CPU ${ms(f.cpu.centre)} ms a transaction` : '')
  );
}

function compare(ours: ThroughputFigures, against: ThroughputFigures): string {
  const parts = [
    ratio(ours.issuancesPerSecond, against.issuancesPerSecond, 'lower throughput', 'higher throughput'),
    ratio(ours.p99Ms, against.p99Ms, 'lower p99', 'higher p99'),
  ];
  if (ours.cpu && against.cpu)
    parts.push(ratio(ours.cpu.centre, against.cpu.centre, 'less centre CPU', 'more centre CPU'));
  return parts.join(', ');
}

/** A summary line for `ours` beside `against`, saying which was not measured when one is missing. */
function line(
  measure: string,
  ours: ThroughputFigures | undefined,
  against: ThroughputFigures | undefined,
  names: { ours: string; against: string },
): BenchComparison[] {
  if (!ours && !against) return [];
  return [
    {
      measure,
      ours: ours ? summaryOf(ours) : `${names.ours} not measured in this run`,
      against: against ? summaryOf(against) : `${names.against} not measured in this run`,
      comparison: ours && against ? compare(ours, against) : '—',
    },
  ];
}

/**
 * SQLite beside PostgreSQL with one centre, and two (or more) centres beside one on PostgreSQL:
 * throughput, p99 and, where measured, the centre's CPU a transaction.
 */
export function databaseAndScaleComparisons(
  cases: readonly ThroughputFigures[],
  what: string,
): BenchComparison[] {
  const sqlite = cases.find((c) => c.database === 'sqlite' && c.centres === 1);
  const postgres = cases.find((c) => c.database === 'postgres' && c.centres === 1);
  const several = cases.find((c) => c.database === 'postgres' && c.centres > 1);
  return [
    ...line(`${what}, one centre: SQLite beside PostgreSQL`, sqlite, postgres, {
      ours: 'SQLite',
      against: 'PostgreSQL',
    }),
    ...line(`${what}, PostgreSQL: ${several?.centres ?? 2} centres beside one`, several, postgres, {
      ours: 'several centres',
      against: 'one centre on PostgreSQL',
    }),
  ];
}

/** The CPU a transaction may take, all parts together, for `perSecond` on `cores` cores. */
export function cpuBudgetMs(cores: number, perSecond: number): number {
  return (cores * 1000) / perSecond;
}

/** Every part's CPU a transaction, summed. */
export function totalCpuMs(cpu: CpuByPart): number {
  return cpu.centre + cpu.responder + cpu.terminals + (cpu.postgres ?? 0);
}

/**
 * One line a case: the centre's CPU a transaction, and every part's together, beside what
 * `perSecond` allows on `cores` cores (2 cores at 300/s: 6.7 ms).
 */
export function cpuBudgetComparisons(
  cases: readonly ThroughputFigures[],
  cores: number,
  perSecond: number,
): BenchComparison[] {
  const budget = cpuBudgetMs(cores, perSecond);
  return cases.flatMap((c) => {
    if (!c.cpu) return [];
    const parts = [
      `centre ${ms(c.cpu.centre)}`,
      `responder ${ms(c.cpu.responder)}`,
      `terminals ${ms(c.cpu.terminals)}`,
      ...(c.cpu.postgres === undefined ? [] : [`PostgreSQL ${ms(c.cpu.postgres)}`]),
    ];
    return [
      {
        measure: `CPU a transaction, ${c.label}, beside ${perSecond}/s on ${cores} cores`,
        ours: `${parts.join(' + ')} = ${ms(totalCpuMs(c.cpu))} ms`,
        against: `${ms(budget)} ms a transaction (${cores} cores × 1000 ms ÷ ${perSecond}/s)`,
        comparison:
          `centre alone ${ratio(c.cpu.centre, budget, 'under', 'over')}, ` +
          `all parts ${ratio(totalCpuMs(c.cpu), budget, 'under', 'over')}`,
      },
    ];
  });
}

/**
 * What share of the machine's cores each part used over a measured run, and the rest: other work
 * on the machine (other processes, the kernel) and idle. `machine` is the change in /proc/stat
 * over the run (every core); `partsMs` the parts' CPU over the same run.
 */
export function machineShareNote(
  label: string,
  cores: number,
  machine: { busyMs: number; totalMs: number },
  partsMs: CpuByPart,
): string {
  const pct = (n: number): string =>
    machine.totalMs > 0 ? `${Math.round((100 * n) / machine.totalMs)}%` : '—';
  const ours = totalCpuMs(partsMs);
  const parts = [
    `centre ${pct(partsMs.centre)}`,
    `responder ${pct(partsMs.responder)}`,
    `terminals ${pct(partsMs.terminals)}`,
    ...(partsMs.postgres === undefined ? [] : [`PostgreSQL ${pct(partsMs.postgres)}`]),
    `other work ${pct(Math.max(0, machine.busyMs - ours))}`,
    `idle ${pct(Math.max(0, machine.totalMs - machine.busyMs))}`,
  ];
  return `${label}, share of the machine's ${cores} cores over the measured run: ${parts.join(', ')}.`;
}
