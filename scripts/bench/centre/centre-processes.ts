/**
 * Starts reference centres as child processes (`centre-process.ts`), for tests, benchmarks and
 * the load test that need several centres sharing one database, or a centre to kill.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'centre-process.ts');

export interface CentreProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
  /** With `menuProofs`: today's round, finished before the centre reported it listens. */
  menuProofs?: MenuProofReport;
}

/** A centre process's first round of menus proved ahead, and the CPU the process spent on it. */
export interface MenuProofReport {
  day: string;
  proved: number;
  noMenu: number;
  failed: number;
  ms: number;
  cpuMs: number;
}

/** The command line (after `node`) of one centre process. */
export function centreProcessArgs(opts: {
  worldDir: string;
  databaseUrl?: string;
  databasePath?: string;
  port?: number;
  tls?: 'world' | { dir: string };
  revocation?: 'live' | { ocspUrl: string; crlBaseUrl: string };
  /** Node options before the entry, e.g. `--cpu-prof` for a profile of the centre. */
  nodeArgs?: readonly string[];
  /** Prove every resident's menu ahead (server/municipal/menu-proofs.ts) before listening. */
  menuProofs?: boolean;
}): string[] {
  const args = [...(opts.nodeArgs ?? []), '--import', 'tsx', ENTRY, '--world', opts.worldDir];
  if (opts.databaseUrl) args.push('--database-url', opts.databaseUrl);
  if (opts.databasePath) args.push('--database', opts.databasePath);
  if (opts.port !== undefined) args.push('--port', String(opts.port));
  if (opts.tls === 'world') args.push('--tls');
  else if (opts.tls) args.push('--tls-dir', opts.tls.dir);
  if (opts.menuProofs) args.push('--menu-proofs');
  if (opts.revocation === 'live') args.push('--revocation', 'live');
  else if (opts.revocation)
    args.push('--ocsp-url', opts.revocation.ocspUrl, '--crl-base-url', opts.revocation.crlBaseUrl);
  return args;
}

/** Starts one centre process on the world in `worldDir`; resolves once it listens. */
export async function startCentreProcess(opts: {
  worldDir: string;
  databaseUrl?: string;
  databasePath?: string;
  port?: number;
  /** Mutual TLS: the world's transport PKI, or the one in a scripts/dev-pki.ts folder. */
  tls?: 'world' | { dir: string };
  /**
   * `live`: the world's OCSP responder in the centre's process, answering live; or a live
   * responder elsewhere (the live policy: nonce required, CRL fallback) at these URLs.
   */
  revocation?: 'live' | { ocspUrl: string; crlBaseUrl: string };
  nodeArgs?: readonly string[];
  menuProofs?: boolean;
  timeoutMs?: number;
}): Promise<CentreProcess> {
  const args = centreProcessArgs(opts);
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    let menuProofs: MenuProofReport | undefined;
    const url = await new Promise<string>((resolve, reject) => {
      const timeoutMs = opts.timeoutMs ?? 60_000;
      const timer = setTimeout(
        () => reject(new Error(`centre process did not start within ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`centre process exited before listening (${signal ?? `exit code ${code}`})`));
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const proofs = /^MENU_PROOFS (\{.*\})$/.exec(line);
        if (proofs?.[1]) menuProofs = JSON.parse(proofs[1]) as MenuProofReport;
        const match = /^CENTRE_URL (\S+)$/.exec(line);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    return { url, child, stop, ...(menuProofs ? { menuProofs } : {}) };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Starts `count` centre processes on one database and one seal-key token: the first alone, the
 * others together once it listens. The first start on a new database provisions each
 * municipality's key on the token; SoftHSM2 (the development HSM) keeps a token in files that are
 * not safe while another process writes them (another process then sees "no token", or stale key
 * handles), so no other centre opens the token while keys are generated. Later centres find the
 * keys in the database and only read the token.
 */
export async function startCentreProcesses(
  count: number,
  opts: Parameters<typeof startCentreProcess>[0],
): Promise<CentreProcess[]> {
  const first = await startCentreProcess(opts);
  const others = await Promise.allSettled(Array.from({ length: count - 1 }, () => startCentreProcess(opts)));
  const started = [first, ...others.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))];
  const failed = others.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((c) => c.stop()));
    throw failed.reason;
  }
  return started;
}
