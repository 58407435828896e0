/**
 * `npm run centre [-- --port N --admin-port M --host H --plain-http --production --demo-opening-hours
 *   --pin-reset-mode password|bound-card --no-menu-proofs]`: the reference
 * issuance centre on its own, on loopback by default, with the dev world (test JPKI CA, seed municipalities and residents), and the
 * municipalities' admin API beside it (127.0.0.1 only). Each municipality gets a fresh random dev
 * token, printed once at start — for development only. Runs until stopped.
 *
 * HTTPS with mutual TLS unless `--plain-http`, which is refused (non-zero exit) off loopback and
 * in production mode (`--production` or `CENTRE_MODE=production`).
 *
 * The real time drives everything signed or checked. `--demo-opening-hours` (a demo outside
 * office hours) judges opening hours alone on the shifted clock of scripts/dev/clock.ts.
 *
 * `--public-port P` adds the public check page for counter staff and banks (no client
 * certificate) with the published key list, on http://127.0.0.1:P (loopback; in production it
 * sits behind the site's TLS front end, or takes `https` options).
 *
 * The PIN reset's phone page and endpoints listen on `--phone-port` (default 8783), on the same
 * host: HTTPS with the centre's server certificate and no client certificate (plain HTTP with
 * `--plain-http`), never on the kiosks' mutual-TLS port. Printed as `Phone page: URL`.
 */
import { seedDevelopmentUsers } from '../server/console/dev-users.ts';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkCentreTransport, startCentre } from '../server/centre.ts';
import { deploymentModeOf } from '../protocol/transport.ts';
import { isPinResetMode } from '../protocol/pin-reset.ts';
import { loadSeedWorld } from '../server/seed/index.ts';
import { demoOpeningHoursClock } from './dev/clock.ts';
import { defaultWorldDir } from './dev/stack.ts';
import { liveResponderPolicy, startWorldRevocation } from './dev/revocation.ts';
import { centreOptionsFor, centreTlsFor, ensureDevWorld } from './dev/world.ts';
import { fail, onShutdown, PROJECT_ROOT } from './cli-common.ts';
import { startPublicCheck } from './dev/public-check.ts';
import { readFile } from 'node:fs/promises';
import { rootKeysFromPem } from '../certificate-templates/verify-keys.ts';
import { bundlePhonePage } from './phone/page-bundle.ts';

async function worldRootKeys(path: string): Promise<Map<string, Uint8Array>> {
  const roots = rootKeysFromPem(await readFile(path, 'utf8'));
  if (!(roots instanceof Map)) fail(`seal root keys ${path}: ${roots.kind}`);
  return roots;
}

