/**
 * `npm run kiosk:web [-- --holder ID --demo-opening-hours]`: the kiosk host in Node with the
 * renderer served on a loopback URL (printed as the first line:
 * `Kiosk: http://127.0.0.1:PORT/?key=SECRET`; the secret is new at every start and the page's
 * bridge cannot connect without it), an embedded reference centre and printer, and — given
 * --holder — that holder's card on the virtual reader, with a developer panel on the page
 * (top-left "DEV") that takes the card off and puts it back. `--demo-opening-hours`: the embedded
 * centre judges opening hours alone on the demo clock (scripts/dev/clock.ts). What the Playwright
 * tests and any browser use. Runs until stopped; a fault of the host's own ends the session
 * through the clean-up, and past the supervisor's limit the process exits 70.
 * `--time-limits menuIdleMs=25000,…` sets the screens' time limits (electron/host/time-limits-config.ts).
 * `--pin-reset-mode password|bound-card`: the embedded centre's PIN-reset mode (the kiosk follows it).
 */
import { isPinResetMode } from '../protocol/pin-reset.ts';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startKioskWebServer } from '../electron/web/kiosk-web-server.ts';
import { ensureRendererBuilt } from './dev/renderer-build.ts';
import { defaultWorldDir, startDevStack, type CardMode, type PrinterMode } from './dev/stack.ts';
import { defaultJournalPath } from '../electron/journal/journal-path.ts';
import { superviseProcess } from '../electron/host/process-supervision.ts';
import { parseTimeLimits } from '../electron/host/time-limits-config.ts';
import { cliLogger, fail, onShutdown, PROJECT_ROOT } from './cli-common.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      holder: { type: 'string' },
      port: { type: 'string', default: '0' },
      out: { type: 'string' },
      centre: { type: 'string' },
      card: { type: 'string', default: 'auto' },
      printer: { type: 'string', default: 'auto' },
      world: { type: 'string' },
      rebuild: { type: 'boolean' },
      'demo-opening-hours': { type: 'boolean' },
      'time-limits': { type: 'string' },
      'pin-reset-mode': { type: 'string', default: 'password' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port is a TCP port number', 2);
  if (!['pcsc', 'in-process', 'auto'].includes(values.card)) fail('--card is pcsc, in-process or auto', 2);
  if (!['ipp', 'spool', 'auto'].includes(values.printer)) fail('--printer is ipp, spool or auto', 2);
  const limits = parseTimeLimits(values['time-limits'] ?? '');
  if (!limits.ok) fail(`--time-limits: ${limits.problem} at ${limits.at}`, 2);
  const pinResetMode = values['pin-reset-mode'];
  if (!isPinResetMode(pinResetMode)) fail('--pin-reset-mode is password or bound-card', 2);
  const outputDir = resolve(values.out ?? join(PROJECT_ROOT, 'var', 'printed'));
  await mkdir(outputDir, { recursive: true });

  const rendererDir = await ensureRendererBuilt(PROJECT_ROOT, { rebuild: values.rebuild ?? false });
  const logger = cliLogger();
  const stack = await startDevStack({
    worldDir: values.world ? resolve(values.world) : defaultWorldDir(PROJECT_ROOT),
    outputDir,
    logger,
    journalPath: defaultJournalPath(PROJECT_ROOT),
    card: values.card as CardMode,
    printer: values.printer as PrinterMode,
    ...(values.holder ? { holderId: values.holder } : {}),
    ...(values.centre ? { centreUrl: values.centre } : {}),
    demoOpeningHours: values['demo-opening-hours'] === true,
    pinResetMode,
    ...(limits.ok ? { timeouts: limits.timeouts } : {}),
  });
  // The developer panel: put the virtual card on the reader and take it off from the browser.
  const web = await startKioskWebServer({
    host: stack.host,
    rendererDir,
    port,
    developer: stack.card ? { card: stack.card } : {},
  });
  console.log(`Kiosk: ${web.url}`);
  for (const part of stack.parts) console.log(`  ${part}`);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await web.close();
      await stack.close();
    })());
  superviseProcess({ host: stack.host, close, exit: (code) => process.exit(code), logger });
  onShutdown(close);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
