/**
 * One kiosk host process for the fault test (scripts/test-faults.ts). With `--victim V` and
 * `--kill-at STATE` (or `--kill-after MS`) it drives one resident's transaction and, the moment
 * the journal holds that step (or that long after the transaction starts), kills the victim with
 * SIGKILL: itself (`host`), the centre or the printer (their process ids are given: the test
 * restarts them), or the payment simulator it launched (`credit`: after a first coin is in). A
 * host that survives finishes the session as a resident would (終了 on the error screen) and
 * exits. With `--recover` it only starts (recovery runs before the first resident), waits until
 * the centre has every delivery report, and exits. Every line on stdout is one JSON record:
 * `{inserted}` before money goes into the slot, `{killed, state}` at the kill, and the end.
 */
import { readFile, readdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createHostLogger } from '../../electron/host/logger.ts';
import { FakePaymentDevice } from '../../electron/payment/fake-payment-device.ts';
import { IppPrinter } from '../../electron/printer/index.ts';
import { runTransaction, waitForScreen, waitForSnapshot } from '../dev/drive.ts';
import { startDevStack, type RunningStack } from '../dev/stack.ts';
import { MID_PAYMENT } from './scenarios.ts';

function record(line: Record<string, unknown>): void {
  // A pipe on Linux is written synchronously: the line is out before a SIGKILL that follows.
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** The processes a payment simulator started (its socat), so they can be ended by id after it dies. */
async function childrenOf(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const ids: number[] = [];
  for (const task of tasks) {
    const text = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
    ids.push(...text.split(/\s+/).filter(Boolean).map(Number));
  }
  return ids;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      world: { type: 'string' },
      centre: { type: 'string' },
      journal: { type: 'string' },
      spool: { type: 'string' },
      'printer-url': { type: 'string' },
      holder: { type: 'string' },
      pin: { type: 'string' },
      victim: { type: 'string', default: 'host' },
      'victim-pid': { type: 'string' },
      'kill-at': { type: 'string' },
      'kill-after': { type: 'string' },
      recover: { type: 'boolean' },
    },
    strict: true,
  });
  const { world, centre, journal, spool, holder, victim } = values;
  if (!world || !centre || !journal || !spool || !holder) throw new Error('missing options');
  const killAt = values['kill-at'];
  const killAfterMs = values['kill-after'] === undefined ? undefined : Number(values['kill-after']);
  const printerUrl = values['printer-url'];
  let killed = false;
  let stack: RunningStack | undefined = undefined;
  let simChildren: number[] = [];

  const kill = (transactionId?: string): void => {
    if (killed || !stack) return;
    killed = true;
    const tx = transactionId ?? stack.host.getSnapshot().transactionId;
    const state = tx ? (stack.journal.get(tx)?.state ?? 'none') : 'none';
    record({ killed: victim, state });
    if (victim === 'host') process.kill(process.pid, 'SIGKILL');
    else if (victim === 'payment') {
      if (stack.paymentSim) process.kill(stack.paymentSim.pid, 'SIGKILL');
    } else process.kill(Number(values['victim-pid']), 'SIGKILL');
  };

  stack = await startDevStack({
    worldDir: world,
    centreUrl: centre,
    outputDir: spool,
    journalPath: journal,
    logger: createHostLogger({ level: 'silent' }),
    card: 'in-process',
    printer: printerUrl ? new IppPrinter({ url: printerUrl, submitTimeoutMs: 5_000 }) : 'spool',
    holderId: holder,
    // Recovery takes no money: the restarted host needs no acceptor (one process fewer per row).
    ...(values.recover ? { payment: new FakePaymentDevice() } : {}),
    onTransactionEvent: (event) => {
      if (killAt && killAt !== MID_PAYMENT && stack?.journal.get(event.transactionId)?.state === killAt)
        kill(event.transactionId);
    },
  });
  const running = stack;
  if (running.paymentSim) simChildren = await childrenOf(running.paymentSim.pid);
  try {
    if (values.recover) {
      for (let i = 0; i < 100 && running.journal.deliveriesDue().length > 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      record({ outcomes: running.recovery.outcomes, deliveriesDue: running.journal.deliveriesDue().length });
      return 0;
    }
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => kill(), killAfterMs);
    const insertMoney = async (yen: number): Promise<unknown> => {
      if (killAt === MID_PAYMENT && !killed) {
        // A first coin goes in and is credited; then the acceptor dies before the fee is covered.
        record({ inserted: 100 });
        await running.insertMoney(100);
        await waitForSnapshot(
          running.host,
          (s) => s.view.screen !== 'payment' || s.view.paidYen > 0,
          'credit',
        );
        kill();
        return waitForSnapshot(running.host, (s) => s.view.screen !== 'payment', 'the payment to end');
      }
      if (killed && victim === 'payment') {
        return waitForSnapshot(running.host, (s) => s.view.screen !== 'payment', 'the payment to end');
      }
      record({ inserted: yen });
      return running.insertMoney(yen);
    };
    const outcome = await runTransaction(
      running.host,
      { pin: values.pin ?? '', certificateType: 'juminhyo', copies: 1 },
      insertMoney,
    ).catch((error: unknown) => ({ kind: 'thrown' as const, detail: String(error) }));
    if (timer) clearTimeout(timer);
    // The resident ends the session as the screen asks: 終了 on done or on the error screen.
    const screen = running.host.getSnapshot().view.screen;
    if (screen === 'done' || screen === 'error') {
      // 終了 is taken once the refund is done: press it until the welcome screen is back.
      for (let i = 0; i < 600 && running.host.getSnapshot().view.screen !== 'welcome'; i++) {
        running.host.send({ type: 'finish' });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await waitForScreen(running.host, ['welcome'], 1_000);
    }
    for (let i = 0; i < 50 && running.journal.deliveriesDue().length > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    record({ outcome: outcome.kind, screen });
    return 0;
  } finally {
    await running.close();
    for (const pid of simChildren) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone with the simulator
      }
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
