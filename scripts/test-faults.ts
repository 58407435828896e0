/**
 * `npm run test:faults [-- --runs N] [--victim host|centre|payment|printer|all] [--random N]
 *   [--seed S] [--span-ms MS] [--at BOUNDARY] [--ci] [--json]`
 * The fault test. A victim — the kiosk host, the centre (its own process and SQLite database),
 * the payment simulator, or the printer (a real ippeveprinter keeping what it printed) — is
 * killed with SIGKILL at each step boundary of a transaction (the moment the kiosk's journal
 * holds that step; the payment simulator also mid-payment, after a first coin), and with
 * `--random N` at N seeded random times within `--span-ms` of the transaction's start. A killed
 * centre or printer is started again at once and the kiosk host, still alive, must reach a safe
 * state; a killed host is started again on the same journal (recovery runs before the first
 * resident). Then the journal, the printer's output and the centre's billing must show: no paid
 * transaction lost (delivered, or refund-due/refunded with a record), no money taken without a
 * record, no document printed twice, no charge without delivery or refund, billed copies ==
 * delivered copies, and the printed paper bound to the card that paid. Prints the table
 * victim × kill point × outcome (with the seed); exit 1 on any violation. `--ci` runs the
 * CI-sized selection (every host boundary, one boundary for each other victim); `--at` keeps
 * only that boundary (to replay one row; `--random 0` for none of the random kills).
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openKioskJournal, type JournalEntry } from '../electron/journal/journal.ts';
import { cardListRows } from '../server/seed/index.ts';
import { startCentre } from '../server/centre.ts';
import { openCentreRepository } from '../server/db/openRepository.ts';
import { demoOpeningHoursClock } from './dev/clock.ts';
import { liveResponderPolicy, startWorldRevocation } from './dev/revocation.ts';
import { centreOptionsFor, centreTlsFor, ensureDevWorld } from './dev/world.ts';
import { defaultWorldDir } from './dev/stack.ts';
import { fail, PROJECT_ROOT } from './cli-common.ts';
import { checkPrintedPaper, publishedKeysOf } from './faults/printed-paper.ts';
import {
  boundaryScenarios,
  ciScenarios,
  describeKillPoint,
  randomScenarios,
  VICTIMS,
  type Scenario,
  type Victim,
} from './faults/scenarios.ts';
import { superviseCentre, supervisePrinter, type SupervisedPart } from './faults/supervised.ts';

export { BOUNDARIES } from './faults/scenarios.ts';
const HOLDER = 'H0001';

interface Row {
  run: number;
  victim: Victim;
  /** The boundary, or `random +N ms (seed S #i)`. */
  at: string;
  transactionId: string | null;
  killed: boolean;
  /** What the journal held when the victim was killed. */
  stateAtKill: string;
  recovery: string;
  finalState: string;
  printed: number;
  billed: string;
  restarted: number;
  /** Payment rows: the next resident's transaction once the acceptor is back (final state, centre); else '-'. */
  next: string;
  durationMs: number;
  violations: string[];
}

type Line = Record<string, unknown>;

function child(
  args: string[],
): Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: Line[] }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', join(PROJECT_ROOT, 'scripts', 'faults', 'kiosk-run.ts'), ...args],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    proc.once('error', reject);
    proc.once('exit', (code, signal) => {
      const lines: Line[] = [];
      for (const text of stdout.split('\n'))
        if (text.trim().startsWith('{')) {
          try {
            lines.push(JSON.parse(text) as Line);
          } catch {
            // a line cut by the kill
          }
        }
      resolve({ code, signal, lines });
    });
  });
}

/** Documents the printer kept for the transaction: `<tx>.pdf` (spool) or `<job-id>-<tx>.pdf` (ippeveprinter). */
async function printedFiles(dirs: readonly string[], tx: string): Promise<string[]> {
  const ipp = new RegExp(`^\\d+-${tx.toLowerCase().replace(/[.]/g, '\\.')}\\.pdf$`);
  const found: string[] = [];
  for (const dir of dirs)
    for (const file of await readdir(dir).catch(() => [] as string[]))
      if (file === `${tx}.pdf` || ipp.test(file)) found.push(join(dir, file));
  return found;
}

