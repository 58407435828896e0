/**
 * One kiosk host process for the fault test (scripts/test-faults.ts): with `--kill-at STATE` it
 * drives one resident's transaction and kills itself with SIGKILL the moment the journal holds
 * that step (a host dying at that boundary); with `--recover` it only starts (recovery runs
 * before the first resident), waits until the centre has every delivery report, prints what
 * recovery did as JSON and exits.
 */
import { parseArgs } from 'node:util';
import { createHostLogger } from '../../electron/host/logger.ts';
import { runTransaction, waitForScreen } from '../dev/drive.ts';
import { startDevStack } from '../dev/stack.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      world: { type: 'string' },
      centre: { type: 'string' },
      journal: { type: 'string' },
      spool: { type: 'string' },
      holder: { type: 'string' },
      pin: { type: 'string' },
      'kill-at': { type: 'string' },
      recover: { type: 'boolean' },
    },
    strict: true,
  });
  const { world, centre, journal, spool, holder } = values;
  if (!world || !centre || !journal || !spool || !holder) throw new Error('missing options');
  const killAt = values['kill-at'];
  const stack = await startDevStack({
    worldDir: world,
    centreUrl: centre,
    outputDir: spool,
    journalPath: journal,
    logger: createHostLogger({ level: 'silent' }),
    card: 'in-process',
    printer: 'spool',
    holderId: holder,
    onTransactionEvent: (event) => {
      if (killAt && stack.journal.get(event.transactionId)?.state === killAt)
        process.kill(process.pid, 'SIGKILL');
    },
  });
  if (values.recover) {
    for (let i = 0; i < 100 && stack.journal.deliveriesDue().length > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    process.stdout.write(
      `${JSON.stringify({ outcomes: stack.recovery.outcomes, deliveriesDue: stack.journal.deliveriesDue().length })}\n`,
    );
    await stack.close();
    return 0;
  }
  const outcome = await runTransaction(
    stack.host,
    {
      pin: values.pin ?? '',
      certificateType: 'juminhyo',
      copies: 1,
    },
    stack.insertMoney,
  );
  if (outcome.kind === 'printed') {
    stack.host.send({ type: 'finish' });
    await waitForScreen(stack.host, ['welcome']);
  }
  await stack.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
