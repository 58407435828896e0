/**
 * `npm run centre [-- --port N]`: the reference issuance centre on its own, on loopback, with
 * the dev world (test JPKI CA, seed municipalities and residents). Runs until stopped.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startCentre } from '../server/centre.ts';
import { businessHoursClock } from './dev/clock.ts';
import { defaultWorldDir } from './dev/stack.ts';
import { centreOptionsFor, ensureDevWorld } from './dev/world.ts';
import { fail, onShutdown, PROJECT_ROOT } from './cli-common.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8780' },
      world: { type: 'string' },
      'real-clock': { type: 'boolean' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port is a TCP port number', 2);
  const world = await ensureDevWorld(values.world ? resolve(values.world) : defaultWorldDir(PROJECT_ROOT));
  const clock = values['real-clock'] ? { now: () => new Date(), shifted: false } : businessHoursClock();
  const centre = await startCentre({
    ...centreOptionsFor(world),
    port,
    now: clock.now,
    logger: { level: 'info' },
  });
  console.log(`Centre: ${centre.url}/`);
  if (clock.shifted)
    console.log(
      `centre clock: ${clock.now().toISOString()} (outside service hours now; --real-clock to use the real time)`,
    );
  onShutdown(centre.close);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
