/**
 * `npm run test:faults [-- --runs N] [--json]`
 * The fault test: for every step boundary of a transaction, the kiosk host is killed with
 * SIGKILL the moment its journal holds that step, then started again (recovery runs before the
 * first resident). After each, the journal, the printer's output and the centre's billing must
 * show: no paid transaction lost (delivered, or refund-due/refunded with a record), no document
 * printed twice, no charge without delivery, billed copies == delivered copies, and the printed
 * document bound to the card that paid. Prints a table boundary × outcome; exit 1 on any violation.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openKioskJournal } from '../electron/journal/journal.ts';
import { cardListRows } from '../server/seed/index.ts';
import { startCentre } from '../server/centre.ts';
import { demoOpeningHoursClock } from './dev/clock.ts';
import { liveResponderPolicy, startWorldRevocation } from './dev/revocation.ts';
import { centreOptionsFor, centreTlsFor, ensureDevWorld } from './dev/world.ts';
import { defaultWorldDir } from './dev/stack.ts';
import { fail, PROJECT_ROOT } from './cli-common.ts';
import { checkPrintedPaper, publishedKeysOf } from './faults/printed-paper.ts';

/** Where the host is killed: right after the journal holds this step. */
export const BOUNDARIES = [
  'created',
  'authenticated',
  'paid',
  'issued',
  'printing',
  'printed',
  'done',
] as const;
const HOLDER = 'H0001';

interface Row {
  run: number;
  boundary: string;
  transactionId: string | null;
  killed: boolean;
  recovery: string;
  finalState: string;
  printed: number;
  billed: string;
  violations: string[];
}

function child(
  args: string[],
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', join(PROJECT_ROOT, 'scripts', 'faults', 'kiosk-run.ts'), ...args],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    proc.once('error', reject);
    proc.once('exit', (code, signal) => resolve({ code, signal, stdout }));
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '1' }, json: { type: 'boolean' }, world: { type: 'string' } },
    strict: true,
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) fail('--runs is a whole number from 1 to 100', 2);
  const worldDir = values.world ?? defaultWorldDir(PROJECT_ROOT);
  const world = await ensureDevWorld(worldDir);
  // Fault runs work at any hour: opening hours alone are judged on the demo clock.
  const openingHours = demoOpeningHoursClock();
  const ocsp = await startWorldRevocation(world, () => new Date());
  const centre = await startCentre({
    ...centreOptionsFor(world),
    tls: centreTlsFor(world),
    revocation: liveResponderPolicy(ocsp),
    logger: false,
    openingHoursNow: openingHours.openingHoursNow,
  });
  const keys = await publishedKeysOf(centre, world.sealKeys.rootKeysPemPath);
  const scratch = await mkdtemp(join(tmpdir(), 'kiosk-faults-'));
  const pin = cardListRows().find((r) => r.holderId === HOLDER)?.authPin as string;
  const rows: Row[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      for (const boundary of BOUNDARIES) {
        const dir = join(scratch, `${run}-${boundary}`);
        const spool = join(dir, 'printed');
        await mkdir(spool, { recursive: true });
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
        ];
        const first = await child([...common, '--pin', pin, '--kill-at', boundary]);
        const second = await child([...common, '--recover']);
        const recovered = second.stdout.trim()
          ? (JSON.parse(second.stdout.trim().split('\n').at(-1) as string) as {
              outcomes: { outcome: string }[];
            })
          : { outcomes: [] };
        const journal = openKioskJournal(journalPath);
        const [entry] = journal.list();
        journal.close();
        const tx = entry?.transactionId ?? null;
        const printed = tx ? (await readdir(spool)).filter((f) => f === `${tx}.pdf`).length : 0;
        const billing = tx
          ? (await centre.centre.repository.listBillingRecords()).find((b) => b.transactionId === tx)
          : undefined;
        const violations: string[] = [];
        const state = entry?.state ?? 'none';
        if (entry && entry.paidYen > 0 && !['done', 'refund-due', 'refunded'].includes(state))
          violations.push(`paid transaction left ${state}`);
        if (printed > 1) violations.push('printed twice');
        if (state === 'done' && printed !== 1) violations.push('done without a printed document');
        if (billing?.state === 'billed' && state !== 'done') violations.push('billed without delivery');
        if (
          state === 'done' &&
          (billing?.state !== 'billed' || billing.settlement?.copies !== entry?.deliveryCopies)
        )
          violations.push(
            `delivered ${entry?.deliveryCopies ?? 0}, billed ${billing?.settlement?.copies ?? 0}`,
          );
        if (billing?.state === 'pending') violations.push('left pending at the centre');
        if (printed === 1 && tx) {
          // The paper itself, as a bank would check it: every seal verifies, and binds the card that paid.
          const paper = await checkPrintedPaper(join(spool, `${tx}.pdf`), keys, entry?.holderBinding ?? null);
          if (paper !== 'ok') violations.push(paper);
        }
        if (second.code !== 0) violations.push(`restart failed (${second.code})`);
        rows.push({
          run,
          boundary,
          transactionId: tx,
          killed: first.signal === 'SIGKILL',
          recovery: recovered.outcomes.map((o) => o.outcome).join(',') || '-',
          finalState: state,
          printed,
          billed: billing
            ? `${billing.state}${billing.settlement ? `×${billing.settlement.copies}` : ''}`
            : 'none',
          violations,
        });
      }
    }
  } finally {
    await centre.close();
    await ocsp.close();
    await rm(scratch, { recursive: true, force: true });
  }
  const failed = rows.filter((r) => r.violations.length > 0);
  if (values.json) console.log(JSON.stringify({ runs, rows, violations: failed.length }, null, 2));
  else {
    console.log('| boundary (host killed after) | killed | recovery | final | printed | centre | result |');
    console.log('|---|---|---|---|---|---|---|');
    for (const r of rows)
      console.log(
        `| ${r.boundary} | ${r.killed ? 'yes' : 'no'} | ${r.recovery} | ${r.finalState} | ${r.printed} | ${r.billed} | ${r.violations.length === 0 ? 'ok' : r.violations.join('; ')} |`,
      );
    console.log(`${rows.length} run(s), ${failed.length} with violations`);
  }
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => fail(error instanceof Error ? error.message : String(error)),
);
