/**
 * The reference centre as its own process for the fault test (scripts/test-faults.ts): the dev
 * world's centre on a given port with its own SQLite database, so a SIGKILL loses only what it had
 * not committed. Prints `Centre: URL` when it listens; ends when its parent closes its stdin.
 */
import { parseArgs } from 'node:util';
import { startCentre } from '../../server/centre.ts';
import { demoOpeningHoursClock } from '../dev/clock.ts';
import { liveResponderPolicy, startWorldRevocation } from '../dev/revocation.ts';
import { centreOptionsFor, centreTlsFor, ensureDevWorld } from '../dev/world.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { world: { type: 'string' }, database: { type: 'string' }, port: { type: 'string' } },
    strict: true,
  });
  const { world: worldDir, database, port } = values;
  if (!worldDir || !database || !port) throw new Error('usage: --world DIR --database FILE --port N');
  const world = await ensureDevWorld(worldDir);
  // Fault runs work at any hour: opening hours alone are judged on the demo clock.
  const openingHours = demoOpeningHoursClock();
  const revocation = await startWorldRevocation(world, () => new Date());
  const centre = await startCentre({
    ...centreOptionsFor(world),
    databasePath: database,
    tls: centreTlsFor(world),
    revocation: liveResponderPolicy(revocation),
    port: Number(port),
    logger: false,
    openingHoursNow: openingHours.openingHoursNow,
  });
  process.stdout.write(`Centre: ${centre.url}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => {
    void centre
      .close()
      .then(() => revocation.close())
      .finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
