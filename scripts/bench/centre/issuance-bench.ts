/**
 * Issuance benchmark: whole kiosk transactions per second and their latency, on SQLite and on
 * PostgreSQL, with full verification on — each transaction is a fresh challenge, a real RSA
 * signature by a virtual card, the centre's complete certificate checks (chain by signature,
 * validity, key usage, policy, the register's revocation list, OCSP answered live with this
 * request's nonce, (CA, serial) → resident), a 住民票 built from the register, sealed (ES256 in
 * SoftHSM2) and recorded with its billing, and the kiosk's own seal and binding check on the
 * answer. Terminals run concurrently over HTTP on loopback with residents' cards: 16 residents warm
 * each centre process up with 2,400 transactions (BENCH_WARM_UP), then each measured transaction is a
 * resident that process has not seen (a resident comes once: no per-resident cache may help); the centre runs in its own process (centre-process.ts), so its CPU time per
 * issuance — the figure that does not move with the machine's other load — is read from
 * /proc for that process alone. The OCSP responder (the CA's side) runs in a process of its own,
 * the terminals in the bench's; their CPU a transaction is measured the same way (the bench's own
 * with process.cpuUsage()), and PostgreSQL's (postmaster and backends) on the PostgreSQL rows, with
 * each part's share of the machine's cores beside the other work on it (/proc/stat). The summary
 * lines (`comparisons`): SQLite beside PostgreSQL, two centres beside one, and the CPU a
 * transaction took beside what 300/s allows on this machine's cores.
 *
 * `run()` is picked up by `npm run bench`; `npx tsx scripts/bench/centre/issuance-bench.ts` runs it alone.
 * BENCH_TERMINALS, BENCH_TRANSACTIONS, BENCH_CARDS, BENCH_WARM_UP tune it; BENCH_CENTRE_NODE_ARGS passes node
 * options to the centre processes (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` for a profile).
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadSeedWorld, SEED_REFERENCE_DATE } from '../../../server/seed/index.ts';
import type { SeedResident } from '../../../server/seed/types.ts';
import { ensureDevWorld, openVirtualCard, type DevWorld } from '../../dev/world.ts';
import { startTestPostgres } from '../../../tests/support/postgres.ts';
import type { VirtualMyNumberCard } from '../../../native/virtual-card/virtual-my-number-card.ts';
import { startCentreProcesses, type CentreProcess, type MenuProofReport } from './centre-processes.ts';
import { startRevocationProcess, type RevocationProcess } from './revocation-process.ts';
import { formatSummary, percentile, type BenchCheck, type BenchReport } from '../report.ts';
import {
  cpuBudgetComparisons,
  databaseAndScaleComparisons,
  machineShareNote,
  type CpuByPart,
  type ThroughputFigures,
} from './comparisons.ts';
import { machineCpuMs, mainThreadsCpuMs, processesCpuMs, processTreeCpuMs } from './cpu.ts';
import { rsaSignatureMs } from './machine-speed.ts';
import { authenticateWithCard, fetchSealKeys, requestIssue, verifyIssued } from './terminal.ts';

const TERMINALS = Number(process.env.BENCH_TERMINALS ?? 8);
const TRANSACTIONS = Number(process.env.BENCH_TRANSACTIONS ?? 400);
/**
 * Cards that warm the centre up (JIT, font glyphs, the OCSP client) before the measured run; the
 * measured run then takes every resident once, none of them seen by that centre process, so no
 * answer cached for a resident (the printability check's, per printed content) flatters the figure.
 */
const WARM_UP_CARDS = 16;
/**
 * Whole transactions the warm-up cards make, again and again, before the measured run: a centre
 * runs for days, and V8 compiles a function's optimised code only after many calls. Until this
 * round the warm-up was the 16 cards once, and the measured run met a centre still running much of
 * its code unoptimised (perf: V8's inline-cache and baseline builtins high in the centre's CPU, and
 * TurboFan still compiling). Measured on SQLite, the centre's CPU an issuance: 5.5–5.6 ms after 16
 * warm-up transactions, 4.1–4.8 after 800, 3.5–3.7 after 2,400.
 */
