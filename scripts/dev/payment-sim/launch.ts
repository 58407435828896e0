/**
 * Starts `npm run payment-sim` as its own process (as a real acceptor is its own box) and reads
 * where it is: the serial device the kiosk opens and the control port.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PaymentSimControl } from './control-client.ts';

const SCRIPT = fileURLToPath(new URL('../../payment-sim.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));

export interface RunningPaymentSim {
  devicePath: string;
  control: PaymentSimControl;
  pid: number;
  stop(): Promise<void>;
}

export class PaymentSimStartError extends Error {
  override readonly name = 'PaymentSimStartError';
}

export function launchPaymentSim(
  options: {
    port?: number;
    timeoutMs?: number;
    /** Where the kiosk's end of the line appears (`--device-path`): the same path brings an acceptor back after it died. */
    devicePath?: string;
  } = {},
): Promise<RunningPaymentSim> {
  const args = [TSX, SCRIPT, '--port', String(options.port ?? 0), '--with-parent'];
  if (options.devicePath) args.push('--device-path', options.devicePath);
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let devicePath: string | undefined;
    let controlUrl: string | undefined;
    const timer = setTimeout(() => {
      void stop();
      reject(new PaymentSimStartError(`payment simulator did not start: ${stderr.trim()}`));
    }, options.timeoutMs ?? 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new PaymentSimStartError(`payment simulator exited (${code}): ${stderr.trim()}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const device = /^Payment device: (.+)$/.exec(line);
      const control = /^Control: (\S+)$/.exec(line);
      if (device) devicePath = device[1];
      if (control) controlUrl = control[1];
      if (devicePath && controlUrl) {
        clearTimeout(timer);
        resolve({ devicePath, control: new PaymentSimControl(controlUrl), pid: child.pid as number, stop });
      }
    });
  });
}
