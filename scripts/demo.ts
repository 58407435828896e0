/**
 * `npm start`: the demo. Starts the reference centre (seeded municipalities and residents), a
 * virtual My Number Card on pcscd's virtual reader (in-process where pcscd is absent), the printer
 * (ippeveprinter on loopback, else a PDF spool folder), and the kiosk UI — in Electron when its
 * binary is present, otherwise the same renderer in Chromium (--app, --kiosk) with the host in
 * Node, otherwise the URL is printed. Prints which parts it started and where. Ctrl-C stops all.
 */
import { isPinResetMode } from '../protocol/pin-reset.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startKioskWebServer } from '../electron/web/kiosk-web-server.ts';
import { launchPaymentSim } from './dev/payment-sim/launch.ts';
import { ensureRendererBuilt } from './dev/renderer-build.ts';
import { DEMO_TERMINAL_ID, defaultWorldDir, startDevStack } from './dev/stack.ts';
import { defaultJournalPath } from '../electron/journal/journal-path.ts';
import { cliLogger, fail, onShutdown, PROJECT_ROOT } from './cli-common.ts';

/** The Electron binary's path, or undefined when it was not (or could not be) downloaded. */
function electronBinary(): string | undefined {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function hasDisplay(): boolean {
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      holder: { type: 'string', default: 'H0001' },
      ui: { type: 'string', default: 'auto' }, // auto | electron | chromium | url
      port: { type: 'string', default: '0' },
      'demo-opening-hours': { type: 'boolean' },
      'pin-reset-mode': { type: 'string', default: 'password' },
    },
    strict: true,
  });
  if (!['auto', 'electron', 'chromium', 'url'].includes(values.ui))
    fail('--ui is auto, electron, chromium or url', 2);
  const pinResetMode = values['pin-reset-mode'];
  if (!isPinResetMode(pinResetMode)) fail('--pin-reset-mode is password or bound-card', 2);
  const outputDir = resolve(PROJECT_ROOT, 'var', 'printed');
  await mkdir(outputDir, { recursive: true });

  console.log('Starting the コンビニ交付 kiosk demo…');
  const rendererDir = await ensureRendererBuilt(PROJECT_ROOT, { rebuild: true });
  const stack = await startDevStack({
    worldDir: defaultWorldDir(PROJECT_ROOT),
    outputDir,
    logger: cliLogger(),
    journalPath: defaultJournalPath(PROJECT_ROOT),
    holderId: values.holder,
    demoOpeningHours: values['demo-opening-hours'] === true,
    pinResetMode,
  });
  const children: ChildProcess[] = [];
  const closers: Array<() => Promise<void>> = [];

  const electron = electronBinary();
  const useElectron =
    (values.ui === 'electron' || values.ui === 'auto') &&
    electron !== undefined &&
    hasDisplay() &&
    stack.parts.some((p) => p.includes('pcscd'));
  if (values.ui === 'electron' && !useElectron) {
    console.log(
      '  Electron: not available here (no binary, no display or no pcscd); using the browser instead',
    );
  }

  if (useElectron && electron) {
    const build = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts', 'build.ts')], {
      stdio: 'inherit',
    });
    await new Promise((done) => build.once('exit', done));
    // Electron's host opens its own line: a second simulator, so the two hosts never share a port.
    const electronSim = await launchPaymentSim();
    closers.push(electronSim.stop);
    const env = {
      KIOSK_PAYMENT_SERIAL: electronSim.devicePath,
      ...process.env,
      KIOSK_CENTRE_URL: stack.centreUrl,
      KIOSK_TERMINAL_ID: DEMO_TERMINAL_ID,
      KIOSK_TLS_CERT: join(stack.world.dir, 'tls', 'terminals', `${DEMO_TERMINAL_ID}.pem`),
      KIOSK_TLS_KEY: join(stack.world.dir, 'tls', 'terminals', `${DEMO_TERMINAL_ID}.key.pem`),
      KIOSK_CENTRE_CA: join(stack.world.dir, 'tls', 'ca.pem'),
      KIOSK_SEAL_ROOT_KEYS: stack.world.sealKeys.rootKeysPemPath,
      KIOSK_FULLSCREEN: '0',
      KIOSK_JOURNAL: defaultJournalPath(PROJECT_ROOT),
      ...(stack.printerUrl ? { KIOSK_PRINTER_URL: stack.printerUrl } : { KIOSK_SPOOL_DIR: outputDir }),
    };
    children.push(
      spawn(electron, [join(PROJECT_ROOT, 'dist', 'electron', 'main.cjs')], { env, stdio: 'inherit' }),
    );
    console.log('Kiosk: Electron window (dist/electron/main.cjs)');
    console.log(`  payment: insert coins and notes from the developer panel ${electronSim.control.url}`);
  } else {
    const web = await startKioskWebServer({ host: stack.host, rendererDir, port: Number(values.port) });
    closers.push(web.close);
    console.log(`Kiosk: ${web.url}`);
    const chromium = '/usr/bin/chromium';
    if (values.ui !== 'url' && hasDisplay() && existsSync(chromium)) {
      const profile = await mkdtemp(join(tmpdir(), 'kiosk-chromium-'));
      children.push(
        spawn(
          chromium,
          [
            `--app=${web.url}`,
            '--kiosk',
            `--user-data-dir=${profile}`,
            '--no-first-run',
            '--disable-background-networking',
          ],
          {
            stdio: 'ignore',
          },
        ),
      );
      console.log('  UI: Chromium in app/kiosk mode');
    } else {
      console.log('  UI: open the URL above in a browser (no display for a window here)');
    }
  }
  for (const part of stack.parts) console.log(`  ${part}`);
  console.log(`  printed certificates: ${outputDir}`);
  console.log(
    '  test cards and their PINs: npm run card -- --list   (another card: npm start -- --holder H0002)',
  );
  console.log('Ctrl-C stops the demo.');

  onShutdown(async () => {
    for (const child of children) child.kill('SIGTERM');
    for (const close of closers) await close();
    await stack.close();
  });
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
