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
import { readFile, readdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { createHostLogger } from '../../electron/host/logger.ts';
import { openCctalkPaymentDevice } from '../../electron/payment/cctalk/index.ts';
import { FakePaymentDevice } from '../../electron/payment/fake-payment-device.ts';
import type { PaymentDevice } from '../../electron/payment/payment-port.ts';
import { IppPrinter } from '../../electron/printer/index.ts';
import { runTransaction, waitForScreen, waitForSnapshot } from '../dev/drive.ts';
import { launchPaymentSim, type RunningPaymentSim } from '../dev/payment-sim/launch.ts';
import { startDevStack, type RunningStack } from '../dev/stack.ts';
import { MID_PAYMENT } from './scenarios.ts';

/** How long a simulator may take to start: generous, as the fault test shares a busy machine. */
const SIM_START_MS = 90_000;

function record(line: Record<string, unknown>): void {
  // A pipe on Linux is written synchronously: the line is out before a SIGKILL that follows.
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/**
 * The processes a payment simulator started, at every depth (tsx's node child, and its socat), so
 * they can be ended by id after it dies: a socat that outlives its simulator removes the line's
 * link when it exits, even a link a new simulator has made since.
 */
async function childrenOf(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const ids: number[] = [];
  for (const task of tasks) {
    const text = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
    ids.push(...text.split(/\s+/).filter(Boolean).map(Number));
  }
  const deeper = await Promise.all(ids.map((id) => childrenOf(id)));
  return [...ids, ...deeper.flat()];
}

/** The resident ends the session as the screen asks: 終了 on done or on the error screen. */
async function finishSession(running: RunningStack): Promise<void> {
  const screen = running.host.getSnapshot().view.screen;
  if (screen !== 'done' && screen !== 'error') return;
  // 終了 is taken once the refund is done: press it until the welcome screen is back.
  for (let i = 0; i < 600 && running.host.getSnapshot().view.screen !== 'welcome'; i++) {
    running.host.send({ type: 'finish' });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await waitForScreen(running.host, ['welcome'], 1_000);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends the processes (SIGTERM) and waits until none is left; false if one outlived `timeoutMs`. */
async function endProcesses(pids: readonly number[], timeoutMs = 10_000): Promise<boolean> {
  for (const pid of pids.filter(alive)) process.kill(pid, 'SIGTERM');
  const until = Date.now() + timeoutMs;
  while (pids.some(alive) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
  return !pids.some(alive);
}

/**
 * Waits until the host's own payment device says the acceptor answers again (online, no offline
 * fault): what the host knows, not a guess at how long a reconnect takes.
 */
async function waitUntilOnline(device: PaymentDevice, timeoutMs = 30_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const status = await device.status();
    if (status.ok && status.value.online && !status.value.faults.includes('offline')) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
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
  // The acceptor is this process's own (not the stack's), so the host's device can be asked how
  // it is and a new acceptor can be put on the same line after the first one is killed.
  let sim: RunningPaymentSim | undefined;
  let device: PaymentDevice | undefined;
  if (!values.recover) {
    sim = await launchPaymentSim({ timeoutMs: SIM_START_MS });
    const opened = await openCctalkPaymentDevice(sim.devicePath);
    if (!opened.ok) throw new Error(`the payment simulator's line: ${opened.detail}`);
    device = opened.device;
  }

  const kill = (transactionId?: string): void => {
    if (killed || !stack) return;
    killed = true;
    const tx = transactionId ?? stack.host.getSnapshot().transactionId;
    const state = tx ? (stack.journal.get(tx)?.state ?? 'none') : 'none';
    record({ killed: victim, state });
    if (victim === 'host') process.kill(process.pid, 'SIGKILL');
    else if (victim === 'payment') {
      if (sim) process.kill(sim.pid, 'SIGKILL');
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
    payment: device ?? new FakePaymentDevice(),
    onTransactionEvent: (event) => {
      if (killAt && killAt !== MID_PAYMENT && stack?.journal.get(event.transactionId)?.state === killAt)
        kill(event.transactionId);
    },
  });
  const running = stack;
  const firstSimDir = sim ? dirname(sim.devicePath) : undefined;
  const putIn = (yen: number): Promise<unknown> => {
    if (!sim) throw new Error('no payment simulator in a recovery run');
    return sim.control.insert(yen);
  };
  if (sim) simChildren = await childrenOf(sim.pid);
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
        await putIn(100);
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
      if (yen < 1000) {
        // A coin is in its tube the moment the validator takes it (no escrow): counted as it goes in.
        record({ inserted: yen });
        return putIn(yen);
      }
      // A note is money only once stacked: the simulator answers after the host routed it. An
      // acceptor killed with the note in escrow never took it (it comes back at power-up).
      const outcome = await putIn(yen);
      if (outcome === 'accepted') record({ inserted: yen });
      return outcome;
    };
    const outcome = await runTransaction(
      running.host,
      { pin: values.pin ?? '', certificateType: 'juminhyo', copies: 1 },
      insertMoney,
    ).catch((error: unknown) => ({ kind: 'thrown' as const, detail: String(error) }));
    if (timer) clearTimeout(timer);
    const screen = running.host.getSnapshot().view.screen;
    await finishSession(running);
    if (killed && victim === 'payment' && sim && device) {
      // The acceptor comes back on the same line and the host, alive all along, takes the next
      // resident's payment. The dead one's socat goes first: at its exit it removes the line's
      // link, which must not be the new one's.
      const linePath = sim.devicePath;
      const ended = await endProcesses(simChildren);
      simChildren = [];
      const back = await launchPaymentSim({ devicePath: linePath, timeoutMs: SIM_START_MS });
      sim = back;
      simChildren = await childrenOf(back.pid);
      const online = ended && (await waitUntilOnline(device));
      const again = online
        ? await runTransaction(
            running.host,
            { pin: values.pin ?? '', certificateType: 'juminhyo', copies: 1 },
            (yen) => back.control.insert(yen),
          ).catch((error: unknown) => ({ kind: 'thrown' as const, detail: String(error) }))
        : { kind: 'not-online' as const };
      record({
        afterRestart: again.kind,
        ...(again.kind === 'error' ? { view: again.snapshot.view } : {}),
        ...(again.kind === 'thrown' ? { detail: again.detail } : {}),
      });
      await finishSession(running);
    }
    for (let i = 0; i < 50 && running.journal.deliveriesDue().length > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    record({ outcome: outcome.kind, screen });
    return 0;
  } finally {
    await running.close();
    await device?.close();
    await sim?.stop();
    await endProcesses(simChildren);
    // A simulator killed with SIGKILL could not remove its folder (the line's link lived there).
    if (firstSimDir) await rm(firstSimDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