const WARM_UP_TRANSACTIONS = Number(process.env.BENCH_WARM_UP ?? 2400);
const CARDS = Number(process.env.BENCH_CARDS ?? TRANSACTIONS + WARM_UP_CARDS);
/** Which rows to run (comma-separated: sqlite, postgres, postgres-2); default all. */
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'sqlite,postgres,postgres-2').split(',');
const CENTRE_NODE_ARGS = (process.env.BENCH_CENTRE_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
/**
 * Whether the centres prove every resident's menu ahead, as `npm run centre` does (today's round
 * at start, before the measured run; its time is reported apart). BENCH_MENU_PROOFS=0: every
 * sign-in fits its menu's documents itself.
 */
const MENU_PROOFS = process.env.BENCH_MENU_PROOFS !== '0';

/** The issue's targets (issue 14), for one centre on each database. */
const TARGET_ISSUANCES_PER_SECOND = 300;
const TARGET_P99_MS = 100;

interface Card {
  resident: SeedResident;
  card: VirtualMyNumberCard;
}

const round = (n: number, digits = 1): number => Number(n.toFixed(digits));

function eligibleResidents(): SeedResident[] {
  const year = Number(SEED_REFERENCE_DATE.slice(0, 4));
  return loadSeedWorld().residents.filter(
    (r) =>
      r.status === 'resident' &&
      r.card.condition === 'valid' &&
      !r.card.lockedPins &&
      !r.dvBlock &&
      year - Number(r.birthDate.slice(0, 4)) >= 16,
  );
}

async function cardsFor(world: DevWorld, count: number): Promise<Card[]> {
  const residents = eligibleResidents();
  const step = Math.max(1, Math.floor(residents.length / count));
  const chosen = residents.filter((_, i) => i % step === 0).slice(0, count);
  const cards: Card[] = [];
  // One after the other: a card made on first open is two RSA key pairs.
  for (const resident of chosen) {
    const card = await openVirtualCard(world, resident.holderId);
    if (!('transmit' in card)) throw new Error(`bench: no card for ${resident.holderId} (${card.kind})`);
    cards.push({ resident, card });
  }
  return cards;
}

/** The processes whose CPU a run measures: the centres, the OCSP responder, PostgreSQL's server. */
interface Measuring {
  centrePids: readonly number[];
  responderPid: number;
  postmasterPid?: number;
}

/** Every part's CPU so far, in ms (the terminals: this process). */
function cpuSoFar(m: Measuring): CpuByPart {
  const own = process.cpuUsage();
  return {
    centre: processesCpuMs(m.centrePids),
    centreMainThread: mainThreadsCpuMs(m.centrePids),
    responder: processesCpuMs([m.responderPid]),
    terminals: (own.user + own.system) / 1000,
    ...(m.postmasterPid === undefined ? {} : { postgres: processTreeCpuMs(m.postmasterPid) }),
  };
}

function cpuBetween(before: CpuByPart, after: CpuByPart): CpuByPart {
  return {
    centre: after.centre - before.centre,
    centreMainThread: (after.centreMainThread ?? 0) - (before.centreMainThread ?? 0),
    responder: after.responder - before.responder,
    terminals: after.terminals - before.terminals,
    ...(before.postgres === undefined || after.postgres === undefined
      ? {}
      : { postgres: after.postgres - before.postgres }),
  };
}

/** The PostgreSQL server's postmaster: its data folder's postmaster.pid, found through the server. */
async function postmasterPidOf(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
    const pidFile = await readFile(join(rows[0]!.data_directory, 'postmaster.pid'), 'utf8');
    const pid = Number(pidFile.split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error('bench: no pid in postmaster.pid');
    return pid;
  } finally {
    await client.end();
  }
}

interface Measured {
  seconds: number;
  total: number[];
  issue: number[];
  /** Each part's CPU over the measured run, in ms (not a transaction: all of them). */
  cpuMs: CpuByPart;
  /** The whole machine's CPU over the run (/proc/stat, every core). */
  machine: { busyMs: number; totalMs: number };
  /** Residents of the measured run not offered the 住民票 (authenticated, not issued). */
  skipped: number;
}

/**
 * Runs `transactions` whole transactions over `terminals` concurrent terminals, each one after the
 * other, taking the pool's cards in turn (a card is never in two terminals at once: the pool is
 * larger than the terminals). A resident not offered the 住民票 is not a bench case: left out of
 * the pool at the warm-up, skipped (and counted) in the measured run.
 */
async function drive(
  centres: readonly CentreProcess[],
  measuring: Measuring,
  cards: Card[],
  transactions: number,
  sealRootKeysPemPath: string,
  warmUp: boolean,
): Promise<Measured> {
  const sealKeys = await fetchSealKeys(centres[0]!.url, sealRootKeysPemPath);
  const total: number[] = [];
  const issue: number[] = [];
  const notOffered = new Set<Card>();
  let skipped = 0;
  let next = 0;
  const cpuBefore = cpuSoFar(measuring);
  const machineBefore = machineCpuMs();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: TERMINALS }, async (_, i) => {
      const centreUrl = centres[i % centres.length]!.url;
      const terminalId = `S${String(9000 + i)}-T01`;
      while (next < transactions) {
        const c = cards[next++ % cards.length] as Card;
        const begin = performance.now();
        const session = await authenticateWithCard({
          centreUrl,
          card: c.card,
          authPin: c.resident.card.authPin,
          terminalId,
        });
        // A resident whose 住民票 would not print is never offered it (nor charged): not a bench case.
        if (!session.juminhyoOffered) {
          if (warmUp) notOffered.add(c);
          else skipped += 1;
          continue;
        }
        const issueBegin = performance.now();
        const answer = await requestIssue(centreUrl, {
          transactionId: session.transactionId,
          terminalId,
          certificateType: 'juminhyo',
          copies: 1,
        });
        if (!answer.ok)
          throw new Error(`bench: issue refused (${answer.status}): ${JSON.stringify(answer.body)}`);
        verifyIssued(answer.response, session, sealKeys);
        const end = performance.now();
        issue.push(end - issueBegin);
        total.push(end - begin);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = cpuBetween(cpuBefore, cpuSoFar(measuring));
  const machineAfter = machineCpuMs();
  const machine = {
    busyMs: machineAfter.busyMs - machineBefore.busyMs,
    totalMs: machineAfter.totalMs - machineBefore.totalMs,
  };
  for (const c of notOffered) cards.splice(cards.indexOf(c), 1);
  return { seconds, total, issue, cpuMs, machine, skipped };
}

interface Row {
  backend: string;
  /** Each centre's round of menus proved ahead before the run (with MENU_PROOFS). */
  menuProofs: MenuProofReport[];
  database: 'sqlite' | 'postgres';
  centres: number;
  measured: Measured;
  load: number;
  /** The machine's speed just before the measured run (machine-speed.ts). */
  rsaSignatureMs: number;
}

/** Each part's CPU a transaction over the measured run. */
function cpuPerTransaction(m: Measured): CpuByPart {
  const per = (ms: number): number => ms / m.total.length;
  return {
    centre: per(m.cpuMs.centre),
    ...(m.cpuMs.centreMainThread === undefined ? {} : { centreMainThread: per(m.cpuMs.centreMainThread) }),
    responder: per(m.cpuMs.responder),
    terminals: per(m.cpuMs.terminals),
    ...(m.cpuMs.postgres === undefined ? {} : { postgres: per(m.cpuMs.postgres) }),
  };
}

function figuresOf(row: Row): ThroughputFigures {
  const m = row.measured;
  return {
    label: row.backend,
    database: row.database,
    centres: row.centres,
    issuancesPerSecond: m.total.length / m.seconds,
    p99Ms: percentile(
      [...m.total].sort((a, b) => a - b),
      99,
    ),
    cpu: cpuPerTransaction(m),
  };
}

function summarise(row: Row): Record<string, string | number> {
  const m = row.measured;
  const cpu = cpuPerTransaction(m);
  const total = [...m.total].sort((a, b) => a - b);
  const issue = [...m.issue].sort((a, b) => a - b);
  return {
    backend: row.backend,
    terminals: TERMINALS,
    transactions: m.total.length,
    'issuances/s': round(m.total.length / m.seconds),
    'p50 ms': round(percentile(total, 50)),
    'p99 ms': round(percentile(total, 99)),
    'issue p50 ms': round(percentile(issue, 50)),
    'issue p99 ms': round(percentile(issue, 99)),
    'centre CPU ms/issuance': round(cpu.centre, 2),
    'of it JS thread': cpu.centreMainThread === undefined ? '—' : round(cpu.centreMainThread, 2),
    'responder CPU ms/tx': round(cpu.responder, 2),
    'terminals CPU ms/tx': round(cpu.terminals, 2),
    'PostgreSQL CPU ms/tx': cpu.postgres === undefined ? '—' : round(cpu.postgres, 2),
    'load avg': round(row.load),
    'RSA sign µs': Math.round(row.rsaSignatureMs * 1000),
  };
}

function checksOf(row: Row): BenchCheck[] {
  const m = row.measured;
  const perSecond = m.total.length / m.seconds;
  const p99 = percentile(
    [...m.total].sort((a, b) => a - b),
    99,
  );
  return [
    {
      target: `${row.backend}: at least ${TARGET_ISSUANCES_PER_SECOND} issuances/s`,
      measured: `${perSecond.toFixed(1)}/s (centre CPU ${(m.cpuMs.centre / m.total.length).toFixed(2)} ms an issuance, load average ${row.load.toFixed(1)})`,
      pass: perSecond >= TARGET_ISSUANCES_PER_SECOND,
    },
    {
      target: `${row.backend}: p99 of a whole transaction under ${TARGET_P99_MS} ms`,
      measured: `${p99.toFixed(1)} ms`,
      pass: p99 < TARGET_P99_MS,
    },
  ];
}

/** One row: `count` centre processes on one database, warmed up, then the measured run. */
async function benchCentres(opts: {
  backend: string;
  count: number;
  world: DevWorld;
  cards: Card[];
  database:
    | { kind: 'sqlite'; databasePath: string }
    | { kind: 'postgres'; databaseUrl: string; postmasterPid: number };
  revocation: RevocationProcess;
}): Promise<Row> {
  const { database, revocation } = opts;
  const centres = await startCentreProcesses(opts.count, {
    worldDir: opts.world.dir,
    ...(database.kind === 'sqlite'
      ? { databasePath: database.databasePath }
      : { databaseUrl: database.databaseUrl }),
    revocation: { ocspUrl: revocation.ocspUrl, crlBaseUrl: revocation.crlBaseUrl },
    nodeArgs: CENTRE_NODE_ARGS,
    menuProofs: MENU_PROOFS,
  });
  try {
    const measuring: Measuring = {
      centrePids: centres.map((c) => c.child.pid as number),
      responderPid: revocation.pid,
      ...(database.kind === 'postgres' ? { postmasterPid: database.postmasterPid } : {}),
    };
    const roots = opts.world.sealKeys.rootKeysPemPath;
    const warm = opts.cards.slice(0, WARM_UP_CARDS);
    const fresh = opts.cards.slice(WARM_UP_CARDS);
    // Rounds of the warm-up cards, each card once a round (never in two terminals at once).
    for (let done = 0; done < WARM_UP_TRANSACTIONS && warm.length > 0; done += warm.length)
      await drive(centres, measuring, warm, warm.length, roots, true);
    const speed = rsaSignatureMs();
    const measured = await drive(
      centres,
      measuring,
      fresh,
      Math.min(TRANSACTIONS, fresh.length),
      roots,
      false,
    );
    return {
      backend: opts.backend,
      menuProofs: centres.flatMap((c) => (c.menuProofs ? [c.menuProofs] : [])),
      database: database.kind,
      centres: opts.count,
      measured,
      load: loadavg()[0] ?? 0,
      rsaSignatureMs: speed,
    };
  } finally {
    await Promise.all(centres.map((c) => c.stop()));
  }
}

export async function run(): Promise<BenchReport> {
  const dir = await mkdtemp(join(tmpdir(), 'issuance-bench-'));
  // The world (its CAs and the residents' cards, two RSA key pairs each, made on first use) is kept
  // between runs; the databases are new each run.
  const worldDir = process.env.BENCH_WORLD ?? join('var', 'bench', 'world');
  const postgres = await startTestPostgres({ fsync: true });
  try {
    const world = await ensureDevWorld(worldDir);
    const revocation = await startRevocationProcess(world.dir);
    try {
      const cards = await cardsFor(world, CARDS);
      const postmasterPid = await postmasterPidOf(postgres.url);
      const onPostgres = async (name: string) => ({
        kind: 'postgres' as const,
        databaseUrl: await postgres.createDatabase(name),
        postmasterPid,
      });
      const common = { world, cards, revocation };
      const rows: Row[] = [];
      const single: Row[] = [];
      if (BACKENDS.includes('sqlite'))
        single.push(
          await benchCentres({
            ...common,
            backend: 'SQLite (WAL)',
            count: 1,
            database: { kind: 'sqlite', databasePath: join(dir, 'centre.sqlite') },
          }),
        );
      if (BACKENDS.includes('postgres'))
        single.push(
          await benchCentres({
            ...common,
            backend: 'PostgreSQL',
            count: 1,
            database: await onPostgres('bench'),
          }),
        );
      rows.push(...single);
      if (BACKENDS.includes('postgres-2'))
        rows.push(
          await benchCentres({
            ...common,
            backend: 'PostgreSQL, 2 centre processes',
            count: 2,
            database: await onPostgres('bench_two'),
          }),
        );
      const cores = availableParallelism();
      const figures = rows.map(figuresOf);
      return {
        title:
          'Issuance: whole kiosk transactions (challenge → card signature → authenticate with OCSP → sealed 住民票 + billing → seal check)',
        rows: rows.map(summarise),
        notes: [
          `${TERMINALS} terminals at once over HTTP on loopback with residents' in-process virtual cards (RSA-2048); each centre in its own process, warmed up by ${WARM_UP_CARDS} residents' ${WARM_UP_TRANSACTIONS} transactions (each again and again: the centre's code optimised as in a centre running for hours), then ${Math.min(TRANSACTIONS, cards.length - WARM_UP_CARDS)} transactions per backend, each by a resident that centre process has not seen in a request (nothing cached for them by an earlier sign-in: no printability answer, no certificate; menus proved ahead, below, are the centre's own work before the run). Residents not offered the 住民票 are skipped: ${rows.map((r) => `${r.backend} ${r.measured.skipped}`).join(', ')}.`,
          "Full verification on: the centre checks the chain, validity, key usage, policy, the register's revocation list, OCSP (a live responder in its own process: a fresh nonce per request, CRL fallback) and the card signature; the terminal verifies the ES256 seal and the holder binding.",
          "p50/p99 ms: one whole transaction; issue p50/p99: the /v1/issue call alone. CPU ms a transaction, each user + system time from /proc over the measured run ÷ transactions: centre — the centre process(es), the stable figure on a shared machine, and of it the JavaScript thread (the rest is V8's garbage-collection and compiler helper threads and libuv's pool); responder — the OCSP responder's process; terminals — this bench's own process (the terminals, their virtual cards' RSA signatures, the seal checks; process.cpuUsage()); PostgreSQL — its postmaster and every backend and writer (rows on PostgreSQL). PostgreSQL 15 from Debian, throwaway, fsync on; SQLite WAL, synchronous FULL.",
          ...rows.map((row) =>
            machineShareNote(row.backend, cores, row.measured.machine, row.measured.cpuMs),
          ),
          MENU_PROOFS
            ? `Menus proved ahead (server/municipal/menu-proofs.ts, as \`npm run centre\` does at start and after midnight in Japan): before each run every centre process built and fitted every resident's menu documents for today — ${rows
                .flatMap((r) =>
                  r.menuProofs.map(
                    (p) =>
                      `${r.backend}: ${p.proved} residents (${p.noMenu} refused a menu, ${p.failed} failed) in ${(p.ms / 1000).toFixed(1)} s, ${(p.cpuMs / Math.max(1, p.proved)).toFixed(1)} ms of CPU a resident`,
                  ),
                )
                .join(
                  '; ',
                )}; not in the per-transaction figures. BENCH_MENU_PROOFS=0: each sign-in fits its menu itself.`
            : 'Menus not proved ahead (BENCH_MENU_PROOFS=0): each sign-in fits its menu documents itself.',
          `Machine: ${cores} CPUs; other work is every other process on the machine (other sessions) and the kernel, from /proc/stat; load average at the end of each row in the table. More centre processes only help with spare cores. RSA sign µs: the machine's speed just before the measured run, one RSA-2048 signature in the bench's process (median of 200; scripts/bench/centre/machine-speed.ts): the same work each time, so a row with a higher figure ran on a slower machine.`,
          `${loadSeedWorld().residents.length} residents in the register. Tune with BENCH_TERMINALS, BENCH_TRANSACTIONS, BENCH_CARDS and BENCH_BACKENDS (sqlite,postgres,postgres-2).`,
        ],
        checks: single.flatMap(checksOf),
        comparisons: [
          ...databaseAndScaleComparisons(figures, 'issuance with full verification'),
          ...cpuBudgetComparisons(figures, cores, TARGET_ISSUANCES_PER_SECOND),
        ],
      };
    } finally {
      await revocation.stop();
    }
  } finally {
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await run();
  console.log(report.title);
  console.table(report.rows);
  for (const note of report.notes ?? []) console.log(`- ${note}`);
  for (const check of report.checks ?? [])
    console.log(`${check.pass ? 'PASS' : 'FAIL'}  ${check.target}: ${check.measured}`);
  console.log(formatSummary([{ name: 'issuance', report }]));
}
