/**
 * System services for integration tests. These helpers throw (with the Debian package to
 * install in the message) so that a test whose system part is missing fails loudly.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeServiceError, ensureDnsSd, startIppEvePrinter } from '../../scripts/system/services.ts';

export type TestPrinter = {
  /** ipp://127.0.0.1:<port>/ipp/print */
  url: string;
  /** Where ippeveprinter keeps each document it received. */
  dir: string;
  /** Stops the printer and removes its spool folder. */
  stop(): Promise<void>;
};

/**
 * Starts a real ippeveprinter on a free loopback port with a fresh temporary spool folder.
 * `command` is the per-job program (default: completes at once; see startIppEvePrinter).
 */
export async function startTestPrinter(
  options: { name?: string; command?: string | null; duplex?: boolean } = {},
): Promise<TestPrinter> {
  const dns = await ensureDnsSd();
  if (!dns.ok) throw new Error(describeServiceError(dns.error));
  const dir = await mkdtemp(join(tmpdir(), 'kiosk-ipp-spool-'));
  const started = await startIppEvePrinter({
    name: options.name ?? `kiosk-test-${process.pid}-${Date.now()}`,
    spoolDir: dir,
    ...(options.command !== undefined ? { command: options.command } : {}),
    ...(options.duplex ? { duplex: true } : {}),
  });
  if (!started.ok) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(describeServiceError(started.error));
  }
  return {
    url: started.value.url,
    dir,
    stop: async () => {
      await started.value.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
