/**
 * The load test: a world, a database (SQLite or a throwaway PostgreSQL), the world's OCSP
 * responder in its own process (as J-LIS's is elsewhere), K centre processes (behind HAProxy when
 * K > 1; each proves its residents' menus before it listens, as `npm run centre` does), N kiosks
 * each running whole transactions until M are done, all starting in the same second; optionally
 * the chaos of issue 14 (one centre killed with SIGKILL and started again a third of the way in,
 * PostgreSQL restarted two thirds of the way in).
 * Answers a report: throughput, latency percentiles, outcomes, errors by kind, the ledger audit.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureDevWorld } from '../dev/world.ts';
import { freePort } from '../system/services.ts';
import { startTestPostgres, type TestPostgres } from '../../tests/support/postgres.ts';
import { startCentreProcess, type CentreProcess } from '../bench/centre/centre-processes.ts';
import { startRevocationProcess, type RevocationProcess } from '../bench/centre/revocation-process.ts';
import { fetchSealKeys } from '../bench/centre/terminal.ts';
import { percentile } from '../bench/report.ts';
import { auditLedger, readLedger, type LedgerAudit } from './audit.ts';
import { startHaproxy, type RunningHaproxy } from './haproxy.ts';
import { makeKiosks, type Kiosk } from './kiosks.ts';
import { DEFAULT_RETRY, runTransaction, type RetryPolicy, type TransactionOutcome } from './transaction.ts';

export interface LoadtestOptions {
  kiosks: number;
  transactions: number;
  /**
   * Whole transactions run first and left out of the throughput and latency figures (the centres'
   * JIT, connection pools and TLS sessions warm), audited and checked like the others. Default 0.
   */
  warmUp?: number;
  centres: number;
  db: 'sqlite' | 'postgres';
  /** With several centres: HAProxy in front (default), or each kiosk tied to one centre. */
  balancer: 'haproxy' | 'none';
  /** Kill one centre (SIGKILL) and restart PostgreSQL during the run. */
  chaos: boolean;
  /** Render each document to PDF at the kiosk (as a kiosk does before printing). */
  render: boolean;
  /** A dev world to reuse (built there when missing); default a fresh one in a temporary folder. */
  worldDir?: string;
  retry?: RetryPolicy;
  /** Progress lines (never personal data). */
  log?: (line: string) => void;
}

export interface LoadtestReport {
  options: Omit<LoadtestOptions, 'log' | 'retry' | 'worldDir' | 'warmUp'> & { warmUp: number };
  seconds: number;
  /** Completed in the measured run (after the warm-up). */
  completed: number;
  issuancesPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  issueLatencyMs: { p50: number; p99: number };
  /** Authentication (challenge, card, the centre's checks and menu) and the delivery report. */
  authenticateLatencyMs: { p50: number; p99: number };
  deliveryLatencyMs: { p50: number; p99: number };
  /** Mis-issued and failed: in the warm-up and the measured run together (nothing is let off). */
  misIssued: number;
  misIssuedDetails: string[];
  failed: number;
  /** Each failed transaction's step and its last attempt's error kind (no personal data). */
  failedDetails: string[];
  /** In the measured run, beside `completed`. */
  notOffered: number;
  /** Failed attempts (each retried or final) by kind. */
  errorsByKind: Record<string, number>;
  ledger: LedgerAudit;
  chaos: string[];
  /** Centres that died without being killed (then started again). */
  unexpectedCentreExits: string[];
  machine: { cpus: number; loadAverage1m: number };
}

const round = (n: number): number => Number(n.toFixed(1));

