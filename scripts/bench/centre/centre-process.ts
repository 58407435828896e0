/**
 * One reference centre as a child process, for the tests, benchmarks, load test and fault test
 * that need centres in their own processes (several on one database, or one to kill):
 *
 *   tsx scripts/bench/centre/centre-process.ts --world DIR
 *       [--database FILE | --database-url postgres://…] [--port N]
 *       [--tls | --tls-dir DIR] [--revocation live | --ocsp-url URL --crl-base-url URL]
 *       [--menu-proofs]
 *
 * The dev world's centre (its registry, seal keys and trust anchors). Without a database option:
 * the world's SQLite file. `--tls`: mutual TLS with the world's transport PKI; `--tls-dir`: with
 * the one in DIR (scripts/dev-pki.ts layout: centre.pem, centre.key.pem, ca.pem, ca.crl.pem), e.g.
 * a load test's own terminals. `--revocation live`: the world's OCSP responder in this process
 * (scripts/dev/revocation.ts), answering live; `--ocsp-url` and `--crl-base-url`: the same live
 * policy (nonce required, CRL fallback) against a responder elsewhere, e.g. in a bench's own
 * process, so the responder's signing is not counted as the centre's work. Opening hours are judged on the demo clock so a
 * run at night still issues; everything else on the real time.
 *
 * `--menu-proofs`: every resident's menu proved ahead for today (server/municipal/menu-proofs.ts),
 * the round finished before the centre says it listens, reported as `MENU_PROOFS <json>` with the
 * process's CPU over the round.
 *
 * Prints `CENTRE_URL <url>` on stdout once listening; stops on SIGTERM or when stdin closes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCentre, type CentreOptions } from '../../../server/centre.ts';
import { demoOpeningHoursClock } from '../../dev/clock.ts';
import { liveResponderPolicy, startWorldRevocation } from '../../dev/revocation.ts';
import { centreOptionsFor, centreTlsFor, ensureDevWorld } from '../../dev/world.ts';

const USAGE =
  'usage: centre-process.ts --world DIR [--database FILE | --database-url URL] [--port N] [--tls | --tls-dir DIR] [--revocation live | --ocsp-url URL --crl-base-url URL] [--menu-proofs]';

/** The centre's side of mutual TLS from a scripts/dev-pki.ts folder. */
function centreTlsFromDir(dir: string): NonNullable<CentreOptions['tls']> {
  return {
    certificatePem: readFileSync(join(dir, 'centre.pem'), 'utf8'),
    privateKeyPem: readFileSync(join(dir, 'centre.key.pem'), 'utf8'),
    terminalCaPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    terminalCrlFile: join(dir, 'ca.crl.pem'),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      world: { type: 'string' },
      database: { type: 'string' },
      'database-url': { type: 'string' },
      port: { type: 'string' },
      tls: { type: 'boolean', default: false },
      'tls-dir': { type: 'string' },
      revocation: { type: 'string' },
      'ocsp-url': { type: 'string' },
      'crl-base-url': { type: 'string' },
      'menu-proofs': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (
    !values.world ||
    (values.database && values['database-url']) ||
    (values.tls && values['tls-dir']) ||
    !(Number.isInteger(port) && port >= 0 && port < 65_536) ||
    (values.revocation !== undefined && values.revocation !== 'live') ||
    (values['ocsp-url'] === undefined) !== (values['crl-base-url'] === undefined) ||
    (values.revocation !== undefined && values['ocsp-url'] !== undefined)
  ) {
    console.error(USAGE);
    process.exit(2);
  }
  const world = await ensureDevWorld(values.world);
  const clock = demoOpeningHoursClock();
  const revocation =
    values.revocation === 'live' ? await startWorldRevocation(world, () => new Date()) : undefined;
  const responder =
    revocation ??
    (values['ocsp-url'] && values['crl-base-url']
      ? { ocspUrl: values['ocsp-url'], crlBaseUrl: values['crl-base-url'] }
      : undefined);
  const tls = values.tls
    ? centreTlsFor(world)
    : values['tls-dir']
      ? centreTlsFromDir(values['tls-dir'])
      : undefined;
  const centre = await startCentre({
    ...centreOptionsFor(world),
    ...(values.database ? { databasePath: values.database } : {}),
    ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
    ...(tls ? { tls } : {}),
    ...(responder ? { revocation: liveResponderPolicy(responder) } : {}),
    port,
    openingHoursNow: clock.openingHoursNow,
    logger: false,
    menuProofs: values['menu-proofs'],
  });
  if (centre.centre.menuProofs) {
    const cpuBefore = process.cpuUsage();
    const round = await centre.centre.menuProofs.firstRound;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
    process.stdout.write(`MENU_PROOFS ${JSON.stringify({ ...round, cpuMs })}\n`);
  }
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await centre.close();
    await revocation?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
  process.stdout.write(`CENTRE_URL ${centre.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`centre process: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