function moneyRecorded(entry: JournalEntry | undefined): boolean {
  return !!entry && (entry.paidYen > 0 || (entry.refundDueYen ?? 0) > 0 || (entry.refundedYen ?? 0) > 0);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '1' },
      victim: { type: 'string', default: 'all' },
      random: { type: 'string', default: '0' },
      seed: { type: 'string' },
      'span-ms': { type: 'string', default: '2000' },
      ci: { type: 'boolean' },
      at: { type: 'string' },
      json: { type: 'boolean' },
      world: { type: 'string' },
    },
    strict: true,
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) fail('--runs is a whole number from 1 to 100', 2);
  const victims: Victim[] =
    values.victim === 'all'
      ? [...VICTIMS]
      : (VICTIMS as readonly string[]).includes(values.victim)
        ? [values.victim as Victim]
        : fail('--victim is host, centre, payment, printer or all', 2);
  const randomCount = Number(values.random);
  if (!Number.isInteger(randomCount) || randomCount < 0 || randomCount > 1000)
    fail('--random is a whole number from 0 to 1000', 2);
  const seed = values.seed === undefined ? Date.now() % 2_147_483_647 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) fail('--seed is a whole number', 2);
  const spanMs = Number(values['span-ms']);
  if (!Number.isInteger(spanMs) || spanMs < 1) fail('--span-ms is a whole number of milliseconds', 2);

  const worldDir = values.world ?? defaultWorldDir(PROJECT_ROOT);
  const world = await ensureDevWorld(worldDir);
  const scratch = await mkdtemp(join(tmpdir(), 'kiosk-faults-'));
  // The published seal keys (to check the paper), from the world's centre; then the centre under
  // test runs as its own process on a copy of that database.
  // Fault runs work at any hour: opening hours alone are judged on the demo clock.
  const openingHours = demoOpeningHoursClock();
  const ocsp = await startWorldRevocation(world, () => new Date());
  const options = centreOptionsFor(world);
  const embedded = await startCentre({
    ...options,
    tls: centreTlsFor(world),
    revocation: liveResponderPolicy(ocsp),
    logger: false,
    openingHoursNow: openingHours.openingHoursNow,
  });
  const keys = await publishedKeysOf(embedded, world.sealKeys.rootKeysPemPath);
  await embedded.close();
  await ocsp.close();
  const centreDb = join(scratch, 'centre.sqlite');
  await copyFile(options.databasePath as string, centreDb);
  for (const suffix of ['-wal', '-shm'])
    if (existsSync(`${options.databasePath as string}${suffix}`))
      await copyFile(`${options.databasePath as string}${suffix}`, `${centreDb}${suffix}`);
  const centre = await superviseCentre({ worldDir, databasePath: centreDb });
  const repository = await openCentreRepository({ databasePath: centreDb });

  const scenarios: Scenario[] = values.ci
    ? ciScenarios()
    : [
        ...victims
          .flatMap(boundaryScenarios)
          .filter((s) => values.at === undefined || (s.kind === 'boundary' && s.at === values.at)),
        ...randomScenarios(randomCount, seed, victims, spanMs),
      ];
  const pin = cardListRows().find((r) => r.holderId === HOLDER)?.authPin as string;
  const rows: Row[] = [];
  const started = Date.now();
  try {
    for (let run = 1; run <= runs; run++) {
      for (const [index, scenario] of scenarios.entries()) {
        const rowStarted = Date.now();
        const dir = join(scratch, `${run}-${index}-${scenario.victim}`);
        const spool = join(dir, 'printed');
        await mkdir(spool, { recursive: true });
        const printer =
          scenario.victim === 'printer'
            ? await supervisePrinter({ baseDir: join(dir, 'ipp'), name: `kiosk-faults-${process.pid}` })
            : undefined;
        const victimPart: SupervisedPart | undefined =
          scenario.victim === 'centre' ? centre : scenario.victim === 'printer' ? printer : undefined;
        const restartsBefore = victimPart?.restarts() ?? 0;
        const journalPath = join(dir, 'journal.sqlite');
        const common = [
          '--world',
          worldDir,
          '--centre',
          centre.url,
          '--journal',
          journalPath,
          '--spool',
          spool,
          '--holder',
          HOLDER,
          ...(printer ? ['--printer-url', printer.url] : []),
        ];
        const killArgs =
          scenario.kind === 'boundary'
            ? ['--kill-at', scenario.at]
            : ['--kill-after', String(scenario.afterMs)];
        const first = await child([
          ...common,
          '--pin',
          pin,
          '--victim',
          scenario.victim,
          ...(victimPart ? ['--victim-pid', String(victimPart.pid())] : []),
          ...killArgs,
        ]);
        // A killed centre or printer is back before the host is started again.
        if (victimPart) {
          const killedIt = first.lines.some((l) => 'killed' in l);
          await waitUntil(() => !killedIt || victimPart.restarts() > restartsBefore);
          await victimPart.ready().catch(() => undefined);
        }
        const second = await child([...common, '--recover']);
        const recovered = (second.lines.find((l) => 'outcomes' in l)?.outcomes ?? []) as {
          outcome: string;
        }[];
        const killedLine = first.lines.find((l) => 'killed' in l);
        const insertedYen = first.lines.reduce(
          (sum, l) => sum + (typeof l.inserted === 'number' ? l.inserted : 0),
          0,
        );
        const journal = openKioskJournal(journalPath);
        // Newest first: the row's transaction is the first of the run; a payment row adds a second
        // one, taken after the acceptor came back.
        const entries = journal.list();
        const entry = entries.at(-1);
        const afterRestartEntry = entries.length > 1 ? entries[0] : undefined;
        journal.close();
        const tx = entry?.transactionId ?? null;
        const files = tx ? await printedFiles([spool, ...(printer?.dirs() ?? [])], tx) : [];
        const printed = files.length;
        const billing = tx
          ? (await repository.listBillingRecords()).find((b) => b.transactionId === tx)
          : undefined;
        const violations: string[] = [];
        const state = entry?.state ?? 'none';
        if (entry && entry.paidYen > 0 && !['done', 'refund-due', 'refunded'].includes(state))
          violations.push(`paid transaction left ${state}`);
        if (insertedYen > 0 && !moneyRecorded(entry))
          violations.push(`${insertedYen}円 taken without a record`);
        if (printed > 1) violations.push('printed twice');
        if (state === 'done' && printed !== 1) violations.push('done without a printed document');
        if (printed > 0 && state !== 'done') violations.push(`printed and ${state}`);
        if (billing?.state === 'billed' && state !== 'done') violations.push('billed without delivery');
        if (
          state === 'done' &&
          (billing?.state !== 'billed' || billing.settlement?.copies !== entry?.deliveryCopies)
        )
          violations.push(
            `delivered ${entry?.deliveryCopies ?? 0}, billed ${billing?.settlement?.copies ?? 0}`,
          );
        if (billing?.state === 'pending') violations.push('left pending at the centre');
        if (printed === 1 && files[0]) {
          // The paper itself, as a bank would check it: every seal verifies, and binds the card that paid.
          const paper = await checkPrintedPaper(files[0], keys, entry?.holderBinding ?? null);
          if (paper !== 'ok') violations.push(paper);
        }
        if (second.code !== 0) violations.push(`restart failed (${second.code})`);
        let next = '-';
        if (scenario.victim === 'payment' && killedLine) {
          // The host, alive all along, takes the next resident's money once the acceptor is back.
          const line = first.lines.find((l) => 'afterRestart' in l);
          if (line?.afterRestart !== 'printed')
            violations.push(
              `no payment taken after the acceptor came back (${JSON.stringify(line ?? 'not tried')})`,
            );
          else {
            const nextBilling = afterRestartEntry
              ? (await repository.listBillingRecords()).find(
                  (b) => b.transactionId === afterRestartEntry.transactionId,
                )
              : undefined;
            next = `${afterRestartEntry?.state ?? 'none'}, ${
              nextBilling
                ? `${nextBilling.state}${nextBilling.settlement ? `×${nextBilling.settlement.copies}` : ''}`
                : 'none'
            }`;
            if (afterRestartEntry?.state !== 'done' || nextBilling?.state !== 'billed')
              violations.push(
                `the payment after the acceptor came back: ${afterRestartEntry?.state ?? 'none'}, ${nextBilling?.state ?? 'not billed'}`,
              );
          }
        }
        if (scenario.victim !== 'host' && first.code !== 0 && !killedLine)
          violations.push(`kiosk run failed (${first.code})`);
        await printer?.stop();
        rows.push({
          run,
          victim: scenario.victim,
          at: describeKillPoint(scenario),
          transactionId: tx,
          killed: scenario.victim === 'host' ? first.signal === 'SIGKILL' : killedLine !== undefined,
          stateAtKill: typeof killedLine?.state === 'string' ? killedLine.state : '-',
          recovery: recovered.map((o) => o.outcome).join(',') || '-',
          finalState: state,
          printed,
          billed: billing
            ? `${billing.state}${billing.settlement ? `×${billing.settlement.copies}` : ''}`
            : 'none',
          restarted: (victimPart?.restarts() ?? 0) - restartsBefore,
          next,
          durationMs: Date.now() - rowStarted,
          violations,
        });
      }
    }
  } finally {
    await repository.close();
    await centre.stop();
    await rm(scratch, { recursive: true, force: true });
  }
  const failed = rows.filter((r) => r.violations.length > 0);
  const durationMs = Date.now() - started;
  if (values.json)
    console.log(JSON.stringify({ runs, seed, durationMs, rows, violations: failed.length }, null, 2));
  else {
    console.log(
      '| victim | killed at | journal then | killed | recovery | final | printed | centre | next resident | result |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const r of rows)
      console.log(
        `| ${r.victim} | ${r.at} | ${r.stateAtKill} | ${r.killed ? 'yes' : 'no'} | ${r.recovery} | ${r.finalState} | ${r.printed} | ${r.billed} | ${r.next} | ${r.violations.length === 0 ? 'ok' : r.violations.join('; ')} |`,
      );
    console.log(
      `${rows.length} kill(s), ${failed.length} with violations, seed ${seed}, ${(durationMs / 1000).toFixed(0)} s`,
    );
  }
  return failed.length === 0 ? 0 : 1;
}

async function waitUntil(done: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => fail(error instanceof Error ? error.message : String(error)),
);
