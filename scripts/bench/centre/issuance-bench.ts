/**
 * Issuance benchmark: whole kiosk transactions per second and their latency, on SQLite and on
 * PostgreSQL, with full verification on — each transaction is a fresh challenge, a real RSA
 * signature by a virtual card, the centre's complete certificate checks (chain by signature,
 * validity, key usage, policy, revocation list, (CA, serial) → resident), a 住民票 built from the
 * register, sealed (ES256) and recorded with its billing, and the kiosk's own seal and binding
 * check on the answer. Terminals run concurrently, each with its own card, over HTTP on loopback.
 *
 * `run()` is picked up by `npm run bench`; `npx tsx scripts/bench/centre/issuance-bench.ts` runs it alone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCentre } from '../../../server/centre.ts';
import { loadSeedWorld, SEED_REFERENCE_DATE } from '../../../server/seed/index.ts';
import type { SeedResident } from '../../../server/seed/types.ts';
import { demoOpeningHoursClock } from '../../dev/clock.ts';
import { centreOptionsFor, ensureDevWorld, openVirtualCard, type DevWorld } from '../../dev/world.ts';
import { startTestPostgres } from '../../../tests/support/postgres.ts';
import type { VirtualMyNumberCard } from '../../../native/virtual-card/virtual-my-number-card.ts';
import { startCentreProcesses } from './centre-processes.ts';
import { percentile, type BenchReport } from '../report.ts';
import { authenticateWithCard, fetchSealKeys, requestIssue, verifyIssued } from './terminal.ts';

const TERMINALS = Number(process.env.BENCH_TERMINALS ?? 8);
const TRANSACTIONS = Number(process.env.BENCH_TRANSACTIONS ?? 240);
const WARM_UP = 16;

interface Terminal {
  resident: SeedResident;
  card: VirtualMyNumberCard;
  terminalId: string;
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

async function terminalsFor(world: DevWorld, count: number): Promise<Terminal[]> {
  const residents = eligibleResidents();
  const step = Math.max(1, Math.floor(residents.length / count));
  const chosen = residents.filter((_, i) => i % step === 0).slice(0, count);
  return Promise.all(
    chosen.map(async (resident, i) => {
      const card = await openVirtualCard(world, resident.holderId);
      if (!('transmit' in card)) throw new Error(`bench: no card for ${resident.holderId} (${card.kind})`);
      return { resident, card, terminalId: `S${String(9000 + i)}-T01` };
    }),
  );
}

interface Measured {
  seconds: number;
  total: number[];
  issue: number[];
}

/** Runs `transactions` whole transactions over `terminals`, each terminal one after the other. */
async function drive(
  centreUrls: readonly string[],
  terminals: readonly Terminal[],
  transactions: number,
  sealRootKeysPemPath: string,
): Promise<Measured> {
  const sealKeys = await fetchSealKeys(centreUrls[0] as string, sealRootKeysPemPath);
  const total: number[] = [];
  const issue: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    terminals.map(async (t, i) => {
      const centreUrl = centreUrls[i % centreUrls.length] as string;
      while (next < transactions) {
        next++;
        const begin = performance.now();
        const session = await authenticateWithCard({
          centreUrl,
          card: t.card,
          authPin: t.resident.card.authPin,
          terminalId: t.terminalId,
        });
        // A resident whose 住民票 would not print is never offered it (nor charged): not a bench case.
        if (!session.juminhyoOffered) continue;
        const issueBegin = performance.now();
        const answer = await requestIssue(centreUrl, {
          transactionId: session.transactionId,
          terminalId: t.terminalId,
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
  return { seconds: (performance.now() - started) / 1000, total, issue };
}

function summarise(backend: string, terminals: number, m: Measured): Record<string, string | number> {
  const total = [...m.total].sort((a, b) => a - b);
  const issue = [...m.issue].sort((a, b) => a - b);
  return {
    backend,
    terminals,
    transactions: m.total.length,
    'issuances/s': round(m.total.length / m.seconds),
    'p50 ms': round(percentile(total, 50)),
    'p99 ms': round(percentile(total, 99)),
    'issue p50 ms': round(percentile(issue, 50)),
    'issue p99 ms': round(percentile(issue, 99)),
  };
}

/** One centre in this process. */
async function benchInProcess(
  name: string,
  world: DevWorld,
  terminals: readonly Terminal[],
  database: { databasePath: string } | { databaseUrl: string },
): Promise<Record<string, string | number>> {
  const clock = demoOpeningHoursClock();
  const centre = await startCentre({
    ...centreOptionsFor(world),
    ...database,
    openingHoursNow: clock.openingHoursNow,
    logger: false,
  });
  try {
    const roots = world.sealKeys.rootKeysPemPath;
    await drive([centre.url], terminals, WARM_UP, roots);
    return summarise(name, terminals.length, await drive([centre.url], terminals, TRANSACTIONS, roots));
  } finally {
    await centre.close();
  }
}

/** Two centre processes sharing one PostgreSQL; terminals split between them. */
async function benchTwoProcesses(
  world: DevWorld,
  terminals: readonly Terminal[],
  databaseUrl: string,
): Promise<Record<string, string | number>> {
  const centres = await startCentreProcesses(2, { worldDir: world.dir, databaseUrl });
  try {
    const urls = centres.map((c) => c.url);
    await drive(urls, terminals, WARM_UP, world.sealKeys.rootKeysPemPath);
    return summarise(
      'PostgreSQL, 2 centre processes',
      terminals.length,
      await drive(urls, terminals, TRANSACTIONS, world.sealKeys.rootKeysPemPath),
    );
  } finally {
    await Promise.all(centres.map((c) => c.stop()));
  }
}

export async function run(): Promise<BenchReport> {
  const dir = await mkdtemp(join(tmpdir(), 'issuance-bench-'));
  const postgres = await startTestPostgres({ fsync: true });
  try {
    const world = await ensureDevWorld(join(dir, 'world'));
    const terminals = await terminalsFor(world, TERMINALS);
    const rows = [
      await benchInProcess('SQLite (WAL)', world, terminals, { databasePath: join(dir, 'centre.sqlite') }),
      await benchInProcess('PostgreSQL', world, terminals, {
        databaseUrl: await postgres.createDatabase('bench'),
      }),
      await benchTwoProcesses(world, terminals, await postgres.createDatabase('bench_two')),
    ];
    return {
      title:
        'Issuance: whole kiosk transactions (challenge → card signature → authenticate → sealed 住民票 + billing → seal check)',
      rows,
      notes: [
        `${TERMINALS} terminals at once, each with its own in-process virtual card (RSA-2048), HTTP on loopback; the centre in the bench's own process (its event loop shared with the terminals' card signing), or two centre processes on one PostgreSQL; ${TRANSACTIONS} transactions per backend after ${WARM_UP} warm-up.`,
        'Full verification on: the centre checks the chain, validity, key usage, policy, revocation and the card signature; the terminal verifies the ES256 seal and the holder binding.',
        'p50/p99 ms: one whole transaction; issue p50/p99: the /v1/issue call alone. PostgreSQL 15 from Debian, throwaway, fsync on; SQLite WAL, synchronous FULL.',
        `Machine: ${availableParallelism()} CPUs, load average ${loadavg()[0]?.toFixed(1)} at the end (the terminals, the centres and PostgreSQL share them: more centre processes only help with spare cores).`,
        `${loadSeedWorld().residents.length} residents in the register. Tune with BENCH_TERMINALS and BENCH_TRANSACTIONS.`,
      ],
    };
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
}