const USAGE = `npm run centre -- [options]

The reference issuance centre on its own, with the dev world (test JPKI CA, seed municipalities and
residents) and the municipalities' admin API (127.0.0.1 only; dev tokens printed at start).

  --port N               kiosk API port (default 8780): HTTPS with mutual TLS
  --admin-port M         admin API port on 127.0.0.1 (default 8781)
  --console-port C       municipal console (web) port on 127.0.0.1 (default 8782); in
                         development one user per municipality and role is seeded with a fresh
                         password printed at start (never in production)
  --public-port P        also the public check page on http://127.0.0.1:P/
  --phone-port F         the PIN reset's phone page and endpoints (default 8783): HTTPS with
                         the centre's server certificate, no client certificate (phones have
                         none); plain HTTP with --plain-http
  --host H               address to listen on (default 127.0.0.1)
  --plain-http           plain HTTP instead of TLS: loopback only, never with --production
  --production           production mode (or CENTRE_MODE=production): TLS required everywhere
  --world DIR            the dev world's folder (default var/world)
  --pin-reset-mode M     the PIN reset's mode, a centre setting the phone and the kiosks follow:
                         password (default: the face check gives a one-time password the
                         resident types at the kiosk) or bound-card (the live service: the face
                         check binds the card for 24 hours; the kiosk asks no password)
  --demo-opening-hours   demo only: judge opening hours (service hours, closed days, maintenance)
                         on a clock shifted to the last weekday 10:00 JST when it is outside
                         office hours now. Certificate validity, OCSP/CRL freshness, sessions and
                         the documents' issue date always use the real time.
  --no-menu-proofs       do not prove every resident's menu ahead (by default today's round runs
                         at start and each new day's after midnight in Japan, so sign-ins take
                         the answers instead of fitting every document of the menu)
  --help                 this text
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8780' },
      'admin-port': { type: 'string', default: '8781' },
      'console-port': { type: 'string', default: '8782' },
      'public-port': { type: 'string' },
      'phone-port': { type: 'string', default: '8783' },
      world: { type: 'string' },
      'demo-opening-hours': { type: 'boolean' },
      help: { type: 'boolean' },
      host: { type: 'string', default: '127.0.0.1' },
      'plain-http': { type: 'boolean' },
      production: { type: 'boolean' },
      'pin-reset-mode': { type: 'string', default: 'password' },
      'no-menu-proofs': { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const mode = values.production ? 'production' : deploymentModeOf(process.env.CENTRE_MODE);
  if (mode === undefined) fail('CENTRE_MODE is production or development', 2);
  const host = values.host;
  const plainHttp = values['plain-http'] === true;
  // Before anything starts: an insecure transport is refused, whatever else is configured.
  try {
    checkCentreTransport({ host, mode, tlsConfigured: !plainHttp });
  } catch (error) {
    fail(`centre refused to start: ${(error as Error).message}`, 2);
  }
  const pinResetMode = values['pin-reset-mode'];
  if (!isPinResetMode(pinResetMode)) fail('--pin-reset-mode is password or bound-card', 2);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port is a TCP port number', 2);
  const adminPort = Number(values['admin-port']);
  if (!Number.isInteger(adminPort) || adminPort < 0 || adminPort > 65535)
    fail('--admin-port is a TCP port number', 2);
  const consolePort = Number(values['console-port']);
  if (!Number.isInteger(consolePort) || consolePort < 0 || consolePort > 65535)
    fail('--console-port is a TCP port number', 2);
  const publicPort = values['public-port'] === undefined ? undefined : Number(values['public-port']);
  if (publicPort !== undefined && (!Number.isInteger(publicPort) || publicPort < 0 || publicPort > 65535))
    fail('--public-port is a TCP port number', 2);
  const phonePort = Number(values['phone-port']);
  if (!Number.isInteger(phonePort) || phonePort < 0 || phonePort > 65535)
    fail('--phone-port is a TCP port number', 2);
  const world = await ensureDevWorld(values.world ? resolve(values.world) : defaultWorldDir(PROJECT_ROOT));
  const openingHours = values['demo-opening-hours'] ? demoOpeningHoursClock() : undefined;
  if (openingHours && mode === 'production')
    fail('--demo-opening-hours is for demos, never in production', 2);
  const seedWorld = loadSeedWorld();
  // Dev only: new tokens at every start, shown once here and kept nowhere else.
  const tokens = Object.fromEntries(
    seedWorld.municipalities.map((m) => [m.code, randomBytes(24).toString('base64url')]),
  );
  // The test JPKI CA's OCSP responder answers on the real time, as the centre checks it.
  const revocation = await startWorldRevocation(world, () => new Date());
  const centre = await startCentre({
    ...centreOptionsFor(world, { pinResetMode }),
    ...(plainHttp ? {} : { tls: centreTlsFor(world) }),
    host,
    mode,
    revocation: liveResponderPolicy(revocation),
    world: seedWorld,
    port,
    admin: { port: adminPort, tokens },
    console: { port: consolePort },
    phoneListener: { port: phonePort, pageScript: await bundlePhonePage() },
    ...(openingHours ? { openingHoursNow: openingHours.openingHoursNow } : {}),
    logger: { level: 'info' },
    menuProofs: values['no-menu-proofs'] !== true,
  });
  console.log(`Centre: ${centre.url}/`);
  if (!plainHttp)
    console.log(
      `  mutual TLS: kiosks need a terminal certificate from ${world.dir}/tls/ca.pem (demo terminal: tls/terminals/)`,
    );
  console.log(`  JPKI revocation: OCSP ${revocation.ocspUrl}`);
  console.log(`  PIN reset: ${pinResetMode} mode (the phone's face check, then the kiosk)`);
  console.log(
    `  seal keys: SoftHSM2 token "${world.sealKeys.token.tokenLabel}" in ${world.dir}/hsm/; root public key(s) for kiosks and verifiers: ${world.sealKeys.rootKeysPemPath}`,
  );
  if (centre.phoneUrl) console.log(`Phone page: ${centre.phoneUrl}`);
  console.log(`Admin API (loopback only): ${centre.adminUrl}/admin/v1/municipalities/<code>/…`);
  console.log('Dev admin tokens (this run only; send as "Authorization: Bearer <token>"):');
  for (const m of seedWorld.municipalities) console.log(`  ${m.code} ${m.name}: ${tokens[m.code]}`);
  console.log(`Municipal console (loopback only): ${centre.consoleUrl}`);
  if (mode !== 'production') {
    const users = await seedDevelopmentUsers(
      centre.centre.consoleStore,
      seedWorld.municipalities.map((m) => m.code),
      mode,
      Date.now(),
    );
    console.log('Dev console users (this run only; login / password):');
    for (const u of users) console.log(`  ${u.municipalityCode} ${u.role}: ${u.login} / ${u.password}`);
  }
  if (openingHours?.shifted)
    console.log(
      `demo opening hours: judged as at ${openingHours.openingHoursNow().toISOString()} (outside service hours now); everything signed or checked uses the real time`,
    );
  const publicCheck =
    publicPort === undefined
      ? undefined
      : await startPublicCheck({
          host: '127.0.0.1',
          port: publicPort,
          roots: await worldRootKeys(world.sealKeys.rootKeysPemPath),
          keyList: async () => {
            const keys = await centre.centre.service.municipalityKeys();
            if (!keys.ok) throw new Error('key list unavailable');
            return keys.value;
          },
        });
  if (publicCheck) console.log(`Public check page (no client certificate): ${publicCheck.url}/`);
  onShutdown(async () => {
    await publicCheck?.close();
    await centre.close();
    await revocation.close();
  });
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
