/**
 * One reference centre as a child process, for tests and benchmarks that need several centres
 * sharing one database: `tsx scripts/bench/centre/centre-process.ts --world DIR [--database-url URL]`.
 * Prints `CENTRE_URL <url>` on stdout once listening; stops on SIGTERM or when stdin closes.
 * Judges opening hours on the demo clock (scripts/dev/clock.ts) so a run at night still issues; everything else on the real time.
 */
import { parseArgs } from 'node:util';
import { startCentre } from '../../../server/centre.ts';
import { demoOpeningHoursClock } from '../../dev/clock.ts';
import { centreOptionsFor, ensureDevWorld } from '../../dev/world.ts';

const { values } = parseArgs({
  options: { world: { type: 'string' }, 'database-url': { type: 'string' } },
  strict: true,
});
if (!values.world) {
  console.error(
    'usage: tsx scripts/bench/centre/centre-process.ts --world DIR [--database-url postgres://…]',
  );
  process.exit(2);
}
const world = await ensureDevWorld(values.world);
const clock = demoOpeningHoursClock();
const centre = await startCentre({
  ...centreOptionsFor(world),
  ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
  openingHoursNow: clock.openingHoursNow,
  logger: false,
});
let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await centre.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
console.log(`CENTRE_URL ${centre.url}`);
