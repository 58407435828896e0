/**
 * `npm run loadtest -- --kiosks N --transactions M [--centres K] [--db sqlite|postgres]
 *  [--balancer haproxy|none] [--chaos] [--skip-render] [--warm-up W] [--world DIR] [--json]`
 *
 * Simulated kiosks (each its own virtual card and terminal certificate) run whole transactions
 * against K reference centres through mutual TLS (scripts/loadtest/run.ts); prints throughput,
 * latency percentiles, mis-issuances, errors by kind and the ledger audit, as a table or JSON.
 * Exits 1 when anything was mis-issued, lost, billed twice or billed without delivery.
 */
import { parseArgs } from 'node:util';
import { runLoadtest, type LoadtestReport } from './loadtest/run.ts';

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} must be a positive whole number, not ${text}`);
    process.exit(2);
  }
  return value;
}

export function formatLoadtest(r: LoadtestReport): string {
  const o = r.options;
  const rows: Array<[string, string]> = [
    [
      'setup',
      `${o.kiosks} kiosks, ${o.centres} centre(s) on ${o.db}${o.centres > 1 ? ` via ${o.balancer}` : ''}${o.chaos ? ', chaos' : ''}${o.render ? '' : ', no render'}`,
    ],
    [
      'transactions completed',
      `${r.completed} in ${r.seconds} s${o.warmUp > 0 ? ` (after ${o.warmUp} warm-up transactions, not timed)` : ''}`,
    ],
    ['issuances/s', String(r.issuancesPerSecond)],
    [
      'latency p50 / p90 / p99 / max ms',
      `${r.latencyMs.p50} / ${r.latencyMs.p90} / ${r.latencyMs.p99} / ${r.latencyMs.max}`,
    ],
    ['authenticate p50 / p99 ms', `${r.authenticateLatencyMs.p50} / ${r.authenticateLatencyMs.p99}`],
    ['issue p50 / p99 ms', `${r.issueLatencyMs.p50} / ${r.issueLatencyMs.p99}`],
    ['delivery report p50 / p99 ms', `${r.deliveryLatencyMs.p50} / ${r.deliveryLatencyMs.p99}`],
    ['mis-issued', `${r.misIssued}${r.misIssuedDetails.length ? ` (${r.misIssuedDetails.join('; ')})` : ''}`],
    ['failed', `${r.failed}${r.failed ? ` (${[...new Set(r.failedDetails)].join('; ')})` : ''}`],
    ['not offered (no 住民票 on the menu)', String(r.notOffered)],
    [
      'ledger: lost / billed twice / billed undelivered / wrong holder',
      `${r.ledger.lost.length} / ${r.ledger.billedTwice.length} / ${r.ledger.billedUndelivered.length} / ${r.ledger.wrongHolder.length}`,
    ],
    ['ledger: issued, never billed (failed after issue)', String(r.ledger.pending)],
    ...Object.entries(r.errorsByKind).map(([kind, count]): [string, string] => [
      `retried/failed attempt: ${kind}`,
      String(count),
    ]),
    ...r.chaos.map((event): [string, string] => ['chaos', event]),
    ...r.unexpectedCentreExits.map((event): [string, string] => ['unexpected', event]),
    ['machine', `${r.machine.cpus} CPUs, load average ${r.machine.loadAverage1m} (shared with other work)`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

export function loadtestPassed(r: LoadtestReport): boolean {
  return (
    r.misIssued === 0 &&
    r.ledger.lost.length === 0 &&
    r.ledger.billedTwice.length === 0 &&
    r.ledger.billedUndelivered.length === 0 &&
    r.ledger.wrongHolder.length === 0
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kiosks: { type: 'string' },
      transactions: { type: 'string' },
      centres: { type: 'string' },
      db: { type: 'string', default: 'sqlite' },
      balancer: { type: 'string', default: 'haproxy' },
      chaos: { type: 'boolean', default: false },
      'skip-render': { type: 'boolean', default: false },
      'warm-up': { type: 'string' },
      world: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.db !== 'sqlite' && values.db !== 'postgres') {
    console.error('--db is sqlite or postgres');
    process.exit(2);
  }
  if (values.balancer !== 'haproxy' && values.balancer !== 'none') {
    console.error('--balancer is haproxy or none');
    process.exit(2);
  }
  const report = await runLoadtest({
    kiosks: positiveInt('kiosks', values.kiosks, 8),
    transactions: positiveInt('transactions', values.transactions, 200),
    centres: positiveInt('centres', values.centres, 1),
    db: values.db,
    balancer: values.balancer,
    chaos: values.chaos,
    render: !values['skip-render'],
    ...(values['warm-up'] === undefined ? {} : { warmUp: positiveInt('warm-up', values['warm-up'], 0) }),
    ...(values.world ? { worldDir: values.world } : {}),
    ...(values.json ? {} : { log: (line: string) => console.error(line) }),
  });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatLoadtest(report));
  process.exit(loadtestPassed(report) ? 0 : 1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(`loadtest: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
