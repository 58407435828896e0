/**
 * `npm run payment-sim -- [--port N] [--device-path PATH]`: a simulated coin and note acceptor
 * with change hoppers, speaking ccTalk on one end of a pseudo-terminal pair (socat); the kiosk
 * opens the other end as its serial device. Prints `Payment device: PATH` and `Control: URL` (the
 * control port, see scripts/dev/payment-sim/control-server.ts). `--device-path` fixes the path the
 * kiosk opens (a link to the pseudo-terminal), so a simulator started again is found where the
 * kiosk's line looks for it, as a power-cycled device is. Runs until stopped.
 */
import { spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { openSerialChannel } from '../electron/payment/cctalk/serial-channel.ts';
import { CashMachine } from './dev/payment-sim/cash-machine.ts';
import { serveCctalk } from './dev/payment-sim/cctalk-responder.ts';
import { startControlServer } from './dev/payment-sim/control-server.ts';
import { fail, onShutdown } from './cli-common.ts';
import { SYSTEM_PATHS } from './system/services.ts';

const SOCAT = SYSTEM_PATHS.socat.path;

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'device-path': { type: 'string' },
      'with-parent': { type: 'boolean' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port is a TCP port number', 2);
  if (!(await exists(SOCAT)))
    fail(`${SOCAT} is missing; install the Debian package socat (npm run setup:system)`);

  const dir = await mkdtemp(join(tmpdir(), 'kiosk-payment-'));
  const devicePath = join(dir, 'device');
  const kioskPath = values['device-path'] ?? join(dir, 'kiosk');
  // A link left by a simulator that was killed points at a pseudo-terminal that is gone.
  // Its folder may have gone with that simulator's own clean-up.
  if (values['device-path']) {
    await rm(kioskPath, { force: true });
    await mkdir(dirname(kioskPath), { recursive: true });
  }
  const socat = spawn(SOCAT, [`pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${kioskPath}`], {
    stdio: 'ignore',
  });
  const cleanUp = async () => {
    // socat removes its links as it exits: the folder goes after it, so nothing is left behind.
    if (socat.exitCode === null && socat.signalCode === null) {
      const exited = new Promise((resolve) => socat.once('exit', resolve));
      socat.kill('SIGTERM');
      await Promise.race([exited, sleep(2_000)]);
    }
    await rm(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100 && !((await exists(devicePath)) && (await exists(kioskPath))); i++) await sleep(50);
  if (!(await exists(kioskPath))) {
    await cleanUp();
    fail('socat did not create the pseudo-terminal pair');
  }
  const opened = await openSerialChannel(devicePath);
  if (!opened.ok) {
    await cleanUp();
    fail(`cannot open the simulator's end of the line: ${opened.detail}`);
  }
  const machine = new CashMachine();
  const stopServing = serveCctalk(machine, opened.channel);
  const control = await startControlServer(machine, port);
  console.log(`Payment device: ${kioskPath}`);
  console.log(`Control: ${control.url}`);
  socat.once('exit', () => fail('socat ended: the serial line is gone'));
  onShutdown(async () => {
    stopServing();
    await control.close();
    await opened.channel.close();
    socat.removeAllListeners('exit');
    await cleanUp();
  });
  // Started by a kiosk or a test (launch.ts): our stdin is their pipe, and it ends when they do,
  // even when they are killed with SIGKILL, so no simulator and no socat outlive them.
  if (values['with-parent']) {
    process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
    process.stdin.resume();
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
