/**
 * The dev world's OCSP responder and CRLs (scripts/dev/revocation.ts, answering live) as a child
 * process, for benchmarks whose own event loop is busy with the terminals' card work: a responder
 * sharing that loop answers late, and the centre refuses on its OCSP time-out.
 *
 *   tsx scripts/bench/centre/revocation-process.ts --world DIR
 *
 * Prints `REVOCATION <ocsp url> <crl base url>` once listening; stops when stdin closes or on SIGTERM.
 * BENCH_REVOCATION_NODE_ARGS passes node options to it (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startWorldRevocation } from '../../dev/revocation.ts';
import { ensureDevWorld } from '../../dev/world.ts';

export interface RevocationProcess {
  /** The responder's process id (for its CPU time in /proc). */
  pid: number;
  ocspUrl: string;
  crlBaseUrl: string;
  stop(): Promise<void>;
}

/** Starts the responder of the world in `worldDir` in its own process; resolves once it listens. */
export async function startRevocationProcess(worldDir: string): Promise<RevocationProcess> {
  const entry = fileURLToPath(import.meta.url);
  const nodeArgs = (process.env.BENCH_REVOCATION_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry, '--world', worldDir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const urls = await new Promise<{ ocspUrl: string; crlBaseUrl: string }>((resolve, reject) => {
    child.once('exit', (code, signal) =>
      reject(new Error(`revocation process exited before listening (${signal ?? `exit code ${code}`})`)),
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^REVOCATION (\S+) (\S+)$/.exec(line);
      if (match?.[1] && match[2]) resolve({ ocspUrl: match[1], crlBaseUrl: match[2] });
    });
  });
  return { ...urls, pid: child.pid as number, stop };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { world: { type: 'string' } }, strict: true });
  if (!values.world) {
    console.error('usage: revocation-process.ts --world DIR');
    process.exit(2);
  }
  const world = await ensureDevWorld(values.world);
  const revocation = await startWorldRevocation(world, () => new Date());
  const stop = async (): Promise<void> => {
    await revocation.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
  process.stdout.write(`REVOCATION ${revocation.ocspUrl} ${revocation.crlBaseUrl}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`revocation process: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