export async function runLoadtest(options: LoadtestOptions): Promise<LoadtestReport> {
  const log = options.log ?? (() => undefined);
  if (options.centres > 1 && options.db !== 'postgres')
    throw new RangeError('several centres share one PostgreSQL: use --db postgres');
  const dir = await mkdtemp(join(tmpdir(), 'kiosk-loadtest-'));
  let postgres: TestPostgres | undefined;
  let centres: CentreProcess[] = [];
  let haproxy: RunningHaproxy | undefined;
  let revocation: RevocationProcess | undefined;
  const chaos: string[] = [];
  let kiosks: Kiosk[] = [];
  let stopping = false;
  try {
    const world = await ensureDevWorld(options.worldDir ?? join(dir, 'world'));
    const pkiDir = join(dir, 'pki');
    await mkdir(pkiDir, { recursive: true });
    kiosks = await makeKiosks(world, pkiDir, options.kiosks);
    log(`${kiosks.length} kiosks ready`);
    revocation = await startRevocationProcess(world.dir);
    const { ocspUrl, crlBaseUrl } = revocation;
    const database =
      options.db === 'postgres'
        ? {
            databaseUrl: await (postgres = await startTestPostgres({ fsync: true })).createDatabase(
              'loadtest',
            ),
          }
        : { databasePath: join(dir, 'centre.sqlite') };
    const ports = await Promise.all(Array.from({ length: options.centres }, () => freePort()));
    const startOnce = (port: number): Promise<CentreProcess> =>
      startCentreProcess({
        worldDir: world.dir,
        ...database,
        port,
        tls: { dir: pkiDir },
        revocation: { ocspUrl, crlBaseUrl },
        menuProofs: true,
      });
    /** Starts a centre, trying again for a while (PostgreSQL may be restarting). */
    const startCentre = async (port: number): Promise<CentreProcess> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await startOnce(port);
        } catch (error) {
          if (attempt >= 20) throw error;
          await sleep(500);
        }
      }
    };
    /** A centre that dies on its own (not killed by the chaos) is counted and started again. */
    const watch = (i: number, centre: CentreProcess): CentreProcess => {
      centre.child.once('exit', (code, signal) => {
        if (stopping || killed.has(centre)) return;
        unexpectedExits.push(`centre ${i + 1} exited by itself (${signal ?? `code ${code}`})`);
        void startCentre(ports[i] as number).then(
          (next) => (centres[i] = watch(i, next)),
          (error: unknown) => unexpectedExits.push(`centre ${i + 1} did not start again: ${String(error)}`),
        );
      });
      return centre;
    };
    const killed = new Set<CentreProcess>();
    const unexpectedExits: string[] = [];
    // One first, so the database's migrations and the seal keys are made once; then the others.
    centres = [watch(0, await startCentre(ports[0] as number))];
    centres.push(
      ...(await Promise.all(ports.slice(1).map(async (port, i) => watch(i + 1, await startCentre(port))))),
    );
    log(`${centres.length} centre process(es) listening`);
    const useHaproxy = options.centres > 1 && options.balancer === 'haproxy';
    if (useHaproxy) haproxy = await startHaproxy({ dir, listenPort: await freePort(), centrePorts: ports });
    const urlFor = (i: number): string => haproxy?.url ?? (centres[i % centres.length] as CentreProcess).url;
    const links = kiosks.map((kiosk, i) => ({
      url: urlFor(i),
      dispatcher: kiosk.dispatcher,
      terminalKey: kiosk.terminalKey,
    }));
    const sealKeys = await fetchSealKeys(links[0] as (typeof links)[0], world.sealKeys.rootKeysPemPath);

    const outcomes: TransactionOutcome[] = [];
    const errors: string[] = [];
    const policy = options.retry ?? DEFAULT_RETRY;
    const warmUp = options.warmUp ?? 0;
    let started = 0;
    let done = 0;
    const chaosDone = { centre: false, postgres: false };
    const chaosTasks: Array<Promise<void>> = [];
    const maybeChaos = (): void => {
      if (!options.chaos) return;
      if (!chaosDone.centre && done >= warmUp + options.transactions / 3) {
        chaosDone.centre = true;
        chaosTasks.push(
          (async () => {
            const victim = centres[0] as CentreProcess;
            killed.add(victim);
            victim.child.kill('SIGKILL');
            chaos.push(`centre 1 killed with SIGKILL after ${done} transactions`);
            await new Promise((resolve) =>
              victim.child.exitCode !== null || victim.child.signalCode !== null
                ? resolve(undefined)
                : victim.child.once('exit', resolve),
            );
            await sleep(500);
            centres[0] = watch(0, await startCentre(ports[0] as number));
            chaos.push(`centre 1 started again on the same port after ${done} transactions`);
          })().catch((error: unknown) => {
            chaos.push(`centre 1 did not start again: ${String(error)}`);
          }),
        );
      }
      if (postgres && !chaosDone.postgres && done >= warmUp + (2 * options.transactions) / 3) {
        chaosDone.postgres = true;
        const pgServer = postgres;
        chaosTasks.push(
          (async () => {
            chaos.push(`PostgreSQL stopped (immediate) and started again after ${done} transactions`);
            await pgServer.restart();
          })().catch((error: unknown) => {
            chaos.push(`PostgreSQL did not start again: ${String(error)}`);
          }),
        );
      }
    };
    /** Runs transactions on every kiosk until `until` have started in all. */
    const drive = (until: number): Promise<unknown> =>
      Promise.all(
        kiosks.map(async (kiosk, i) => {
          while (started < until) {
            started++;
            const outcome = await runTransaction({
              link: links[i] as (typeof links)[0],
              kiosk,
              sealKeys,
              policy,
              render: options.render,
              errors,
            });
            outcomes.push(outcome);
            done++;
            if (done % Math.max(1, Math.floor(options.transactions / 10)) === 0) log(`${done} transactions`);
            maybeChaos();
          }
        }),
      );
    if (warmUp > 0) {
      await drive(warmUp);
      log(`${warmUp} warm-up transactions done`);
    }
    const measuredFrom = outcomes.length;
    const begin = performance.now();
    await drive(warmUp + options.transactions);
    const seconds = (performance.now() - begin) / 1000;
    await Promise.all(chaosTasks);
    stopping = true;
    const ledger = auditLedger(await readLedger(database), outcomes);
    const completed = outcomes.slice(measuredFrom).filter((o) => o.kind === 'completed');
    const total = completed.map((o) => o.ms).sort((a, b) => a - b);
    const p50p99 = (ms: number[]): { p50: number; p99: number } => {
      const sorted = [...ms].sort((a, b) => a - b);
      return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
    };
    const errorsByKind: Record<string, number> = {};
    for (const kind of errors) errorsByKind[kind] = (errorsByKind[kind] ?? 0) + 1;
    const misIssued = outcomes.filter((o) => o.kind === 'mis-issued');
    return {
      options: {
        kiosks: options.kiosks,
        transactions: options.transactions,
        warmUp,
        centres: options.centres,
        db: options.db,
        balancer: useHaproxy ? 'haproxy' : 'none',
        chaos: options.chaos,
        render: options.render,
      },
      seconds: round(seconds),
      completed: completed.length,
      issuancesPerSecond: round(completed.length / seconds),
      latencyMs: {
        p50: round(percentile(total, 50)),
        p90: round(percentile(total, 90)),
        p99: round(percentile(total, 99)),
        max: round(total[total.length - 1] ?? Number.NaN),
      },
      issueLatencyMs: p50p99(completed.map((o) => o.issueMs)),
      authenticateLatencyMs: p50p99(completed.map((o) => o.authenticateMs)),
      deliveryLatencyMs: p50p99(completed.map((o) => o.deliveryMs)),
      misIssued: misIssued.length,
      misIssuedDetails: [...new Set(misIssued.map((o) => o.detail))],
      failed: outcomes.filter((o) => o.kind === 'failed').length,
      failedDetails: outcomes.flatMap((o) => (o.kind === 'failed' ? [`${o.step}: ${o.lastError}`] : [])),
      notOffered: outcomes.slice(measuredFrom).filter((o) => o.kind === 'not-offered').length,
      errorsByKind,
      ledger,
      chaos,
      unexpectedCentreExits: unexpectedExits,
      machine: { cpus: availableParallelism(), loadAverage1m: round(loadavg()[0] ?? 0) },
    };
  } finally {
    stopping = true;
    await Promise.all(kiosks.map((kiosk) => kiosk.dispatcher.close()));
    await haproxy?.stop();
    await Promise.all(centres.map((c) => c.stop()));
    await revocation?.stop();
    await postgres?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
